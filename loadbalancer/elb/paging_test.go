package elb_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// createMany creates n balancers named lb-000... with a tag idx=<i>, one at a time: moto's
// server answers 500 now and then when creates overlap.
func createMany(t *testing.T, ctx context.Context, d *elb.Client, n int) {
	t.Helper()
	var sdk *elbsdk.Client
	if !d.Service().As(&sdk) {
		t.Fatal("As(**elasticloadbalancing.Client) = false")
	}
	for i := range n {
		// The SDK client directly: the Service's CreateBalancer's follow-up describe would
		// make this slow.
		_, err := sdk.CreateLoadBalancer(ctx, &elbsdk.CreateLoadBalancerInput{
			LoadBalancerName: aws.String(fmt.Sprintf("lb-%03d", i)), AvailabilityZones: []string{"us-east-1a"},
			Listeners: []types.Listener{{LoadBalancerPort: 80, InstancePort: aws.Int32(80), Protocol: aws.String("TCP")}},
			Tags:      []types.Tag{{Key: aws.String("idx"), Value: aws.String(fmt.Sprint(i))}}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestMotoPaginationAndTagBatches lists 450 balancers in pages of 100 and checks every page
// is read, every balancer seen once with its own tags, and tags fetched in batches of 20.
func TestMotoPaginationAndTagBatches(t *testing.T) {
	const n, page = 450, 100
	d, rec, _ := motoClient(t, elb.WithTagConcurrency(3))
	ctx := testCtx(t)
	createMany(t, ctx, d, n)

	rec.Reset()
	seen := map[string]int{}
	err := listEach(ctx, d, driver.ListOptions{PageSize: page, IncludeTags: true}, func(lb *driver.LoadBalancer) error {
		seen[lb.Name]++
		var i int
		fmt.Sscanf(lb.Name, "lb-%d", &i)
		if lb.Tags["idx"] != fmt.Sprint(i) {
			t.Errorf("%s has tags %v", lb.Name, lb.Tags)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != n {
		t.Errorf("saw %d balancers, want %d", len(seen), n)
	}
	for name, c := range seen {
		if c != 1 {
			t.Errorf("%s seen %d times", name, c)
		}
	}
	if got, want := rec.Count("DescribeLoadBalancers"), (n+page-1)/page; got != want {
		t.Errorf("DescribeLoadBalancers calls = %d, want %d", got, want)
	}
	// Each page of 100 is 5 batches of 20, the last page of 50 is 3.
	if got, want := rec.Count("DescribeTags"), 4*5+3; got != want {
		t.Errorf("DescribeTags calls = %d, want %d", got, want)
	}

	// An error from fn stops the listing early.
	rec.Reset()
	var calls atomic.Int32
	stop := fmt.Errorf("enough")
	err = listEach(ctx, d, driver.ListOptions{PageSize: page}, func(*driver.LoadBalancer) error {
		if calls.Add(1) == 5 {
			return stop
		}
		return nil
	})
	if err != stop || calls.Load() != 5 {
		t.Errorf("early stop: err %v after %d calls", err, calls.Load())
	}
	// The page being read by fn, and the read-ahead's three (read, or being read from the
	// token reported early): never all five.
	if got := rec.Count("DescribeLoadBalancers"); got > 4 {
		t.Errorf("DescribeLoadBalancers calls after an early stop = %d, want at most 4", got)
	}

	// Names restrict the listing.
	var names []string
	err = listEach(ctx, d, driver.ListOptions{Names: []string{"lb-007", "lb-300"}}, func(lb *driver.LoadBalancer) error {
		names = append(names, lb.Name)
		return nil
	})
	if err != nil || len(names) != 2 {
		t.Errorf("by names: %v, %v", names, err)
	}
}
