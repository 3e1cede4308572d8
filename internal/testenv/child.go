package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ChildEnv is the environment of a client process (aws, python3 with boto3) a test starts:
// the machine's environment without any AWS_ setting, the fake static credentials
// ("test"/"test"), region us-east-1, empty config and credentials files in a temporary
// directory, no instance metadata, and no retries, so that error cases fail at once. Unlike
// AWSEnv it changes nothing in the test's own process, so tests using it may run in parallel.
func ChildEnv(t testing.TB) []string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard", "AWS_PAGER=",
	)
}
