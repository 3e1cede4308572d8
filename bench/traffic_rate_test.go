package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestFixedRate: the generator sends rate × duration requests, each answered one counted, and
// orders its percentiles; an answer other than 200 fails the run.
func TestFixedRate(t *testing.T) {
	var got atomic.Int32
	var status atomic.Int32
	status.Store(http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		got.Add(1)
		w.WriteHeader(int(status.Load()))
	}))
	defer srv.Close()

	res, err := FixedRate(context.Background(), srv.URL, 500, 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 100 || got.Load() != 100 {
		t.Fatalf("%d requests reported, %d served; want 100", res.Requests, got.Load())
	}
	if res.P50 <= 0 || res.P99 < res.P50 || res.LateP99 < 0 {
		t.Fatalf("percentiles out of order: %+v", res)
	}
	status.Store(http.StatusBadGateway)
	if _, err := FixedRate(context.Background(), srv.URL, 500, 20*time.Millisecond); err == nil {
		t.Fatal("a run answered with 502 reported no error")
	}
}
