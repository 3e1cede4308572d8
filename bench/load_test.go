package bench

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for q, want := range map[float64]time.Duration{0.5: 50 * time.Millisecond, 0.99: 99 * time.Millisecond, 1: 100 * time.Millisecond, 0: time.Millisecond} {
		if got := Percentile(ds, q); got != want {
			t.Errorf("Percentile(1..100ms, %v) = %v, want %v", q, got, want)
		}
	}
	if got := Percentile(nil, 0.5); got != 0 {
		t.Errorf("Percentile(nil) = %v, want 0", got)
	}
	if got := Percentile(ds[:1], 0.99); got != time.Millisecond {
		t.Errorf("Percentile of one = %v, want 1ms", got)
	}
}

func TestMedian(t *testing.T) {
	in := []time.Duration{5, 1, 3}
	if got := Median(in); got != 3 {
		t.Errorf("Median(5,1,3) = %v, want 3", got)
	}
	if in[0] != 5 {
		t.Error("Median reordered its argument")
	}
	if got := Median([]time.Duration{4, 1, 3, 2}); got != 2 {
		t.Errorf("Median(4,1,3,2) = %v, want 2 (mean of 2 and 3, truncated)", got)
	}
	if got := Median[time.Duration](nil); got != 0 {
		t.Errorf("Median(nil) = %v", got)
	}
	if got := Median([]float64{4, 1, 3, 2}); got != 2.5 {
		t.Errorf("Median(4.0,1.0,3.0,2.0) = %v, want 2.5", got)
	}
}

func TestGenerate(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	workers := map[int]bool{}
	boom := errors.New("boom")
	l := Generate(context.Background(), 4, 100, func(_ context.Context, w, i int) error {
		mu.Lock()
		defer mu.Unlock()
		if seen[i] {
			t.Errorf("request %d sent twice", i)
		}
		seen[i], workers[w] = true, true
		if i%10 == 0 {
			return boom
		}
		return nil
	})
	if len(seen) != 100 {
		t.Errorf("sent %d requests, want 100", len(seen))
	}
	for w := range workers {
		if w < 0 || w >= 4 {
			t.Errorf("worker index %d out of range", w)
		}
	}
	if l.Requests != 90 || l.Errors != 10 || !errors.Is(l.FirstErr, boom) {
		t.Errorf("got %d ok, %d errors, first %v; want 90, 10, boom", l.Requests, l.Errors, l.FirstErr)
	}
	if l.RPS() <= 0 || l.P99 < l.P50 {
		t.Errorf("rps %v, p50 %v, p99 %v", l.RPS(), l.P50, l.P99)
	}
}

func TestParseStatus(t *testing.T) {
	m, err := parseStatus(strings.NewReader("Name:\tlbctl\nVmHWM:\t   2048 kB\nVmRSS:\t   1024 kB\nThreads:\t7\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 1<<20 || m.HWM != 2<<20 {
		t.Errorf("got %+v, want RSS 1 MiB and HWM 2 MiB", m)
	}
	if _, err := parseStatus(strings.NewReader("VmRSS:\t1024 kB\n")); err == nil {
		t.Error("a status without VmHWM parsed")
	}
	if _, err := parseStatus(strings.NewReader("VmRSS:\t1024 MB\nVmHWM:\t1 kB\n")); err == nil {
		t.Error("an unexpected unit parsed")
	}
}

func TestProcMemSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc on this system")
	}
	m, err := ProcMem(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS == 0 || m.HWM < m.RSS {
		t.Errorf("implausible memory of this process: %+v", m)
	}
}

func TestParseStat(t *testing.T) {
	// utime 250 and stime 50 ticks, with a command name holding a space and a parenthesis.
	line := "4242 (lb ctl)) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 9 0 100 0 0\n"
	got, err := parseStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if got != 3*time.Second {
		t.Errorf("parseStat = %v, want 3s", got)
	}
	if _, err := parseStat("4242 lbctl S 1"); err == nil {
		t.Error("a stat without a command name parsed")
	}
}

func TestProcCPUSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system")
	}
	if _, err := ProcCPU(os.Getpid()); err != nil {
		t.Fatal(err)
	}
}
