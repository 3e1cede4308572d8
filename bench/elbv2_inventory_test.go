package bench

import (
	"context"
	"path/filepath"
	"testing"

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
