package bench

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
)

// dpMemoryListeners is how many listeners BenchmarkDataPlaneMemory serves.
const dpMemoryListeners = 1000

// BenchmarkDataPlaneMemory measures the resident size (VmRSS and its peak VmHWM, from /proc) of
// `lbctl serve` holding 1,000 Classic balancers with one HTTP listener each (port 80 to instance
// port 8080, no instances): once with the data plane, after every listener has its loopback
// socket and a sample of them answered (503: no instance is registered, as on AWS), and once
// with --no-data-plane for the cost of the API and state alone. Run with -benchtime=1x.
func BenchmarkDataPlaneMemory(b *testing.B) {
	for _, run := range []struct {
		name string
		args []string
	}{
		{"data-plane", nil},
		{"no-data-plane", []string{apiOnly}},
	} {
		b.Run(run.name, func(b *testing.B) {
			srv := startServe(b, filepath.Join(b.TempDir(), "state.db"), run.args...)
			seed(b, newClient(srv.URL), "dp", dpMemoryListeners, 0, 32)
			if run.args == nil {
				checkListenersServe(b, srv.URL)
			}
			for b.Loop() {
				reportMem(b, srv)
			}
		})
	}
}

// checkListenersServe waits until the data plane lists a loopback socket for every seeded
// listener, then asks every 100th one and expects Classic's 503 for a balancer without instances.
func checkListenersServe(b *testing.B, url string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var addrs []string
	for {
		ls, err := localaddr.Fetch(ctx, sdkConfig(url), url)
		if err != nil {
			b.Fatal(err)
		}
		addrs = addrs[:0]
		for _, l := range ls {
			if l.LocalAddress != "" {
				addrs = append(addrs, l.LocalAddress)
			}
		}
		if len(addrs) == dpMemoryListeners {
			break
		}
		select {
		case <-ctx.Done():
			b.Fatalf("%d of %d listeners have a local address", len(addrs), dpMemoryListeners)
		case <-time.After(200 * time.Millisecond):
		}
	}
	client := &http.Client{Timeout: 5 * time.Second}
	for i := 0; i < len(addrs); i += 100 {
		resp, err := client.Get("http://" + addrs[i] + "/")
		if err != nil {
			b.Fatalf("listener %s: %v", addrs[i], err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			b.Fatalf("listener %s answered %d, want 503", addrs[i], resp.StatusCode)
		}
	}
	b.Logf("%d listeners serving; %d of them asked", len(addrs), (len(addrs)+99)/100)
}
