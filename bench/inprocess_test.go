package bench

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/elbserver"
)

// BenchmarkInProcess runs the endpoint-versus-moto loads, and single 400-balancer
// DescribeLoadBalancers pages, against the endpoint served in this process over a loopback
// http.Server, so that one CPU profile (-cpuprofile) shows the client's and the server's
// share of each request. Its figures are not comparable with moto's: client and server
// share one Go runtime here.
func BenchmarkInProcess(b *testing.B) {
	ep, err := elbserver.New(elbserver.Options{StatePath: filepath.Join(b.TempDir(), "state.db"),
		Limits: map[string]int{"classic-load-balancers": 20000}})
	if err != nil {
		b.Fatal(err)
	}
	defer ep.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: ep, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	c := newClient("http://" + ln.Addr().String())
	seed(b, c, "bal", pageSize, inventoryTags, clients)
	names := make([]string, endpointBalancers)
	for i := range names {
		names[i] = balancerName("bal", i)
	}
	for _, op := range endpointOps(names) {
		b.Run(op.name, func(b *testing.B) {
			l := Generate(context.Background(), clients, b.N, func(ctx context.Context, _, i int) error {
				return op.do(ctx, c, i)
			})
			if l.Errors > 0 {
				b.Fatalf("%d of %d requests failed, first: %v", l.Errors, b.N, l.FirstErr)
			}
			b.ReportMetric(l.RPS(), "req/s")
		})
	}
	b.Run("page-400", func(b *testing.B) {
		for b.Loop() {
			out, err := c.DescribeLoadBalancers(context.Background(), &elbsdk.DescribeLoadBalancersInput{PageSize: aws.Int32(pageSize)})
			if err != nil {
				b.Fatal(err)
			}
			if len(out.LoadBalancerDescriptions) != pageSize {
				b.Fatalf("page of %d balancers, want %d", len(out.LoadBalancerDescriptions), pageSize)
			}
		}
	})
}
