package drivertest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// testUpdate asks for each portable change. What the provider cannot change it refuses with
// ErrUnsupported and leaves the balancer as it was; what it accepts shows, in the answer and
// in a later GetBalancer.
func testUpdate(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	req := request(t, ctx, svc, "ud")
	lb := create(t, ctx, svc, req)

	same, err := svc.UpdateBalancer(ctx, lb.ID, loadbalancer.UpdateRequest{})
	if err != nil || same.ID != lb.ID || same.Port != 80 {
		t.Fatalf("an empty update = %+v, %v; want the balancer unchanged", same, err)
	}

	t.Run("Port", func(t *testing.T) {
		updated(t, ctx, svc, lb.ID, loadbalancer.UpdateRequest{Port: 81}, func(got *loadbalancer.LoadBalancer) bool {
			return got.Port == 81 && len(got.Listeners) == 1 && got.Listeners[0].Port == 81
		})
	})
	t.Run("Protocol", func(t *testing.T) {
		protos := plain(t, ctx, svc)
		if len(protos) < 2 {
			t.Skipf("the provider has one protocol without certificates (%v)", protos)
		}
		next := protos[1]
		updated(t, ctx, svc, lb.ID, loadbalancer.UpdateRequest{Protocol: next}, func(got *loadbalancer.LoadBalancer) bool {
			return len(got.Listeners) == 1 && got.Listeners[0].Protocol == next
		})
	})
	t.Run("Name", func(t *testing.T) {
		name := uniqueName("ud")
		got, err := svc.UpdateBalancer(ctx, lb.ID, loadbalancer.UpdateRequest{Name: name})
		if err == nil {
			destroyLater(t, svc, got.ID)
			if got.Name != name {
				t.Errorf("renamed to %s, got %+v", name, got)
			}
			return
		}
		wantKind(t, err, loadbalancer.ErrUnsupported)
		if cur, err := svc.GetBalancer(ctx, lb.ID); err != nil || cur.Name != req.Name {
			t.Errorf("after a refused rename: %+v, %v", cur, err)
		}
	})
	t.Run("Algorithm", func(t *testing.T) {
		algs, err := svc.ListSupportedAlgorithms(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range algs {
			if _, err := svc.UpdateBalancer(ctx, lb.ID, loadbalancer.UpdateRequest{Algorithm: a}); err != nil {
				t.Errorf("updating to supported algorithm %s: %v", a, err)
			}
		}
	})
}

// updated applies up to balancer id and checks the result with ok, or, when the provider
// refuses the change as unsupported, that nothing changed.
func updated(t *testing.T, ctx context.Context, svc *loadbalancer.Service, id string, up loadbalancer.UpdateRequest,
	ok func(*loadbalancer.LoadBalancer) bool) {
	t.Helper()
	before, err := svc.GetBalancer(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.UpdateBalancer(ctx, id, up)
	if errors.Is(err, loadbalancer.ErrUnsupported) {
		wantKind(t, err, loadbalancer.ErrUnsupported)
		after, err := svc.GetBalancer(ctx, id)
		if err != nil || after.Port != before.Port || !sameListeners(after.Listeners, before.Listeners) {
			t.Errorf("a refused update %+v changed the balancer: %+v, %v", up, after, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("UpdateBalancer(%+v): %v", up, err)
	}
	if !ok(got) {
		t.Errorf("UpdateBalancer(%+v) answered %+v", up, got)
	}
	if after, err := svc.GetBalancer(ctx, id); err != nil || !ok(after) {
		t.Errorf("after UpdateBalancer(%+v): %+v, %v", up, after, err)
	}
}

func sameListeners(a, b []loadbalancer.Listener) bool {
	return slices.EqualFunc(a, b, func(x, y loadbalancer.Listener) bool {
		return x.Port == y.Port && x.Protocol == y.Protocol && x.InstancePort == y.InstancePort &&
			x.InstanceProtocol == y.InstanceProtocol
	})
}
