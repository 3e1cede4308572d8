package elbv2

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// On real answers, the endpoint's and moto's, every page but the last reports its NextMarker
// through OnNextPageToken before ListPaged returns: the very token the page carries.
func TestListPagedReportsTheMarkerEarly(t *testing.T) {
	endpoint := func(t *testing.T) string {
		srv := elbtest.NewServer()
		t.Cleanup(srv.Close)
		return srv.URL
	}
	awstest.OnBackends(t, endpoint, func(t *testing.T, url string) {
		ctx := testCtx(t)
		c, err := openClient(ctx, ALB, driver.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test", Endpoint: url})
		if err != nil {
			t.Fatal(err)
		}
		d := newDriver(c)
		want := []string{"a", "b", "c"}
		for _, n := range want {
			if _, err := service(d).CreateBalancer(ctx, loadbalancer.CreateRequest{Name: n, Port: 80, Protocol: "HTTP"}); err != nil {
				t.Fatal(err)
			}
		}
		if got := awstest.CheckEarlyTokens(t, ctx, 2, d.ListPaged); !slices.Equal(got, want) {
			t.Errorf("pages held %v, want %v", got, want)
		}
	})
}

// A listing tags two pages at once, yet all its DescribeTags calls together stay within
// WithTagConcurrency: the limit is the driver's, not each LoadTags call's. Page 0's first
// batch waits until page 1's tags are asked for, so page 1 is tagged while page 0 still is;
// page 0's other batches run meanwhile, and a limit per LoadTags call would let page 1 start
// more calls than the driver allows.
func TestListingBoundsTagCallsAcrossPages(t *testing.T) {
	const pages, per, limit = 3, 100, 3
	var inflight, peak atomic.Int32
	page1 := make(chan struct{})
	var page1Once atomic.Bool
	s := script{
		"DescribeLoadBalancers": func(form url.Values) (int, string) {
			p := 0
			fmt.Sscan(form.Get("Marker"), &p)
			lbs := make([]string, per)
			for i := range lbs {
				lbs[i] = lbXML(fmt.Sprintf("lb-%d-%d", p, i), fmt.Sprintf("arn:lb/%d-%d", p, i), "application", "active")
			}
			next := ""
			if p+1 < pages {
				next = fmt.Sprintf("<NextMarker>%d</NextMarker>", p+1)
			}
			return 200, awstest.QueryOK(ns, "DescribeLoadBalancers", members("LoadBalancers", lbs...)+next)
		},
		"DescribeTags": func(form url.Values) (int, string) {
			n := inflight.Add(1)
			defer inflight.Add(-1)
			for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
			}
			first := form.Get("ResourceArns.member.1")
			switch {
			case first == "arn:lb/0-0":
				select {
				case <-page1:
				case <-time.After(5 * time.Second):
					return 400, awstest.QueryError(ns, "Timeout", "page 1 was not tagged while page 0 was")
				}
			case strings.HasPrefix(first, "arn:lb/1-") && page1Once.CompareAndSwap(false, true):
				close(page1)
			default:
				time.Sleep(5 * time.Millisecond) // long enough for calls to overlap
			}
			var descs []string
			for i := 1; form.Get(fmt.Sprintf("ResourceArns.member.%d", i)) != ""; i++ {
				arn := form.Get(fmt.Sprintf("ResourceArns.member.%d", i))
				descs = append(descs, `<ResourceArn>`+arn+`</ResourceArn><Tags><member><Key>id</Key><Value>`+arn+`</Value></member></Tags>`)
			}
			return 200, awstest.QueryOK(ns, "DescribeTags", members("TagDescriptions", descs...))
		},
	}
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1, WithTagConcurrency(limit), WithPageSize(per))
	lbs, err := service(d).ListBalancers(testCtx(t), loadbalancer.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatal(err)
	}
	for i, lb := range lbs {
		if want := fmt.Sprintf("arn:lb/%d-%d", i/per, i%per); lb.ID != want || lb.Tags["id"] != want {
			t.Fatalf("balancer %d = %s tagged %v, want %s in order", i, lb.ID, lb.Tags, want)
		}
	}
	if len(lbs) != pages*per {
		t.Errorf("listed %d balancers, want %d", len(lbs), pages*per)
	}
	if p := peak.Load(); p != limit {
		t.Errorf("at most %d DescribeTags calls ran at once, want %d (WithTagConcurrency)", p, limit)
	}
}
