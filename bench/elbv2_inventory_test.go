package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// v2LowerBound is the round-trip floor of a tagged ALB listing: the 13 DescribeLoadBalancers
// pages one after another (each needs the previous page's marker), then one round of the last
// page's DescribeTags batches (20 ARNs each, all in flight at once); every earlier page's tag
// batches overlap the next page's fetch.
const v2LowerBound = (inventoryPages + 1) * inventoryLatency

// BenchmarkELBv2Inventory lists 5,000 ALBs with 3 tags each through the portable API (the alb
// provider) from `lbctl serve --latency 25ms`, as BenchmarkInventory does for Classic. The
// balancers are seeded at no latency, then the server restarts on the same state with the
// latency on. Run with -benchtime=1x.
func BenchmarkELBv2Inventory(b *testing.B) {
	testenv.AWSEnv(b)
	state := filepath.Join(b.TempDir(), "state.db")
	seeder := startServe(b, state, apiOnly)
	seedALBs(b, seeder.URL, "inv", inventorySize, albShape{tags: inventoryTags}, 128)
	seeder.Stop(b)
	srv := startServe(b, state, apiOnly, "--latency", inventoryLatency.String())
	ctx := context.Background()
	for _, run := range []struct {
		name string
		conc int
	}{{"driver/default", elbv2.DefaultTagConcurrency}, {"driver/tag-concurrency=32", 32}} {
		b.Run(run.name, func(b *testing.B) {
			svc, err := elbv2.Open(ctx, elbv2.ALB, driverOptions(srv.URL),
				elbv2.WithTagConcurrency(run.conc))
			if err != nil {
				b.Fatal(err)
			}
			benchListing(b, svc, v2LowerBound, run.conc)
		})
	}
}

// BenchmarkELBv2InventoryServer times the endpoint's share of one step of
// BenchmarkELBv2Inventory, served in this process with no latency: a full 400-ALB
// DescribeLoadBalancers page, and one DescribeTags batch of 20 ARNs (3 tags each), each read
// whole by a raw client that does not decode them.
func BenchmarkELBv2InventoryServer(b *testing.B) {
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{
		Limits: map[string]int{"application-load-balancers": 20000}}))
	defer srv.Close()
	url := srv.URL
	fleet := seedALBs(b, url, "inv", pageSize, albShape{tags: inventoryTags}, clients)
	c, err := NewRawClient(url, ELBv2Version, "us-east-1", "test", "test", 1)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	tagArgs := []string{}
	for i, arn := range fleet.arns[:20] {
		tagArgs = append(tagArgs, fmt.Sprintf("ResourceArns.member.%d", i+1), arn)
	}
	for _, call := range []struct{ name, action, params, want string }{
		// Balancers are listed in name order, so the page ends with the 400th.
		{"page-400", "DescribeLoadBalancers", form("PageSize", strconv.Itoa(pageSize)),
			"<LoadBalancerName>" + balancerName("inv", pageSize-1) + "</LoadBalancerName>"},
		{"tags-20", "DescribeTags", form(tagArgs...), fleet.arns[19]},
	} {
		b.Run(call.name, func(b *testing.B) {
			var size int
			for b.Loop() {
				n, err := c.Call(context.Background(), call.action, call.params, call.want)
				if err != nil {
					b.Fatal(err)
				}
				size = n
			}
			b.ReportMetric(float64(size)/1024, "KiB/answer")
		})
	}
}
