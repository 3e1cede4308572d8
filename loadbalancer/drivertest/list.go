package drivertest

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func testListAllPages(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	var names []string
	for range 5 {
		names = append(names, create(t, ctx, svc, request(t, ctx, svc, "ls")).Name)
	}
	// A page size of 2 forces several pages: every balancer must still come back exactly once.
	all, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{PageSize: 2})
	if err != nil {
		t.Fatalf("ListBalancers: %v", err)
	}
	seen := map[string]int{}
	for _, lb := range all {
		seen[lb.Name]++
	}
	for _, n := range names {
		if seen[n] != 1 {
			t.Errorf("balancer %s listed %d times, want once", n, seen[n])
		}
	}
	some, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{Names: names[:2]})
	if err != nil {
		t.Fatalf("ListBalancers by name: %v", err)
	}
	if got := balancerNames(some); !slices.Equal(got, slices.Sorted(slices.Values(names[:2]))) {
		t.Errorf("listing by names %v gave %v", names[:2], got)
	}
}

func balancerNames(lbs []*loadbalancer.LoadBalancer) []string {
	out := make([]string, 0, len(lbs))
	for _, lb := range lbs {
		out = append(out, lb.Name)
	}
	slices.Sort(out)
	return out
}

// testTags: tags given at creation come back when the listing asks for them.
func testTags(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	tagged := request(t, ctx, svc, "tg")
	tagged.Tags = map[string]string{"team": "web", "env": "test"}
	create(t, ctx, svc, tagged)
	bare := create(t, ctx, svc, request(t, ctx, svc, "tg"))
	lbs, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{IncludeTags: true, PageSize: 1})
	if err != nil {
		t.Fatalf("ListBalancers: %v", err)
	}
	found := 0
	for _, lb := range lbs {
		switch lb.Name {
		case tagged.Name:
			found++
			if !maps.Equal(lb.Tags, tagged.Tags) {
				t.Errorf("tags of %s = %v, want %v", lb.Name, lb.Tags, tagged.Tags)
			}
		case bare.Name:
			found++
			if len(lb.Tags) != 0 {
				t.Errorf("untagged %s has tags %v", lb.Name, lb.Tags)
			}
		}
	}
	if found != 2 {
		t.Errorf("listing found %d of the 2 balancers", found)
	}
}

func testStreamStopsEarly(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	for range 3 {
		create(t, ctx, svc, request(t, ctx, svc, "st"))
	}
	n := 0
	for lb, err := range svc.Balancers(ctx, loadbalancer.ListOptions{PageSize: 1, IncludeTags: true}) {
		if err != nil {
			t.Fatalf("Balancers: %v", err)
		}
		if lb == nil {
			t.Fatal("nil balancer without an error")
		}
		n++
		if n == 2 {
			break
		}
	}
	if n != 2 {
		t.Errorf("iterated %d balancers before break, want 2", n)
	}
}

// testCancelStopsListing cancels the context inside the loop body: the listing must end with
// the cancellation as its error, and hand out no further balancer.
func testCancelStopsListing(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	for range 3 {
		create(t, ctx, svc, request(t, ctx, svc, "cl"))
	}
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	n := 0
	var last error
	for lb, err := range svc.Balancers(lctx, loadbalancer.ListOptions{PageSize: 2}) {
		if err != nil {
			last = err
			continue
		}
		if lb == nil {
			t.Fatal("nil balancer without an error")
		}
		n++
		cancel()
	}
	if n != 1 {
		t.Errorf("got %d balancers after cancelling at the first, want 1", n)
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("listing ended with %v, want the cancellation", last)
	}
}
