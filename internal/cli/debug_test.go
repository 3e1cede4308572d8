package cli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

func TestDebugTracesWithoutSecrets(t *testing.T) {
	cred := sigv4auth.Credential{AccessKeyID: "AKIDDEBUGTRACE01", SecretAccessKey: "s3cr3tDebugValue0001", AccountID: "123456789012"}
	_, ep := endpoint(t, elbtest.WithOptions(elbserver.Options{Credentials: []sigv4auth.Credential{cred}}))
	t.Setenv("AWS_SESSION_TOKEN", "SessionTokenValue0001")

	// The endpoint issued no such session token; the request fails (InvalidClientTokenId), but
	// the trace is what matters here, and it must carry neither the token nor the keys.
	r := run(t, args(ep, "--debug", "balancers", "list")...)
	trace := r.stderr
	for _, want := range []string{"lbctl debug: Request", "Action=DescribeLoadBalancers", "lbctl debug: Response", "Authorization: AWS4-HMAC-SHA256 Credential=REDACTED/", "Signature=REDACTED"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	for _, secret := range []string{cred.SecretAccessKey, cred.AccessKeyID, "SessionTokenValue0001"} {
		if strings.Contains(trace+r.stdout, secret) {
			t.Errorf("output contains the secret %q", secret)
		}
	}
	if regexp.MustCompile(`Signature=[0-9a-f]{64}`).MatchString(trace) {
		t.Error("trace contains a signature")
	}

	t.Setenv("AWS_SESSION_TOKEN", "")
	r = run(t, args(ep, "--debug", "balancers", "list")...)
	if r.code != ExitOK || strings.Contains(r.stderr, cred.SecretAccessKey) || strings.Contains(r.stderr, cred.AccessKeyID) {
		t.Errorf("debug run: exit %d\n%s", r.code, r.stderr)
	}
	// Without --debug there is no trace.
	if r := run(t, args(ep, "balancers", "list")...); r.stderr != "" {
		t.Errorf("stderr without --debug: %q", r.stderr)
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIA1/20240101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123abcd": "Authorization: AWS4-HMAC-SHA256 Credential=REDACTED/20240101/us-east-1/elasticloadbalancing/aws4_request, SignedHeaders=host;x-amz-date, Signature=REDACTED",
		"GET /?Action=X&X-Amz-Credential=AKIA1%2F20240101%2Fus-east-1&X-Amz-Signature=beef&X-Amz-Security-Token=tok%2Fen&Version=1":                                "GET /?Action=X&X-Amz-Credential=REDACTED%2F20240101%2Fus-east-1&X-Amz-Signature=REDACTED&X-Amz-Security-Token=REDACTED&Version=1",
		"Host: h\nX-Amz-Security-Token: abc/def==\nX-Amz-Date: 1":                                                                                                  "Host: h\nX-Amz-Security-Token: REDACTED\nX-Amz-Date: 1",
		"x-amz-security-token: lower": "x-amz-security-token: REDACTED",
	} {
		if got := redact(in); got != want {
			t.Errorf("redact(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}
