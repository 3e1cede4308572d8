package drivertest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func testCreateGetDestroy(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	req := request(t, ctx, svc, "ct")
	algs, err := svc.ListSupportedAlgorithms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	req.Algorithm = algs[0]
	lb := create(t, ctx, svc, req)
	if lb.Name != req.Name || lb.ID == "" {
		t.Fatalf("created %+v, want name %s and an id", lb, req.Name)
	}
	got, err := svc.GetBalancer(ctx, lb.ID)
	if err != nil {
		t.Fatalf("GetBalancer: %v", err)
	}
	if got.ID != lb.ID || got.Name != req.Name || got.DNSName == "" || got.Port != 80 {
		t.Errorf("GetBalancer = id %q name %q dns %q port %d, want %q, %q, a DNS name and port 80",
			got.ID, got.Name, got.DNSName, got.Port, lb.ID, req.Name)
	}
	if got.State != loadbalancer.StateRunning && got.State != loadbalancer.StatePending {
		t.Errorf("state %s, want RUNNING or PENDING", got.State)
	}
	if len(got.Listeners) != 1 || got.Listeners[0].Port != 80 || got.Listeners[0].InstancePort != 8080 ||
		got.Listeners[0].Protocol != req.Protocol {
		t.Errorf("listeners %+v, want one %s 80 -> 8080", got.Listeners, req.Protocol)
	}
	if err := svc.DestroyBalancer(ctx, lb.ID); err != nil {
		t.Fatalf("DestroyBalancer: %v", err)
	}
	_, err = svc.GetBalancer(ctx, lb.ID)
	wantKind(t, err, loadbalancer.ErrNotFound)
	// Destroying is idempotent, or says the balancer is gone.
	if err := svc.DestroyBalancer(ctx, lb.ID); err != nil {
		wantKind(t, err, loadbalancer.ErrNotFound)
	}
}

// testNotFound works on the ID of a balancer that existed, so the ID has the provider's own
// shape (a name, an ARN) and only its absence is wrong.
func testNotFound(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	lb := create(t, ctx, svc, request(t, ctx, svc, "nf"))
	if err := svc.DestroyBalancer(ctx, lb.ID); err != nil {
		t.Fatalf("DestroyBalancer: %v", err)
	}
	_, err := svc.GetBalancer(ctx, lb.ID)
	wantKind(t, err, loadbalancer.ErrNotFound)
	_, err = svc.ListMembers(ctx, lb.ID)
	wantKind(t, err, loadbalancer.ErrNotFound)
	_, err = svc.UpdateBalancer(ctx, lb.ID, loadbalancer.UpdateRequest{Port: 81})
	if !errors.Is(err, loadbalancer.ErrUnsupported) {
		wantKind(t, err, loadbalancer.ErrNotFound)
	}
}

// testInvalidArguments: the portable checks refuse these before any provider call, the
// same way for every provider.
func testInvalidArguments(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	p := plain(t, ctx, svc)[0]
	bad := []loadbalancer.CreateRequest{
		{Name: "", Port: 80, Protocol: p},
		{Name: uniqueName("ct"), Port: 0, Protocol: p},
		{Name: uniqueName("ct"), Port: 70000, Protocol: p},
		{Name: uniqueName("ct"), Port: 80},
		{Name: uniqueName("ct"), Port: 80, Protocol: p, Members: []loadbalancer.Member{{IP: "not-an-ip"}}},
	}
	for _, req := range bad {
		_, err := svc.CreateBalancer(ctx, req)
		wantKind(t, err, loadbalancer.ErrInvalid)
	}
	_, err := svc.AttachMembers(ctx, "x", nil)
	wantKind(t, err, loadbalancer.ErrInvalid)
	_, err = svc.GetBalancer(ctx, " ")
	wantKind(t, err, loadbalancer.ErrInvalid)
}

// testUnsupportedProtocol: a portable protocol the provider does not list is refused with
// ErrUnsupported before anything is made.
func testUnsupportedProtocol(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	protos, err := svc.ListProtocols(ctx)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, p := range allProtocols {
		if slices.Contains(protos, p) {
			continue
		}
		refused++
		name := uniqueName("up")
		_, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: name, Port: 80, Protocol: p, InstancePort: 8080})
		wantKind(t, err, loadbalancer.ErrUnsupported)
		absent(t, ctx, svc, name)
	}
	if refused == 0 {
		t.Skip("the provider supports every portable protocol")
	}
}

// testUnsupportedAlgorithm: an algorithm the provider does not list is refused, on create
// before anything is made, and on update rather than silently ignored.
func testUnsupportedAlgorithm(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	algs, err := svc.ListSupportedAlgorithms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var existing *loadbalancer.LoadBalancer
	refused := 0
	for _, a := range allAlgorithms {
		if slices.Contains(algs, a) {
			continue
		}
		refused++
		req := request(t, ctx, svc, "ua")
		req.Algorithm = a
		_, err := svc.CreateBalancer(ctx, req)
		wantKind(t, err, loadbalancer.ErrUnsupported)
		absent(t, ctx, svc, req.Name)
		if existing == nil {
			existing = create(t, ctx, svc, request(t, ctx, svc, "ua"))
		}
		_, err = svc.UpdateBalancer(ctx, existing.ID, loadbalancer.UpdateRequest{Algorithm: a})
		wantKind(t, err, loadbalancer.ErrUnsupported)
	}
	if refused == 0 {
		t.Skip("the provider supports every portable algorithm")
	}
}

// testCreateExisting: creating a balancer under a name in use, with another listener, is
// ErrAlreadyExists and leaves the existing balancer as it was; it is never merged into it.
func testCreateExisting(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	req := request(t, ctx, svc, "ex")
	lb := create(t, ctx, svc, req)
	again := req
	again.Port = 81
	if got, err := svc.CreateBalancer(ctx, again); err == nil {
		destroyLater(t, svc, got.ID)
		t.Fatalf("a second balancer named %s was created: %+v", req.Name, got)
	} else {
		wantKind(t, err, loadbalancer.ErrAlreadyExists)
	}
	got, err := svc.GetBalancer(ctx, lb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Listeners) != 1 || got.Listeners[0].Port != 80 {
		t.Errorf("existing balancer's listeners are now %+v, want only port 80", got.Listeners)
	}
}
