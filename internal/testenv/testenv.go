// Package testenv holds test helpers shared across the module: it starts moto on a free
// loopback port, finds python modules and the AWS CLI, and isolates tests from the machine's
// AWS configuration.
//
// A missing tool skips the test when run by hand, and fails it when the environment variable
// CI is "true", so that a CI machine without the tools cannot pass by skipping everything.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// InCI reports whether missing tools must fail tests instead of skipping them.
func InCI() bool { return os.Getenv("CI") == "true" }

// unavailable skips t, or fails it under CI=true.
func unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true and "+format, args...)
	}
	t.Skipf(format, args...)
}

// pythonPath finds a Python 3 interpreter.
func pythonPath() (string, error) {
	p, err := exec.LookPath("python3")
	if err == nil {
		return p, nil
	}
	return exec.LookPath("python")
}

// RequirePython returns the path of a Python 3 interpreter that can import every module
// named (e.g. "moto", "boto3"); it skips (or fails under CI) otherwise.
func RequirePython(t testing.TB, modules ...string) string {
	t.Helper()
	py, err := pythonPath()
	if err != nil {
		unavailable(t, "python3 is not installed: %v", err)
		return ""
	}
	if len(modules) > 0 {
		cmd := exec.Command(py, "-c", "import "+strings.Join(modules, ", "))
		if out, err := cmd.CombinedOutput(); err != nil {
			unavailable(t, "python modules %v are not importable: %v: %s", modules, err, lastLine(out))
			return ""
		}
	}
	return py
}

// RequireAWSCLI returns the path of a working AWS CLI (`aws`); it skips (or fails under CI)
// otherwise.
func RequireAWSCLI(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("aws")
	if err != nil {
		unavailable(t, "the AWS CLI (aws) is not installed: %v", err)
		return ""
	}
	if out, err := exec.Command(p, "--version").CombinedOutput(); err != nil {
		unavailable(t, "the AWS CLI does not run: %v: %s", err, lastLine(out))
		return ""
	}
	return p
}

// RequireGo returns the path of the go tool, for tests that build a program; it skips (or
// fails under CI) when the tool is not in PATH.
func RequireGo(t testing.TB) string {
	t.Helper()
	return RequireTool(t, "go")
}

// RequireTool returns the path of the program name (the go tool, wrk), found in PATH; it skips
// (or fails under CI) when it is not there.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		unavailable(t, "%s is not in PATH: %v", name, err)
	}
	return p
}

// awsVarsToClear are settings that would let the machine's AWS setup leak into a test:
// profiles, endpoint overrides, and every credential source other than the static keys.
var awsVarsToClear = []string{
	"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
	"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
	"AWS_ENDPOINT_URL_EC2", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_ACM",
	"AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME", "AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
	"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
}

// AWSEnv gives the test fake static credentials ("test"/"test"), region us-east-1, empty
// config and credentials files in a temporary directory, no instance metadata, and none of
// the machine's AWS profile or endpoint settings. Everything is restored at cleanup. It
// returns the directory holding the config ("config") and credentials ("credentials") files.
// Like t.Setenv, it cannot be used in parallel tests.
func AWSEnv(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o600); err != nil {
			t.Fatalf("testenv: %v", err)
		}
	}
	for _, k := range awsVarsToClear {
		t.Setenv(k, "") // registers the restore
		os.Unsetenv(k)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_DEFAULT_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return dir
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return s
}
