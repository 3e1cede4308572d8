package testenv

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// motoLauncher runs moto's server (what `python3 -m moto.server` runs) on 127.0.0.1 with an
// OS-chosen port, prints the port, and exits when its stdin reaches EOF. Tying the server's
// life to the pipe means it dies with the test binary however that ends (even on a crash or
// a timeout kill), so no moto is ever left behind.
const motoLauncher = `
import os, sys
from moto.server import ThreadedMotoServer
srv = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
srv.start()
host, port = srv.get_host_and_port()
os.environ["MOTO_PORT"] = str(port)
print(port, flush=True)
sys.stdin.read()
os._exit(0)
`

// motoStartTimeout bounds moto's start-up, which usually takes one or two seconds.
const motoStartTimeout = 60 * time.Second

var moto struct {
	mu    sync.Mutex
	url   string
	err   error // a start failure, remembered so later tests fail fast
	stdin io.WriteCloser
	cmd   *exec.Cmd
}

// Moto returns the URL of a moto server listening on a free loopback port. One server is
// shared by the whole test binary (moto takes a second or two to start); each call resets
// its state with POST /moto-api/reset, so a test starts from an empty account. Tests using
// it must therefore not run in parallel with each other. The server stops when the test
// binary exits (or when StopMoto is called from TestMain).
//
// It skips the test when python3 or moto is missing, and fails it under CI=true.
func Moto(t testing.TB) string {
	t.Helper()
	moto.mu.Lock()
	defer moto.mu.Unlock()
	if moto.url == "" && moto.err == nil {
		py := RequirePython(t, "moto", "werkzeug", "flask")
		moto.url, moto.err = startMoto(py)
	}
	if moto.err != nil {
		unavailable(t, "moto did not start: %v", moto.err)
		return ""
	}
	if err := resetMoto(moto.url); err != nil {
		t.Fatalf("testenv: %v", err)
	}
	return moto.url
}

// StopMoto stops the shared moto server, if one was started. Call it from TestMain after
// m.Run when the process must not outlive the tests by even a moment; otherwise the server
// stops on its own when the test binary exits.
func StopMoto() {
	moto.mu.Lock()
	defer moto.mu.Unlock()
	if moto.cmd == nil {
		return
	}
	moto.stdin.Close()
	done := make(chan struct{})
	go func() { moto.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		moto.cmd.Process.Kill()
		<-done
	}
	moto.cmd, moto.stdin, moto.url = nil, nil, ""
}

func startMoto(py string) (string, error) {
	cmd := exec.Command(py, "-c", motoLauncher)
	// moto needs no credentials; keep the machine's out of its environment.
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return "", err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return "", err
	}
	var stderr strings.Builder
	cmd.Stderr = &limitedWriter{w: &stderr, n: 4096}
	if err := cmd.Start(); err != nil {
		return "", err
	}
	portc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			portc <- strings.TrimSpace(sc.Text())
		}
		close(portc)
		io.Copy(io.Discard, stdout)
	}()
	fail := func(err error) (string, error) {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
		if s := strings.TrimSpace(stderr.String()); s != "" {
			err = fmt.Errorf("%w: %s", err, lastLine([]byte(s)))
		}
		return "", err
	}
	var port string
	select {
	case p, ok := <-portc:
		if !ok {
			return fail(fmt.Errorf("moto exited before reporting its port"))
		}
		port = p
	case <-time.After(motoStartTimeout):
		return fail(fmt.Errorf("moto did not report its port within %v", motoStartTimeout))
	}
	if _, err := strconv.Atoi(port); err != nil {
		return fail(fmt.Errorf("moto reported %q instead of a port", port))
	}
	url := "http://127.0.0.1:" + port
	if err := waitHTTP(url+"/moto-api/data.json", motoStartTimeout); err != nil {
		return fail(err)
	}
	moto.cmd, moto.stdin = cmd, stdin
	return url, nil
}

// waitHTTP polls url until it answers 200.
func waitHTTP(url string, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %s", resp.Status)
		}
		last = err
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s did not answer: %v", url, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// resetMoto empties moto's state. It is bounded so that a wedged server fails the test that
// asked for it rather than hanging the whole run until go test's own timeout.
func resetMoto(url string) error {
	c := &http.Client{Timeout: motoStartTimeout}
	resp, err := c.Post(url+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return fmt.Errorf("resetting moto: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("resetting moto: status %s", resp.Status)
	}
	return nil
}

// limitedWriter keeps the first n bytes written to it and drops the rest, so a chatty
// child cannot grow memory without bound.
type limitedWriter struct {
	mu sync.Mutex
	w  io.Writer
	n  int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}
