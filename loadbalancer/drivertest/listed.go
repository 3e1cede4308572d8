package drivertest

import (
	"context"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// certificateProtocols are the portable protocols whose listeners need a certificate.
var certificateProtocols = []loadbalancer.Protocol{loadbalancer.HTTPS, loadbalancer.SSL}

// testListedValuesWork: what the provider lists, it honours. Every listed protocol that
// needs no certificate and every listed algorithm creates a balancer (each protocol and each
// algorithm at least once, in as few balancers as that takes) whose listener speaks the
// protocol; a listed portable protocol that needs a certificate, asked for without one, is
// ErrInvalid (it is supported, the request is incomplete) and makes nothing.
func testListedValuesWork(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	protos := plain(t, ctx, svc)
	algs, err := svc.ListSupportedAlgorithms(ctx)
	if err != nil || len(algs) == 0 {
		t.Fatalf("ListSupportedAlgorithms = %v, %v", algs, err)
	}
	for i := range max(len(protos), len(algs)) {
		req := request(t, ctx, svc, "lv")
		req.Protocol, req.Algorithm = protos[i%len(protos)], algs[i%len(algs)]
		lb := create(t, ctx, svc, req)
		got, err := svc.GetBalancer(ctx, lb.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Listeners) != 1 || got.Listeners[0].Protocol != req.Protocol {
			t.Errorf("created with %s and %s: listeners %+v", req.Protocol, req.Algorithm, got.Listeners)
		}
	}
	listed, err := svc.ListProtocols(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range certificateProtocols {
		if !slices.Contains(listed, p) {
			continue
		}
		req := request(t, ctx, svc, "lv")
		req.Protocol = p
		_, err := svc.CreateBalancer(ctx, req)
		wantKind(t, err, loadbalancer.ErrInvalid)
		absent(t, ctx, svc, req.Name)
	}
}
