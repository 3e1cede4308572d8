package storesync_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

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
	must(t, e.srv.Endpoint.Store().View(account, region, func(p *store.Part) error {
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
	a, b := echo(t, "a"), echo(t, "b")
	ia, ib, untagged := e.instance(t, hostOf(a)), e.instance(t, hostOf(b)), e.instance(t, "")
	e.classicBalancer(t, "web", "HTTP:8080/health", []elbtypes.Listener{listener("HTTP", 80, "HTTP", 8080)}, ia, ib, untagged)
	e.waitHealth(t, "web", "InService", ia, ib)
	e.waitHealth(t, "web", "OutOfService Instance Instance is not served by the local data plane: it has no lbcloud:address tag.", untagged)
	addr := e.addr(t, "web", 80)
	resp, body := get(t, addr, "/x?y=1", func(r *http.Request) { r.Header.Set("X-Forwarded-For", "198.51.100.7") })
	s := decode(t, body)
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
