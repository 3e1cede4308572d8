package drivertest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func testCreateGetDestroy(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	name := uniqueName("ct")
	lb := create(t, ctx, svc, loadbalancer.CreateRequest{
		Name: name, Port: 80, Protocol: loadbalancer.HTTP, InstancePort: 8080, Algorithm: loadbalancer.RoundRobin,
	})
	if lb.Name != name || lb.ID == "" {
		t.Fatalf("created %+v, want name %s and an id", lb, name)
	}
	got, err := svc.GetBalancer(ctx, lb.ID)
	if err != nil {
		t.Fatalf("GetBalancer: %v", err)
	}
	if got.Name != name || got.DNSName == "" || got.Port != 80 {
		t.Errorf("GetBalancer = name %q dns %q port %d, want %q, a DNS name and port 80", got.Name, got.DNSName, got.Port, name)
	}
	if got.State != loadbalancer.StateRunning {
		t.Errorf("state %s, want RUNNING", got.State)
	}
	if len(got.Listeners) != 1 || got.Listeners[0].Port != 80 || got.Listeners[0].InstancePort != 8080 ||
		got.Listeners[0].Protocol != loadbalancer.HTTP {
		t.Errorf("listeners %+v, want one HTTP 80 -> 8080", got.Listeners)
	}
	if err := svc.DestroyBalancer(ctx, lb.ID); err != nil {
		t.Fatalf("DestroyBalancer: %v", err)
	}
	_, err = svc.GetBalancer(ctx, lb.ID)
	wantKind(t, err, loadbalancer.ErrNotFound)
}

func testNotFound(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	missing := uniqueName("missing")
	_, err := svc.GetBalancer(ctx, missing)
	wantKind(t, err, loadbalancer.ErrNotFound)
	_, err = svc.ListMembers(ctx, missing)
	wantKind(t, err, loadbalancer.ErrNotFound)
}

func testInvalidArguments(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	bad := []loadbalancer.CreateRequest{
		{Name: "", Port: 80, Protocol: loadbalancer.HTTP},
		{Name: uniqueName("ct"), Port: 0, Protocol: loadbalancer.HTTP},
		{Name: uniqueName("ct"), Port: 70000, Protocol: loadbalancer.HTTP},
		{Name: uniqueName("ct"), Port: 80},
		{Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP, Members: []loadbalancer.Member{{IP: "not-an-ip"}}},
	}
	for _, req := range bad {
		_, err := svc.CreateBalancer(ctx, req)
		wantKind(t, err, loadbalancer.ErrInvalid)
	}
}

func testUnsupportedAlgorithm(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	algs, err := svc.ListSupportedAlgorithms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all := []loadbalancer.Algorithm{loadbalancer.RoundRobin, loadbalancer.Random, loadbalancer.LeastConnections,
		loadbalancer.WeightedRoundRobin, loadbalancer.WeightedLeastConnections, loadbalancer.ShortestResponse,
		loadbalancer.PersistentIP}
	var existing *loadbalancer.LoadBalancer
	refused := 0
	for _, a := range all {
		if slices.Contains(algs, a) {
			continue
		}
		refused++
		name := uniqueName("ct")
		_, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: name, Port: 80, Protocol: loadbalancer.HTTP, Algorithm: a})
		wantKind(t, err, loadbalancer.ErrUnsupported)
		// Refusal must happen before anything is made.
		_, err = svc.GetBalancer(ctx, name)
		wantKind(t, err, loadbalancer.ErrNotFound)
		// An update asking for the algorithm is refused too, not silently ignored.
		if existing == nil {
			existing = create(t, ctx, svc, loadbalancer.CreateRequest{Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP})
		}
		_, err = svc.UpdateBalancer(ctx, existing.ID, loadbalancer.UpdateRequest{Algorithm: a})
		wantKind(t, err, loadbalancer.ErrUnsupported)
	}
	if refused == 0 {
		t.Skip("the driver supports every portable algorithm")
	}
}

func testListAllPages(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	var names []string
	for range 5 {
		lb := create(t, ctx, svc, loadbalancer.CreateRequest{Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP})
		names = append(names, lb.Name)
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
	if got := balancerNames(some); !slices.Equal(got, sortedCopy(names[:2])) {
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

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func testStreamStopsEarly(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	for range 3 {
		create(t, ctx, svc, loadbalancer.CreateRequest{Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP})
	}
	n := 0
	for lb, err := range svc.Balancers(ctx, loadbalancer.ListOptions{PageSize: 1}) {
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
		create(t, ctx, svc, loadbalancer.CreateRequest{Name: uniqueName("ct"), Port: 80, Protocol: loadbalancer.HTTP})
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
