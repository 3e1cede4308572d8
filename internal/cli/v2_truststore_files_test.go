package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbv2/roomtest"
)

// A trust store's CA bundle and revocation list: their locations shown, and downloaded
// byte for byte from the endpoint's S3 with --file.
func TestTrustStoreDownloads(t *testing.T) {
	ts, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ctx := context.Background()
	ca, err := roomtest.NewCA("download CA")
	if err != nil {
		t.Fatal(err)
	}
	crl, err := ca.CRL(7)
	if err != nil {
		t.Fatal(err)
	}
	for key, data := range map[string][]byte{"certs/ca.pem": ca.BundlePEM(), "crl.der": crl} {
		if err := ts.PutObject(ctx, "pki", key, data); err != nil {
			t.Fatal(err)
		}
	}
	ok(t, args(alb, "trust-stores", "create", "clients", "--ca-bucket", "pki", "--ca-key", "certs/ca.pem")...)
	ok(t, args(alb, "trust-stores", "revocations", "add", "clients", "--crl-bucket", "pki", "--crl-key", "crl.der")...)

	if got := completedCommands(ok(t, args([]string{"__complete"}, args(alb, "trust-stores", "ca-bundle", "")...)...)); !slices.Equal(got, []string{"clients"}) {
		t.Errorf("completion of ca-bundle STORE: %v", got)
	}
	var where downloadJSON
	okJSON(t, &where, args(alb, "trust-stores", "ca-bundle", "clients")...)
	if where.TrustStore != "clients" || !strings.Contains(where.Location, "pki") || !strings.HasSuffix(where.Location, "/certs/ca.pem") || where.File != "" {
		t.Errorf("ca-bundle = %+v", where)
	}
	if out := ok(t, args(alb, "trust-stores", "ca-bundle", "clients")...); !strings.HasPrefix(out, "LOCATION\n") || !strings.Contains(out, where.Location) {
		t.Errorf("ca-bundle table:\n%s", out)
	}

	dir := t.TempDir()
	bundle := filepath.Join(dir, "ca.pem")
	var saved downloadJSON
	okJSON(t, &saved, args(alb, "trust-stores", "ca-bundle", "clients", "--file", bundle)...)
	if got, err := os.ReadFile(bundle); err != nil || !bytes.Equal(got, ca.BundlePEM()) || saved.Bytes != len(got) || saved.File != bundle {
		t.Errorf("ca-bundle --file: %v, %+v; file holds %q", err, saved, got)
	}

	list := filepath.Join(dir, "crl.der")
	out := ok(t, args(alb, "trust-stores", "revocations", "content", "clients", "1", "--file", list)...)
	if got, err := os.ReadFile(list); err != nil || !bytes.Equal(got, crl) || !strings.Contains(out, list) {
		t.Errorf("revocations content --file: %v; output:\n%s", err, out)
	}
	r := fails(t, ExitFailed, args(alb, "trust-stores", "revocations", "content", "clients", "9")...)
	if !strings.Contains(r.stderr, "RevocationIdNotFound") {
		t.Errorf("content of a missing revocation: %s", r.stderr)
	}

	// A store with no policy: ELBv2's own error.
	r = fails(t, ExitFailed, args(alb, "trust-stores", "policy", "clients")...)
	if !strings.Contains(r.stderr, "ResourceNotFound") {
		t.Errorf("policy of an unshared store: %s", r.stderr)
	}
}

// The resource policy of a shared trust store, which only sharing attaches (here the room's
// Go call), shown as JSON.
func TestTrustStorePolicy(t *testing.T) {
	localEnv(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	room := roomtest.NewServer(roomtest.Options{})
	t.Cleanup(room.Close)
	const arn = "arn:aws:elasticloadbalancing:us-east-1:000000000000:truststore/shared/0123456789abcdef"
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"elasticloadbalancing:DescribeTrustStores"}]}`
	if err := room.Room.PutResourcePolicy(roomtest.Account, roomtest.Region, arn, doc); err != nil {
		t.Fatal(err)
	}
	var got struct {
		ResourceARN string `json:"resource_arn"`
		Policy      struct{ Version string }
	}
	okJSON(t, &got, "--endpoint", room.URL, "--api", "alb", "trust-stores", "policy", arn)
	if got.ResourceARN != arn || got.Policy.Version != "2012-10-17" {
		t.Errorf("policy = %+v", got)
	}
	if out := ok(t, "--endpoint", room.URL, "--api", "alb", "trust-stores", "policy", arn); !json.Valid([]byte(strings.TrimPrefix(strings.TrimSpace(out), "POLICY"))) {
		t.Errorf("policy table:\n%s", out)
	}
}
