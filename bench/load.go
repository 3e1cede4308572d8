// Package bench measures lbcloud against moto and the AWS CLI, for Classic ELB and ELBv2:
// endpoint throughput, a 5,000-balancer inventory under remote-region latency, memory, and
// CLI start-up; and its data plane against HAProxy. The measurements are Go benchmarks
// (go test -bench . ./bench/...); run.sh runs them all and prints the tables. This file holds the pieces the benchmarks share and plain tests cover.
package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Load is what a run of Generate measured.
type Load struct {
	Requests int           // requests that completed without error
	Errors   int           // requests that failed
	FirstErr error         // the first failure, for the report
	Elapsed  time.Duration // wall time of the whole run
	P50, P99 time.Duration // per-request latency percentiles of the successful requests
}

// RPS is completed requests per second of wall time.
func (l Load) RPS() float64 {
	if l.Elapsed <= 0 {
		return 0
	}
	return float64(l.Requests) / l.Elapsed.Seconds()
}

// Generate issues total requests from clients concurrent workers; do(worker, i) sends the
// i-th request (i counts from 0 across all workers). Each worker takes the next index from a
// shared counter, so a slow worker does not leave the run waiting on its fixed share.
func Generate(ctx context.Context, clients, total int, do func(ctx context.Context, worker, i int) error) Load {
	if clients < 1 {
		clients = 1
	}
	var (
		next    atomic.Int64
		mu      sync.Mutex
		lat     = make([]time.Duration, 0, total)
		errs    int
		first   error
		wg      sync.WaitGroup
		started = time.Now()
	)
	for w := range clients {
		wg.Go(func() {
			// Latencies are kept per worker and merged once, so recording them costs
			// no lock on the measured path.
			own := make([]time.Duration, 0, total/clients+1)
			var ownErrs int
			var ownFirst error
			for {
				i := int(next.Add(1) - 1)
				if i >= total || ctx.Err() != nil {
					break
				}
				t0 := time.Now()
				err := do(ctx, w, i)
				d := time.Since(t0)
				if err != nil {
					ownErrs++
					if ownFirst == nil {
						ownFirst = err
					}
					continue
				}
				own = append(own, d)
			}
			mu.Lock()
			lat = append(lat, own...)
			errs += ownErrs
			if first == nil {
				first = ownFirst
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	l := Load{Requests: len(lat), Errors: errs, FirstErr: first, Elapsed: time.Since(started)}
	slices.Sort(lat)
	l.P50 = Percentile(lat, 0.50)
	l.P99 = Percentile(lat, 0.99)
	return l
}

// Percentile returns the q-quantile (0..1) of sorted durations by the nearest-rank method;
// zero for an empty slice.
func Percentile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(q*float64(len(sorted))+0.999999999) - 1 // ceil(q*n) - 1
	return sorted[min(max(rank, 0), len(sorted)-1)]
}

// Median returns the middle of the values (the mean of the two middle ones for an even
// count), leaving ds unchanged.
func Median[T ~int64 | ~float64](ds []T) T {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(ds))
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Mem is a process's memory as the kernel reports it.
type Mem struct {
	RSS, HWM uint64 // resident now and its peak, bytes
}

// ProcMem reads VmRSS and VmHWM of process pid from /proc.
func ProcMem(pid int) (Mem, error) {
	f, err := os.Open("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return Mem{}, err
	}
	defer f.Close()
	return parseStatus(f)
}

func parseStatus(r interface{ Read([]byte) (int, error) }) (Mem, error) {
	var m Mem
	var seen int
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		fields := strings.Fields(val)
		if len(fields) != 2 || fields[1] != "kB" {
			return Mem{}, fmt.Errorf("unexpected %s line %q", key, sc.Text())
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		if err != nil {
			return Mem{}, fmt.Errorf("unexpected %s line %q", key, sc.Text())
		}
		if key == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.HWM = kb << 10
		}
		seen++
	}
	if err := sc.Err(); err != nil {
		return Mem{}, err
	}
	if seen != 2 {
		return Mem{}, errors.New("VmRSS or VmHWM missing from the process status")
	}
	return m, nil
}

// clockTicks is USER_HZ, the unit of the CPU times in /proc/PID/stat; 100 on every Linux
// architecture Go supports.
const clockTicks = 100

// ProcCPU returns the user plus system CPU time process pid has used so far, from
// /proc/PID/stat (10 ms resolution).
func ProcCPU(pid int) (time.Duration, error) {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	return parseStat(string(raw))
}

func parseStat(s string) (time.Duration, error) {
	// The command name (field 2) may hold spaces; the fields after its closing
	// parenthesis are fixed: state is field 3, utime 14, stime 15.
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("malformed process stat")
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, errors.New("malformed process stat")
	}
	var ticks uint64
	for _, v := range f[11:13] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("malformed process stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}
