package bench

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// endpointBalancers is how many balancers the reads and writes spread over.
const endpointBalancers = 100

// BenchmarkEndpointVsMoto drives `lbctl serve` (durable bbolt state) and moto in the same run
// with the same load generators, so the figures are the servers' and not a client's. The SDK
// client only seeds the balancers.
//
//	reads: DescribeLoadBalancers of one balancer by name, over 100 balancers. The requests are
//	       signed once and each answer checked (RawClient.Prepare, Check); then wrk (Debian's,
//	       on PATH) replays them in turn over clients keep-alive connections for
//	       -vsmoto.duration (RunReplay), costing the client a few µs per request.
//	mixed: AddTags, ConfigureHealthCheck and DescribeLoadBalancers in turn (two durable
//	       writes in three requests), b.N of them from clients workers sending raw
//	       SigV4-signed Query requests (RawClient), signed and checked one by one; run with a
//	       fixed count (-benchtime=6000x) so both servers answer the same work.
//
// Besides req/s and latency it reports the CPU time per request of the server process and of
// the load generator (wrk, or this process), both read from the kernel.
func BenchmarkEndpointVsMoto(b *testing.B) {
	names := make([]string, endpointBalancers)
	for i := range names {
		names[i] = balancerName("bal", i)
	}
	targets := startVsMoto(b, ClassicVersion, apiOnly)
	for _, t := range targets {
		seed(b, newClient(t.url), "bal", endpointBalancers, 1, clients)
	}
	loads := classicLoads(names)
	runVsMoto(b, targets, func(int) vsMotoLoads { return loads })
}

// vsMotoTarget is one of the two servers of a versus-moto run, with its raw client.
type vsMotoTarget struct {
	name, url string
	pid       int
	raw       *RawClient
}

// startVsMoto starts `lbctl serve` on a fresh state file (with args) and moto, and returns
// both with a raw client of API version for each; they are stopped at cleanup.
func startVsMoto(b *testing.B, version string, args ...string) []vsMotoTarget {
	testenv.AWSEnv(b)
	srv := startServe(b, filepath.Join(b.TempDir(), "state.db"), args...)
	motoURL := testenv.Moto(b)
	motoPid, err := urlListenerPID(motoURL)
	if err != nil {
		b.Fatalf("finding the moto process: %v", err)
	}
	targets := []vsMotoTarget{{name: "endpoint", url: srv.URL, pid: srv.Pid}, {name: "moto", url: motoURL, pid: motoPid}}
	for i := range targets {
		if targets[i].raw, err = NewRawClient(targets[i].url, version, "us-east-1", "test", "test", clients); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(targets[i].raw.Close)
	}
	return targets
}

// readsDuration is how long wrk replays the reads against each server.
var readsDuration = flag.Duration("vsmoto.duration", 10*time.Second, "BenchmarkEndpointVsMoto, BenchmarkELBv2VsMoto: how long wrk replays the reads against each server")

// runVsMoto runs the loads of each target (loads(i) for targets[i]) one target after the
// other, as sub-benchmarks LOAD/TARGET: first the reads, replayed by wrk for -vsmoto.duration
// whatever b.N (RunReplay; ns/op is then wall time per answer), then b.N mixed requests
// from the raw client.
func runVsMoto(b *testing.B, targets []vsMotoTarget, loads func(target int) vsMotoLoads) {
	wrk, err := Tool("wrk")
	if err != nil {
		b.Fatal(err)
	}
	perTarget := make([]vsMotoLoads, len(targets))
	for ti := range targets {
		perTarget[ti] = loads(ti)
	}
	for ti, t := range targets {
		var (
			r      *Replay
			server time.Duration
		)
		b.Run("reads/"+t.name, func(b *testing.B) {
			// A sub-benchmark's function runs twice (b.N 1, then b.N): the reads are
			// replayed once.
			if r == nil {
				r, server = replayReads(b, wrk, t, perTarget[ti].reads)
			}
			b.ReportMetric(1e9/r.Requests, "ns/op")
			b.ReportMetric(r.Requests, "req/s")
			b.ReportMetric(ms(r.P50), "p50-ms")
			b.ReportMetric(ms(r.P99), "p99-ms")
			b.ReportMetric(float64(server.Microseconds())/float64(r.Total), "server-cpu-us/req")
			b.ReportMetric(float64(r.CPU.Microseconds())/float64(r.Total), "client-cpu-us/req")
		})
	}
	for ti, t := range targets {
		send := perTarget[ti].mixed
		b.Run("mixed/"+t.name, func(b *testing.B) {
			c := t.raw
			dials0 := c.Dials()
			cpu0 := markCPU(b, t.pid)
			l := Generate(context.Background(), clients, b.N, func(ctx context.Context, w, i int) error {
				return send(ctx, c, w, i)
			})
			server, client := cpu0.since(b)
			if l.Errors > 0 {
				b.Fatalf("%d of %d requests failed, first: %v", l.Errors, b.N, l.FirstErr)
			}
			b.ReportMetric(l.RPS(), "req/s")
			b.ReportMetric(float64(l.P50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(l.P99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(server.Microseconds())/float64(b.N), "server-cpu-us/req")
			b.ReportMetric(float64(client.Microseconds())/float64(b.N), "client-cpu-us/req")
			b.ReportMetric(float64(c.Dials()-dials0), "conns")
		})
	}
}

// replayReads signs reads once, checks each answer, and replays them against t with wrk over
// clients connections; it returns wrk's figures and the CPU time t's process used meanwhile.
func replayReads(b *testing.B, wrk string, t vsMotoTarget, reads []ask) (*Replay, time.Duration) {
	b.Helper()
	ctx := context.Background()
	reqs := make([]Prepared, len(reads))
	for i, a := range reads {
		var err error
		if reqs[i], err = t.raw.Prepare(ctx, a.action, a.params, a.want); err != nil {
			b.Fatal(err)
		}
	}
	if err := t.raw.Check(ctx, reqs); err != nil {
		b.Fatalf("%s: %v", t.name, err)
	}
	cpu0, err := ProcCPU(t.pid)
	if err != nil {
		b.Fatal(err)
	}
	r, err := RunReplay(ctx, wrk, t.url, reqs, clients, *readsDuration)
	if err != nil {
		b.Fatalf("%s: %v", t.name, err)
	}
	cpu1, err := ProcCPU(t.pid)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("reads %-8s %8.0f req/s  p50 %v  p99 %v  %d answers", t.name, r.Requests, r.P50, r.P99, r.Total)
	return &r, cpu1 - cpu0
}

// urlListenerPID is the process listening on the port of an http://host:port URL.
func urlListenerPID(raw string) (int, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return 0, err
	}
	port, err := strconv.Atoi(u.Port())
	if err != nil {
		return 0, fmt.Errorf("no port in %q", raw)
	}
	return ListenerPID(port)
}

// cpuMark is the CPU time the server process and this process had used at one moment.
type cpuMark struct {
	pid            int
	server, client time.Duration
}

func markCPU(b *testing.B, pid int) cpuMark {
	b.Helper()
	server, err := ProcCPU(pid)
	if err != nil {
		b.Fatal(err)
	}
	client, err := ProcCPU(os.Getpid())
	if err != nil {
		b.Fatal(err)
	}
	return cpuMark{pid: pid, server: server, client: client}
}

// since returns the CPU time each side used after the mark: the server's, and the load
// generator's (building, signing and sending requests and checking the answers).
func (m cpuMark) since(b *testing.B) (server, client time.Duration) {
	now := markCPU(b, m.pid)
	return now.server - m.server, now.client - m.client
}

// ask is one prepared read: its action, form parameters and a string its answer must hold.
type ask struct{ action, params, want string }

func (c *RawClient) ask(ctx context.Context, a ask) error {
	_, err := c.Call(ctx, a.action, a.params, a.want)
	return err
}

// vsMotoLoads are one API's loads of a versus-moto run: reads, sent in turn over and over,
// and the mixed load's send function (the i-th request, from the given worker).
type vsMotoLoads struct {
	reads []ask
	mixed func(ctx context.Context, c *RawClient, worker, i int) error
}

// endpointOp is one kind of load for the raw client's generator: send sends the i-th
// request, from the given worker, and checks its answer.
type endpointOp struct {
	name string
	send func(ctx context.Context, c *RawClient, worker, i int) error
}

// ops are the loads as the raw client sends them (the in-process profile's generator).
func (l vsMotoLoads) ops() []endpointOp {
	return []endpointOp{
		{"reads", func(ctx context.Context, c *RawClient, _, i int) error { return c.ask(ctx, l.reads[i%len(l.reads)]) }},
		{"mixed", l.mixed},
	}
}

// classicLoads are the reads and the mixed writes over the given balancer names. A describe
// must name the balancer asked for; a health check must echo the interval it set.
func classicLoads(names []string) vsMotoLoads {
	describe := make([]ask, len(names))
	for i, n := range names {
		describe[i] = ask{"DescribeLoadBalancers", form("LoadBalancerNames.member.1", n), "<LoadBalancerName>" + n + "</LoadBalancerName>"}
	}
	return vsMotoLoads{
		reads: describe,
		mixed: func(ctx context.Context, c *RawClient, _, i int) error {
			n := (i / 3) % len(names)
			var err error
			switch i % 3 {
			case 0:
				// Five rotating keys keep every balancer under the ten-tag limit.
				_, err = c.Call(ctx, "AddTags", form("LoadBalancerNames.member.1", names[n],
					"Tags.member.1.Key", "k"+strconv.Itoa(i%5), "Tags.member.1.Value", strconv.Itoa(i)), "")
			case 1:
				interval := strconv.Itoa(10 + i%20)
				_, err = c.Call(ctx, "ConfigureHealthCheck", form("LoadBalancerName", names[n],
					"HealthCheck.Target", "HTTP:8080/ping", "HealthCheck.Interval", interval,
					"HealthCheck.Timeout", "5", "HealthCheck.HealthyThreshold", "3", "HealthCheck.UnhealthyThreshold", "2"),
					"<Interval>"+interval+"</Interval>")
			default:
				err = c.ask(ctx, describe[n])
			}
			return err
		},
	}
}
