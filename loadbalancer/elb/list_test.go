package elb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// pagedFake serves `pages` pages of `per` balancers (lb-P-I) and tags name=<balancer>. Page 0's
// DescribeTags calls wait until page 1 has been requested, which only happens if the next
// page is fetched while tags are in flight; it also records the peak of concurrent
// DescribeTags calls.
func pagedFake(t *testing.T, pages, per int) (f *awstest.Fake, peak *atomic.Int32, pipelined *atomic.Bool) {
	var inflight atomic.Int32
	peak, pipelined = &atomic.Int32{}, &atomic.Bool{}
	page1 := make(chan struct{})
	f = awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		switch action {
		case "DescribeLoadBalancers":
			p := 0
			fmt.Sscan(form.Get("Marker"), &p)
			if p == 1 {
				close(page1)
			}
			var b strings.Builder
			b.WriteString("<LoadBalancerDescriptions>")
			for i := range per {
				fmt.Fprintf(&b, "<member><LoadBalancerName>lb-%d-%d</LoadBalancerName><ListenerDescriptions><member><Listener>"+
					"<Protocol>TCP</Protocol><LoadBalancerPort>80</LoadBalancerPort><InstanceProtocol>TCP</InstanceProtocol>"+
					"<InstancePort>80</InstancePort></Listener></member></ListenerDescriptions></member>", p, i)
			}
			b.WriteString("</LoadBalancerDescriptions>")
			if p+1 < pages {
				fmt.Fprintf(&b, "<NextMarker>%d</NextMarker>", p+1)
			}
			return 200, awstest.QueryOK(elbNS, action, b.String())
		case "DescribeTags":
			n := inflight.Add(1)
			defer inflight.Add(-1)
			for {
				old := peak.Load()
				if n <= old || peak.CompareAndSwap(old, n) {
					break
				}
			}
			if strings.HasPrefix(form.Get("LoadBalancerNames.member.1"), "lb-0-") {
				select {
				case <-page1:
					pipelined.Store(true)
				case <-time.After(2 * time.Second):
				}
			} else {
				time.Sleep(10 * time.Millisecond) // long enough for concurrent calls to overlap
			}
			var b strings.Builder
			b.WriteString("<TagDescriptions>")
			for i := 1; form.Get(fmt.Sprintf("LoadBalancerNames.member.%d", i)) != ""; i++ {
				n := form.Get(fmt.Sprintf("LoadBalancerNames.member.%d", i))
				fmt.Fprintf(&b, "<member><LoadBalancerName>%s</LoadBalancerName><Tags><member><Key>name</Key><Value>%s</Value></member></Tags></member>", n, n)
			}
			b.WriteString("</TagDescriptions>")
			return 200, awstest.QueryOK(elbNS, action, b.String())
		}
		return 400, awstest.QueryError(elbNS, "InvalidAction", action)
	})
	return f, peak, pipelined
}

func TestListBalancersPipelinesAndBoundsTagCalls(t *testing.T) {
	const pages, per = 3, 100
	f, peak, pipelined := pagedFake(t, pages, per)
	d := fakeClient(t, f, 1, WithTagConcurrency(3), WithPageSize(per))
	var order []string
	err := listEach(shortCtx(t), d, driver.ListOptions{IncludeTags: true}, func(lb *driver.LoadBalancer) error {
		if lb.Tags["name"] != lb.Name || lb.State != driver.StateRunning || lb.Port != 80 {
			t.Errorf("balancer %+v", lb)
		}
		order = append(order, lb.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != pages*per || order[0] != "lb-0-0" || order[per] != "lb-1-0" || order[len(order)-1] != "lb-2-99" {
		t.Errorf("listed %d balancers, order %v ... %v", len(order), order[:1], order[len(order)-1:])
	}
	if got := f.Count("DescribeTags"); got != pages*per/tagBatch {
		t.Errorf("DescribeTags calls = %d, want %d", got, pages*per/tagBatch)
	}
	if p := peak.Load(); p > 3 || p < 2 {
		t.Errorf("peak concurrent DescribeTags = %d, want 2..3 (bounded by 3, and concurrent)", p)
	}
	if !pipelined.Load() {
		t.Error("the next page was not fetched while the first page's tags were in flight")
	}
	if got := f.Last("DescribeLoadBalancers").Get("PageSize"); got != fmt.Sprint(per) {
		t.Errorf("PageSize sent = %q", got)
	}
}

func TestListBalancersReportsPageErrors(t *testing.T) {
	f := awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		if form.Get("Marker") == "" {
			return 200, awstest.QueryOK(elbNS, action, "<LoadBalancerDescriptions><member><LoadBalancerName>a</LoadBalancerName></member></LoadBalancerDescriptions><NextMarker>m</NextMarker>")
		}
		return 400, awstest.QueryError(elbNS, "AccessDenied", "no")
	})
	d := fakeClient(t, f, 1)
	var n int
	err := listEach(shortCtx(t), d, driver.ListOptions{}, func(*driver.LoadBalancer) error { n++; return nil })
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("err = %v, want the second page's error", err)
	}
	if n > 1 {
		t.Errorf("fn called %d times", n)
	}
}

// stallingFake serves a first page of three balancers and holds the second page's request
// until the client gives up on it. started is closed when that request arrives; inflight
// counts DescribeLoadBalancers requests the client has not finished.
func stallingFake(t *testing.T) (c *Client, started chan struct{}, inflight *atomic.Int32) {
	t.Helper()
	started, inflight = make(chan struct{}), &atomic.Int32{}
	var once sync.Once
	release := make(chan struct{})
	f := awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		if form.Get("Marker") == "" {
			return 200, awstest.QueryOK(elbNS, action, "<LoadBalancerDescriptions><member><LoadBalancerName>a</LoadBalancerName></member>"+
				"<member><LoadBalancerName>b</LoadBalancerName></member><member><LoadBalancerName>c</LoadBalancerName></member>"+
				"</LoadBalancerDescriptions><NextMarker>2</NextMarker>")
		}
		once.Do(func() { close(started) })
		select { // the client hangs up long before; release lets the server close at once
		case <-release:
		case <-time.After(time.Minute):
		}
		return 500, awstest.QueryError(elbNS, "InternalFailure", "too late")
	})
	t.Cleanup(func() { close(release) }) // runs before the server's own cleanup
	client := countingClient{inflight: inflight, next: &http.Client{}}
	return fakeClient(t, f, 1, WithHTTPClient(client)), started, inflight
}

type countingClient struct {
	inflight *atomic.Int32
	next     *http.Client
}

func (c countingClient) Do(r *http.Request) (*http.Response, error) {
	c.inflight.Add(1)
	defer c.inflight.Add(-1)
	resp, err := c.next.Do(r)
	if err == nil {
		// The SDK reads the body after Do returns; a whole read keeps the count honest.
		b, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		err = rerr
	}
	return resp, err
}

func TestListBalancersStopsItsReaderWhenFnFails(t *testing.T) {
	d, started, inflight := stallingFake(t)
	stop := errors.New("enough")
	calls := 0
	err := listEach(shortCtx(t), d, driver.ListOptions{}, func(*driver.LoadBalancer) error {
		calls++
		<-started // the next page is being read while fn runs
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("err = %v after %d calls, want fn's own error after 1", err, calls)
	}
	if n := inflight.Load(); n != 0 {
		t.Errorf("%d page reads still in flight after ListBalancers returned", n)
	}
}

func TestListBalancersStopsWhenCallerCancels(t *testing.T) {
	d, started, inflight := stallingFake(t)
	ctx, cancel := context.WithCancel(shortCtx(t))
	calls := 0
	err := listEach(ctx, d, driver.ListOptions{}, func(*driver.LoadBalancer) error {
		calls++
		<-started
		cancel()
		return nil
	})
	var de *driver.Error
	if !errors.Is(err, context.Canceled) || !errors.As(err, &de) || de.Op != "DescribeLoadBalancers" {
		t.Errorf("err = %v, want the caller's cancellation as a *driver.Error", err)
	}
	if calls != 1 {
		t.Errorf("fn called %d times, want no call after the cancellation", calls)
	}
	if n := inflight.Load(); n != 0 {
		t.Errorf("%d page reads still in flight after ListBalancers returned", n)
	}
}

func TestListBalancersRunsFnOnTheCallersGoroutine(t *testing.T) {
	d, started, inflight := stallingFake(t)
	// A panic in fn reaches the caller's recover only if fn runs on the caller's goroutine;
	// anywhere else it would crash the test binary.
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("recovered %v, want boom", r)
			}
		}()
		listEach(shortCtx(t), d, driver.ListOptions{}, func(*driver.LoadBalancer) error {
			<-started
			panic("boom")
		})
	}()
	if n := inflight.Load(); n != 0 {
		t.Errorf("%d page reads still in flight after fn panicked", n)
	}
}
