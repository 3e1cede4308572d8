package loadbalancer_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// recorder is a driver that remembers which calls reached it, so the tests can show that the
// portable layer refuses bad input before any provider call.
type recorder struct {
	mu       sync.Mutex
	calls    []string
	balancer int   // how many balancers the listing has, in pages of pageSize (default 2)
	pageSize int   //
	listErr  error // when set, the page after the last one fails with it
}

func (r *recorder) record(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
}

func (r *recorder) Provider() string { return "fake" }
func (r *recorder) ListProtocols(context.Context) ([]driver.Protocol, error) {
	return []driver.Protocol{driver.HTTP}, nil
}
func (r *recorder) ListSupportedAlgorithms(context.Context) ([]driver.Algorithm, error) {
	return []driver.Algorithm{driver.RoundRobin}, nil
}
func (r *recorder) ListPaged(_ context.Context, opts *driver.ListPageOptions) (*driver.ListPage, error) {
	r.record("ListPaged")
	size := r.pageSize
	if size == 0 {
		size = 2
	}
	start := 0
	fmt.Sscan(opts.PageToken, &start)
	if start >= r.balancer {
		return nil, r.listErr
	}
	p := &driver.ListPage{}
	for i := start; i < min(start+size, r.balancer); i++ {
		p.Balancers = append(p.Balancers, &driver.LoadBalancer{ID: fmt.Sprint(i)})
	}
	if next := start + size; next < r.balancer || r.listErr != nil {
		p.NextPageToken = fmt.Sprint(next)
	}
	return p, nil
}
func (r *recorder) LoadTags(_ context.Context, lbs []*driver.LoadBalancer) error {
	r.record("LoadTags")
	for _, lb := range lbs {
		lb.Tags = map[string]string{"id": lb.ID}
	}
	return nil
}
func (r *recorder) GetBalancer(_ context.Context, id string) (*driver.LoadBalancer, error) {
	r.record("GetBalancer")
	return &driver.LoadBalancer{ID: id}, nil
}
func (r *recorder) CreateBalancer(_ context.Context, req driver.CreateRequest) (*driver.LoadBalancer, error) {
	r.record("CreateBalancer")
	return &driver.LoadBalancer{ID: req.Name}, nil
}
func (r *recorder) UpdateBalancer(_ context.Context, id string, _ driver.UpdateRequest) (*driver.LoadBalancer, error) {
	r.record("UpdateBalancer")
	return &driver.LoadBalancer{ID: id}, nil
}
func (r *recorder) DestroyBalancer(context.Context, string) error {
	r.record("DestroyBalancer")
	return nil
}
func (r *recorder) AttachMembers(_ context.Context, _ string, ms []driver.Member) ([]driver.Member, error) {
	r.record("AttachMembers")
	return ms, nil
}
func (r *recorder) DetachMembers(context.Context, string, []driver.Member) error {
	r.record("DetachMembers")
	return nil
}
func (r *recorder) ListMembers(context.Context, string) ([]driver.Member, error) {
	r.record("ListMembers")
	return nil, nil
}
func (r *recorder) As(any) bool  { return false }
func (r *recorder) Close() error { return nil }

func TestServiceRefusesBadInputBeforeTheDriver(t *testing.T) {
	ctx := context.Background()
	r := &recorder{}
	svc := loadbalancer.NewService(r)
	cases := map[string]error{}
	_, cases["empty id"] = svc.GetBalancer(ctx, " ")
	_, cases["port 0"] = svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "a", Protocol: loadbalancer.HTTP})
	_, cases["no protocol"] = svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "a", Port: 80})
	_, cases["instance port"] = svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "a", Port: 80, Protocol: "HTTP", InstancePort: 65536})
	_, cases["bad ip"] = svc.AttachMember(ctx, "a", loadbalancer.Member{IP: "300.1.1.1"})
	_, cases["empty member"] = svc.AttachMember(ctx, "a", loadbalancer.Member{})
	_, cases["member port"] = svc.AttachMember(ctx, "a", loadbalancer.Member{ID: "i-1", Port: -1})
	cases["no members"] = svc.DetachMembers(ctx, "a", nil)
	_, cases["update port"] = svc.UpdateBalancer(ctx, "a", loadbalancer.UpdateRequest{Port: 99999})
	for name, err := range cases {
		if !errors.Is(err, loadbalancer.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
		var e *loadbalancer.Error
		if !errors.As(err, &e) || e.Provider != "fake" || e.Code == "" {
			t.Errorf("%s: err %v does not carry provider and code", name, err)
		}
	}
	if len(r.calls) != 0 {
		t.Errorf("driver was called for bad input: %v", r.calls)
	}
	if _, err := svc.AttachComputeNode(ctx, "a", "i-12345678"); err != nil || r.calls[0] != "AttachMembers" {
		t.Errorf("AttachComputeNode: err %v calls %v", err, r.calls)
	}
}

func TestBalancersIteratorStops(t *testing.T) {
	r := &recorder{balancer: 10}
	svc := loadbalancer.NewService(r)
	n := 0
	for lb, err := range svc.Balancers(context.Background(), loadbalancer.ListOptions{}) {
		if err != nil {
			t.Fatal(err)
		}
		if lb.ID != fmt.Sprint(n) {
			t.Fatalf("got %s at %d", lb.ID, n)
		}
		if n++; n == 3 {
			break
		}
	}
	if n != 3 {
		t.Fatalf("n = %d", n)
	}
	all, err := svc.ListBalancers(context.Background(), loadbalancer.ListOptions{})
	if err != nil || len(all) != 10 {
		t.Fatalf("ListBalancers = %d, %v", len(all), err)
	}
}

// A driver may report an error of its own that raced with the loop's break (the next page
// failed meanwhile); the iterator must not yield it, since yielding after a break panics.
func TestBalancersIteratorYieldsNothingAfterBreak(t *testing.T) {
	pageErr := &driver.Error{Kind: driver.ErrUnavailable, Provider: "fake", Code: "InternalFailure"}
	svc := loadbalancer.NewService(&recorder{balancer: 3, listErr: pageErr})
	n := 0
	for _, err := range svc.Balancers(context.Background(), loadbalancer.ListOptions{}) {
		if err != nil {
			t.Fatalf("error yielded after %d balancers: %v", n, err)
		}
		n++
		break
	}
	if n != 1 {
		t.Fatalf("n = %d", n)
	}
	// Without a break, the driver's error ends the sequence.
	var last error
	for lb, err := range svc.Balancers(context.Background(), loadbalancer.ListOptions{}) {
		if err != nil {
			last = err
			if lb != nil {
				t.Errorf("error yielded with balancer %v", lb)
			}
		}
	}
	if last != pageErr {
		t.Errorf("last = %v, want the driver's error", last)
	}
}

func TestOpenUnknownProvider(t *testing.T) {
	_, err := loadbalancer.Open(context.Background(), "nope", loadbalancer.Options{})
	if !errors.Is(err, loadbalancer.ErrUnsupported) {
		t.Fatalf("err = %v, want ErrUnsupported", err)
	}
	loadbalancer.Register("fake-open", func(context.Context, loadbalancer.Options) (*loadbalancer.Service, error) {
		return loadbalancer.NewService(&recorder{}), nil
	})
	svc, err := loadbalancer.Open(context.Background(), "fake-open", loadbalancer.Options{})
	if err != nil || svc.Provider() != "fake" {
		t.Fatalf("Open = %v, %v", svc, err)
	}
}

func TestErrorMessageAndUnwrap(t *testing.T) {
	cause := errors.New("boom")
	e := &driver.Error{Kind: driver.ErrNotFound, Provider: "elb", Op: "DescribeLoadBalancers", Code: "LoadBalancerNotFound",
		Message: "There is no ACTIVE Load Balancer named 'x'", RequestID: "req-1", Err: cause}
	want := "elb DescribeLoadBalancers: LoadBalancerNotFound: There is no ACTIVE Load Balancer named 'x' (request id req-1)"
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	if !errors.Is(e, driver.ErrNotFound) || !errors.Is(e, cause) || errors.Is(e, driver.ErrInvalid) {
		t.Error("errors.Is does not follow Kind and Err")
	}
}

func TestHealthCheckJSONInSeconds(t *testing.T) {
	hc := loadbalancer.HealthCheck{Target: "HTTP:80/", Interval: 30 * time.Second, Timeout: 5 * time.Second,
		HealthyThreshold: 10, UnhealthyThreshold: 2}
	b, err := json.Marshal(hc)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"target":"HTTP:80/","interval_seconds":30,"timeout_seconds":5,"healthy_threshold":10,"unhealthy_threshold":2}`
	if string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var back loadbalancer.HealthCheck
	if err := json.Unmarshal(b, &back); err != nil || back != hc {
		t.Errorf("round trip = %+v, %v", back, err)
	}
}

// codedError stands for a provider's own error type, such as smithy.APIError.
type codedError struct{ code string }

func (e *codedError) Error() string { return e.code }

func TestServiceAsAndErrorAs(t *testing.T) {
	svc := loadbalancer.NewService(&recorder{})
	if svc.As(nil) {
		t.Error("As(nil) = true")
	}
	err := fmt.Errorf("listing: %w", &driver.Error{Kind: driver.ErrThrottled, Provider: "fake", Code: "Throttling",
		Err: &codedError{code: "Throttling"}})
	var ce *codedError
	if !svc.ErrorAs(err, &ce) || ce.code != "Throttling" {
		t.Errorf("ErrorAs did not find the provider's error in %v", err)
	}
	var e *loadbalancer.Error
	if !svc.ErrorAs(err, &e) || e.Provider != "fake" {
		t.Errorf("ErrorAs did not find the portable error in %v", err)
	}
	if svc.ErrorAs(nil, &ce) || svc.ErrorAs(errors.New("plain"), &ce) {
		t.Error("ErrorAs found a provider error where there is none")
	}
	defer func() {
		if recover() == nil {
			t.Error("ErrorAs with a nil target did not panic")
		}
	}()
	svc.ErrorAs(err, nil)
}
