package faults

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for the token buckets, so throttling tests
// do not depend on how fast the machine runs.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newFake(t *testing.T, o Options) (*Injector, *fakeClock) {
	t.Helper()
	inj, err := New(o)
	if err != nil {
		t.Fatalf("New(%+v): %v", o, err)
	}
	clk := &fakeClock{t: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	inj.now = clk.now
	return inj, clk
}

func mustBefore(t *testing.T, inj *Injector, account string) *Fault {
	t.Helper()
	f, err := inj.Before(context.Background(), account)
	if err != nil {
		t.Fatalf("Before: %v", err)
	}
	return f
}

func TestNewValidates(t *testing.T) {
	bad := []Options{
		{Latency: -time.Millisecond},
		{Jitter: -1},
		{ThrottleRPS: -1},
		{ThrottleRPS: math.NaN()},
		{ThrottleRPS: math.Inf(1)},
		{ThrottleBurst: -1},
		{ErrorRate: -0.1},
		{ErrorRate: 1.5},
		{ErrorRate: math.NaN()},
	}
	for _, o := range bad {
		if _, err := New(o); !errors.Is(err, ErrInvalid) {
			t.Errorf("New(%+v) = %v, want ErrInvalid", o, err)
		}
	}
	for _, o := range []Options{{}, {ErrorRate: 1, ThrottleRPS: 0.5, Latency: time.Second, Jitter: time.Second}} {
		if _, err := New(o); err != nil {
			t.Errorf("New(%+v) = %v, want nil", o, err)
		}
	}
}

func TestNilInjectorIsNoop(t *testing.T) {
	var inj *Injector
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if f, err := inj.Before(ctx, "acct"); f != nil || err != nil {
		t.Errorf("nil Before = %v, %v; want nil, nil", f, err)
	}
	if s := inj.Stats(); s != (Stats{}) {
		t.Errorf("nil Stats = %+v", s)
	}
}

func TestZeroOptionsPassEverything(t *testing.T) {
	inj, _ := newFake(t, Options{})
	for range 1000 {
		if f := mustBefore(t, inj, "acct"); f != nil {
			t.Fatalf("unexpected fault %+v", f)
		}
	}
	if s := inj.Stats(); s != (Stats{Requests: 1000}) {
		t.Errorf("Stats = %+v, want 1000 requests only", s)
	}
}

func TestThrottleRateOverWindow(t *testing.T) {
	const rps, burst = 10, 10
	inj, clk := newFake(t, Options{ThrottleRPS: rps, ThrottleBurst: burst})
	// Offer 100 requests a second for 10 seconds: the bucket lets through
	// its burst plus rps tokens for every second.
	allowed := 0
	for range 1000 {
		f := mustBefore(t, inj, "acct")
		if f == nil {
			allowed++
		} else if *f != (Fault{Code: "Throttling", Message: "Rate exceeded", Status: 400}) {
			t.Fatalf("throttle fault = %+v", f)
		}
		clk.advance(10 * time.Millisecond)
	}
	want := burst + rps*10
	if allowed < want-2 || allowed > want+2 {
		t.Errorf("allowed %d of 1000 requests, want about %d", allowed, want)
	}
	if s := inj.Stats(); s.Requests != 1000 || s.Throttled != int64(1000-allowed) || s.Failed != 0 {
		t.Errorf("Stats = %+v, allowed %d", s, allowed)
	}
}

func TestThrottleDefaultBurst(t *testing.T) {
	for _, c := range []struct {
		rps  float64
		want int
	}{{5, 5}, {0.5, 1}, {2.9, 2}} {
		inj, _ := newFake(t, Options{ThrottleRPS: c.rps})
		allowed := 0
		for range 20 { // the fake clock stands still: only the burst passes
			if mustBefore(t, inj, "acct") == nil {
				allowed++
			}
		}
		if allowed != c.want {
			t.Errorf("rps %v: %d requests passed, want burst %d", c.rps, allowed, c.want)
		}
	}
}

func TestAccountsAreIndependent(t *testing.T) {
	inj, clk := newFake(t, Options{ThrottleRPS: 1, ThrottleBurst: 1})
	if mustBefore(t, inj, "111111111111") != nil {
		t.Fatal("first request of account A throttled")
	}
	if mustBefore(t, inj, "111111111111") == nil {
		t.Fatal("second request of account A passed an empty bucket")
	}
	if mustBefore(t, inj, "222222222222") != nil {
		t.Fatal("account B throttled by account A's traffic")
	}
	clk.advance(time.Second)
	if mustBefore(t, inj, "111111111111") != nil {
		t.Fatal("account A still throttled after its bucket refilled")
	}
}

func TestLimiterTableIsBounded(t *testing.T) {
	inj, _ := newFake(t, Options{ThrottleRPS: 1, ThrottleBurst: 1})
	inj.maxAccounts = 3
	for _, a := range []string{"a", "b", "c"} {
		mustBefore(t, inj, a)
	}
	mustBefore(t, inj, "a") // a is now the most recently used; b the oldest
	mustBefore(t, inj, "d") // evicts b
	if n := len(inj.limiters); n != 3 || inj.lru.Len() != 3 {
		t.Fatalf("table holds %d accounts (list %d), want 3", n, inj.lru.Len())
	}
	if _, ok := inj.limiters["b"]; ok {
		t.Error("least recently used account b was not evicted")
	}
	if mustBefore(t, inj, "a") == nil {
		t.Error("account a lost its empty bucket although it was recently used")
	}
	// b comes back with a fresh bucket (the clock has not moved).
	if mustBefore(t, inj, "b") != nil {
		t.Error("evicted account b did not start with a fresh bucket")
	}
}

func TestErrorRate(t *testing.T) {
	const n, rate = 10000, 0.1
	inj, _ := newFake(t, Options{ErrorRate: rate, Seed: 42})
	codes := map[string]int{}
	for range n {
		if f := mustBefore(t, inj, "acct"); f != nil {
			codes[f.Code]++
			switch f.Code {
			case "ServiceUnavailable":
				if f.Status != 503 {
					t.Fatalf("ServiceUnavailable with status %d", f.Status)
				}
			case "InternalFailure":
				if f.Status != 500 {
					t.Fatalf("InternalFailure with status %d", f.Status)
				}
			default:
				t.Fatalf("unexpected fault %+v", f)
			}
		}
	}
	failed := codes["ServiceUnavailable"] + codes["InternalFailure"]
	// Binomial: sd = sqrt(n p (1-p)) = 30; allow five of them.
	if failed < 850 || failed > 1150 {
		t.Errorf("%d of %d requests failed, want about %d", failed, n, int(n*rate))
	}
	if u := codes["ServiceUnavailable"]; u < failed/2-110 || u > failed/2+110 {
		t.Errorf("split %v is far from half and half", codes)
	}
	if s := inj.Stats(); s.Failed != int64(failed) || s.Requests != n {
		t.Errorf("Stats = %+v, counted %d failures", s, failed)
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	draw := func() []string {
		inj, _ := newFake(t, Options{ErrorRate: 0.3, Seed: 7})
		var out []string
		for range 200 {
			f := mustBefore(t, inj, "acct")
			if f == nil {
				out = append(out, "")
			} else {
				out = append(out, f.Code)
			}
		}
		return out
	}
	a, b := draw(), draw()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("draw %d differs between runs with the same seed: %q vs %q", i, a[i], b[i])
		}
	}
}

func TestErrorRateExtremes(t *testing.T) {
	all, _ := newFake(t, Options{ErrorRate: 1})
	none, _ := newFake(t, Options{ErrorRate: 0})
	for range 500 {
		if mustBefore(t, all, "acct") == nil {
			t.Fatal("ErrorRate 1 let a request through")
		}
		if mustBefore(t, none, "acct") != nil {
			t.Fatal("ErrorRate 0 failed a request")
		}
	}
}

func TestThrottleComesBeforeErrors(t *testing.T) {
	inj, _ := newFake(t, Options{ThrottleRPS: 1, ThrottleBurst: 1, ErrorRate: 1})
	if f := mustBefore(t, inj, "acct"); f == nil || f.Code == "Throttling" {
		t.Fatalf("first request: %+v, want a server error", f)
	}
	if f := mustBefore(t, inj, "acct"); f == nil || f.Code != "Throttling" {
		t.Fatalf("second request: %+v, want Throttling", f)
	}
}

func TestJitterBounds(t *testing.T) {
	const lat, jit = 50 * time.Millisecond, 20 * time.Millisecond
	inj, _ := newFake(t, Options{Latency: lat, Jitter: jit, Seed: 3})
	lo, hi := time.Duration(math.MaxInt64), time.Duration(0)
	for range 2000 {
		d := inj.delay()
		if d < lat || d >= lat+jit {
			t.Fatalf("delay %v outside [%v, %v)", d, lat, lat+jit)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if hi-lo < jit/2 {
		t.Errorf("delays span only %v..%v: jitter is not spread", lo, hi)
	}
}

func TestLatencyIsApplied(t *testing.T) {
	inj, _ := newFake(t, Options{Latency: 30 * time.Millisecond})
	start := time.Now()
	mustBefore(t, inj, "acct")
	if el := time.Since(start); el < 30*time.Millisecond {
		t.Errorf("Before returned after %v, want at least the 30ms latency", el)
	}
}

func TestCancelDuringLatency(t *testing.T) {
	inj, _ := newFake(t, Options{Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	f, err := inj.Before(ctx, "acct")
	if !errors.Is(err, context.Canceled) || f != nil {
		t.Fatalf("Before = %v, %v; want nil, context.Canceled", f, err)
	}
	ctx, cancel = context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := inj.Before(ctx, "acct"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Before = %v, want context.DeadlineExceeded", err)
	}
	if s := inj.Stats(); s.Requests != 0 {
		t.Errorf("cancelled requests counted: %+v", s)
	}
}

func TestConcurrentUse(t *testing.T) {
	inj, err := New(Options{ThrottleRPS: 1000, ThrottleBurst: 50, ErrorRate: 0.2, Jitter: time.Microsecond})
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 500
	var wg sync.WaitGroup
	var mu sync.Mutex
	faults := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acct := []string{"a", "b", "c"}[w%3]
			local := 0
			for range each {
				f, err := inj.Before(context.Background(), acct)
				if err != nil {
					t.Error(err)
					return
				}
				if f != nil {
					local++
				}
			}
			mu.Lock()
			faults += local
			mu.Unlock()
		}()
	}
	wg.Wait()
	s := inj.Stats()
	if s.Requests != workers*each || s.Throttled+s.Failed != int64(faults) {
		t.Errorf("Stats = %+v, saw %d faults in %d requests", s, faults, workers*each)
	}
}

func BenchmarkBefore(b *testing.B) {
	inj, err := New(Options{ThrottleRPS: 1e9, ThrottleBurst: 1e6, ErrorRate: 0.01, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	accounts := []string{"111111111111", "222222222222", "333333333333", "444444444444"}
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		n := 0
		for pb.Next() {
			if _, err := inj.Before(ctx, accounts[n%len(accounts)]); err != nil {
				b.Fatal(err)
			}
			n++
		}
	})
}
