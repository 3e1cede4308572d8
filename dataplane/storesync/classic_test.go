package storesync_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// classicBalancer creates a Classic balancer with listeners, a quick health check on target and
// the instances registered.
func (e *env) classicBalancer(t *testing.T, name, target string, listeners []elbtypes.Listener, ids ...string) {
	t.Helper()
	ctx := context.Background()
	_, err := e.classic.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name),
		Listeners: listeners, AvailabilityZones: []string{"us-east-1a"}})
	must(t, err)
	_, err = e.classic.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String(name),
		HealthCheck: &elbtypes.HealthCheck{Target: aws.String(target), Interval: aws.Int32(5), Timeout: aws.Int32(2),
			HealthyThreshold: aws.Int32(2), UnhealthyThreshold: aws.Int32(2)}})
	must(t, err)
	if len(ids) > 0 {
		_, err = e.classic.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{
			LoadBalancerName: aws.String(name), Instances: instances(ids...)})
		must(t, err)
	}
}

func instances(ids ...string) []elbtypes.Instance {
	out := make([]elbtypes.Instance, len(ids))
	for i, id := range ids {
		out[i] = elbtypes.Instance{InstanceId: aws.String(id)}
	}
	return out
}

func listener(proto string, port int32, instProto string, instPort int32) elbtypes.Listener {
	return elbtypes.Listener{Protocol: aws.String(proto), LoadBalancerPort: port, InstanceProtocol: aws.String(instProto),
		InstancePort: aws.Int32(instPort)}
}

// instanceHealth is DescribeInstanceHealth's "State ReasonCode Description" of each instance.
func (e *env) instanceHealth(t *testing.T, name string) map[string]string {
	t.Helper()
	out, err := e.classic.DescribeInstanceHealth(context.Background(), &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String(name)})
	must(t, err)
	m := map[string]string{}
	for _, s := range out.InstanceStates {
		m[aws.ToString(s.InstanceId)] = aws.ToString(s.State) + " " + aws.ToString(s.ReasonCode) + " " + aws.ToString(s.Description)
	}
	return m
}

// waitHealth waits until DescribeInstanceHealth reports every given instance as want (a prefix
// of "State ReasonCode Description") from the data plane's record: without one it reports
// InService whatever the instance does.
func (e *env) waitHealth(t *testing.T, name, want string, ids ...string) {
	t.Helper()
	eventually(t, name+" instances "+want, func() error {
		h := e.instanceHealth(t, name)
		for _, id := range ids {
			if s := h[id]; !strings.HasPrefix(s, want) || !e.probed(t, name, id) {
				return fmt.Errorf("%s is %q", id, s)
			}
		}
		return nil
	})
}

// probed reports whether the data plane has written the health of an instance.
func (e *env) probed(t *testing.T, name, id string) bool {
	t.Helper()
	found := false
	must(t, e.srv.Endpoint.Store().View(e.account, region, func(p *store.Part) error {
		found = store.ClassicProbes.Has(p, store.ClassicProbeKey(name, id))
		return nil
	}))
	return found
}

// TestClassicHTTP: an HTTP listener forwards with X-Forwarded-For, -Proto and -Port, on its local
// socket and through the endpoint's port by Host; health checks drive DescribeInstanceHealth
// (an instance without an address tag is reported, never dialled); with no healthy instance the
// balancer answers 503 with an empty body.
func TestClassicHTTP(t *testing.T) {
	e := newEnv(t)
	a, b := dptest.Echo(t, "a"), dptest.Echo(t, "b")
	ia, ib, untagged := e.instance(t, dptest.HostOf(a)), e.instance(t, dptest.HostOf(b)), e.instance(t, "")
	e.classicBalancer(t, "web", "HTTP:8080/health", []elbtypes.Listener{listener("HTTP", 80, "HTTP", 8080)}, ia, ib, untagged)
	e.waitHealth(t, "web", "InService", ia, ib)
	e.waitHealth(t, "web", "OutOfService Instance Instance is not served by the local data plane: it has no lbcloud:address tag.", untagged)
	addr := e.addr(t, "web", 80)
	resp, body := get(t, addr, "/x?y=1", func(r *http.Request) { r.Header.Set("X-Forwarded-For", "198.51.100.7") })
	s := dptest.Decode(t, body)
	if resp.StatusCode != 200 || s.Path != "/x" || s.Query != "y=1" || s.Header.Get("X-Forwarded-For") != "198.51.100.7, 127.0.0.1" ||
		s.Header.Get("X-Forwarded-Proto") != "http" || s.Header.Get("X-Forwarded-Port") != "80" {
		t.Fatalf("status %d, backend saw %+v", resp.StatusCode, s)
	}
	d, err := e.classic.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"web"}})
	must(t, err)
	dns := aws.ToString(d.LoadBalancerDescriptions[0].DNSName)
	if got := backendOf(t, e.srv.URL[len("http://"):], "/", func(r *http.Request) { r.Host = dns }); got != "a" && got != "b" {
		t.Fatalf("request by Host %s to the endpoint's port answered by %q", dns, got)
	}
	// Only loopback clients reach balancers through the endpoint's port.
	h := e.srv.DataPlane.Handler(nil, http.NotFoundHandler())
	for remote, want := range map[string]int{"192.0.2.1:1234": http.StatusNotFound, "127.0.0.1:1234": http.StatusOK} {
		rec, req := httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil)
		req.Host, req.RemoteAddr = dns, remote
		if h.ServeHTTP(rec, req); rec.Code != want {
			t.Fatalf("a client at %s asking for %s: %d, want %d", remote, dns, rec.Code, want)
		}
	}

	b.Close()
	e.waitHealth(t, "web", "OutOfService Instance", ib)
	for range 5 {
		if got := backendOf(t, addr, "/"); got != "a" {
			t.Fatalf("with b down, answered by %q", got)
		}
	}
	a.Close()
	e.waitHealth(t, "web", "OutOfService", ia)
	resp, body = get(t, addr, "/")
	if resp.StatusCode != http.StatusServiceUnavailable || body != "" {
		t.Fatalf("no healthy instance: %d %q", resp.StatusCode, body)
	}
}

// TestClassicTCPProxyProtocol: a TCP listener whose instance port has a ProxyProtocolPolicyType
// policy sends a PROXY v1 header naming the client and the listener's port, then the bytes;
// round robin spreads connections; clearing the policy takes effect on new connections.
func TestClassicTCPProxyProtocol(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	b1, b2 := dptest.ProxyEcho(t), dptest.ProxyEcho(t)
	i1, i2 := e.instance(t, b1.Addr().String()), e.instance(t, b2.Addr().String())
	e.classicBalancer(t, "tcp", "TCP:5000", []elbtypes.Listener{listener("TCP", 5000, "TCP", 5000)}, i1, i2)
	_, err := e.classic.CreateLoadBalancerPolicy(ctx, &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: aws.String("tcp"),
		PolicyName: aws.String("pp"), PolicyTypeName: aws.String("ProxyProtocolPolicyType"),
		PolicyAttributes: []elbtypes.PolicyAttribute{{AttributeName: aws.String("ProxyProtocol"), AttributeValue: aws.String("true")}}})
	must(t, err)
	_, err = e.classic.SetLoadBalancerPoliciesForBackendServer(ctx, &elb.SetLoadBalancerPoliciesForBackendServerInput{
		LoadBalancerName: aws.String("tcp"), InstancePort: aws.Int32(5000), PolicyNames: []string{"pp"}})
	must(t, err)
	e.waitHealth(t, "tcp", "InService", i1, i2)
	addr := e.addr(t, "tcp", 5000)
	ask := func() string {
		c, err := net.Dial("tcp", addr)
		must(t, err)
		defer c.Close()
		fmt.Fprintf(c, "hello\n")
		br := bufio.NewReader(c)
		head, _ := br.ReadString('\n')
		if head != "" && !strings.HasPrefix(head, "no header") {
			if echo, _ := br.ReadString('\n'); echo != "hello\n" {
				t.Fatalf("echo %q after %q", echo, head)
			}
		}
		return strings.TrimSpace(head)
	}
	eventually(t, "a PROXY header on each connection", func() error {
		for range 4 {
			got := ask()
			if !strings.HasPrefix(got, "v1 PROXY 127.0.0.1:") || !strings.HasSuffix(got, " 127.0.0.1:5000") {
				return fmt.Errorf("backend read %q", got)
			}
		}
		return nil
	})
	_, err = e.classic.SetLoadBalancerPoliciesForBackendServer(ctx, &elb.SetLoadBalancerPoliciesForBackendServerInput{
		LoadBalancerName: aws.String("tcp"), InstancePort: aws.Int32(5000), PolicyNames: []string{}})
	must(t, err)
	eventually(t, "no PROXY header once the policy is cleared", func() error {
		if got := ask(); !strings.HasPrefix(got, "no header") {
			return fmt.Errorf("backend read %q", got)
		}
		return nil
	})
}

// TestClassicStickiness: an LBCookieStickinessPolicyType policy on a listener sets AWSELB with its
// expiration period and keeps a client on one instance; an AppCookieStickinessPolicyType policy
// follows the application's cookie.
func TestClassicStickiness(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	app := func(name string) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Backend", name)
			if r.URL.Path == "/login" {
				http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: name})
			}
		}))
		t.Cleanup(s.Close)
		return s
	}
	a, b := app("a"), app("b")
	ia, ib := e.instance(t, dptest.HostOf(a)), e.instance(t, dptest.HostOf(b))
	e.classicBalancer(t, "sticky", "HTTP:80/", []elbtypes.Listener{listener("HTTP", 80, "HTTP", 80), listener("HTTP", 81, "HTTP", 80)}, ia, ib)
	_, err := e.classic.CreateLBCookieStickinessPolicy(ctx, &elb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: aws.String("sticky"),
		PolicyName: aws.String("lb"), CookieExpirationPeriod: aws.Int64(600)})
	must(t, err)
	_, err = e.classic.CreateAppCookieStickinessPolicy(ctx, &elb.CreateAppCookieStickinessPolicyInput{LoadBalancerName: aws.String("sticky"),
		PolicyName: aws.String("app"), CookieName: aws.String("SESSION")})
	must(t, err)
	for port, pol := range map[int32]string{80: "lb", 81: "app"} {
		_, err = e.classic.SetLoadBalancerPoliciesOfListener(ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{LoadBalancerName: aws.String("sticky"),
			LoadBalancerPort: port, PolicyNames: []string{pol}})
		must(t, err)
	}
	e.waitHealth(t, "sticky", "InService", ia, ib)

	addr := e.addr(t, "sticky", 80)
	var cookie *http.Cookie
	eventually(t, "an AWSELB cookie with the policy's period", func() error {
		resp, _ := get(t, addr, "/")
		for _, c := range resp.Cookies() {
			if c.Name == "AWSELB" && c.MaxAge == 600 {
				cookie = c
				return nil
			}
		}
		return fmt.Errorf("Set-Cookie %q", resp.Header.Values("Set-Cookie"))
	})
	first := backendOf(t, addr, "/", func(r *http.Request) { r.AddCookie(cookie) })
	for range 8 {
		if got := backendOf(t, addr, "/", func(r *http.Request) { r.AddCookie(cookie) }); got != first {
			t.Fatalf("sticky client moved from %s to %s", first, got)
		}
	}

	addr81 := e.addr(t, "sticky", 81)
	resp, _ := get(t, addr81, "/")
	if len(resp.Cookies()) != 0 {
		t.Fatalf("app stickiness set %v before the application's cookie", resp.Cookies())
	}
	resp, _ = get(t, addr81, "/login")
	cookies := resp.Cookies()
	if len(cookies) != 2 || cookies[1].Name != "AWSELB" {
		t.Fatalf("no AWSELB beside the application's cookie: %v", cookies)
	}
	owner := resp.Header.Get("X-Backend")
	withBoth := func(r *http.Request) {
		for _, c := range cookies {
			r.AddCookie(c)
		}
	}
	for range 8 {
		if got := backendOf(t, addr81, "/", withBoth); got != owner {
			t.Fatalf("app-cookie client moved from %s to %s", owner, got)
		}
	}
}

// TestClassicDraining: with connection draining on, a deregistered instance finishes the request
// it is serving while new requests go to the others.
func TestClassicDraining(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	h := newHold()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", "slow")
		if r.URL.Path == "/slow" {
			h.block()
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(h.release)
	fast := dptest.Echo(t, "fast")
	is, ifast := e.instance(t, dptest.HostOf(slow)), e.instance(t, dptest.HostOf(fast))
	e.classicBalancer(t, "drain", "HTTP:80/", []elbtypes.Listener{listener("HTTP", 80, "HTTP", 80)}, is)
	_, err := e.classic.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("drain"),
		LoadBalancerAttributes: &elbtypes.LoadBalancerAttributes{ConnectionDraining: &elbtypes.ConnectionDraining{Enabled: true, Timeout: aws.Int32(60)}}})
	must(t, err)
	e.waitHealth(t, "drain", "InService", is)
	addr := e.addr(t, "drain", 80)
	done := h.inFlight(addr, "/slow")
	_, err = e.classic.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("drain"), Instances: instances(ifast)})
	must(t, err)
	_, err = e.classic.DeregisterInstancesFromLoadBalancer(ctx, &elb.DeregisterInstancesFromLoadBalancerInput{LoadBalancerName: aws.String("drain"), Instances: instances(is)})
	must(t, err)
	eventually(t, "new requests on the remaining instance", func() error {
		if got := backendOf(t, addr, "/"); got != "fast" {
			return fmt.Errorf("answered by %q", got)
		}
		return nil
	})
	h.release()
	if code := <-done; code != http.StatusOK {
		t.Fatalf("the request in flight on the deregistered instance ended with %d", code)
	}
}
