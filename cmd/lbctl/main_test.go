package main

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// build compiles lbctl into a temporary directory.
func build(t testing.TB) string {
	t.Helper()
	goTool := testenv.RequireGo(t)
	bin := filepath.Join(t.TempDir(), "lbctl")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func lbctl(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func TestBinary(t *testing.T) {
	bin := build(t)
	testenv.AWSEnv(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	ts := elbtest.NewServer()
	defer ts.Close()

	start := time.Now()
	out, stderr, code := lbctl(t, bin, "--endpoint", ts.URL, "balancers", "list", "-o", "json")
	t.Logf("balancers list against a running endpoint: %s (process start to exit)", time.Since(start))
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("balancers list: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	_, stderr, code = lbctl(t, bin, "--endpoint", ts.URL, "balancers", "get", "missing")
	if code != 1 || !strings.HasPrefix(stderr, "lbctl: LoadBalancerNotFound: ") {
		t.Errorf("get missing: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = lbctl(t, bin, "balancers", "create", "x")
	if code != 2 || !strings.HasPrefix(stderr, "lbctl: usage: ") {
		t.Errorf("usage error: exit %d, stderr %q", code, stderr)
	}
	// The build information the toolchain recorded: this test's binary is a build from the tree.
	out, _, code = lbctl(t, bin, "--version")
	if code != 0 || !strings.HasPrefix(out, "lbctl (devel) ") || !strings.HasSuffix(out, " "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH+"\n") {
		t.Errorf("--version: exit %d, %q", code, out)
	}
	out, _, code = lbctl(t, bin, "completion", "bash")
	if code != 0 || !strings.Contains(out, "__start_lbctl") {
		t.Errorf("completion bash: exit %d, %d bytes", code, len(out))
	}
	// The default provider: the embedded endpoint on the XDG state file.
	if _, stderr, code = lbctl(t, bin, "balancers", "create", "web", "--port", "80", "--protocol", "http"); code != 0 {
		t.Fatalf("local create: exit %d, %s", code, stderr)
	}
	if out, _, _ = lbctl(t, bin, "balancers", "list"); !strings.Contains(out, "web") {
		t.Errorf("local list after create:\n%s", out)
	}
}

// serving is a running 'lbctl serve'.
type serving struct {
	cmd    *exec.Cmd
	url    string
	stderr *testenv.Buffer
}

// startServing runs 'bin serve' with args on a free loopback port and waits for the URL it
// prints; the process is killed when the test ends, if it has not stopped by then.
func startServing(t testing.TB, bin string, args ...string) serving {
	t.Helper()
	s := serving{cmd: exec.Command(bin, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...)...), stderr: &testenv.Buffer{}}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s.cmd.Stderr = s.stderr
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.cmd.Process.Kill(); s.cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if s.url = regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line); s.url == "" {
		t.Fatalf("no URL in %q", line)
	}
	return s
}

// stop sends SIGTERM and waits for serve to exit.
func (s serving) stop(t *testing.T) error {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	return s.cmd.Wait()
}

func TestBinaryServeStopsOnSIGTERM(t *testing.T) {
	bin := build(t)
	testenv.AWSEnv(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv := startServing(t, bin)
	url := srv.url
	if out, stderr, code := lbctl(t, bin, "--endpoint", url, "balancers", "create", "s", "--port", "80", "--protocol", "tcp"); code != 0 {
		t.Fatalf("create through serve: exit %d\n%s%s", code, out, stderr)
	}
	// A plain command, run while serve holds the state, finds it and goes through it.
	if out, stderr, code := lbctl(t, bin, "balancers", "create", "plain", "--port", "81", "--protocol", "tcp"); code != 0 {
		t.Fatalf("plain create while serve runs: exit %d\n%s%s", code, out, stderr)
	}
	if out, _, _ := lbctl(t, bin, "--endpoint", url, "balancers", "list"); !regexp.MustCompile(`(?m)^plain\s`).MatchString(out) {
		t.Errorf("serve's list after a plain create:\n%s", out)
	}
	if err := srv.stop(t); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, srv.stderr.String())
	}
	if !strings.Contains(srv.stderr.String(), "endpoint stopped") {
		t.Errorf("serve stderr: %s", srv.stderr.String())
	}
	// The state outlives the server.
	if out, _, _ := lbctl(t, bin, "balancers", "list"); !regexp.MustCompile(`(?m)^s\s`).MatchString(out) {
		t.Errorf("local list after serve:\n%s", out)
	}
}

// A client stalled in the middle of its request when serve is stopped is cut off at the end of
// the drain period: serve says so and still exits 0 with the state saved, suggesting nothing
// that would not help (the global --timeout has nothing to do with it).
func TestBinaryServeStopsWithAStalledClient(t *testing.T) {
	bin := build(t)
	testenv.AWSEnv(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv := startServing(t, bin, "--drain-timeout", "300ms")
	host := strings.TrimPrefix(srv.url, "http://")
	c, err := net.Dial("tcp", host)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	body := "Action=DescribeAccountLimits&Version=2012-06-01"
	if _, err := c.Write(append(signedHead(t, host, body), body[:10]...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if err := srv.stop(t); err != nil {
		t.Fatalf("serve after SIGTERM with a stalled client: %v\n%s", err, srv.stderr.String())
	}
	got := srv.stderr.String()
	if !strings.Contains(got, "lbctl: warning: elbserver: requests still in flight when the drain period ended were cut off: 1 connections after 300ms") ||
		!strings.Contains(got, "endpoint stopped, state saved") || strings.Contains(got, "--timeout") {
		t.Errorf("serve stderr:\n%s", got)
	}
}
