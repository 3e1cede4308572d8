package reliability

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// lossyTransport lets the first request of one action reach the endpoint, then throws the
// answer away and reports a connection reset, as a network dropping the response would.
// The SDK retries that request, so the action is applied twice.
type lossyTransport struct {
	mu      sync.Mutex
	action  string
	dropped int
	next    http.RoundTripper
}

func (l *lossyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	l.mu.Lock()
	drop := l.action != "" && l.dropped == 0 && strings.Contains(string(body), "Action="+l.action+"&")
	if drop {
		l.dropped++
	}
	l.mu.Unlock()
	resp, err := l.next.RoundTrip(r)
	if err != nil || !drop {
		return resp, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return nil, errors.New("read tcp: connection reset by peer")
}

// TestLostResponseRetried: when the response to a write is lost after the endpoint applied
// it, the SDK's retry must still end in success and the requested state, so a caller never
// sees an error for a change that was made.
func TestLostResponseRetried(t *testing.T) {
	isolate(t)
	ep := serve(t, elbserver.Options{})
	setup := openClient(t, ep.URL, sigv4auth.DefaultCredential, 1)
	lossy := &lossyTransport{next: http.DefaultTransport}
	d := openClient(t, ep.URL, sigv4auth.DefaultCredential, 3, elb.WithHTTPClient(&http.Client{Transport: lossy}))
	ctx := testCtx(t, 60*time.Second)

	type step struct {
		action string
		call   func(ctx context.Context, name string) error
		check  func(t *testing.T, name string)
	}
	policy := func(name, want string) {
		ps, err := setup.ListBalancerPolicies(ctx, name)
		if err != nil || len(ps) != 1 || ps[0] != want {
			t.Errorf("policies of %s: %v %v, want [%s]", name, ps, err, want)
		}
	}
	steps := []step{
		{"CreateLoadBalancer", func(ctx context.Context, n string) error {
			_, err := d.Service().CreateBalancer(ctx, httpListenerReq(n+"x", 80))
			return err
		}, func(t *testing.T, n string) { assertExists(t, setup, n+"x") }},
		{"CreateLoadBalancerListeners", func(ctx context.Context, n string) error {
			return d.CreateBalancerListeners(ctx, n, []elb.ListenerSpec{{LoadBalancerPort: 81, InstancePort: 81, Protocol: driver.TCP}})
		}, nil},
		{"CreateLoadBalancerPolicy", func(ctx context.Context, n string) error {
			return d.CreateBalancerPolicy(ctx, n, "pp", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"})
		}, func(t *testing.T, n string) { policy(n, "pp") }},
		{"CreateAppCookieStickinessPolicy", func(ctx context.Context, n string) error {
			return d.CreateAppCookieStickinessPolicy(ctx, n, "app", "SESSION")
		}, func(t *testing.T, n string) { policy(n, "app") }},
		{"CreateLBCookieStickinessPolicy", func(ctx context.Context, n string) error {
			return d.CreateLBCookieStickinessPolicy(ctx, n, "lbc", time.Minute)
		}, func(t *testing.T, n string) { policy(n, "lbc") }},
		{"AddTags", func(ctx context.Context, n string) error {
			return d.AddTags(ctx, []string{n}, map[string]string{"k": "v"})
		}, nil},
		{"RemoveTags", func(ctx context.Context, n string) error { return d.RemoveTags(ctx, []string{n}, "seed") }, nil},
		{"RegisterInstancesWithLoadBalancer", func(ctx context.Context, n string) error {
			_, err := d.Service().AttachMembers(ctx, n, []driver.Member{{ID: instanceID(1)}})
			return err
		}, nil},
		{"DeregisterInstancesFromLoadBalancer", func(ctx context.Context, n string) error {
			return d.Service().DetachMembers(ctx, n, []driver.Member{{ID: instanceID(9)}})
		}, nil},
		{"DeleteLoadBalancerListeners", func(ctx context.Context, n string) error { return d.DeleteBalancerListeners(ctx, n, 80) }, nil},
		{"DeleteLoadBalancerPolicy", func(ctx context.Context, n string) error { return d.DeleteBalancerPolicy(ctx, n, "seedpol") }, nil},
		{"DeleteLoadBalancer", func(ctx context.Context, n string) error { return d.Service().DestroyBalancer(ctx, n) }, nil},
	}
	for i, s := range steps {
		t.Run(s.action, func(t *testing.T) {
			name := "lost-" + string(rune('a'+i))
			req := httpListenerReq(name, 80)
			req.Tags = map[string]string{"seed": "1"}
			req.Members = []driver.Member{{ID: instanceID(9)}}
			if _, err := setup.Service().CreateBalancer(ctx, req); err != nil {
				t.Fatal(err)
			}
			if err := setup.CreateAppCookieStickinessPolicy(ctx, name, "seedpol", "S"); err != nil {
				t.Fatal(err)
			}
			if s.check != nil && strings.HasPrefix(s.action, "Create") && strings.Contains(s.action, "Policy") {
				if err := setup.DeleteBalancerPolicy(ctx, name, "seedpol"); err != nil {
					t.Fatal(err)
				}
			}
			lossy.mu.Lock()
			lossy.action, lossy.dropped = s.action, 0
			lossy.mu.Unlock()
			err := s.call(ctx, name)
			lossy.mu.Lock()
			dropped := lossy.dropped
			lossy.action = ""
			lossy.mu.Unlock()
			if dropped != 1 {
				t.Fatalf("no %s response was dropped", s.action)
			}
			// The state must be right whatever the caller was told.
			if s.check != nil {
				s.check(t, name)
			}
			if err != nil {
				t.Fatalf("%s applied, response lost, retried: the caller got %v", s.action, err)
			}
		})
	}
}

func assertExists(t *testing.T, d *elb.Client, name string) {
	t.Helper()
	if _, err := d.Service().GetBalancer(testCtx(t, 30*time.Second), name); err != nil {
		t.Errorf("%s: %v", name, err)
	}
}
