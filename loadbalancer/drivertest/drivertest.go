// Package drivertest is the conformance suite for load balancer drivers: one set of behaviours
// that every driver, and every endpoint a driver can talk to, must show. A provider's tests call
// RunConformanceTests with a Harness that opens the driver against a target.
package drivertest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Harness gives the suite a driver and members that its target accepts.
type Harness interface {
	// MakeDriver opens a driver against the target.
	MakeDriver(ctx context.Context) (driver.Driver, error)
	// MakeMembers returns n distinct members the target accepts, each with an ID and, where the
	// target can resolve addresses to members, the member's IP.
	MakeMembers(ctx context.Context, n int) ([]driver.Member, error)
	// Close releases what the harness made.
	Close()
}

// HarnessMaker makes a fresh harness for one run of the suite.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// RunConformanceTests runs every behaviour against the harness's target.
func RunConformanceTests(t *testing.T, newHarness HarnessMaker) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service)
	}{
		{"ProtocolsAndAlgorithms", testProtocolsAndAlgorithms},
		{"CreateGetDestroy", testCreateGetDestroy},
		{"NotFound", testNotFound},
		{"InvalidArguments", testInvalidArguments},
		{"UnsupportedAlgorithm", testUnsupportedAlgorithm},
		{"ListAllPages", testListAllPages},
		{"StreamStopsEarly", testStreamStopsEarly},
		{"CancelStopsListing", testCancelStopsListing},
		{"Members", testMembers},
		{"MembersByIP", testMembersByIP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			h, err := newHarness(ctx, t)
			if err != nil {
				t.Fatalf("making harness: %v", err)
			}
			defer h.Close()
			d, err := h.MakeDriver(ctx)
			if err != nil {
				t.Fatalf("making driver: %v", err)
			}
			svc := loadbalancer.NewService(d)
			defer svc.Close()
			tc.fn(t, ctx, h, svc)
		})
	}
}

// uniqueName is a valid balancer name (alphanumerics and hyphens, at most 32 characters) that
// no other run of the suite uses, so targets shared between runs stay clean.
func uniqueName(prefix string) string {
	b := make([]byte, 5)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return prefix + "-" + hex.EncodeToString(b)
}

// create makes a balancer and removes it when the test ends.
func create(t *testing.T, ctx context.Context, svc *loadbalancer.Service, req loadbalancer.CreateRequest) *loadbalancer.LoadBalancer {
	t.Helper()
	lb, err := svc.CreateBalancer(ctx, req)
	if err != nil {
		t.Fatalf("CreateBalancer(%s): %v", req.Name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := svc.DestroyBalancer(ctx, lb.ID); err != nil && !errors.Is(err, loadbalancer.ErrNotFound) {
			t.Errorf("cleanup DestroyBalancer(%s): %v", lb.ID, err)
		}
	})
	return lb
}

func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v: want errors.Is(%v)", err, kind)
	}
	var de *driver.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v (%T) is not a *driver.Error", err, err)
	}
	if de.Code == "" || de.Provider == "" {
		t.Fatalf("error %#v lacks a provider code", de)
	}
}

func testProtocolsAndAlgorithms(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
	protos, err := svc.ListProtocols(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(protos, loadbalancer.HTTP) || !slices.Contains(protos, loadbalancer.TCP) {
		t.Errorf("ListProtocols = %v, want HTTP and TCP among them", protos)
	}
	algs, err := svc.ListSupportedAlgorithms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(algs, loadbalancer.RoundRobin) {
		t.Errorf("ListSupportedAlgorithms = %v, want ROUND_ROBIN among them", algs)
	}
}
