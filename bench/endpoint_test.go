package bench

import (
	"context"
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
// with the same load generator: clients workers sending raw SigV4-signed Query API requests
// (RawClient), so the figures are the servers' and not a client SDK's. b.N is the number of
// requests; run with a fixed count (-benchtime=6000x) so both servers answer the same work.
// The SDK client only seeds the balancers.
//
//	reads: DescribeLoadBalancers of one balancer by name, over 100 balancers
//	mixed: AddTags, ConfigureHealthCheck and DescribeLoadBalancers in turn (two durable
//	       writes in three requests)
//
// Besides req/s and latency it reports the CPU time per request of the server process and of
// this process (the load generator), both read from /proc.
func BenchmarkEndpointVsMoto(b *testing.B) {
	names := make([]string, endpointBalancers)
	for i := range names {
		names[i] = balancerName("bal", i)
	}
	targets := startVsMoto(b, ClassicVersion, apiOnly)
	for _, t := range targets {
		seed(b, newClient(t.url), "bal", endpointBalancers, 1, clients)
	}
	ops := endpointOps(names)
	runVsMoto(b, targets, func(int) []endpointOp { return ops })
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

// runVsMoto runs every load of ops (ops(i) are the loads for targets[i], in the same order
// for each) against each target in turn, as sub-benchmarks LOAD/TARGET.
func runVsMoto(b *testing.B, targets []vsMotoTarget, ops func(target int) []endpointOp) {
	perTarget := make([][]endpointOp, len(targets))
	for ti := range targets {
		perTarget[ti] = ops(ti)
	}
	for oi, op := range perTarget[0] {
		for ti, t := range targets {
			send := perTarget[ti][oi].send
			b.Run(op.name+"/"+t.name, func(b *testing.B) {
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

// endpointOp is one kind of load: send sends the i-th request, from the given worker of
// the load generator, and checks its answer.
type endpointOp struct {
	name string
	send func(ctx context.Context, c *RawClient, worker, i int) error
}

// endpointOps are the reads and the mixed writes over the given balancer names. A describe
// must name the balancer asked for; a health check must echo the interval it set.
func endpointOps(names []string) []endpointOp {
	describe := make([]string, len(names))
	wantName := make([]string, len(names))
	for i, n := range names {
		describe[i] = form("LoadBalancerNames.member.1", n)
		wantName[i] = "<LoadBalancerName>" + n + "</LoadBalancerName>"
	}
	return []endpointOp{
		{"reads", func(ctx context.Context, c *RawClient, _, i int) error {
			_, err := c.Call(ctx, "DescribeLoadBalancers", describe[i%len(names)], wantName[i%len(names)])
			return err
		}},
		{"mixed", func(ctx context.Context, c *RawClient, _, i int) error {
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
				_, err = c.Call(ctx, "DescribeLoadBalancers", describe[n], wantName[n])
			}
			return err
		}},
	}
}
