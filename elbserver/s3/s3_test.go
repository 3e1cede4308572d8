package s3_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/s3"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

type response struct {
	status int
	header http.Header
	body   string
}

// do sends an S3 request signed as S3's clients sign: the path as given, the payload hash in
// X-Amz-Content-Sha256 (the body's SHA-256 unless the header is set already).
func do(t *testing.T, srv *elbtest.Server, method, path string, body []byte, hdr http.Header) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	sdkcheck.NoErr(t, err)
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	hash := req.Header.Get("X-Amz-Content-Sha256")
	if hash == "" {
		sum := sha256.Sum256(body)
		hash = hex.EncodeToString(sum[:])
		req.Header.Set("X-Amz-Content-Sha256", hash)
	}
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	sdkcheck.NoErr(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hash, "s3", "us-east-1", time.Now(),
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }))
	resp, err := http.DefaultClient.Do(req)
	sdkcheck.NoErr(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	sdkcheck.NoErr(t, err)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func wantError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status || !strings.Contains(r.body, "<Code>"+code+"</Code>") || r.header.Get("x-amz-request-id") == "" {
		t.Fatalf("want %d %s in S3's XML, got %d %s", status, code, r.status, r.body)
	}
}

func startServer(t *testing.T, o elbserver.Options) *elbtest.Server {
	srv := elbtest.NewServer(elbtest.WithOptions(o))
	t.Cleanup(srv.Close)
	return srv
}

// A client that signs every chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD) is heard through the
// endpoint: the object stored is the decoded data, and a chunk out of the chain is refused.
func TestSignedChunkedUpload(t *testing.T) {
	srv := startServer(t, elbserver.Options{})
	wantStatus(t, do(t, srv, "PUT", "/chunks", nil, nil), 200)
	data := bytes.Repeat([]byte("0123456789"), 9000)
	body, hdr := signedChunks(t, srv, "/chunks/bundle.pem", data, 16384, false)
	r := sendRaw(t, srv, "PUT", "/chunks/bundle.pem", body, hdr)
	wantStatus(t, r, 200)
	if got := do(t, srv, "GET", "/chunks/bundle.pem", nil, nil); got.body != string(data) {
		t.Fatalf("stored %d bytes, want the %d decoded", len(got.body), len(data))
	}
	body, hdr = signedChunks(t, srv, "/chunks/evil.pem", data, 16384, true)
	wantError(t, sendRaw(t, srv, "PUT", "/chunks/evil.pem", body, hdr), 403, "SignatureDoesNotMatch")
}

// signedChunks frames data in chunks of size, each signed in the chain seeded by the request's
// signature, and returns the body and the signed headers; tamper swaps two chunks' data.
func signedChunks(t *testing.T, srv *elbtest.Server, path string, data []byte, size int, tamper bool) ([]byte, http.Header) {
	req, _ := http.NewRequest("PUT", srv.URL+path, nil)
	req.Header.Set("X-Amz-Content-Sha256", sigv4auth.StreamingSignedPayload)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.Itoa(len(data)))
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	now := time.Now()
	sdkcheck.NoErr(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, sigv4auth.StreamingSignedPayload, "s3", "us-east-1", now,
		func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }))
	_, seedHex, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	seed, _ := hex.DecodeString(seedHex)
	ss := v4.NewStreamSigner(creds, "s3", "us-east-1", seed)
	var chunks [][]byte
	for rest := data; len(rest) > 0; rest = rest[min(size, len(rest)):] {
		chunks = append(chunks, rest[:min(size, len(rest))])
	}
	var b bytes.Buffer
	for i, c := range append(chunks, nil) {
		sig, _ := ss.GetSignature(context.Background(), nil, c, now)
		if tamper && i < 2 {
			c = chunks[1-i] // the first two chunks change places, their signatures do not
		}
		fmt.Fprintf(&b, "%x;chunk-signature=%x\r\n%s\r\n", len(c), sig, c)
	}
	return b.Bytes(), req.Header
}

func sendRaw(t *testing.T, srv *elbtest.Server, method, path string, body []byte, hdr http.Header) response {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, bytes.NewReader(body))
	sdkcheck.NoErr(t, err)
	req.Header = hdr
	resp, err := http.DefaultClient.Do(req)
	sdkcheck.NoErr(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, string(b)}
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
}

// Refusals decided before the room sees the request are S3's XML with S3's codes.
func TestEndpointRefusalsInS3Terms(t *testing.T) {
	srv := startServer(t, elbserver.Options{})
	wantStatus(t, do(t, srv, "PUT", "/big", nil, nil), 200)
	wantError(t, do(t, srv, "PUT", "/big/object", bytes.Repeat([]byte("x"), 1<<20+1), nil), 400, "EntityTooLarge")
	wantError(t, do(t, srv, "PUT", "/big/object", bytes.Repeat([]byte("x"), 512<<10+1), nil), 400, "EntityTooLarge")
	wantStatus(t, do(t, srv, "PUT", "/big/object", bytes.Repeat([]byte("x"), 512<<10), nil), 200)
	wantError(t, do(t, srv, "PUT", "/big/o2", []byte("abc"), http.Header{"X-Amz-Content-Sha256": {strings.Repeat("0", 64)}}), 400, "XAmzContentSHA256Mismatch")

	unsigned, err := http.Get(srv.URL + "/big")
	sdkcheck.NoErr(t, err)
	b, _ := io.ReadAll(unsigned.Body)
	unsigned.Body.Close()
	wantError(t, response{unsigned.StatusCode, unsigned.Header, string(b)}, 403, "AccessDenied")
	wantError(t, do(t, srv, "PUT", "/big/o3", nil, http.Header{"X-Amz-Copy-Source": {"/big/object"}}), 501, "NotImplemented")
	wantError(t, do(t, srv, "POST", "/big/o3", nil, nil), 405, "MethodNotAllowed")
}

// Buckets and objects outlive the endpoint; the bucket quota holds; Object, which other rooms
// read trust store bundles with, names what is missing.
func TestStateAndLookups(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	srv := startServer(t, elbserver.Options{StatePath: path, Limits: map[string]int{"s3-buckets": 2}})
	for _, b := range []string{"/one", "/two"} {
		wantStatus(t, do(t, srv, "PUT", b, nil, nil), 200)
	}
	wantError(t, do(t, srv, "PUT", "/three", nil, nil), 400, "TooManyBuckets")
	wantStatus(t, do(t, srv, "PUT", "/one/a/b.pem", []byte("bundle"), nil), 200)
	srv.Close()

	srv = startServer(t, elbserver.Options{StatePath: path})
	if got := do(t, srv, "GET", "/one/a/b.pem", nil, nil); got.body != "bundle" {
		t.Fatalf("after a restart: %d %s", got.status, got.body)
	}
	srv.Close()

	st, err := store.Open(path)
	sdkcheck.NoErr(t, err)
	defer st.Close()
	room := s3.New(&room.Env{Store: st})
	if got, err := room.Object("000000000000", "eu-west-1", "one", "a/b.pem"); err != nil || string(got) != "bundle" {
		t.Fatalf("after a restart: %q, %v", got, err)
	}
	for _, c := range []struct {
		account, bucket, key string
		want                 error
	}{
		{"000000000000", "nope", "a/b.pem", s3.ErrNoSuchBucket},
		{"000000000000", "one", "nope", s3.ErrNoSuchKey},
		{"111111111111", "one", "a/b.pem", s3.ErrAccessDenied},
	} {
		if _, err := room.Object(c.account, "us-east-1", c.bucket, c.key); !errors.Is(err, c.want) {
			t.Errorf("Object(%s, %s, %s): %v, want %v", c.account, c.bucket, c.key, err, c.want)
		}
	}
}
