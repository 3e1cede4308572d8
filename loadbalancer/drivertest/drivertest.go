// Package drivertest is the conformance suite for load balancer providers: one set of
// behaviours that every provider, and every endpoint a provider can talk to, must show
// through the portable *loadbalancer.Service. A provider's tests call RunConformanceTests
// with a HarnessMaker; the suite learns what the provider supports from the provider itself
// (ListProtocols, ListSupportedAlgorithms, which updates it refuses with ErrUnsupported) and
// what its backend accepts as members from the Harness.
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
)

// Harness gives the suite what it needs from one provider and its backend.
type Harness interface {
	// MakeService opens a Service on the harness's backend. The suite calls it once per
	// test and closes the Service when the test ends.
	MakeService(ctx context.Context) (*loadbalancer.Service, error)
	// MakeMembers returns n distinct members the backend accepts (for AWS, EC2 instances),
	// each with its ID and, where the provider resolves members given by address, its IP.
	MakeMembers(ctx context.Context, n int) ([]loadbalancer.Member, error)
	// Close releases what the harness made. It runs last, after the suite has destroyed the
	// balancers it created.
	Close()
}

// ProviderValues is implemented by a Harness whose provider lists protocols or algorithms of
// its own beside the portable ones (a Network Load Balancer's TLS, its FLOW_HASH): the suite
// accepts those in ListProtocols and ListSupportedAlgorithms, and any other value that is
// not portable still fails. The suite never creates with them: it cannot know what they
// need (a certificate, a target type).
type ProviderValues interface {
	ProviderProtocols() []loadbalancer.Protocol
	ProviderAlgorithms() []loadbalancer.Algorithm
}

// HarnessMaker makes a harness on a fresh backend. It is called once per test.
type HarnessMaker func(ctx context.Context, t *testing.T) (Harness, error)

// AsTest checks a provider's escape hatches: the values Service.As hands out and the
// provider errors Service.ErrorAs finds.
type AsTest interface {
	// Name names the test.
	Name() string
	// ServiceCheck checks Service.As on a Service of the provider.
	ServiceCheck(svc *loadbalancer.Service) error
	// ErrorCheck checks Service.ErrorAs on err, the provider's answer to getting a balancer
	// that does not exist.
	ErrorCheck(svc *loadbalancer.Service, err error) error
}

// RunConformanceTests runs every behaviour, each on a fresh harness, and the As tests given
// (with one of its own that every provider passes: As and ErrorAs refuse nil).
func RunConformanceTests(t *testing.T, newHarness HarnessMaker, asTests ...AsTest) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service)
	}{
		{"ProtocolsAndAlgorithms", testProtocolsAndAlgorithms},
		{"ListedValuesWork", testListedValuesWork},
		{"CreateGetDestroy", testCreateGetDestroy},
		{"NotFound", testNotFound},
		{"InvalidArguments", testInvalidArguments},
		{"UnsupportedProtocol", testUnsupportedProtocol},
		{"UnsupportedAlgorithm", testUnsupportedAlgorithm},
		{"CreateExisting", testCreateExisting},
		{"Update", testUpdate},
		{"ListAllPages", testListAllPages},
		{"Tags", testTags},
		{"StreamStopsEarly", testStreamStopsEarly},
		{"CancelStopsListing", testCancelStopsListing},
		{"Members", testMembers},
		{"MembersByIP", testMembersByIP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { run(t, newHarness, tc.fn) })
	}
	t.Run("As", func(t *testing.T) {
		for _, at := range append([]AsTest{verifyAsFailsOnNil{}}, asTests...) {
			if at.Name() == "" {
				t.Fatal("an AsTest has no name")
			}
			t.Run(at.Name(), func(t *testing.T) {
				run(t, newHarness, func(t *testing.T, ctx context.Context, _ Harness, svc *loadbalancer.Service) {
					testAs(t, ctx, svc, at)
				})
			})
		}
	})
}

// run makes a harness and a Service for one test. Their cleanups are registered before the
// test's own, so they run after every balancer the test made has been destroyed.
func run(t *testing.T, newHarness HarnessMaker, fn func(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service)) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	h, err := newHarness(ctx, t)
	if err != nil {
		t.Fatalf("making harness: %v", err)
	}
	t.Cleanup(h.Close)
	svc, err := h.MakeService(ctx)
	if err != nil {
		t.Fatalf("making service: %v", err)
	}
	t.Cleanup(func() {
		if err := svc.Close(); err != nil {
			t.Errorf("closing service: %v", err)
		}
	})
	fn(t, ctx, h, svc)
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

// plainProtocols are the protocols the suite can create listeners with: they need no
// certificate.
var plainProtocols = []loadbalancer.Protocol{loadbalancer.HTTP, loadbalancer.TCP, loadbalancer.UDP}

// allProtocols and allAlgorithms are the portable values.
var (
	allProtocols  = []loadbalancer.Protocol{loadbalancer.HTTP, loadbalancer.HTTPS, loadbalancer.TCP, loadbalancer.SSL, loadbalancer.UDP}
	allAlgorithms = []loadbalancer.Algorithm{loadbalancer.RoundRobin, loadbalancer.Random, loadbalancer.LeastConnections,
		loadbalancer.WeightedRoundRobin, loadbalancer.WeightedLeastConnections, loadbalancer.ShortestResponse,
		loadbalancer.PersistentIP}
)

// plain lists the provider's protocols that need no certificate, in plainProtocols' order;
// the suite needs at least one.
func plain(t *testing.T, ctx context.Context, svc *loadbalancer.Service) []loadbalancer.Protocol {
	t.Helper()
	protos, err := svc.ListProtocols(ctx)
	if err != nil {
		t.Fatalf("ListProtocols: %v", err)
	}
	var out []loadbalancer.Protocol
	for _, p := range plainProtocols {
		if slices.Contains(protos, p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		t.Fatalf("ListProtocols = %v: the suite needs one of %v", protos, plainProtocols)
	}
	return out
}

// request is the suite's usual balancer: port 80 to 8080 in the provider's first plain
// protocol.
func request(t *testing.T, ctx context.Context, svc *loadbalancer.Service, prefix string) loadbalancer.CreateRequest {
	t.Helper()
	return loadbalancer.CreateRequest{Name: uniqueName(prefix), Port: 80, Protocol: plain(t, ctx, svc)[0], InstancePort: 8080}
}

// create makes a balancer and destroys it when the test ends.
func create(t *testing.T, ctx context.Context, svc *loadbalancer.Service, req loadbalancer.CreateRequest) *loadbalancer.LoadBalancer {
	t.Helper()
	lb, err := svc.CreateBalancer(ctx, req)
	if err != nil {
		t.Fatalf("CreateBalancer(%s): %v", req.Name, err)
	}
	destroyLater(t, svc, lb.ID)
	return lb
}

func destroyLater(t *testing.T, svc *loadbalancer.Service, id string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := svc.DestroyBalancer(ctx, id); err != nil && !errors.Is(err, loadbalancer.ErrNotFound) {
			t.Errorf("cleanup DestroyBalancer(%s): %v", id, err)
		}
	})
}

// absent checks that no balancer is named name: a refused request made nothing.
func absent(t *testing.T, ctx context.Context, svc *loadbalancer.Service, name string) {
	t.Helper()
	lbs, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{})
	if err != nil {
		t.Fatalf("ListBalancers: %v", err)
	}
	for _, lb := range lbs {
		if lb.Name == name {
			t.Fatalf("balancer %s exists after its creation was refused", name)
		}
	}
}

// wantKind checks that err is of kind, and a *loadbalancer.Error carrying the provider's
// name and an error code.
func wantKind(t *testing.T, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error %v: want errors.Is(%v)", err, kind)
	}
	var e *loadbalancer.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *loadbalancer.Error", err, err)
	}
	if e.Code == "" || e.Provider == "" {
		t.Fatalf("error %#v lacks a provider or a code", e)
	}
}

// testProtocolsAndAlgorithms: the lists hold portable values, or values the harness says
// are the provider's own, each once; at least one algorithm and one protocol the suite can
// create with.
func testProtocolsAndAlgorithms(t *testing.T, ctx context.Context, h Harness, svc *loadbalancer.Service) {
	protos, err := svc.ListProtocols(ctx)
	if err != nil {
		t.Fatal(err)
	}
	algs, err := svc.ListSupportedAlgorithms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(algs) == 0 {
		t.Error("ListSupportedAlgorithms is empty")
	}
	knownProtos, knownAlgs := allProtocols, allAlgorithms
	if pv, ok := h.(ProviderValues); ok {
		knownProtos = slices.Concat(knownProtos, pv.ProviderProtocols())
		knownAlgs = slices.Concat(knownAlgs, pv.ProviderAlgorithms())
	}
	for _, p := range protos {
		if !slices.Contains(knownProtos, p) {
			t.Errorf("ListProtocols has %q, neither a portable protocol nor one the harness declares", p)
		}
	}
	for _, a := range algs {
		if !slices.Contains(knownAlgs, a) {
			t.Errorf("ListSupportedAlgorithms has %q, neither a portable algorithm nor one the harness declares", a)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(protos)))) != len(protos) ||
		len(slices.Compact(slices.Sorted(slices.Values(algs)))) != len(algs) {
		t.Errorf("duplicates in %v or %v", protos, algs)
	}
	plain(t, ctx, svc)
}
