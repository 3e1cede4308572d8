package s3_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// twoAccounts are the endpoint's credentials in these tests: the default one and another.
var twoAccounts = []sigv4auth.Credential{sigv4auth.DefaultCredential, {AccessKeyID: "other", SecretAccessKey: "other-secret", AccountID: "111111111111"}}

func TestBoto3(t *testing.T) {
	t.Parallel()
	e := sdkcheck.StartTLS(t, elbserver.Options{Credentials: twoAccounts})
	out := sdkcheck.Script(t, e.Env(t, "OTHER_KEY=other", "OTHER_SECRET=other-secret"), filepath.Join("testdata", "boto3_s3.py"))
	want := map[string][3]any{
		"owned again eu":            {"BucketAlreadyOwnedByYou", 409.0, "eu-crls"},
		"no constraint in eu":       {"IllegalLocationConstraintException", 400.0, ""},
		"us-east-1 constraint":      {"InvalidLocationConstraint", 400.0, ""},
		"invalid name Bad_Name":     {"InvalidBucketName", 400.0, "Bad_Name"},
		"invalid name ab":           {"InvalidBucketName", 400.0, "ab"},
		"invalid name 192.168.1.1":  {"InvalidBucketName", 400.0, "192.168.1.1"},
		"invalid name -dash-first":  {"InvalidBucketName", 400.0, "-dash-first"},
		"invalid name two..dots":    {"InvalidBucketName", 400.0, "two..dots"},
		"invalid name xn--punycode": {"InvalidBucketName", 400.0, "xn--punycode"},
		"taken by another account":  {"BucketAlreadyExists", 409.0, ""},
		"head another's bucket":     {"403", 403.0, ""},
		"list another's bucket":     {"AccessDenied", 403.0, ""},
		"range past the end":        {"InvalidRange", 416.0, ""},
		"bad content md5":           {"BadDigest", 400.0, ""},
		"bad crc32":                 {"BadDigest", 400.0, ""},
		"too large":                 {"EntityTooLarge", 400.0, ""},
		"no such key":               {"NoSuchKey", 404.0, "missing.pem"},
		"head no such key":          {"404", 404.0, ""},
		"no such bucket":            {"NoSuchBucket", 404.0, "no-such-bucket"},
		"put no such bucket":        {"NoSuchBucket", 404.0, "no-such-bucket"},
		"head no such bucket":       {"404", 404.0, ""},
		"expected owner":            {"403", 403.0, ""},
		"not implemented":           {"NotImplemented", 501.0, ""},
		"not empty":                 {"BucketNotEmpty", 409.0, "ca-bundles"},
		"list no such bucket":       {"NoSuchBucket", 404.0, "no-such-bucket"},
		"tampered presigned":        {"SignatureDoesNotMatch", 403.0, ""},
		"sigv2 presigned":           {"InvalidRequest", 400.0, ""},
		"wrong secret":              {"SignatureDoesNotMatch", 403.0, ""},
		"wrong secret put":          {"SignatureDoesNotMatch", 403.0, ""},
		"unknown key":               {"InvalidAccessKeyId", 403.0, ""},
		"deleted bucket":            {"404", 404.0, ""},
	}
	out.Check(t, want)
	// Each payload form a client sends reached the endpoint: the trailer by default over TLS,
	// the body's SHA-256 with payload signing, UNSIGNED-PAYLOAD without.
	reqs := e.Requests.String()
	for _, mode := range []string{"PUT /ca-bundles/bundle.pem " + sigv4auth.StreamingUnsignedTrailer, "PUT /ca-bundles/signed.pem ", "PUT /ca-bundles/unsigned.pem " + sigv4auth.UnsignedPayload} {
		if !strings.Contains(reqs, mode) {
			t.Errorf("no request %q among:\n%s", mode, reqs)
		}
	}
}
