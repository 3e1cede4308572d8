package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// RateResult is what one fixed-rate run measured. Latencies count from the moment each request
// was due, so a request the generator sent late, or that waited for a free connection, counts its
// wait: the load is open-loop, not limited by the answers as wrk's is.
type RateResult struct {
	Requests int
	P50, P99 time.Duration
	// LateP99 is the 99th percentile of how late the generator started a request: its own
	// share of the latencies, the same for every contender.
	LateP99 time.Duration
}

// FixedRate sends GET requests to url at rate per second for d, each when it is due on a
// goroutine of its own, over kept-alive connections, and reads every answer to the end. Any
// failure or answer other than 200 is an error: the figures would not be comparable.
func FixedRate(ctx context.Context, url string, rate int, d time.Duration) (RateResult, error) {
	n := int(float64(rate) * d.Seconds())
	interval := time.Second / time.Duration(rate)
	tr := &http.Transport{MaxIdleConnsPerHost: 1024, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	lat, late := make([]time.Duration, n), make([]time.Duration, n)
	var (
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	fail := func(err error) { errOnce.Do(func() { firstErr = err }) }
	start := time.Now()
	for i := range n {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				wg.Wait()
				return RateResult{}, ctx.Err()
			}
		}
		wg.Go(func() {
			late[i] = time.Since(due)
			resp, err := client.Get(url)
			if err != nil {
				fail(err)
				return
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			lat[i] = time.Since(due)
			if err != nil {
				fail(err)
			} else if resp.StatusCode != http.StatusOK {
				fail(fmt.Errorf("%s answered %d", url, resp.StatusCode))
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return RateResult{}, firstErr
	}
	slices.Sort(lat)
	slices.Sort(late)
	return RateResult{Requests: n, P50: lat[n/2], P99: lat[n*99/100], LateP99: late[n*99/100]}, nil
}
