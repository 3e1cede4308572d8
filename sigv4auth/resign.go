package sigv4auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var errNotReproducible = errors.New("request cannot be reproduced for signing")

// maxSigners bounds the signers kept for reuse. A signer caches the key it derives
// for a scope (four HMACs, redone per request otherwise) with no eviction, and the
// region comes from the client: scopes past the bound get a fresh signer each time.
const maxSigners = 64

type signerKey struct{ accessKeyID, region, service string }

// signerFor returns the signer for one access key and scope; the key is part of
// the map key because the signer's cache holds one access key per scope.
func (v *Verifier) signerFor(accessKeyID, region, service string) *v4.Signer {
	k := signerKey{accessKeyID, region, service}
	v.signersMu.Lock()
	defer v.signersMu.Unlock()
	if s, ok := v.signers[k]; ok {
		return s
	}
	s := v4.NewSigner()
	if len(v.signers) < maxSigners {
		v.signers[k] = s
	}
	return s
}

// bodyHash is the hex SHA-256 of a body, the payload hash of every service but S3.
func bodyHash(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// resign signs a reconstruction of r with cred, the client's time, region,
// service and payload hash, and returns the resulting signature and
// signed-header list.
//
// The reconstruction carries exactly the headers the client listed in
// SignedHeaders, because the signer signs every header it is given. Two
// details of the signer need care:
//
//   - It skips a fixed set of headers (User-Agent, Expect, X-Amzn-Trace-Id,
//     ...) by their canonical name. Some clients do sign User-Agent, so
//     headers are stored under their lower-case name, which the signer
//     lower-cases for the canonical request anyway but does not skip.
//   - It signs host from Request.Host, content-length from ContentLength
//     only when positive, and in header form always adds X-Amz-Date from
//     the signing time; those three are therefore not copied as headers. A
//     client that signs "content-length: 0" cannot be reproduced and fails.
//
// Whatever the signer does, the caller compares the signed-header list it
// produced with the client's, so any divergence fails closed as a mismatch.
func (v *Verifier) resign(r *http.Request, in authInput, cred Credential, query url.Values, payloadHash string) (sig, signedHeaders string, err error) {
	host := r.Host
	if host == "" {
		host = r.URL.Host
	}
	u := &url.URL{Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	clone := &http.Request{Method: r.Method, URL: u, Host: host, Header: make(http.Header, len(in.headerNames))}

	for _, name := range in.headerNames {
		switch {
		case name == "host":
			continue
		case name == "x-amz-date" && !in.presigned:
			continue
		case name == "content-length":
			n, perr := strconv.ParseInt(contentLength(r), 10, 64)
			if perr != nil || n <= 0 {
				return "", "", errNotReproducible
			}
			clone.ContentLength = n
			continue
		}
		vals := headerValues(r.Header, name)
		if vals == nil {
			return "", "", errNotReproducible
		}
		clone.Header[name] = vals
	}

	creds := aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}
	signer := v.signerFor(cred.AccessKeyID, in.region, in.service)
	opts := func(o *v4.SignerOptions) {
		o.DisableSessionToken = true // a token, if any, is passed through as sent
		o.DisableHeaderHoisting = true
		o.DisableURIPathEscaping = in.service == s3Service // S3 signs the path as sent
	}

	if !in.presigned {
		if err := signer.SignHTTP(context.Background(), creds, clone, payloadHash, in.service, in.region, in.amzDate, opts); err != nil {
			return "", "", err
		}
		return signedParams(clone.Header.Get("Authorization"))
	}

	q := make(url.Values, len(query))
	for k, vs := range query {
		if k != "X-Amz-Signature" {
			q[k] = vs
		}
	}
	u.RawQuery = q.Encode()
	signed, _, err := signer.PresignHTTP(context.Background(), creds, clone, payloadHash, in.service, in.region, in.amzDate, opts)
	if err != nil {
		return "", "", err
	}
	su, err := url.Parse(signed)
	if err != nil {
		return "", "", err
	}
	sq := su.Query()
	return sq.Get("X-Amz-Signature"), sq.Get("X-Amz-SignedHeaders"), nil
}

// signedParams reads the signature and the signed-header list out of the Authorization
// header the signer wrote: "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
func signedParams(authz string) (sig, signedHeaders string, err error) {
	_, rest, ok := strings.Cut(authz, ", SignedHeaders=")
	if !ok {
		return "", "", errNotReproducible
	}
	signedHeaders, sig, ok = strings.Cut(rest, ", Signature=")
	if !ok {
		return "", "", errNotReproducible
	}
	return sig, signedHeaders, nil
}

func contentLength(r *http.Request) string {
	if cl := r.Header.Get("Content-Length"); cl != "" {
		return cl
	}
	if r.ContentLength > 0 {
		return strconv.FormatInt(r.ContentLength, 10)
	}
	return ""
}

// headerValues returns the values of header name (lower case) whatever the
// key's case in h; net/http canonicalises keys but hand-built requests may not.
func headerValues(h http.Header, name string) []string {
	if vs, ok := h[http.CanonicalHeaderKey(name)]; ok {
		return vs
	}
	var out []string
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			out = append(out, vs...)
		}
	}
	return out
}
