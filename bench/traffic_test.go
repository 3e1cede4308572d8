package bench

import (
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// wrkDuration is how long wrk runs per contender and round; fixedDuration the fixed-rate run.
var (
	wrkDuration   = flag.Duration("dataplane.duration", 10*time.Second, "BenchmarkDataPlane: how long each wrk run lasts")
	fixedDuration = flag.Duration("dataplane.fixed-duration", 8*time.Second, "BenchmarkDataPlane: how long each fixed-rate run lasts")
)

// The data-plane load: wrk with one thread and 32 connections for 10 s per contender and round,
// three rounds with the contenders in a rotating order, so that a noisy neighbour hits all of
// them; medians are reported. TCP: 4 streams of 256 MiB each at once, per contender and round.
const (
	dpRounds      = 3
	wrkThreads    = 1
	wrkConns      = 32
	bulkStreams   = 4
	bulkPerStream = 256 << 20
	// fixedRate is the fixed-rate load, in requests per second: a small share of what every
	// contender sustains, so that none queues even with the machine's cores shared with other
	// work (at 2,000/s, with 2 cores heavily shared, lbcloud and the generator fell behind).
	fixedRate = 500
)

// contender is one way to reach the back ends: directly, through HAProxy or through lbcloud.
type contender struct {
	name     string
	http     string // host:port serving HTTP
	tcp      string // host:port serving the bulk transfer
	pid      int    // the process whose CPU the requests cost (the proxy; the back end for direct)
	httpRuns []WrkResult
	cpu      []time.Duration // per HTTP run
	tcpRuns  []float64       // MB/s
	fixed    []RateResult
	fixedCPU []time.Duration // per fixed-rate run
}

// BenchmarkDataPlane compares the data plane of `lbctl serve` with HAProxy (Debian's haproxy,
// found on PATH) and with a direct connection, in one run that starts everything itself: two
// back-end processes (bench/dpbackend, on loopback), `lbctl serve` with an ALB (HTTP listener,
// round-robin target group of both back ends, health checked) and an NLB (TCP listener, both
// back ends) created through its API, and HAProxy configured the same way (HAProxyConfig).
//
//	http: wrk (Debian's, found on PATH) -t1 -c32 -d10s --latency against each, 3 rounds:
//	      requests/s, p50, p99 and the proxy's CPU per request, medians over the rounds; the
//	      p99 each proxy adds over direct in the same round, median; the spread of the ratio
//	      of lbcloud's requests/s to HAProxy's over the rounds
//	fixed-rate: 500 requests/s for 8 s against each, open loop (FixedRate), 3 rounds: p50 and
//	      p99 from the moment each request was due, the proxy's CPU per request, medians; the p50
//	      and p99 each proxy adds over direct in the same round, median; the generator's own
//	      lateness (p99), which every contender shares
//	tcp:  a bulk download of 4 × 256 MiB streams at once through each: MB/s, median
//
// Nothing is pinned: wrk, the proxy and the back ends share the machine's cores. Run with
// -benchtime=1x.
func BenchmarkDataPlane(b *testing.B) {
	wrk, err := Tool("wrk")
	if err != nil {
		b.Fatal(err)
	}
	haproxy, err := Tool("haproxy")
	if err != nil {
		b.Fatal(err)
	}
	backends := startBackends(b, 2)
	srv := startServe(b, filepath.Join(b.TempDir(), "state.db"))
	alb, nlb := v2Fronts(b, srv.URL, backends)
	hHTTP, hTCP := freeLoopbackAddr(b), freeLoopbackAddr(b)
	hpid := startHAProxy(b, haproxy, HAProxyConfig(hHTTP, []string{backends[0].HTTP, backends[1].HTTP},
		hTCP, []string{backends[0].TCP, backends[1].TCP}), hHTTP, hTCP)
	cs := []*contender{
		{name: "direct", http: backends[0].HTTP, tcp: backends[0].TCP, pid: backends[0].Pid},
		{name: "haproxy", http: hHTTP, tcp: hTCP, pid: hpid},
		{name: "lbcloud", http: alb, tcp: nlb, pid: srv.Pid},
	}
	for _, c := range cs[1:] {
		checkRoundRobin(b, c, backends)
	}
	// rotated is the contenders in round r's order.
	rotated := func(r int) []*contender { return append(slices.Clone(cs[r%len(cs):]), cs[:r%len(cs)]...) }

	b.Run("http", func(b *testing.B) {
		for b.Loop() {
			for r := range dpRounds {
				for _, c := range rotated(r) {
					cpu0, err := ProcCPU(c.pid)
					if err != nil {
						b.Fatal(err)
					}
					res, err := runWrk(context.Background(), wrk, "http://"+c.http+"/", wrkThreads, wrkConns, *wrkDuration)
					if err != nil {
						b.Fatalf("%s: %v", c.name, err)
					}
					cpu1, err := ProcCPU(c.pid)
					if err != nil {
						b.Fatal(err)
					}
					c.httpRuns, c.cpu = append(c.httpRuns, res), append(c.cpu, cpu1-cpu0)
					b.Logf("round %d %-7s %8.0f req/s  p50 %v  p99 %v  cpu %v", r+1, c.name, res.Requests, res.P50, res.P99, cpu1-cpu0)
				}
			}
		}
		for _, c := range cs {
			var rps []float64
			var p50, p99, cpu []time.Duration
			for i, r := range c.httpRuns {
				rps, p50, p99 = append(rps, r.Requests), append(p50, r.P50), append(p99, r.P99)
				cpu = append(cpu, time.Duration(float64(c.cpu[i])/(r.Requests*wrkDuration.Seconds())))
			}
			b.ReportMetric(Median(rps), c.name+"-req/s")
			b.ReportMetric(ms(Median(p50)), c.name+"-p50-ms")
			b.ReportMetric(ms(Median(p99)), c.name+"-p99-ms")
			b.ReportMetric(float64(Median(cpu).Nanoseconds())/1e3, c.name+"-cpu-us/req")
		}
		// Each round's contenders run back to back, so they are compared round by round: the
		// spread of the requests/s ratio, and the p99 each proxy adds over direct in its round.
		direct, haproxy, lbcloud := cs[0].httpRuns, cs[1].httpRuns, cs[2].httpRuns
		var ratios []float64
		var hAdded, lAdded []time.Duration
		for r := range dpRounds {
			ratios = append(ratios, lbcloud[r].Requests/haproxy[r].Requests)
			hAdded, lAdded = append(hAdded, haproxy[r].P99-direct[r].P99), append(lAdded, lbcloud[r].P99-direct[r].P99)
		}
		b.ReportMetric(ms(Median(hAdded)), "haproxy-added-p99-ms")
		b.ReportMetric(ms(Median(lAdded)), "lbcloud-added-p99-ms")
		b.ReportMetric(slices.Min(ratios), "ratio-min")
		b.ReportMetric(slices.Max(ratios), "ratio-max")
	})
	b.Run("fixed-rate", func(b *testing.B) {
		for b.Loop() {
			for r := range dpRounds {
				for _, c := range rotated(r) {
					res, cpu, err := measureFixedRate(c)
					if err != nil {
						b.Fatalf("%s: %v", c.name, err)
					}
					c.fixed, c.fixedCPU = append(c.fixed, res), append(c.fixedCPU, cpu)
					b.Logf("round %d %-7s p50 %v  p99 %v  cpu %v  (generator late p99 %v)", r+1, c.name, res.P50, res.P99, cpu, res.LateP99)
				}
			}
		}
		var late []time.Duration
		for _, c := range cs {
			var p50, p99, cpu []time.Duration
			for i, r := range c.fixed {
				p50, p99, late = append(p50, r.P50), append(p99, r.P99), append(late, r.LateP99)
				cpu = append(cpu, c.fixedCPU[i]/time.Duration(r.Requests))
			}
			b.ReportMetric(ms(Median(p50)), c.name+"-p50-ms")
			b.ReportMetric(ms(Median(p99)), c.name+"-p99-ms")
			b.ReportMetric(float64(Median(cpu).Nanoseconds())/1e3, c.name+"-cpu-us/req")
		}
		for _, c := range cs[1:] {
			var a50, a99 []time.Duration
			for r := range dpRounds {
				a50, a99 = append(a50, c.fixed[r].P50-cs[0].fixed[r].P50), append(a99, c.fixed[r].P99-cs[0].fixed[r].P99)
			}
			b.ReportMetric(ms(Median(a50)), c.name+"-added-p50-ms")
			b.ReportMetric(ms(Median(a99)), c.name+"-added-p99-ms")
		}
		b.ReportMetric(ms(Median(late)), "generator-late-p99-ms")
	})
	b.Run("tcp", func(b *testing.B) {
		for b.Loop() {
			for r := range dpRounds {
				for _, c := range rotated(r) {
					mbps, err := bulk(c.tcp, bulkStreams, bulkPerStream)
					if err != nil {
						b.Fatalf("%s: %v", c.name, err)
					}
					c.tcpRuns = append(c.tcpRuns, mbps)
					b.Logf("round %d %-7s %8.0f MB/s", r+1, c.name, mbps)
				}
			}
		}
		for _, c := range cs {
			b.ReportMetric(Median(c.tcpRuns), c.name+"-MB/s")
		}
	})
}

// measureFixedRate runs the fixed-rate load against a contender and returns what its process
// spent meanwhile.
func measureFixedRate(c *contender) (RateResult, time.Duration, error) {
	cpu0, err := ProcCPU(c.pid)
	if err != nil {
		return RateResult{}, 0, err
	}
	res, err := FixedRate(context.Background(), "http://"+c.http+"/", fixedRate, *fixedDuration)
	if err != nil {
		return RateResult{}, 0, err
	}
	cpu1, err := ProcCPU(c.pid)
	return res, cpu1 - cpu0, err
}

// checkRoundRobin asks a proxy four times and fails unless both back ends answered.
func checkRoundRobin(b *testing.B, c *contender, backends []dpBackend) {
	b.Helper()
	seen := map[string]bool{}
	client := &http.Client{Timeout: 5 * time.Second}
	for range 4 {
		resp, err := client.Get("http://" + c.http + "/")
		if err != nil {
			b.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("%s answered %d: %s", c.name, resp.StatusCode, body)
		}
		seen[strings.TrimSpace(strings.TrimPrefix(string(body), "ok "))] = true
	}
	for _, d := range backends {
		if !seen[d.HTTP] {
			b.Fatalf("%s: back end %s got none of 4 requests (answers from %v)", c.name, d.HTTP, seen)
		}
	}
}

// bulk downloads perStream bytes on each of streams connections to addr at once and returns
// the throughput in MB/s (10^6 bytes).
func bulk(addr string, streams, perStream int) (float64, error) {
	start := time.Now()
	errs := make([]error, streams)
	var wg sync.WaitGroup
	for i := range streams {
		wg.Go(func() { errs[i] = download(addr, perStream) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return 0, err
		}
	}
	return float64(streams*perStream) / elapsed.Seconds() / 1e6, nil
}

func download(addr string, n int) error {
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Minute))
	var hdr [8]byte
	binary.BigEndian.PutUint64(hdr[:], uint64(n))
	if _, err := c.Write(hdr[:]); err != nil {
		return err
	}
	// A plain read loop: io.Copy to io.Discard would read in 8 KiB pieces.
	buf := make([]byte, 256<<10)
	var got int64
	for {
		k, err := c.Read(buf)
		got += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if got != int64(n) {
		return fmt.Errorf("received %d bytes of %d", got, n)
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
