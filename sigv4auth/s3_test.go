package sigv4auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// awsChunkedExample is the example of AWS's "Transferring Payload in Multiple Chunks" page:
// PUT /examplebucket/chunkObject.txt, 66,560 bytes of 'a' sent as a 65,536-byte chunk, a
// 1,024-byte chunk and the final empty one, with the seed and chunk signatures AWS publishes.
func awsChunkedExample() (*http.Request, []byte) {
	body := "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n" +
		strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
		strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"
	r := httptest.NewRequest(http.MethodPut, "http://s3.amazonaws.com/examplebucket/chunkObject.txt", strings.NewReader(body))
	r.Header = http.Header{
		"X-Amz-Date":                   {"20130524T000000Z"},
		"X-Amz-Storage-Class":          {"REDUCED_REDUNDANCY"},
		"X-Amz-Content-Sha256":         {StreamingSignedPayload},
		"Content-Encoding":             {"aws-chunked"},
		"X-Amz-Decoded-Content-Length": {"66560"},
		"Content-Length":               {strconv.Itoa(len(body))},
		"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
			"SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class, " +
			"Signature=4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"},
	}
	return r, []byte(body)
}

func awsExampleVerifier() *Verifier {
	v := NewVerifier([]Credential{{AccessKeyID: "AKIAIOSFODNN7EXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", AccountID: "123456789012"}}, "s3")
	v.SetClock(func() time.Time { return time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC) })
	return v
}

func TestS3SignedChunksAWSExample(t *testing.T) {
	v := awsExampleVerifier()
	r, body := awsChunkedExample()
	p, payload, err := v.VerifyPayload(r, body)
	if err != nil {
		t.Fatalf("AWS's own example refused: %v", err)
	}
	if p.Service != "s3" || !bytes.Equal(payload, bytes.Repeat([]byte("a"), 66560)) {
		t.Fatalf("principal %+v, payload of %d bytes; want s3 and 66,560 bytes of 'a'", p, len(payload))
	}

	tamper := func(name string, change func(b []byte) []byte, code string, status int) {
		t.Run(name, func(t *testing.T) {
			r, body := awsChunkedExample()
			_, _, err := v.VerifyPayload(r, change(bytes.Clone(body)))
			wantCode(t, err, code, status)
		})
	}
	// A changed data byte breaks the first chunk's signature; swapped chunk signatures break
	// the chain; a lost final chunk leaves the body incomplete.
	tamper("data byte", func(b []byte) []byte { b[200] = 'b'; return b }, CodeSignatureDoesNotMatch, 403)
	tamper("chain order", func(b []byte) []byte {
		return bytes.Replace(bytes.Replace(b, []byte("ad80c730"), []byte("XXXXXXXX"), 1), []byte("0055627c"), []byte("ad80c730"), 1)
	}, CodeSignatureDoesNotMatch, 403)
	tamper("final chunk dropped", func(b []byte) []byte { return b[:bytes.LastIndex(b, []byte("0;chunk"))] }, CodeIncompleteBody, 400)
	tamper("unsigned chunk", func(b []byte) []byte {
		return bytes.Replace(b, []byte("400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"), []byte("400"), 1)
	}, CodeSignatureDoesNotMatch, 403)
	tamper("garbage after the end", func(b []byte) []byte { return append(b, "x"...) }, CodeInvalidRequest, 400)
}

// s3Request signs an S3 request with the SDK's signer as the S3 client does: the path not
// escaped a second time, the payload hash from X-Amz-Content-Sha256.
func s3Request(t *testing.T, method, rawPath string, body []byte, payloadHash string, edit func(*http.Request)) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "http://"+testHost+rawPath, bytes.NewReader(body))
	r.Header.Set("X-Amz-Content-Sha256", payloadHash)
	if edit != nil {
		edit(r)
	}
	creds := aws.Credentials{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: testCred.SecretAccessKey}
	err := v4.NewSigner().SignHTTP(context.Background(), creds, r, payloadHash, "s3", "eu-west-1", testNow.Add(-time.Minute),
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestS3PayloadHashes(t *testing.T) {
	v := NewVerifier(testCreds, "s3")
	v.SetClock(func() time.Time { return testNow })
	body := []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
	const path = "/bucket/ca%20bundles/a%2Bb%21%27%28%29%2A~.pem"

	for _, c := range []struct {
		name    string
		req     *http.Request
		body    []byte
		code    string
		status  int
		payload []byte
	}{
		{"sha256 of the body", s3Request(t, "PUT", path, body, bodyHash(body), nil), body, "", 0, body},
		{"sha256 in capitals", s3Request(t, "PUT", path, body, strings.ToUpper(bodyHash(body)), nil), body, "", 0, body},
		{"unsigned payload", s3Request(t, "PUT", path, body, UnsignedPayload, nil), body, "", 0, body},
		{"empty GET", s3Request(t, "GET", "/bucket?list-type=2&prefix=a%2Fb", nil, bodyHash(nil), nil), nil, "", 0, nil},
		{"sha256 of another body", s3Request(t, "PUT", path, body, bodyHash([]byte("other")), nil), body, CodeXAmzContentSHA256Mismatch, 400, nil},
		{"body changed under an unsigned payload", s3Request(t, "PUT", path, body, UnsignedPayload, nil), []byte("x"), "", 0, []byte("x")},
		{"not a hash", s3Request(t, "PUT", path, body, "sha256", nil), body, CodeInvalidArgument, 400, nil},
		{"signed trailer", s3Request(t, "PUT", path, body, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", nil), body, CodeNotImplemented, 501, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, payload, err := v.VerifyPayload(c.req, c.body)
			if c.code != "" {
				wantCode(t, err, c.code, c.status)
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !bytes.Equal(payload, c.payload) {
				t.Fatalf("payload %q, want %q", payload, c.payload)
			}
		})
	}

	missing := s3Request(t, "PUT", path, body, bodyHash(body), nil)
	missing.Header.Del("X-Amz-Content-Sha256")
	_, _, err := v.VerifyPayload(missing, body)
	wantCode(t, err, CodeInvalidRequest, 400)

	// The path is signed as sent: the same request escaped once more does not verify, and
	// the verifier must not escape it either.
	twice := s3Request(t, "PUT", strings.ReplaceAll(path, "%", "%25"), body, bodyHash(body), nil)
	twice.URL.RawPath, twice.URL.Path = path, "/bucket/ca bundles/a+b!'()*~.pem"
	_, _, err = v.VerifyPayload(twice, body)
	wantCode(t, err, CodeSignatureDoesNotMatch, 403)
}

// trailerBody frames data as the unsigned aws-chunked body with a trailing checksum that
// botocore's AwsChunkedWrapper writes.
func trailerBody(data []byte, chunk int, trailer string) []byte {
	var b bytes.Buffer
	for len(data) > 0 {
		n := min(chunk, len(data))
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, data[:n])
		data = data[n:]
	}
	fmt.Fprintf(&b, "0\r\n%s\r\n\r\n", trailer)
	return b.Bytes()
}

func TestS3UnsignedTrailer(t *testing.T) {
	v := NewVerifier(testCreds, "s3")
	v.SetClock(func() time.Time { return testNow })
	data := bytes.Repeat([]byte("0123456789abcdef"), 5000)
	crc := base64.StdEncoding.EncodeToString(binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(data)))
	req := func(body []byte, trailerName string) *http.Request {
		return s3Request(t, "PUT", "/bucket/crl.pem", body, StreamingUnsignedTrailer, func(r *http.Request) {
			r.Header.Set("Content-Encoding", "aws-chunked")
			r.Header.Set("X-Amz-Trailer", trailerName)
			r.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
		})
	}

	good := trailerBody(data, 16384, "x-amz-checksum-crc32:"+crc)
	_, payload, err := v.VerifyPayload(req(good, "x-amz-checksum-crc32"), good)
	if err != nil || !bytes.Equal(payload, data) {
		t.Fatalf("trailer upload: %v, payload of %d bytes, want %d", err, len(payload), len(data))
	}

	bad := trailerBody(append([]byte("X"), data[1:]...), 16384, "x-amz-checksum-crc32:"+crc)
	_, _, err = v.VerifyPayload(req(bad, "x-amz-checksum-crc32"), bad)
	wantCode(t, err, CodeBadDigest, 400)

	_, _, err = v.VerifyPayload(req(good, "x-amz-checksum-sha256"), good)
	wantCode(t, err, CodeInvalidRequest, 400)

	_, _, err = v.VerifyPayload(req(good[:len(good)-4], "x-amz-checksum-crc32"), good[:len(good)-4])
	wantCode(t, err, CodeIncompleteBody, 400)

	short := trailerBody(data[:100], 16384, "x-amz-checksum-crc32:"+crc)
	_, _, err = v.VerifyPayload(req(short, "x-amz-checksum-crc32"), short)
	wantCode(t, err, CodeIncompleteBody, 400) // the decoded length is not the announced one
}

func TestS3SkewHasItsOwnCode(t *testing.T) {
	v := NewVerifier(testCreds, "s3", "elasticloadbalancing")
	v.SetClock(func() time.Time { return testNow.Add(time.Hour) })
	r := s3Request(t, "GET", "/", nil, bodyHash(nil), nil)
	_, err := v.Verify(r, nil)
	wantCode(t, err, CodeRequestTimeTooSkewed, 403)
}

func TestChecksums(t *testing.T) {
	// Published check values of each algorithm over "123456789".
	check := []byte("123456789")
	for name, want := range map[string]string{
		"crc32":     "cbf43926",
		"CRC32C":    "e3069283",
		"crc64nvme": "ae8b14860a799888",
		"sha1":      "f7c3bc1d808e04732adf679965ccc34ca7ae3441",
	} {
		got, ok := Checksum(name, check)
		raw, _ := base64.StdEncoding.DecodeString(got)
		if !ok || fmt.Sprintf("%x", raw) != want {
			t.Errorf("%s: got %x (%v), want %s", name, raw, ok, want)
		}
	}
	if _, ok := Checksum("xxhash64", check); ok {
		t.Error("an algorithm without an implementation claimed")
	}
}

// FuzzDecodeChunked feeds aws-chunked bodies to the decoder: it never panics, never returns
// more data than the body held, and names trailers in lower case, whole lines.
func FuzzDecodeChunked(f *testing.F) {
	_, aws := awsChunkedExample()
	f.Add(aws)
	f.Add(trailerBody([]byte("hello, trust store"), 4, "x-amz-checksum-crc32:AAAAAA=="))
	f.Add([]byte("0\r\n\r\n"))
	f.Add([]byte("ffffffff\r\nabc"))
	f.Add([]byte("3;chunk-signature=00\r\nabc\r\n0\r\nname:value\r\n\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		payload, trailers, err := decodeChunked(body, nil)
		if err != nil {
			return
		}
		if len(payload) > len(body) {
			t.Fatalf("%d bytes decoded from a %d-byte body", len(payload), len(body))
		}
		for name := range trailers {
			if name != strings.ToLower(name) || strings.ContainsAny(name, "\r\n") {
				t.Fatalf("trailer name %q", name)
			}
		}
	})
}
