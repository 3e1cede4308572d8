package acm_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/acm"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// serve sends one operation to the room alone, as the endpoint would after verifying it.
func serve(t *testing.T, r *acm.Room, op string, in any) (int, map[string]any) {
	t.Helper()
	body, err := json.Marshal(in)
	sdkcheck.NoErr(t, err)
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("X-Amz-Target", "CertificateManager."+op)
	w := httptest.NewRecorder()
	sdkcheck.NoErr(t, r.Serve(w, &room.Request{Request: req, Body: body, Account: "123456789012", Region: "eu-west-1", RequestID: "r"}))
	var out map[string]any
	sdkcheck.NoErr(t, json.Unmarshal(w.Body.Bytes(), &out))
	return w.Code, out
}

// A certificate a listener names is reported in use (InUseBy, InUse) and cannot be deleted
// (ResourceInUseException); the hook is asked with the certificate's region. Listeners of
// its region find it with LookupCertificate, those of another region do not.
func TestInUse(t *testing.T) {
	st, err := store.Open("")
	sdkcheck.NoErr(t, err)
	t.Cleanup(func() { st.Close() })
	var users, asked []string
	env := &room.Env{Store: st, Now: time.Now}
	r := acm.New(env, func(account, region, arn string) ([]string, error) {
		asked = append(asked, account+"|"+region)
		return users, nil
	})
	env.Limits, err = room.NewLimits(r.Room().Limits, nil)
	sdkcheck.NoErr(t, err)
	rsa := certtest.NewServer(t, certtest.Options{Key: certtest.RSA2048})
	status, out := serve(t, r, "ImportCertificate", map[string]any{"Certificate": rsa.Cert, "PrivateKey": rsa.Key, "CertificateChain": rsa.Chain})
	arn, _ := out["CertificateArn"].(string)
	if status != 200 || !strings.HasPrefix(arn, "arn:aws:acm:eu-west-1:123456789012:certificate/") {
		t.Fatalf("import: %d %v", status, out)
	}
	for region, found := range map[string]bool{"eu-west-1": true, "us-east-1": false} {
		sdkcheck.NoErr(t, st.View("123456789012", region, func(p *store.Part) error {
			c, err := store.LookupCertificate(p, arn)
			if err != nil || (c != nil) != found || found && (c.Body != string(rsa.Cert) || string(c.PrivateKey) != string(rsa.Key)) {
				t.Errorf("lookup from %s: %+v, %v", region, c, err)
			}
			return nil
		}))
	}

	users = []string{"arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/net/tls/1/2"}
	_, out = serve(t, r, "DescribeCertificate", map[string]any{"CertificateArn": arn})
	if d, _ := out["Certificate"].(map[string]any); d == nil || len(d["InUseBy"].([]any)) != 1 || d["InUseBy"].([]any)[0] != users[0] {
		t.Fatalf("describe in use: %v", out)
	}
	_, out = serve(t, r, "ListCertificates", map[string]any{})
	if l, _ := out["CertificateSummaryList"].([]any); len(l) != 1 || l[0].(map[string]any)["InUse"] != true {
		t.Fatalf("list in use: %v", out)
	}
	status, out = serve(t, r, "DeleteCertificate", map[string]any{"CertificateArn": arn})
	if status != 400 || out["__type"] != "ResourceInUseException" || !strings.Contains(out["message"].(string), users[0]) {
		t.Fatalf("delete in use: %d %v", status, out)
	}
	for _, a := range asked {
		if a != "123456789012|eu-west-1" {
			t.Fatalf("hook asked %q", asked)
		}
	}
	users = nil
	if status, out = serve(t, r, "DeleteCertificate", map[string]any{"CertificateArn": arn}); status != 200 {
		t.Fatalf("delete: %d %v", status, out)
	}
	if status, out = serve(t, r, "NoSuchOperation", map[string]any{}); status != 400 || out["__type"] != "UnknownOperationException" {
		t.Fatalf("unknown operation: %d %v", status, out)
	}
}

// TestAWSCLI drives the room with `aws acm`.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	e := sdkcheck.StartTLS(t, elbserver.Options{})
	c := certificates(t)
	res := e.AWS(t, e.Env(t), c.dir,
		[]string{"acm", "import-certificate", "--certificate", "fileb://rsa.crt", "--private-key", "fileb://rsa.key", "--certificate-chain", "fileb://rsa.chain",
			"--tags", "Key=env,Value=test"},
		[]string{"acm", "list-certificates"},
		[]string{"acm", "import-certificate", "--certificate", "fileb://rsa.crt", "--private-key", "fileb://other.key"},
		[]string{"acm", "describe-certificate", "--certificate-arn", "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000"},
	)
	var imported struct{ CertificateArn string }
	if res[0].RC != 0 || json.Unmarshal([]byte(res[0].Stdout), &imported) != nil {
		t.Fatalf("import: %d %s%s", res[0].RC, res[0].Stdout, res[0].Stderr)
	}
	if !strings.Contains(res[1].Stdout, imported.CertificateArn) || !strings.Contains(res[1].Stdout, `"DomainName": "api.example.test"`) {
		t.Errorf("list: %s%s", res[1].Stdout, res[1].Stderr)
	}
	for i, code := range map[int]string{2: "ValidationException", 3: "ResourceNotFoundException"} {
		if res[i].RC == 0 || !strings.Contains(res[i].Stderr, "("+code+")") {
			t.Errorf("command %d: want %s, got %d %s", i, code, res[i].RC, res[i].Stderr)
		}
	}
	more := e.AWS(t, e.Env(t), c.dir,
		[]string{"acm", "describe-certificate", "--certificate-arn", imported.CertificateArn},
		[]string{"acm", "get-certificate", "--certificate-arn", imported.CertificateArn},
		[]string{"acm", "delete-certificate", "--certificate-arn", imported.CertificateArn},
		[]string{"acm", "describe-certificate", "--certificate-arn", imported.CertificateArn},
	)
	var d struct {
		Certificate struct{ DomainName, Status, Type, KeyAlgorithm string }
	}
	sdkcheck.NoErr(t, json.Unmarshal([]byte(more[0].Stdout), &d))
	if d.Certificate.DomainName != "api.example.test" || d.Certificate.Status != "ISSUED" || d.Certificate.Type != "IMPORTED" || d.Certificate.KeyAlgorithm != "RSA_2048" {
		t.Errorf("describe: %+v", d)
	}
	if !strings.Contains(more[1].Stdout, `"CertificateChain": "-----BEGIN CERTIFICATE-----`) || more[2].RC != 0 || !strings.Contains(more[3].Stderr, "ResourceNotFoundException") {
		t.Errorf("get, delete, describe after: %+v", more[1:])
	}
	for _, r := range append(res, more...) {
		certtest.NoKey(t, "aws output", r.Stdout+r.Stderr, c.all()...)
	}
}
