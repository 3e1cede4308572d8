package testenv

import (
	"os"
	"strings"
	"testing"
)

func TestChildEnvIsolates(t *testing.T) {
	t.Setenv("AWS_PROFILE", "prod")
	t.Setenv("AWS_ENDPOINT_URL", "https://example.invalid")
	got := map[string]string{}
	for _, kv := range ChildEnv(t) {
		k, v, _ := strings.Cut(kv, "=")
		got[k] = v
	}
	if _, ok := got["AWS_PROFILE"]; ok || got["AWS_ENDPOINT_URL"] != "" || got["AWS_ACCESS_KEY_ID"] != "test" || got["AWS_MAX_ATTEMPTS"] != "1" {
		t.Fatalf("child environment %v", got)
	}
	if raw, err := os.ReadFile(got["AWS_CONFIG_FILE"]); err != nil || len(raw) != 0 {
		t.Fatalf("config file %q: %v", raw, err)
	}
	if os.Getenv("AWS_PROFILE") != "prod" {
		t.Fatal("ChildEnv changed the test's own environment")
	}
}
