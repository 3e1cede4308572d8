package reliability

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

const racers = 64

// race runs fn(i) for i in [0, racers) released at once, and returns their errors.
func race(fn func(i int) error) []error {
	errs := make([]error, racers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

func raceClient(t *testing.T) *elb.Client {
	isolate(t)
	ep := serve(t, elbserver.Options{})
	// One attempt: a retry would hide a wrong answer behind a second, right one.
	return openClient(t, ep.URL, sigv4auth.DefaultCredential, 1)
}

// TestConcurrentCreateSameConfig: 64 simultaneous identical creates are 64 idempotent
// successes and leave exactly one balancer.
func TestConcurrentCreateSameConfig(t *testing.T) {
	d := raceClient(t)
	ctx := testCtx(t, 60*time.Second)
	var dnsMu sync.Mutex
	dns := map[string]int{}
	errs := race(func(int) error {
		lb, err := d.Service().CreateBalancer(ctx, httpListenerReq("same", 80))
		if err == nil {
			dnsMu.Lock()
			dns[lb.DNSName]++
			dnsMu.Unlock()
		}
		return err
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
	}
	if len(dns) != 1 {
		t.Errorf("creates answered %d different DNS names, want 1: %v", len(dns), dns)
	}
	assertBalancers(t, d.Service(), "same")
	lb, err := d.Service().GetBalancer(ctx, "same")
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Listeners) != 1 || lb.Listeners[0].Port != 80 {
		t.Errorf("listeners %+v, want one on port 80", lb.Listeners)
	}
}

// TestConcurrentCreateDifferentConfig: of 64 simultaneous creates of one name with 64
// different listeners, exactly one wins and the rest get DuplicateLoadBalancerName.
func TestConcurrentCreateDifferentConfig(t *testing.T) {
	d := raceClient(t)
	ctx := testCtx(t, 60*time.Second)
	errs := race(func(i int) error {
		_, err := d.Service().CreateBalancer(ctx, httpListenerReq("contested", 1000+i))
		return err
	})
	winner := -1
	for i, err := range errs {
		var de *driver.Error
		switch {
		case err == nil:
			if winner >= 0 {
				t.Errorf("creates %d and %d both succeeded", winner, i)
			}
			winner = i
		case errors.As(err, &de) && de.Code == "DuplicateLoadBalancerName" && errors.Is(err, driver.ErrAlreadyExists):
		default:
			t.Errorf("create %d: want DuplicateLoadBalancerName, got %v", i, err)
		}
	}
	if winner < 0 {
		t.Fatal("no create succeeded")
	}
	assertBalancers(t, d.Service(), "contested")
	lb, err := d.Service().GetBalancer(ctx, "contested")
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Listeners) != 1 || lb.Listeners[0].Port != 1000+winner {
		t.Errorf("listeners %+v, want only the winner's port %d", lb.Listeners, 1000+winner)
	}
}

// TestConcurrentUpdatesNotLost: concurrent read-modify-write actions on one balancer
// (listeners on distinct ports, tags with distinct keys) all land; none overwrites another.
func TestConcurrentUpdatesNotLost(t *testing.T) {
	d := raceClient(t)
	ctx := testCtx(t, 60*time.Second)
	if _, err := d.Service().CreateBalancer(ctx, httpListenerReq("busy", 80)); err != nil {
		t.Fatal(err)
	}
	errs := race(func(i int) error {
		if i < 10 { // the per-balancer tag limit
			if err := d.AddTags(ctx, []string{"busy"}, map[string]string{fmt.Sprintf("k%d", i): "v"}); err != nil {
				return err
			}
		}
		return d.CreateBalancerListeners(ctx, "busy", []elb.ListenerSpec{{LoadBalancerPort: 2000 + i, InstancePort: 8080, Protocol: driver.TCP}})
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("update %d: %v", i, err)
		}
	}
	lb, err := d.Service().GetBalancer(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	if len(lb.Listeners) != racers+1 {
		t.Errorf("%d listeners, want %d: concurrent updates were lost", len(lb.Listeners), racers+1)
	}
	tags, err := d.Tags(ctx, "busy")
	if err != nil {
		t.Fatal(err)
	}
	if len(tags["busy"]) != 10 {
		t.Errorf("tags %v, want k0..k9", tags["busy"])
	}
}

// assertBalancers checks the account svc talks to holds exactly the named balancers.
func assertBalancers(t *testing.T, svc *loadbalancer.Service, want ...string) {
	t.Helper()
	lbs, err := svc.ListBalancers(testCtx(t, 30*time.Second), driver.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, lb := range lbs {
		got = append(got, lb.Name)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("balancers %v, want %v", got, want)
	}
}
