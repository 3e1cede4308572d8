package elbserver_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbv2/roomtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// A CA bundle copied to S3 with `aws s3 cp` makes a trust store with `aws elbv2
// create-trust-store`, as on AWS; a key nobody uploaded is CaCertificatesBundleNotFound.
func TestAWSCLITrustStoreFromS3(t *testing.T) {
	t.Parallel()
	e := sdkcheck.StartTLS(t, elbserver.Options{})
	dir := t.TempDir()
	ca, err := roomtest.NewCA("awscli CA")
	sdkcheck.NoErr(t, err)
	sdkcheck.NoErr(t, os.WriteFile(filepath.Join(dir, "bundle.pem"), ca.BundlePEM(), 0o600))
	trustStore := func(name, key string) []string {
		return []string{"elbv2", "create-trust-store", "--name", name, "--ca-certificates-bundle-s3-bucket", "mtls-trust", "--ca-certificates-bundle-s3-key", key}
	}
	res := e.AWS(t, e.Env(t), dir,
		[]string{"s3", "mb", "s3://mtls-trust"},
		[]string{"s3", "cp", "bundle.pem", "s3://mtls-trust/ca/bundle.pem"},
		trustStore("clients", "ca/bundle.pem"),
		trustStore("missing", "ca/none.pem"),
	)
	for i := range 3 {
		if res[i].RC != 0 {
			t.Fatalf("command %d failed (%d): %s%s", i, res[i].RC, res[i].Stdout, res[i].Stderr)
		}
	}
	var out struct {
		TrustStores []struct {
			Name                   string
			Status                 string
			NumberOfCaCertificates int
		}
	}
	sdkcheck.NoErr(t, json.Unmarshal([]byte(res[2].Stdout), &out))
	if len(out.TrustStores) != 1 || out.TrustStores[0].Name != "clients" || out.TrustStores[0].Status != "ACTIVE" || out.TrustStores[0].NumberOfCaCertificates != 1 {
		t.Errorf("create-trust-store printed %s", res[2].Stdout)
	}
	if res[3].RC == 0 || !strings.Contains(res[3].Stderr, "CaCertificatesBundleNotFound") {
		t.Errorf("a bundle nobody uploaded: %d %s%s", res[3].RC, res[3].Stdout, res[3].Stderr)
	}
}
