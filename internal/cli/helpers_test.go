package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// result is what one lbctl invocation produced.
type result struct {
	stdout, stderr string
	code           int
}

// run executes lbctl in-process with args.
func run(t *testing.T, args ...string) result {
	t.Helper()
	return runCtx(t, context.Background(), args...)
}

func runCtx(t *testing.T, ctx context.Context, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(ctx, args, &out, &errOut)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// ok runs lbctl and fails the test unless it exits 0.
func ok(t *testing.T, args ...string) string {
	t.Helper()
	r := run(t, args...)
	if r.code != ExitOK {
		t.Fatalf("lbctl %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

// okJSON runs lbctl with --output json and decodes its output into v.
func okJSON(t *testing.T, v any, args ...string) {
	t.Helper()
	out := ok(t, append(args, "--output", "json")...)
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("lbctl %s: output is not JSON: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// fails runs lbctl and checks its exit code; it returns the result for further checks.
func fails(t *testing.T, code int, args ...string) result {
	t.Helper()
	r := run(t, args...)
	if r.code != code {
		t.Fatalf("lbctl %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, code, r.stdout, r.stderr)
	}
	return r
}

// endpoint starts an in-process endpoint and points the AWS environment at it (test/test,
// us-east-1, no shared files). It returns the server and the --endpoint flag to pass.
func endpoint(t *testing.T, opts ...elbtest.Option) (*elbtest.Server, []string) {
	t.Helper()
	testenv.AWSEnv(t)
	t.Setenv(apiEnv, "") // the default API, whatever the caller's environment says
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	ts := elbtest.NewServer(opts...)
	t.Cleanup(ts.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", ts.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", ts.SecretAccessKey)
	return ts, []string{"--endpoint", ts.URL}
}

func declare(t *testing.T, ts *elbtest.Server, id, ip string) {
	t.Helper()
	if err := ts.Endpoint.DeclareInstance("", ts.Region, elbserver.Instance{ID: id, PrivateIP: ip, AvailabilityZone: "us-east-1a"}); err != nil {
		t.Fatal(err)
	}
}

func args(base []string, more ...string) []string {
	return append(append([]string{}, base...), more...)
}
