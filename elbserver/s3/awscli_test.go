package s3_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// TestAWSCLI drives the endpoint with `aws s3` (mb, cp both ways, ls, rm, rb) and `aws s3api`
// (put-object, get-object, head-object, list-objects-v2), over TLS as against AWS.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	e := sdkcheck.StartTLS(t, elbserver.Options{})
	ca := bytes.Repeat([]byte("-----BEGIN CERTIFICATE-----\nMIIBroot\n-----END CERTIFICATE-----\n"), 200)
	crl := []byte("-----BEGIN X509 CRL-----\nMIIBcrl\n-----END X509 CRL-----\n")
	dir := sdkcheck.Dir(t, map[string][]byte{"ca.pem": ca, "crl.pem": crl})
	res := e.AWS(t, e.Env(t), dir,
		[]string{"s3", "mb", "s3://trust-bundles"},
		[]string{"s3", "cp", "ca.pem", "s3://trust-bundles/certs/ca.pem"},
		[]string{"s3", "cp", "crl.pem", "s3://trust-bundles/certs/crl.pem"},
		[]string{"s3", "ls"},
		[]string{"s3", "ls", "s3://trust-bundles/certs/"},
		[]string{"s3", "ls", "s3://trust-bundles", "--recursive"},
		[]string{"s3", "cp", "s3://trust-bundles/certs/ca.pem", "back.pem"},
		[]string{"s3api", "put-object", "--bucket", "trust-bundles", "--key", "api/crl.pem", "--body", "crl.pem", "--content-type", "application/pkix-crl"},
		[]string{"s3api", "head-object", "--bucket", "trust-bundles", "--key", "api/crl.pem"},
		[]string{"s3api", "get-object", "--bucket", "trust-bundles", "--key", "api/crl.pem", "api.pem"},
		[]string{"s3api", "list-objects-v2", "--bucket", "trust-bundles", "--prefix", "certs/"},
		[]string{"s3", "rb", "s3://trust-bundles"},
		[]string{"s3", "rm", "s3://trust-bundles/certs/ca.pem"},
		[]string{"s3", "rm", "s3://trust-bundles", "--recursive"},
		[]string{"s3", "rb", "s3://trust-bundles"},
		[]string{"s3", "ls", "s3://trust-bundles"},
		[]string{"s3api", "get-object", "--bucket", "trust-bundles", "--key", "x", "x.pem"},
	)
	ok := func(i int) string {
		t.Helper()
		return sdkcheck.Succeeded(t, res, i)
	}
	fails := func(i int, code string) {
		t.Helper()
		if res[i].RC == 0 || !strings.Contains(res[i].Stderr+res[i].Stdout, code) {
			t.Errorf("command %d: want %s, got %d: %s%s", i, code, res[i].RC, res[i].Stdout, res[i].Stderr)
		}
	}
	contains := func(i int, want ...string) {
		t.Helper()
		out := ok(i)
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("command %d: output lacks %q:\n%s", i, w, out)
			}
		}
	}
	contains(0, "make_bucket: trust-bundles")
	contains(1, "upload: ./ca.pem to s3://trust-bundles/certs/ca.pem")
	ok(2)
	contains(3, " trust-bundles")
	contains(4, fmt.Sprintf(" %d crl.pem", len(crl)), fmt.Sprintf(" %d ca.pem", len(ca)))
	contains(5, "certs/ca.pem", "certs/crl.pem")
	contains(6, "download: s3://trust-bundles/certs/ca.pem to ./back.pem")
	if back, _ := os.ReadFile(filepath.Join(dir, "back.pem")); !bytes.Equal(back, ca) {
		t.Errorf("downloaded %d bytes, want the %d uploaded", len(back), len(ca))
	}
	contains(7, `"ETag"`)
	var head struct {
		ContentLength int
		ContentType   string
	}
	sdkcheck.NoErr(t, json.Unmarshal([]byte(ok(8)), &head))
	if head.ContentLength != len(crl) || head.ContentType != "application/pkix-crl" {
		t.Errorf("head-object: %+v", head)
	}
	ok(9)
	if got, _ := os.ReadFile(filepath.Join(dir, "api.pem")); !bytes.Equal(got, crl) {
		t.Errorf("get-object wrote %q", got)
	}
	var list struct{ Contents []struct{ Key string } }
	sdkcheck.NoErr(t, json.Unmarshal([]byte(ok(10)), &list))
	if len(list.Contents) != 2 || list.Contents[0].Key != "certs/ca.pem" || list.Contents[1].Key != "certs/crl.pem" {
		t.Errorf("list-objects-v2: %+v", list)
	}
	fails(11, "BucketNotEmpty")
	contains(12, "delete: s3://trust-bundles/certs/ca.pem")
	contains(13, "delete: s3://trust-bundles/certs/crl.pem", "delete: s3://trust-bundles/api/crl.pem")
	contains(14, "remove_bucket: trust-bundles")
	fails(15, "NoSuchBucket")
	fails(16, "NoSuchBucket")
	// `aws s3 cp` sent its uploads as current awscli does over TLS: aws-chunked with a
	// trailing checksum.
	if !strings.Contains(e.Requests.String(), "PUT /trust-bundles/certs/ca.pem "+sigv4auth.StreamingUnsignedTrailer) {
		t.Errorf("aws s3 cp sent no trailer upload:\n%s", e.Requests.String())
	}
}
