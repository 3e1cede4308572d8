package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// firstAttemptFails is an endpoint in front of another that answers the first attempt of
// every call (an SDK invocation id) with a fault, Throttling and ServiceUnavailable in turn,
// and passes retries through: a client that does not retry fails every call, one that does
// succeeds every time.
type firstAttemptFails struct {
	next     http.Handler
	mu       sync.Mutex
	seen     map[string]bool
	injected atomic.Int32
}

func (f *firstAttemptFails) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := r.Header.Get("Amz-Sdk-Invocation-Id")
	f.mu.Lock()
	first := id == "" || !f.seen[id]
	f.seen[id] = true
	f.mu.Unlock()
	if !first {
		f.next.ServeHTTP(w, r)
		return
	}
	code, status := "Throttling", http.StatusBadRequest
	if f.injected.Add(1)%2 == 0 {
		code, status = "ServiceUnavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>injected</Message></Error><RequestId>injected-%d</RequestId></ErrorResponse>`,
		code, f.injected.Load())
}

// TestBinaryRetriesThrottlingWithEndpoint: lbctl --endpoint retries throttling and server
// errors with the driver's policy even when the user's profile says max_attempts = 1 (meant
// for another tool), as it does in local mode: every command succeeds although every
// call's first attempt fails.
func TestBinaryRetriesThrottlingWithEndpoint(t *testing.T) {
	bin := build(t)
	dir := testenv.AWSEnv(t)
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte("[default]\nmax_attempts = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	ts := elbtest.NewServer()
	defer ts.Close()
	target, err := url.Parse(ts.URL)
	if err != nil {
		t.Fatal(err)
	}
	// The proxy keeps the Host header the client signed.
	faults := &firstAttemptFails{next: httputil.NewSingleHostReverseProxy(target), seen: map[string]bool{}}
	proxy := &http.Server{Handler: faults}
	ln := listen(t)
	go proxy.Serve(ln)
	defer proxy.Close()
	ep := "http://" + ln.Addr().String()

	commands := [][]string{
		{"balancers", "create", "f1", "--port", "80", "--protocol", "http"},
		{"balancers", "create", "f2", "--port", "80", "--protocol", "http"},
		{"--debug", "balancers", "list"},
	}
	for _, args := range commands {
		out, stderr, code := lbctl(t, bin, append([]string{"--endpoint", ep}, args...)...)
		if code != 0 {
			t.Fatalf("lbctl %s: exit %d\n%s%s", strings.Join(args, " "), code, out, stderr)
		}
		if args[0] == "--debug" {
			if !strings.Contains(stderr, "attempt=2; max=3") || strings.Contains(stderr, "max=1") {
				t.Errorf("--debug does not show the policy's three attempts:\n%s", stderr)
			}
			if !strings.Contains(out, "f1") || !strings.Contains(out, "f2") {
				t.Errorf("balancers list:\n%s", out)
			}
		}
	}
	// Each create is at least a CreateLoadBalancer and a DescribeLoadBalancers.
	if n := faults.injected.Load(); n < 5 {
		t.Errorf("%d faults injected, want one per call", n)
	}
}

// listen opens a loopback port for a test server.
func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}
