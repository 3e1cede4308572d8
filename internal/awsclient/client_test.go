package awsclient

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestAs(t *testing.T) {
	type client struct{ n int }
	c, sdk := &client{1}, &http.Client{}
	var gotC *client
	var gotSDK *http.Client
	if !As(&gotC, c, sdk) || gotC != c || !As(&gotSDK, c, sdk) || gotSDK != sdk {
		t.Error("As did not hand out the values of the types asked for")
	}
	var s string
	if As(nil, c) || As(&s, c) || As((**client)(nil), c) || As(c, c) || As(gotC, c) {
		t.Error("As accepted nil, a nil pointer, an unrelated type or a value")
	}
}

func TestPrepare(t *testing.T) {
	var cfg aws.Config
	cfg.RetryMaxAttempts = 2
	hc := &http.Client{}
	Prepare(&cfg, hc)
	if cfg.Region != DefaultRegion || cfg.Retryer == nil || cfg.RetryMaxAttempts != 0 || cfg.HTTPClient != Shield(hc) {
		t.Fatalf("prepared %+v", cfg)
	}
	if n := cfg.Retryer().MaxAttempts(); n != 2 {
		t.Errorf("policy with %d attempts, want the config's 2", n)
	}
	own := func() aws.Retryer { return aws.NopRetryer{} }
	cfg = aws.Config{Region: "eu-west-1", Retryer: own, RetryMaxAttempts: 5, HTTPClient: hc}
	Prepare(&cfg, nil)
	if cfg.Region != "eu-west-1" || cfg.Retryer().MaxAttempts() != 1 || cfg.RetryMaxAttempts != 5 || cfg.HTTPClient != Shield(hc) {
		t.Errorf("a config's own choices were changed: %+v", cfg)
	}
}
