package awsclient

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
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
	err := InBatches(t.Context(), items, 10, 3, func(ctx context.Context, batch []int) error {
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
