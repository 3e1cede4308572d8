package elb_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// TestMotoTutorial walks libcloud's ELB tutorial, step by step, and checks each result.
func TestMotoTutorial(t *testing.T) {
	d, rec, _ := motoClient(t)
	ctx := testCtx(t)
	ids, ips := runInstances(t, d, 2)

	var n int
	if err := listEach(ctx, d, driver.ListOptions{}, func(*driver.LoadBalancer) error { n++; return nil }); err != nil || n != 0 {
		t.Fatalf("ListBalancers on an empty account: %d, %v", n, err)
	}

	// Members given by IP (resolved through EC2) and by instance ID.
	lb, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "web", Algorithm: driver.RoundRobin,
		Port: 80, Protocol: "http", Members: []driver.Member{{IP: ips[0], Port: 8080}, {ID: ids[1], Port: 8080}}})
	if err != nil {
		t.Fatal(err)
	}
	if lb.ID != "web" || lb.State != driver.StateRunning || lb.Port != 80 || lb.DNSName == "" {
		t.Errorf("created balancer = %+v", lb)
	}
	if len(lb.Listeners) != 1 || lb.Listeners[0].InstancePort != 8080 || lb.Listeners[0].Protocol != driver.HTTP ||
		lb.Listeners[0].InstanceProtocol != driver.HTTP {
		t.Errorf("listeners = %+v", lb.Listeners)
	}
	if got := drivertest.MemberIDs(lb.Members); !slices.Equal(got, sorted(ids)) {
		t.Errorf("members = %v, want %v", got, sorted(ids))
	}
	if len(lb.Zones) != 1 || lb.Zones[0] != "us-east-1a" {
		t.Errorf("zones = %v, want the region's first zone", lb.Zones)
	}
	if rec.Count("DescribeInstances") != 1 {
		t.Errorf("DescribeInstances calls = %d, want 1 (private address matched)", rec.Count("DescribeInstances"))
	}

	if err := d.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol", "ProxyProtocolPolicyType",
		map[string]string{"ProxyProtocol": "true"}); err != nil {
		t.Fatal(err)
	}
	names, err := d.ListBalancerPolicies(ctx, "web")
	if err != nil || !slices.Contains(names, "EnableProxyProtocol") {
		t.Fatalf("ListBalancerPolicies = %v, %v", names, err)
	}
	ps, err := d.DescribeBalancerPolicies(ctx, "web", "EnableProxyProtocol")
	if err != nil || len(ps) != 1 || ps[0].Type != "ProxyProtocolPolicyType" || ps[0].Attributes["ProxyProtocol"] != "true" {
		t.Fatalf("DescribeBalancerPolicies = %+v, %v", ps, err)
	}
	if err := d.DeleteBalancerPolicy(ctx, "web", "EnableProxyProtocol"); err != nil {
		t.Fatal(err)
	}
	if names, _ := d.ListBalancerPolicies(ctx, "web"); slices.Contains(names, "EnableProxyProtocol") {
		t.Errorf("policy survived deletion: %v", names)
	}

	if err := d.CreateLBCookieStickinessPolicy(ctx, "web", "MyDurationStickyPolicy", 0); err != nil {
		t.Fatal(err)
	}
	if err := d.SetBalancerPoliciesBackendServer(ctx, "web", 8080, []string{"MyDurationStickyPolicy"}); err != nil {
		t.Fatal(err)
	}
	if err := d.SetBalancerPoliciesBackendServer(ctx, "web", 8080, []string{""}); err != nil {
		t.Fatal(err)
	}

	spec, err := elb.ParseListenerTuple(1024, 65533, "HTTPS", "arn:aws:iam::123456789012:server-certificate/servercert")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateBalancerListeners(ctx, "web", []elb.ListenerSpec{spec}); err != nil {
		t.Fatal(err)
	}
	if err := d.SetBalancerPoliciesOfListener(ctx, "web", 80, []string{"MyDurationStickyPolicy"}); err != nil {
		t.Fatal(err)
	}
	lb, err = d.Service().GetBalancer(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	https := findListener(lb, 1024)
	if https == nil || https.InstancePort != 65533 || https.Protocol != driver.HTTPS ||
		https.CertificateID != spec.CertificateID {
		t.Errorf("HTTPS listener = %+v", https)
	}
	if l := findListener(lb, 80); l == nil || !slices.Equal(l.Policies, []string{"MyDurationStickyPolicy"}) {
		t.Errorf("listener 80 = %+v, want the sticky policy", l)
	}
	if err := d.SetBalancerPoliciesOfListener(ctx, "web", 80, []string{""}); err != nil {
		t.Fatal(err)
	}
	lb, _ = d.Service().GetBalancer(ctx, "web")
	if l := findListener(lb, 80); l == nil || len(l.Policies) != 0 {
		t.Errorf("listener 80 = %+v, want no policies", l)
	}
}

func TestMotoUnresolvableMemberCreatesNothing(t *testing.T) {
	d, _, _ := motoClient(t)
	ctx := testCtx(t)
	_, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "ghost", Port: 80, Protocol: driver.HTTP,
		Members: []driver.Member{{IP: "192.168.88.2", Port: 8080}}})
	if !errors.Is(err, driver.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	var de *driver.Error
	if !errors.As(err, &de) || de.Provider != "elb" || !contains(de.Message, "192.168.88.2") {
		t.Errorf("error does not name the address: %#v", de)
	}
	if _, err := d.Service().GetBalancer(ctx, "ghost"); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("GetBalancer after failed create: %v, want ErrNotFound", err)
	}
}
