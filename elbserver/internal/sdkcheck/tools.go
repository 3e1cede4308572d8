package sdkcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// Endpoint is an endpoint for tests that drive it with awscli and boto3. It is served over
// TLS, so that clients send what they send to AWS (botocore's aws-chunked uploads with a
// trailing checksum only go over TLS); it logs at debug level into Log, copies every response
// it writes, headers and body, into Responses, for tests that search what left it, and notes
// each request's method, path and X-Amz-Content-Sha256 in Requests.
type Endpoint struct {
	URL       string
	Server    *elbserver.Server
	Log       *testenv.Buffer
	Responses *testenv.Buffer
	Requests  *testenv.Buffer
	caBundle  string
}

// StartTLS starts an endpoint with opts (its Logger replaced) for the test.
func StartTLS(t *testing.T, opts elbserver.Options) *Endpoint {
	t.Helper()
	e := &Endpoint{Log: &testenv.Buffer{}, Responses: &testenv.Buffer{}, Requests: &testenv.Buffer{}}
	opts.Logger = slog.New(slog.NewTextHandler(e.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := elbserver.New(opts)
	NoErr(t, err)
	e.Server = srv
	hs := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = e.Requests.Write([]byte(r.Method + " " + r.URL.Path + " " + r.Header.Get("X-Amz-Content-Sha256") + "\n"))
		tw := &teeWriter{ResponseWriter: w}
		srv.ServeHTTP(tw, r)
		var dump bytes.Buffer
		_ = w.Header().Write(&dump)
		dump.Write(tw.body.Bytes())
		dump.WriteString("\n")
		_, _ = e.Responses.Write(dump.Bytes())
	}))
	t.Cleanup(func() { hs.Close(); srv.Close() })
	e.URL = hs.URL
	e.caBundle = filepath.Join(t.TempDir(), "ca.pem")
	NoErr(t, os.WriteFile(e.caBundle, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw}), 0o600))
	return e
}

type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// Env is the environment of a client process aimed at the endpoint: the machine's AWS_*
// settings removed, the default keys, empty config and credentials files, the endpoint's CA,
// no instance metadata and no retries, so that error cases fail at once.
func (e *Endpoint) Env(t *testing.T, extra ...string) []string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"config", "credentials"} {
		NoErr(t, os.WriteFile(filepath.Join(dir, f), nil, 0o600))
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE="+filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(dir, "credentials"),
		"AWS_CA_BUNDLE="+e.caBundle, "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard",
		"AWS_PAGER=", "ENDPOINT="+e.URL)
	return append(env, extra...)
}

// Run runs a client command (aws, python3 ...) in env within two minutes, in dir.
func Run(t *testing.T, env []string, dir, name string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = env, dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.String(), errb.String(), err
}

// awsBatch runs the AWS CLI's own driver on each command in one Python process: the CLI's
// start-up (about half a second) is paid once, not per command. It reads a JSON list of
// argument lists and prints, per command, its exit code, standard output and standard error.
const awsBatch = `
import contextlib, io, json, sys
from awscli.clidriver import create_clidriver
driver = create_clidriver()
results = []
for args in json.load(sys.stdin):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            rc = driver.main(args)
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
    results.append({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()})
json.dump(results, sys.__stdout__)
`

// CLIResult is what one AWS CLI command did.
type CLIResult struct {
	RC     int    `json:"rc"`
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
}

// AWS runs AWS CLI commands (each without the leading "aws"), aimed at the endpoint with
// --endpoint-url, in dir, in one Python process, and returns what each did.
func (e *Endpoint) AWS(t *testing.T, env []string, dir string, cmds ...[]string) []CLIResult {
	t.Helper()
	py := testenv.RequirePython(t, "awscli") // the CLI's own package: what the aws command runs
	var args [][]string
	for _, c := range cmds {
		args = append(args, append([]string{"--endpoint-url", e.URL, "--output", "json"}, c...))
	}
	in, err := json.Marshal(args)
	NoErr(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, "-c", awsBatch)
	cmd.Env, cmd.Dir, cmd.Stdin = env, dir, bytes.NewReader(in)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("aws batch: %v\n%s", err, errb.String())
	}
	var res []CLIResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil || len(res) != len(cmds) {
		t.Fatalf("aws batch printed %q: %v", out.String(), err)
	}
	return res
}

// Dir writes files (name -> content, owner-only) into a new directory for the test, for
// AWS CLI commands to run in, and returns it.
func Dir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		NoErr(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
	}
	return dir
}

// Succeeded returns what command i of res printed, failing t at once when it failed.
func Succeeded(t *testing.T, res []CLIResult, i int) string {
	t.Helper()
	if res[i].RC != 0 {
		t.Fatalf("command %d failed (%d): %s%s", i, res[i].RC, res[i].Stdout, res[i].Stderr)
	}
	return res[i].Stdout
}

// ScriptResult is what a boto3 script using checks.py found: the checks that failed, and
// per error case the code, HTTP status and resource named.
type ScriptResult struct {
	Failures []string
	Codes    map[string][3]any
}

// Script runs the Python script at path (a boto3 script using checks.py) in env.
func Script(t *testing.T, env []string, path string) ScriptResult {
	t.Helper()
	py := testenv.RequirePython(t, "boto3", "botocore")
	_, self, _, _ := runtime.Caller(0)
	stdout, stderr, err := Run(t, append(env, "PYTHONPATH="+filepath.Dir(self)), ".", py, path)
	if err != nil {
		t.Fatalf("%s: %v\n%s", path, err, stderr)
	}
	var out ScriptResult
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%s printed %q: %v", path, stdout, err)
	}
	return out
}

// Check fails the test for each failed check, and for each error case whose code, status
// and resource are not want's (statuses as JSON numbers: 404.0), or that want does not name.
func (r ScriptResult) Check(t *testing.T, want map[string][3]any) {
	t.Helper()
	for _, f := range r.Failures {
		t.Error(f)
	}
	for name, w := range want {
		if got := r.Codes[name]; got != w {
			t.Errorf("%s: got %v, want %v", name, got, w)
		}
	}
	for name, got := range r.Codes {
		if _, ok := want[name]; !ok {
			t.Errorf("error case %s (%v) is not checked", name, got)
		}
	}
}

// NoKey fails the test when any response the endpoint wrote, or any line it logged, holds
// a line of one of the servers' private keys.
func (e *Endpoint) NoKey(t *testing.T, servers ...certtest.Server) {
	t.Helper()
	certtest.NoKey(t, "a response", e.Responses.String(), servers...)
	certtest.NoKey(t, "the log", e.Log.String(), servers...)
}
