package bench

import (
	"context"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

const (
	memoryBalancers = 10000
	mib             = 1 << 20
)

// BenchmarkMemory seeds `lbctl serve` with 10,000 balancers (3 tags each), then measures
// the driver's peak heap while listing them all with tags, streaming through
// Service.Balancers and, for contrast, collecting them with Service.ListBalancers; and the
// endpoint's resident size (VmRSS, and its peak VmHWM, from /proc) after it served those
// listings, once in the process that took the 10,000 creates and once after a restart on
// the same state. Run with -benchtime=1x.
func BenchmarkMemory(b *testing.B) {
	testenv.AWSEnv(b)
	state := filepath.Join(b.TempDir(), "state.db")
	srv := startServe(b, state, apiOnly)
	seed(b, newClient(srv.URL), "mem", memoryBalancers, inventoryTags, 32)
	ctx := context.Background()
	open := func(b *testing.B, url string) *loadbalancer.Service {
		svc, err := elb.Open(ctx, driverOptions(url))
		if err != nil {
			b.Fatal(err)
		}
		return svc
	}
	b.Run("driver/stream", func(b *testing.B) {
		svc := open(b, srv.URL)
		for b.Loop() {
			peak, base := peakHeap(func() { streamTagged(b, svc, memoryBalancers) })
			b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
			b.ReportMetric(float64(peak-base)/mib, "peak-over-idle-MiB")
		}
	})
	b.Run("driver/slice", func(b *testing.B) {
		svc := open(b, srv.URL)
		for b.Loop() {
			var lbs []*loadbalancer.LoadBalancer
			peak, base := peakHeap(func() {
				var err error
				if lbs, err = svc.ListBalancers(ctx, loadbalancer.ListOptions{IncludeTags: true}); err != nil {
					b.Fatal(err)
				}
			})
			if len(lbs) != memoryBalancers {
				b.Fatalf("listed %d balancers, want %d", len(lbs), memoryBalancers)
			}
			b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
			b.ReportMetric(float64(peak-base)/mib, "peak-over-idle-MiB")
		}
	})
	b.Run("endpoint/after-seeding", func(b *testing.B) {
		for b.Loop() {
			reportMem(b, srv)
		}
	})
	srv.Stop(b)
	srv = startServe(b, state, apiOnly)
	b.Run("endpoint/restarted", func(b *testing.B) {
		svc := open(b, srv.URL)
		for b.Loop() {
			streamTagged(b, svc, memoryBalancers)
			reportMem(b, srv)
		}
	})
}

// peakHeap runs fn while sampling the live-and-unswept heap every half millisecond; it
// returns the highest sample and the heap just before fn, after a collection. Sampling
// through runtime/metrics does not stop the world, so it barely disturbs what it measures.
func peakHeap(fn func()) (peak, base uint64) {
	const heapObjects = "/memory/classes/heap/objects:bytes"
	sample := []metrics.Sample{{Name: heapObjects}}
	read := func() uint64 {
		metrics.Read(sample)
		return sample[0].Value.Uint64()
	}
	runtime.GC()
	base = read()
	peak = base
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	wg.Go(func() {
		t := time.NewTicker(500 * time.Microsecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				v := read()
				mu.Lock()
				peak = max(peak, v)
				mu.Unlock()
			}
		}
	})
	fn()
	close(stop)
	wg.Wait()
	return max(peak, read()), base
}

// streamTagged streams every balancer of svc with its tags and fails unless want of them
// came, each with the inventoryTags tags it was seeded with.
func streamTagged(b *testing.B, svc *loadbalancer.Service, want int) {
	b.Helper()
	n := 0
	for lb, err := range svc.Balancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true}) {
		if err != nil {
			b.Fatal(err)
		}
		if len(lb.Tags) == inventoryTags {
			n++
		}
	}
	if n != want {
		b.Fatalf("streamed %d balancers with %d tags, want %d", n, inventoryTags, want)
	}
}

// reportMem reports the server process's resident size now (VmRSS) and at its peak (VmHWM).
func reportMem(b *testing.B, p *serveProc) {
	b.Helper()
	m, err := ProcMem(p.Pid)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(m.RSS)/mib, "rss-MiB")
	b.ReportMetric(float64(m.HWM)/mib, "hwm-MiB")
}
