package driver

import (
	"fmt"
	"strings"
	"testing"
)

func TestOptionsNeverPrintSecrets(t *testing.T) {
	o := Options{Region: "eu-west-1", AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI-secret",
		SessionToken: "FwoGZXIvYXdzEXAMPLE-token", Endpoint: "http://127.0.0.1:4566", MaxAttempts: 3}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		out := fmt.Sprintf(verb, o)
		if strings.Contains(out, "secret") || strings.Contains(out, "token") {
			t.Errorf("%s shows a secret: %s", verb, out)
		}
		if !strings.Contains(out, "AKIDEXAMPLE") || !strings.Contains(out, "eu-west-1") || !strings.Contains(out, "REDACTED") {
			t.Errorf("%s lost the non-secret fields or the redaction mark: %s", verb, out)
		}
	}
	if out := fmt.Sprint(Options{Region: "us-east-1"}); strings.Contains(out, "REDACTED") {
		t.Errorf("empty secrets shown as redacted: %s", out)
	}
}
