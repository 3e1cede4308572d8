package awsclient

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sync/semaphore"
)

func TestChunks(t *testing.T) {
	names := make([]string, 45)
	got := Chunks(names, 20)
	if len(got) != 3 || len(got[0]) != 20 || len(got[2]) != 5 {
		t.Errorf("Chunks = %d batches", len(got))
	}
	// A batch must not alias the next one through append.
	got[0] = append(got[0], "x")
	if names[20] == "x" {
		t.Error("batches share capacity")
	}
	if Chunks([]string{}, 20) != nil {
		t.Error("no batch expected for no names")
	}
}

func TestInBatchesBoundsAndStops(t *testing.T) {
	items := make([]int, 100)
	var running, peak, calls atomic.Int32
	boom := errors.New("boom")
	err := InBatches(t.Context(), items, 10, semaphore.NewWeighted(3), func(ctx context.Context, batch []int) error {
		call := calls.Add(1)
		n := running.Add(1)
		defer running.Add(-1)
		for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
		}
		if len(batch) != 10 {
			t.Errorf("batch of %d", len(batch))
		}
		if call == 3 {
			return boom
		}
		<-ctx.Done() // the others wait for the failure to cancel them
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want the first failure", err)
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("%d batches ran at once, want at most 3", p)
	}
}

// Calls sharing a limit stay within it together: four InBatches at once, each of which
// alone could use the whole limit, never have more than 3 batches running.
func TestInBatchesShareTheLimit(t *testing.T) {
	limit := semaphore.NewWeighted(3)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			err := InBatches(t.Context(), make([]int, 30), 5, limit, func(ctx context.Context, batch []int) error {
				n := running.Add(1)
				defer running.Add(-1)
				for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
				}
				time.Sleep(2 * time.Millisecond) // long enough for calls to overlap
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if p := peak.Load(); p != 3 {
		t.Errorf("%d batches ran at once across the calls, want 3 (the shared limit)", p)
	}
}

// A context ending while InBatches waits for the limit ends it with the context's error,
// not with success over the batches it never ran.
func TestInBatchesStopsWaitingForTheLimit(t *testing.T) {
	limit := semaphore.NewWeighted(1)
	if err := limit.Acquire(t.Context(), 1); err != nil { // another call holds the limit
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	var calls atomic.Int32
	err := InBatches(ctx, make([]int, 4), 2, limit, func(context.Context, []int) error {
		calls.Add(1)
		return nil
	})
	if !errors.Is(err, context.DeadlineExceeded) || calls.Load() != 0 {
		t.Errorf("err = %v after %d calls, want the deadline and no call", err, calls.Load())
	}
}
