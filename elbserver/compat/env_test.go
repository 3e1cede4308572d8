package compat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// clientEnv is the environment of a child process (aws, python3) aimed at
// srv: the machine's AWS_* settings removed, the server's static keys, empty
// config and credentials files, no instance metadata, and no retries so that
// error cases fail at once. It is built per process rather than with
// t.Setenv so that tests can run in parallel.
func clientEnv(t *testing.T, srv *elbtest.Server) []string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "ELB_") {
			env = append(env, kv)
		}
	}
	return append(env,
		"AWS_ACCESS_KEY_ID="+srv.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY="+srv.SecretAccessKey,
		"AWS_DEFAULT_REGION="+srv.Region,
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_MAX_ATTEMPTS=1",
		"AWS_RETRY_MODE=standard",
		"AWS_PAGER=",
		"ELB_ENDPOINT="+srv.URL,
	)
}
