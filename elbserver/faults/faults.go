// Package faults makes the embedded endpoint behave like a far-away, busy
// AWS region: it adds latency and jitter to every request, throttles each
// account with a token bucket and fails a configurable share of requests
// with the server errors AWS SDKs retry on.
//
// Clients tested against a perfect local endpoint never exercise their
// retry, back-off and timeout paths; an Injector lets them.
package faults

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// maxAccounts bounds the per-account limiter table; the least recently seen
// account is evicted first. An evicted account simply starts again with a
// full bucket, which errs on the side of letting requests through.
const maxAccounts = 10000

// Options configures an Injector. The zero value injects nothing.
type Options struct {
	Latency       time.Duration // added to every request
	Jitter        time.Duration // uniform random extra in [0, Jitter)
	ThrottleRPS   float64       // per-account token bucket rate; 0 = off
	ThrottleBurst int           // bucket size; default max(1, int(ThrottleRPS))
	ErrorRate     float64       // share of requests (0..1) failed with 503 or 500
	Seed          int64         // fixes the random draws (tests); 0 = random
}

// Fault is an AWS-style error the endpoint should answer with instead of
// handling the request.
type Fault struct {
	Code, Message string
	Status        int
}

// ErrInvalid is wrapped by the errors New returns.
var ErrInvalid = errors.New("faults: invalid options")

// The faults an Injector produces.
var (
	throttled = Fault{Code: "Throttling", Message: "Rate exceeded", Status: http.StatusBadRequest}
	// Both are errors the SDKs treat as retryable, which is the point.
	unavailable = Fault{Code: "ServiceUnavailable", Message: "Service is unavailable. Please try again later.", Status: http.StatusServiceUnavailable}
	internal    = Fault{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error.", Status: http.StatusInternalServerError}
)

// Stats counts what an Injector did.
type Stats struct {
	Requests  int64 // calls to Before that got past the latency wait
	Throttled int64 // answered with Throttling
	Failed    int64 // answered with ServiceUnavailable or InternalFailure
}

// Injector applies Options to requests. It is safe for concurrent use. A nil
// *Injector is valid and injects nothing.
type Injector struct {
	o     Options
	burst int

	rngMu sync.Mutex
	rng   *rand.Rand

	mu          sync.Mutex
	limiters    map[string]*list.Element // account -> element holding *accountLimiter
	lru         *list.List               // front = most recently used
	maxAccounts int

	requests, throttledN, failed atomic.Int64

	now func() time.Time // clock for the token buckets; replaced in tests
}

type accountLimiter struct {
	account string
	lim     *rate.Limiter
}

// New checks o and returns an Injector for it.
func New(o Options) (*Injector, error) {
	switch {
	case o.Latency < 0:
		return nil, fmt.Errorf("%w: negative latency %v", ErrInvalid, o.Latency)
	case o.Jitter < 0:
		return nil, fmt.Errorf("%w: negative jitter %v", ErrInvalid, o.Jitter)
	case math.IsNaN(o.ThrottleRPS) || math.IsInf(o.ThrottleRPS, 0) || o.ThrottleRPS < 0:
		return nil, fmt.Errorf("%w: throttle rate %v must be a finite number >= 0", ErrInvalid, o.ThrottleRPS)
	case o.ThrottleBurst < 0:
		return nil, fmt.Errorf("%w: negative throttle burst %d", ErrInvalid, o.ThrottleBurst)
	case math.IsNaN(o.ErrorRate) || o.ErrorRate < 0 || o.ErrorRate > 1:
		return nil, fmt.Errorf("%w: error rate %v outside [0, 1]", ErrInvalid, o.ErrorRate)
	}
	seed := uint64(o.Seed)
	if o.Seed == 0 {
		seed = rand.Uint64()
	}
	burst := o.ThrottleBurst
	if burst == 0 {
		// Clamp before converting: int of a huge float is not portable.
		burst = max(1, int(min(o.ThrottleRPS, math.MaxInt32)))
	}
	return &Injector{
		o:           o,
		burst:       burst,
		rng:         rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		limiters:    make(map[string]*list.Element),
		lru:         list.New(),
		maxAccounts: maxAccounts,
		now:         time.Now,
	}, nil
}

// Before is called at the start of every request for account. It waits for
// the configured latency (returning ctx.Err() if ctx ends first), then
// decides whether the request is throttled or failed. A nil Fault and nil
// error mean the request goes on.
func (i *Injector) Before(ctx context.Context, account string) (*Fault, error) {
	if i == nil {
		return nil, nil
	}
	if err := i.wait(ctx); err != nil {
		return nil, err
	}
	i.requests.Add(1)
	if i.o.ThrottleRPS > 0 && !i.allow(account) {
		i.throttledN.Add(1)
		f := throttled
		return &f, nil
	}
	if i.o.ErrorRate > 0 {
		if f := i.drawError(); f != nil {
			i.failed.Add(1)
			return f, nil
		}
	}
	return nil, nil
}

// Stats returns the counters so far. A nil Injector reports zeros.
func (i *Injector) Stats() Stats {
	if i == nil {
		return Stats{}
	}
	return Stats{Requests: i.requests.Load(), Throttled: i.throttledN.Load(), Failed: i.failed.Load()}
}

// delay draws the wait for one request: Latency plus up to Jitter.
func (i *Injector) delay() time.Duration {
	d := i.o.Latency
	if i.o.Jitter > 0 {
		i.rngMu.Lock()
		d += time.Duration(i.rng.Int64N(int64(i.o.Jitter)))
		i.rngMu.Unlock()
	}
	return d
}

func (i *Injector) wait(ctx context.Context) error {
	d := i.delay()
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// allow takes one token from account's bucket.
func (i *Injector) allow(account string) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	var al *accountLimiter
	if e, ok := i.limiters[account]; ok {
		i.lru.MoveToFront(e)
		al = e.Value.(*accountLimiter)
	} else {
		if i.lru.Len() >= i.maxAccounts {
			oldest := i.lru.Back()
			i.lru.Remove(oldest)
			delete(i.limiters, oldest.Value.(*accountLimiter).account)
		}
		al = &accountLimiter{account: account, lim: rate.NewLimiter(rate.Limit(i.o.ThrottleRPS), i.burst)}
		i.limiters[account] = i.lru.PushFront(al)
	}
	// Reading the clock under i.mu keeps readings and token takes in the
	// same order for all callers, so a limiter never sees time go back.
	return al.lim.AllowN(i.now(), 1)
}

// drawError decides whether this request fails and with which fault. It
// allocates only for failed requests, keeping the common path free.
func (i *Injector) drawError() *Fault {
	i.rngMu.Lock()
	hit := i.rng.Float64() < i.o.ErrorRate
	half := i.rng.IntN(2) == 0
	i.rngMu.Unlock()
	if !hit {
		return nil
	}
	f := internal
	if half {
		f = unavailable
	}
	return &f
}
