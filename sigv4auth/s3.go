package sigv4auth

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// S3 signs its payload differently from the other services: the canonical request's payload
// hash is whatever X-Amz-Content-Sha256 says, which is the body's SHA-256, or one of these
// values, two of which announce an aws-chunked body.
const (
	s3Service = "s3"

	UnsignedPayload          = "UNSIGNED-PAYLOAD"
	StreamingSignedPayload   = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	StreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"
)

// notSupported are the other values S3 knows: a signed trailer and ECDSA (SigV4a) chunks. The
// SDK's stream signer has no form of either, and no client of this endpoint sends them by
// default; they are refused by name rather than as a bad hash.
var notSupported = []string{
	"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
	"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD",
	"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER",
}

// Codes S3 answers with when its payload rules are broken, and for a clock skew.
const (
	CodeXAmzContentSHA256Mismatch = "XAmzContentSHA256Mismatch"
	CodeInvalidRequest            = "InvalidRequest"
	CodeInvalidArgument           = "InvalidArgument"
	CodeIncompleteBody            = "IncompleteBody"
	CodeBadDigest                 = "BadDigest"
	CodeNotImplemented            = "NotImplemented"
	CodeRequestTimeTooSkewed      = "RequestTimeTooSkewed"
)

// maxChunkLine bounds a chunk's header line ("SIZE;chunk-signature=SIG") and each trailer line.
const maxChunkLine = 4096

func s3Err(code string, status int, msg string) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

// isSigV2 reports a URL presigned with Signature Version 2 (AWSAccessKeyId and Signature in
// the query), which botocore still makes by default for S3.
func isSigV2(query url.Values) bool {
	return query.Has("AWSAccessKeyId") && query.Has("Signature")
}

// s3PayloadHash returns the payload hash an S3 request was signed with. A hex digest must be
// the body's: the client gave one, so the body is held to it.
func s3PayloadHash(r *http.Request, in authInput, body []byte) (string, *Error) {
	vals := headerValues(r.Header, "x-amz-content-sha256")
	switch {
	case len(vals) == 0 && in.presigned:
		return UnsignedPayload, nil // a presigned URL cannot know the body it will carry
	case len(vals) == 0:
		return "", s3Err(CodeInvalidRequest, http.StatusBadRequest, "Missing required header for this request: x-amz-content-sha256")
	case len(vals) > 1:
		return "", s3Err(CodeInvalidArgument, http.StatusBadRequest, "x-amz-content-sha256 must appear once.")
	}
	claim := vals[0]
	switch {
	case claim == UnsignedPayload || claim == StreamingSignedPayload || claim == StreamingUnsignedTrailer:
		return claim, nil
	case strings.HasPrefix(claim, "STREAMING-"):
		for _, ns := range notSupported {
			if claim == ns {
				return "", s3Err(CodeNotImplemented, http.StatusNotImplemented, "x-amz-content-sha256 "+ns+" is not supported by this endpoint; use "+
					StreamingSignedPayload+", "+StreamingUnsignedTrailer+", "+UnsignedPayload+" or the payload's SHA-256.")
			}
		}
	case len(claim) == 64:
		if _, err := hex.DecodeString(claim); err == nil {
			if !strings.EqualFold(claim, bodyHash(body)) {
				return "", s3Err(CodeXAmzContentSHA256Mismatch, http.StatusBadRequest, "The provided 'x-amz-content-sha256' header does not match what was computed.")
			}
			return claim, nil
		}
	}
	return "", s3Err(CodeInvalidArgument, http.StatusBadRequest,
		"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER or a valid sha256 value.")
}

// decodeStreaming decodes the aws-chunked body of a verified S3 request whose payload hash is
// one of the streaming values: each chunk's signature is checked against the chain seeded by
// the request's signature, or the trailing checksum against the decoded data.
func decodeStreaming(r *http.Request, in authInput, cred Credential, body []byte, payloadHash string) ([]byte, *Error) {
	var sign func(chunk []byte) string
	if payloadHash == StreamingSignedPayload {
		seed, _ := hex.DecodeString(in.signature) // verified equal to a signature the signer produced
		ss := v4.NewStreamSigner(aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}, in.service, in.region, seed)
		// A chunk's string to sign is the event stream's with empty headers: the SDK's stream
		// signer computes it.
		sign = func(chunk []byte) string {
			sig, _ := ss.GetSignature(context.Background(), nil, chunk, in.amzDate)
			return hex.EncodeToString(sig)
		}
	}
	payload, trailers, err := decodeChunked(body, sign)
	if err != nil {
		return nil, err
	}
	if dl := headerValues(r.Header, "x-amz-decoded-content-length"); len(dl) > 0 {
		if n, perr := strconv.Atoi(dl[0]); perr != nil || n != len(payload) {
			return nil, s3Err(CodeIncompleteBody, http.StatusBadRequest, "The decoded body is not as long as X-Amz-Decoded-Content-Length says.")
		}
	}
	if payloadHash != StreamingUnsignedTrailer {
		if len(trailers) > 0 {
			return nil, s3Err(CodeInvalidRequest, http.StatusBadRequest, "A signed aws-chunked body carries no trailer.")
		}
		return payload, nil
	}
	return payload, checkTrailer(r, trailers, payload)
}

// checkTrailer checks the checksum trailer X-Amz-Trailer announces: nothing else vouches for
// an unsigned streaming payload.
func checkTrailer(r *http.Request, trailers map[string]string, payload []byte) *Error {
	name := strings.ToLower(strings.TrimSpace(r.Header.Get("X-Amz-Trailer")))
	alg, _ := strings.CutPrefix(name, ChecksumHeaderPrefix)
	want, ok := Checksum(alg, payload)
	if !ok || !strings.HasPrefix(name, ChecksumHeaderPrefix) {
		return s3Err(CodeInvalidRequest, http.StatusBadRequest, "X-Amz-Trailer must name the x-amz-checksum-* trailer of a supported algorithm (CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512, MD5).")
	}
	got, present := trailers[name]
	if !present || len(trailers) != 1 {
		return s3Err(CodeInvalidRequest, http.StatusBadRequest, "The body's trailer must be exactly the "+name+" that X-Amz-Trailer announces.")
	}
	if got != want {
		return s3Err(CodeBadDigest, http.StatusBadRequest, "The "+strings.ToUpper(alg)+" you specified did not match the calculated checksum.")
	}
	return nil
}

// decodeChunked reads aws-chunked framing: chunks "HEX-SIZE[;chunk-signature=SIG]\r\nDATA\r\n"
// up to a zero-size chunk, then trailer lines "name:value\r\n" and an empty line. sign, when
// set, gives the signature each chunk (the last, empty one included) must carry; when nil, no
// chunk may carry one.
func decodeChunked(body []byte, sign func(chunk []byte) string) ([]byte, map[string]string, *Error) {
	malformed := func(what string) *Error {
		return s3Err(CodeInvalidRequest, http.StatusBadRequest, "Malformed aws-chunked body: "+what+".")
	}
	truncated := s3Err(CodeIncompleteBody, http.StatusBadRequest, "The aws-chunked body ends before its final chunk and trailer.")
	line := func() (string, bool) {
		i := bytes.Index(body[:min(len(body), maxChunkLine+2)], []byte("\r\n"))
		if i < 0 {
			return "", false
		}
		l := string(body[:i])
		body = body[i+2:]
		return l, true
	}
	payload := make([]byte, 0, len(body))
	for {
		head, ok := line()
		if !ok {
			return nil, nil, truncated
		}
		sizeHex, ext, hasExt := strings.Cut(head, ";")
		size, err := strconv.ParseUint(sizeHex, 16, 32)
		if err != nil || len(sizeHex) > 8 {
			return nil, nil, malformed("bad chunk size")
		}
		if uint64(len(body)) < size {
			return nil, nil, truncated
		}
		data := body[:size]
		body = body[size:]
		switch sig, isSig := strings.CutPrefix(ext, "chunk-signature="); {
		case sign == nil && hasExt:
			return nil, nil, malformed("an unsigned chunk carries an extension")
		case sign != nil && !isSig:
			return nil, nil, s3Err(CodeSignatureDoesNotMatch, http.StatusForbidden, "A chunk of the body carries no chunk-signature.")
		case sign != nil && !hmac.Equal([]byte(sig), []byte(sign(data))):
			return nil, nil, s3Err(CodeSignatureDoesNotMatch, http.StatusForbidden, "A chunk signature of the body does not match the one calculated for it.")
		}
		if size == 0 {
			break
		}
		if !bytes.HasPrefix(body, []byte("\r\n")) {
			return nil, nil, malformed("chunk data not followed by CRLF")
		}
		body = body[2:]
		payload = append(payload, data...)
	}
	trailers := map[string]string{}
	for {
		l, ok := line()
		if !ok {
			return nil, nil, truncated
		}
		if l == "" {
			break
		}
		name, value, ok := strings.Cut(l, ":")
		if name = strings.TrimSpace(name); !ok || name == "" || !isToken(name) || strings.ContainsAny(value, "\r\n") {
			return nil, nil, malformed("a trailer line is not name:value")
		}
		trailers[strings.ToLower(name)] = strings.TrimSpace(value)
	}
	if len(body) > 0 {
		return nil, nil, malformed("bytes after the trailer")
	}
	return payload, trailers, nil
}
