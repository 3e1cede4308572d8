package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// endpointBalancers is how many balancers the reads and writes spread over.
const endpointBalancers = 100

// BenchmarkEndpointVsMoto drives `lbctl serve` (durable bbolt state) and moto in the same run
// with the same load generator: clients workers, each request a signed aws-sdk-go-v2 call.
// b.N is the number of requests; run with a fixed count (-benchtime=3000x) so both servers
// answer the same work.
//
//	reads: DescribeLoadBalancers of one balancer by name, over 100 balancers
//	mixed: AddTags, ConfigureHealthCheck and DescribeLoadBalancers in turn (two durable
//	       writes in three requests)
func BenchmarkEndpointVsMoto(b *testing.B) {
	testenv.AWSEnv(b)
	srv := startServe(b, filepath.Join(b.TempDir(), "state.db"))
	targets := []struct{ name, url string }{
		{"endpoint", srv.URL},
		{"moto", testenv.Moto(b)},
	}
	names := make([]string, endpointBalancers)
	for i := range names {
		names[i] = balancerName("bal", i)
	}
	cs := make([]*elbsdk.Client, len(targets))
	for i, t := range targets {
		cs[i] = newClient(t.url)
		seed(b, cs[i], "bal", endpointBalancers, 1, clients)
	}
	ops := endpointOps(names)
	for _, op := range ops {
		for ti, t := range targets {
			b.Run(op.name+"/"+t.name, func(b *testing.B) {
				c := cs[ti]
				var cpu0 cpuMark
				if t.name == "endpoint" {
					cpu0 = markCPU(b, srv.Pid)
				}
				l := Generate(context.Background(), clients, b.N, func(ctx context.Context, _, i int) error {
					return op.do(ctx, c, i)
				})
				if l.Errors > 0 {
					b.Fatalf("%d of %d requests failed, first: %v", l.Errors, b.N, l.FirstErr)
				}
				b.ReportMetric(l.RPS(), "req/s")
				b.ReportMetric(float64(l.P50.Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(l.P99.Microseconds())/1000, "p99-ms")
				if t.name == "endpoint" {
					server, client := cpu0.since(b)
					b.ReportMetric(float64(server.Microseconds())/float64(b.N), "server-cpu-us/req")
					b.ReportMetric(float64(client.Microseconds())/float64(b.N), "client-cpu-us/req")
				}
			})
		}
	}
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
// generator's (aws-sdk-go-v2 building, signing and parsing requests).
func (m cpuMark) since(b *testing.B) (server, client time.Duration) {
	now := markCPU(b, m.pid)
	return now.server - m.server, now.client - m.client
}

// endpointOp is one kind of load: do sends the i-th request.
type endpointOp struct {
	name string
	do   func(ctx context.Context, c *elbsdk.Client, i int) error
}

// endpointOps are the reads and the mixed writes over the given balancer names.
func endpointOps(names []string) []endpointOp {
	return []endpointOp{
		{"reads", func(ctx context.Context, c *elbsdk.Client, i int) error {
			out, err := c.DescribeLoadBalancers(ctx, &elbsdk.DescribeLoadBalancersInput{LoadBalancerNames: names[i%len(names) : i%len(names)+1]})
			if err == nil && len(out.LoadBalancerDescriptions) != 1 {
				err = fmt.Errorf("described %d balancers, want 1", len(out.LoadBalancerDescriptions))
			}
			return err
		}},
		{"mixed", func(ctx context.Context, c *elbsdk.Client, i int) error {
			name := names[(i/3)%len(names)]
			var err error
			switch i % 3 {
			case 0:
				// Five rotating keys keep every balancer under the ten-tag limit.
				_, err = c.AddTags(ctx, &elbsdk.AddTagsInput{LoadBalancerNames: []string{name},
					Tags: []types.Tag{{Key: aws.String(fmt.Sprintf("k%d", i%5)), Value: aws.String(fmt.Sprint(i))}}})
			case 1:
				_, err = c.ConfigureHealthCheck(ctx, &elbsdk.ConfigureHealthCheckInput{LoadBalancerName: aws.String(name),
					HealthCheck: &types.HealthCheck{Target: aws.String("HTTP:8080/ping"), Interval: aws.Int32(int32(10 + i%20)),
						Timeout: aws.Int32(5), HealthyThreshold: aws.Int32(3), UnhealthyThreshold: aws.Int32(2)}})
			default:
				_, err = c.DescribeLoadBalancers(ctx, &elbsdk.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
			}
			return err
		}},
	}
}
