package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

const (
	inventorySize    = 5000
	inventoryTags    = 3
	inventoryLatency = 25 * time.Millisecond
	pageSize         = 400
	// inventoryPages is ceil(5000/400): the page fetches that must run one after another.
	inventoryPages = (inventorySize + pageSize - 1) / pageSize
	// lowerBound is the round-trip floor of a tagged listing: the sequential page fetches,
	// with every DescribeTags batch overlapped with them.
	lowerBound = inventoryPages * inventoryLatency
	// libcloudSample is how many per-balancer DescribeTags calls the libcloud pattern makes
	// before its cost is extrapolated linearly to the whole inventory.
	libcloudSample = 200
	// awscliSample is how many `aws elb describe-tags` runs are timed before extrapolating.
	awscliSample = 5
)

// BenchmarkInventory lists 5,000 balancers with 3 tags each from `lbctl serve --latency
// 25ms` (a remote region's round trip). The balancers are seeded at no latency with 32
// concurrent creates, then the server restarts on the same state with the latency on.
// Run with -benchtime=1x: every sub-benchmark is a whole inventory (or a timed sample).
func BenchmarkInventory(b *testing.B) {
	testenv.AWSEnv(b)
	state := filepath.Join(b.TempDir(), "state.db")
	seeder := startServe(b, state, apiOnly)
	seed(b, newClient(seeder.URL), "inv", inventorySize, inventoryTags, 32)
	seeder.Stop(b)
	srv := startServe(b, state, apiOnly, "--latency", inventoryLatency.String())
	ctx := context.Background()

	// The driver's default is named "default" so the report does not depend on its value;
	// each run reports the concurrency it used.
	for _, run := range []struct {
		name string
		conc int
	}{{"driver/default", elb.DefaultTagConcurrency}, {"driver/tag-concurrency=32", 32}} {
		conc := run.conc
		b.Run(run.name, func(b *testing.B) {
			svc, err := elb.Open(ctx, driverOptions(srv.URL),
				elb.WithTagConcurrency(conc))
			if err != nil {
				b.Fatal(err)
			}
			benchListing(b, svc, lowerBound, conc)
		})
	}

	b.Run(fmt.Sprintf("libcloud-pattern/sample=%d", libcloudSample), func(b *testing.B) {
		c := newClient(srv.URL)
		for b.Loop() {
			// DescribeLoadBalancers page by page, then one DescribeTags per balancer, in
			// sequence: what libcloud's ELB driver does for list_balancers with tags.
			t0 := time.Now()
			names := describeAllNames(b, c)
			pages := time.Since(t0)
			t1 := time.Now()
			for _, n := range names[:libcloudSample] {
				out, err := c.DescribeTags(ctx, &elbsdk.DescribeTagsInput{LoadBalancerNames: []string{n}})
				if err != nil {
					b.Fatal(err)
				}
				if len(out.TagDescriptions) != 1 || len(out.TagDescriptions[0].Tags) != inventoryTags {
					b.Fatalf("DescribeTags %s: unexpected answer %+v", n, out.TagDescriptions)
				}
			}
			perTag := time.Since(t1) / libcloudSample
			extrapolated := pages + perTag*inventorySize
			b.ReportMetric(pages.Seconds(), "pages-s")
			b.ReportMetric(float64(perTag.Microseconds())/1000, "ms/DescribeTags")
			b.ReportMetric(extrapolated.Seconds(), "extrapolated-s")
		}
	})

	b.Run(fmt.Sprintf("awscli/sample=%d", awscliSample), func(b *testing.B) {
		aws := testenv.RequireAWSCLI(b)
		base := []string{"--endpoint-url", srv.URL, "--region", "us-east-1", "--output", "json", "elb"}
		for b.Loop() {
			t0 := time.Now()
			out, err := runCmd(ctx, aws, append(base, "describe-load-balancers")...)
			if err != nil {
				b.Fatal(err)
			}
			describe := time.Since(t0)
			var res struct {
				LoadBalancerDescriptions []struct{ LoadBalancerName string }
			}
			if err := json.Unmarshal(out, &res); err != nil {
				b.Fatalf("aws elb describe-load-balancers: %v", err)
			}
			names := make([]string, len(res.LoadBalancerDescriptions))
			for i, d := range res.LoadBalancerDescriptions {
				names[i] = d.LoadBalancerName
			}
			checkInventory(b, len(names), func(int) int { return inventoryTags })
			// Each run asks for a batch of 20 names, the most DescribeTags accepts: the
			// cheapest way a shell script can fetch every tag with the CLI.
			t1 := time.Now()
			for s := range awscliSample {
				batch := names[s*20 : s*20+20]
				out, err := runCmd(ctx, aws, append(append(base, "describe-tags", "--load-balancer-names"), batch...)...)
				if err != nil {
					b.Fatal(err)
				}
				if n := strings.Count(string(out), `"LoadBalancerName"`); n != len(batch) {
					b.Fatalf("aws elb describe-tags answered for %d balancers, want %d", n, len(batch))
				}
			}
			perCall := time.Since(t1) / awscliSample
			b.ReportMetric(describe.Seconds(), "describe-s")
			b.ReportMetric(perCall.Seconds(), "s/describe-tags")
			b.ReportMetric((describe + perCall*inventorySize/20).Seconds(), "extrapolated-batched-s")
			b.ReportMetric((describe + perCall*inventorySize).Seconds(), "extrapolated-per-balancer-s")
		}
	})
}

// benchListing lists every balancer of svc with tags b.N times, checks each listing
// (checkInventory) and reports seconds a listing, its ratio to bound, and conc, the driver's
// tag concurrency.
func benchListing(b *testing.B, svc *loadbalancer.Service, bound time.Duration, conc int) {
	for b.Loop() {
		lbs, err := svc.ListBalancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true})
		if err != nil {
			b.Fatal(err)
		}
		checkInventory(b, len(lbs), func(i int) int { return len(lbs[i].Tags) })
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(perOp.Seconds(), "s/list")
	b.ReportMetric(float64(perOp)/float64(bound), "x-lower-bound")
	b.ReportMetric(float64(conc), "tag-concurrency")
}

// checkInventory fails the benchmark unless the listing held every seeded balancer with all
// its tags; tags(i) is the i-th balancer's tag count.
func checkInventory(b *testing.B, n int, tags func(i int) int) {
	b.Helper()
	if n != inventorySize {
		b.Fatalf("listed %d balancers, want %d", n, inventorySize)
	}
	for i := range n {
		if got := tags(i); got != inventoryTags {
			b.Fatalf("balancer %d has %d tags, want %d", i, got, inventoryTags)
		}
	}
}

// describeAllNames reads every DescribeLoadBalancers page in sequence and returns the names.
func describeAllNames(b *testing.B, c *elbsdk.Client) []string {
	b.Helper()
	var names []string
	in := &elbsdk.DescribeLoadBalancersInput{PageSize: aws.Int32(pageSize)}
	for {
		out, err := c.DescribeLoadBalancers(context.Background(), in)
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range out.LoadBalancerDescriptions {
			names = append(names, aws.ToString(d.LoadBalancerName))
		}
		if aws.ToString(out.NextMarker) == "" {
			return names
		}
		in.Marker = out.NextMarker
	}
}
