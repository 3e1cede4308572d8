package reliability

import (
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/faults"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// attemptCounter counts HTTP requests and, from the SDK's amz-sdk-request header, how many
// of them were retries.
type attemptCounter struct {
	requests, retries atomic.Int64
	next              http.RoundTripper
}

func (c *attemptCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	if h := r.Header.Get("Amz-Sdk-Request"); h != "" && !strings.HasPrefix(h, "attempt=1;") {
		c.retries.Add(1)
	}
	return c.next.RoundTrip(r)
}

// TestFaultsScenario: 1,000 writes through the driver, from sixteen clients at once, against
// an endpoint failing 5% of requests and throttling the account end in exactly the modelled
// state, and no error reaches any caller. Several clients are needed because each driver's
// adaptive retryer slows itself down after a throttle, as a fleet of clients would not.
func TestFaultsScenario(t *testing.T) {
	isolate(t)
	const ops, workers = 1000, 16
	inj, err := faults.New(faults.Options{ErrorRate: 0.05, ThrottleRPS: throttleRPS, ThrottleBurst: 5, Seed: 42})
	if err != nil {
		t.Fatal(err)
	}
	ep := serve(t, elbserver.Options{Faults: inj, Limits: map[string]int{"classic-load-balancers": 200}})
	counter := &attemptCounter{next: http.DefaultTransport}
	ctx := testCtx(t, 120*time.Second)

	start := time.Now()
	scs := make([]*scenario, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		// Ten attempts: a call failing ten times running is vanishingly rare at these rates.
		d := openClient(t, ep.URL, sigv4auth.DefaultCredential, 10, elb.WithHTTPClient(&http.Client{Transport: counter}))
		scs[w] = newScenario(d, uint64(42+w), fmt.Sprintf("w%d", w))
		n := ops / workers
		if w < ops%workers {
			n++
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[w] = scs[w].run(ctx, n)
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	model := map[string]*modelLB{}
	opsDone := map[string]int{}
	total := 0
	for w, sc := range scs {
		if errs[w] != nil {
			t.Errorf("client %d: an error reached the caller: %v", w, errs[w])
		}
		maps.Copy(model, sc.model)
		for k, v := range sc.ops {
			opsDone[k] += v
			total += v
		}
	}
	st := inj.Stats()
	t.Logf("operations %d %v in %v; HTTP requests %d, retries %d; endpoint saw %d requests: %d throttled (%.1f%%), %d failed (%.1f%%)",
		total, opsDone, elapsed.Round(time.Millisecond), counter.requests.Load(), counter.retries.Load(),
		st.Requests, st.Throttled, pct(st.Throttled, st.Requests), st.Failed, pct(st.Failed, st.Requests))
	if t.Failed() {
		t.FailNow()
	}
	if total != ops {
		t.Fatalf("ran %d operations, want %d", total, ops)
	}
	// The faults must really have happened, or the test proves nothing.
	if st.Failed < ops/50 || st.Throttled < ops/50 || counter.retries.Load() < st.Failed+st.Throttled {
		t.Fatalf("too few faults: %+v, retries %d", st, counter.retries.Load())
	}
	compareAll(t, scs[0].d, model)
}

// throttleRPS is below what sixteen clients ask for, so that about a tenth of requests
// are throttled.
const throttleRPS = 60

func pct(n, of int64) float64 {
	if of == 0 {
		return 0
	}
	return 100 * float64(n) / float64(of)
}
