package elb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// opRecorder notes each ELB operation the SDK starts.
type opRecorder struct {
	mu  sync.Mutex
	ops map[string]bool
}

func (r *opRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.ops)
}

func (r *opRecorder) has(op string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ops[op]
}

func (r *opRecorder) apiOption(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("recordOperation",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if awsmiddleware.GetServiceID(ctx) == "Elastic Load Balancing" {
				r.mu.Lock()
				r.ops[awsmiddleware.GetOperationName(ctx)] = true
				r.mu.Unlock()
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

func endpointClient(t *testing.T) (*elb.Client, *elbtest.Server, *opRecorder) {
	t.Helper()
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	rec := &opRecorder{ops: map[string]bool{}}
	cfg := srv.AWSConfig()
	cfg.APIOptions = append(cfg.APIOptions, rec.apiOption)
	return elb.NewClient(cfg), srv, rec
}

// TestEndpointAllOperations calls every Client method of Operations against the embedded
// endpoint and checks, through the SDK's operation names, that each calls its action.
func TestEndpointAllOperations(t *testing.T) {
	d, srv, rec := endpointClient(t)
	ctx := testCtx(t)
	svc := d.Service()
	for _, in := range []elbserver.Instance{
		{ID: "i-0000000000000000a", PrivateIP: "10.0.0.10", PublicIP: "54.0.0.10"},
		{ID: "i-0000000000000000b", PrivateIP: "10.0.0.11", PublicIP: "54.0.0.11"},
	} {
		if err := srv.Endpoint.DeclareInstance("", srv.Region, in); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	covered := map[string]bool{}
	// do runs fn, the call of method, and checks that it made the action op.
	do := func(op, method string, fn func() error) {
		t.Helper()
		if elb.Operations[op] != method {
			t.Errorf("Operations[%s] = %q, but %s is tested with %s", op, elb.Operations[op], op, method)
		}
		rec.reset()
		must(fn())
		if !rec.has(op) {
			t.Errorf("%s did not call %s", method, op)
		}
		covered[op] = true
	}

	// One member by private IP, one by public IP: both resolved before the balancer exists.
	lb, err := svc.CreateBalancer(ctx, driver.CreateRequest{Name: "web", Port: 443, Protocol: driver.HTTPS,
		CertificateID: "arn:aws:iam::123456789012:server-certificate/a", InstancePort: 8443,
		Members: []driver.Member{{IP: "10.0.0.10"}, {IP: "54.0.0.11"}}, Tags: map[string]string{"env": "dev"}})
	must(err)
	if l := lb.Listeners[0]; l.InstanceProtocol != driver.HTTPS || l.InstancePort != 8443 || l.CertificateID == "" {
		t.Errorf("listener = %+v", l)
	}
	if !slices.Equal(drivertest.MemberIDs(lb.Members), []string{"i-0000000000000000a", "i-0000000000000000b"}) {
		t.Errorf("members = %+v", lb.Members)
	}
	if !slices.Equal(lb.Zones, []string{"us-east-1a"}) {
		t.Errorf("zones = %v, want the REGIONa fallback", lb.Zones)
	}
	if lb.DNSName == "" || lb.CreatedAt.IsZero() || lb.Port != 443 {
		t.Errorf("balancer = %+v", lb)
	}

	must(srv.Endpoint.SetInstanceHealth("", srv.Region, "web", "i-0000000000000000a", "InService", "", ""))
	must(srv.Endpoint.SetInstanceHealth("", srv.Region, "web", "i-0000000000000000b", "OutOfService", "Instance", "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."))
	ms, err := svc.ListMembers(ctx, "web")
	must(err)
	slices.SortFunc(ms, func(a, b driver.Member) int { return strings.Compare(a.ID, b.ID) })
	if len(ms) != 2 || ms[0].Condition != driver.MemberEnabled || ms[1].Condition != driver.MemberDisabled ||
		ms[1].Health != "OutOfService" || ms[1].Reason == "" || ms[0].Port != 8443 {
		t.Errorf("members = %+v", ms)
	}

	do("DescribeLoadBalancerPolicyTypes", "DescribePolicyTypes", func() error {
		types, err := d.DescribePolicyTypes(ctx, "ProxyProtocolPolicyType")
		if err == nil && (len(types) != 1 || len(types[0].Attributes) == 0 || types[0].Attributes[0].Name != "ProxyProtocol") {
			t.Errorf("policy types = %+v", types)
		}
		return err
	})
	names, err := d.ListBalancerPolicyTypes(ctx)
	must(err)
	if !slices.Contains(names, "ProxyProtocolPolicyType") || !slices.Contains(names, "SSLNegotiationPolicyType") {
		t.Errorf("policy type names = %v", names)
	}
	do("DescribeLoadBalancerPolicies", "DescribeBalancerPolicies", func() error {
		predefined, err := d.DescribeBalancerPolicies(ctx, "")
		if err == nil && len(predefined) == 0 {
			t.Error("no predefined policies")
		}
		return err
	})
	do("DescribeAccountLimits", "AccountLimits", func() error {
		limits, err := d.AccountLimits(ctx)
		if err == nil && !slices.ContainsFunc(limits, func(l elb.Limit) bool { return l.Name == "classic-load-balancers" && l.Max != "" }) {
			t.Errorf("limits = %+v", limits)
		}
		return err
	})

	do("CreateLoadBalancerPolicy", "CreateBalancerPolicy", func() error {
		return d.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"})
	})
	do("SetLoadBalancerPoliciesForBackendServer", "SetBalancerPoliciesBackendServer", func() error {
		return d.SetBalancerPoliciesBackendServer(ctx, "web", 8443, []string{"EnableProxyProtocol"})
	})
	must(d.SetBalancerPoliciesBackendServer(ctx, "web", 8443, nil))
	do("DeleteLoadBalancerPolicy", "DeleteBalancerPolicy", func() error {
		return d.DeleteBalancerPolicy(ctx, "web", "EnableProxyProtocol")
	})
	do("CreateAppCookieStickinessPolicy", "CreateAppCookieStickinessPolicy", func() error {
		return d.CreateAppCookieStickinessPolicy(ctx, "web", "app", "SID")
	})
	do("CreateLBCookieStickinessPolicy", "CreateLBCookieStickinessPolicy", func() error {
		return d.CreateLBCookieStickinessPolicy(ctx, "web", "lb", 10*time.Minute)
	})
	do("SetLoadBalancerPoliciesOfListener", "SetBalancerPoliciesOfListener", func() error {
		return d.SetBalancerPoliciesOfListener(ctx, "web", 443, []string{"lb"})
	})
	must(d.SetBalancerPoliciesOfListener(ctx, "web", 443, []string{}))
	ps, err := d.DescribeBalancerPolicies(ctx, "web", "lb")
	must(err)
	if len(ps) != 1 || ps[0].Type != "LBCookieStickinessPolicyType" || ps[0].Attributes["CookieExpirationPeriod"] != "600" {
		t.Errorf("lb cookie policy = %+v", ps)
	}

	spec, err := elb.ParseListenerTuple(8080, 80, "http")
	must(err)
	do("CreateLoadBalancerListeners", "CreateBalancerListeners", func() error {
		return d.CreateBalancerListeners(ctx, "web", []elb.ListenerSpec{spec})
	})
	do("SetLoadBalancerListenerSSLCertificate", "SetListenerSSLCertificate", func() error {
		return d.SetListenerSSLCertificate(ctx, "web", 443, "arn:aws:iam::123456789012:server-certificate/b")
	})
	do("DeleteLoadBalancerListeners", "DeleteBalancerListeners", func() error {
		return d.DeleteBalancerListeners(ctx, "web", 8080)
	})

	do("ConfigureHealthCheck", "ConfigureHealthCheck", func() error {
		_, err := d.ConfigureHealthCheck(ctx, "web", driver.HealthCheck{Target: "TCP:8443", Interval: 10 * time.Second,
			Timeout: 5 * time.Second, HealthyThreshold: 2, UnhealthyThreshold: 2})
		return err
	})
	do("ModifyLoadBalancerAttributes", "ModifyAttributes", func() error {
		_, err := d.ModifyAttributes(ctx, "web", elb.Attributes{IdleTimeout: 120 * time.Second})
		return err
	})
	do("DescribeLoadBalancerAttributes", "Attributes", func() error {
		attrs, err := d.Attributes(ctx, "web")
		if err == nil && attrs.IdleTimeout != 120*time.Second {
			t.Errorf("attributes = %+v", attrs)
		}
		return err
	})
	do("AddTags", "AddTags", func() error { return d.AddTags(ctx, []string{"web"}, map[string]string{"team": "a"}) })
	do("RemoveTags", "RemoveTags", func() error { return d.RemoveTags(ctx, []string{"web"}, "env") })
	do("DescribeTags", "Tags", func() error {
		tags, err := d.Tags(ctx, "web")
		if err == nil && !equalMaps(tags["web"], map[string]string{"team": "a"}) {
			t.Errorf("tags = %v", tags)
		}
		return err
	})
	do("EnableAvailabilityZonesForLoadBalancer", "EnableZones", func() error {
		_, err := d.EnableZones(ctx, "web", "us-east-1b")
		return err
	})
	do("DisableAvailabilityZonesForLoadBalancer", "DisableZones", func() error {
		zones, err := d.DisableZones(ctx, "web", "us-east-1a")
		if err == nil && !slices.Equal(zones, []string{"us-east-1b"}) {
			t.Errorf("zones = %v", zones)
		}
		return err
	})
	do("DescribeInstanceHealth", "InstanceHealth", func() error {
		_, err := d.InstanceHealth(ctx, "web", "i-0000000000000000a")
		return err
	})
	do("DeregisterInstancesFromLoadBalancer", "DeregisterInstances", func() error {
		left, err := d.DeregisterInstances(ctx, "web", "i-0000000000000000b")
		if err == nil && !slices.Equal(left, []string{"i-0000000000000000a"}) {
			t.Errorf("instances left = %v", left)
		}
		return err
	})
	do("RegisterInstancesWithLoadBalancer", "RegisterInstances", func() error {
		all, err := d.RegisterInstances(ctx, "web", "i-0000000000000000b")
		if err == nil && len(all) != 2 {
			t.Errorf("instances = %v", all)
		}
		return err
	})
	// Members by address through the Service, resolved like those of CreateBalancer.
	must(svc.DetachMembers(ctx, "web", []driver.Member{{IP: "10.0.0.11"}}))
	got, err := svc.AttachMembers(ctx, "web", []driver.Member{{IP: "54.0.0.11"}})
	must(err)
	if got[0].ID != "i-0000000000000000b" {
		t.Errorf("attached = %+v", got)
	}

	// A VPC balancer for the subnet and security group actions.
	must(srv.Endpoint.DeclareSubnet("", srv.Region, elbserver.Subnet{ID: "subnet-0000000a", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1a"}))
	must(srv.Endpoint.DeclareSubnet("", srv.Region, elbserver.Subnet{ID: "subnet-0000000b", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1b"}))
	must(srv.Endpoint.DeclareSecurityGroup("", srv.Region, "sg-0000000a", "vpc-0000000a"))
	do("CreateLoadBalancer", "CreateBalancer", func() error {
		dns, err := d.CreateBalancer(ctx, elb.BalancerSpec{Name: "vpc", Subnets: []string{"subnet-0000000a"}, Scheme: "internal",
			Listeners: []elb.ListenerSpec{{LoadBalancerPort: 80, InstancePort: 80, Protocol: driver.TCP}}})
		if err == nil && !strings.HasPrefix(dns, "internal-vpc-") {
			t.Errorf("DNS name = %q", dns)
		}
		return err
	})
	do("AttachLoadBalancerToSubnets", "AttachSubnets", func() error {
		subs, err := d.AttachSubnets(ctx, "vpc", "subnet-0000000b")
		if err == nil && len(subs) != 2 {
			t.Errorf("subnets = %v", subs)
		}
		return err
	})
	do("DetachLoadBalancerFromSubnets", "DetachSubnets", func() error {
		_, err := d.DetachSubnets(ctx, "vpc", "subnet-0000000a")
		return err
	})
	do("ApplySecurityGroupsToLoadBalancer", "ApplySecurityGroups", func() error {
		groups, err := d.ApplySecurityGroups(ctx, "vpc", "sg-0000000a")
		if err == nil && !slices.Equal(groups, []string{"sg-0000000a"}) {
			t.Errorf("groups = %v", groups)
		}
		return err
	})
	do("DescribeLoadBalancers", "DescribeBalancers", func() error {
		lbs, next, err := d.DescribeBalancers(ctx, nil, "", 1)
		if err == nil && (len(lbs) != 1 || next == "") {
			t.Errorf("first page of 1: %d balancers, next %q", len(lbs), next)
		}
		if err == nil {
			lbs, next, err = d.DescribeBalancers(ctx, nil, next, 1)
		}
		if err == nil && (len(lbs) != 1 || next != "") {
			t.Errorf("last page of 1: %d balancers, next %q", len(lbs), next)
		}
		return err
	})
	n := 0
	must(listEach(ctx, d, driver.ListOptions{IncludeTags: true}, func(*driver.LoadBalancer) error { n++; return nil }))
	if n != 2 {
		t.Errorf("listed %d balancers, want 2", n)
	}
	do("DeleteLoadBalancer", "DeleteBalancer", func() error { return d.DeleteBalancer(ctx, "vpc") })

	for op := range elb.Operations {
		if !covered[op] {
			t.Errorf("no Client method tested for %s", op)
		}
	}
}

func TestEndpointErrorsCarryRequestID(t *testing.T) {
	d, _, _ := endpointClient(t)
	_, err := d.Service().GetBalancer(testCtx(t), "missing")
	var de *driver.Error
	if !errors.Is(err, driver.ErrNotFound) || !errors.As(err, &de) {
		t.Fatalf("err = %v", err)
	}
	if de.Code != "LoadBalancerNotFound" || de.Op != "DescribeLoadBalancers" || de.RequestID == "" || de.StatusCode != 400 {
		t.Errorf("error = %+v", de)
	}
	err = d.SetBalancerPoliciesOfListener(testCtx(t), "missing", 80, nil)
	if !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("set policies on a missing balancer: %v", err)
	}
}

// Creating a balancer that already exists, identically, succeeds on AWS and on the endpoint;
// when its members then fail to register, the undo must not delete the balancer that was
// there before the call. A balancer the call did create is still removed.
func TestFailedCreateKeepsAnExistingBalancer(t *testing.T) {
	d, _, _ := endpointClient(t)
	ctx := testCtx(t)
	req := driver.CreateRequest{Name: "keep", Port: 80, Protocol: driver.HTTP}
	if _, err := d.Service().CreateBalancer(ctx, req); err != nil {
		t.Fatal(err)
	}
	req.Members = []driver.Member{{ID: "bogus"}}
	if _, err := d.Service().CreateBalancer(ctx, req); !errors.Is(err, driver.ErrNotFound) {
		t.Fatalf("registering an unknown instance: %v, want ErrNotFound", err)
	}
	if _, err := d.Service().GetBalancer(ctx, "keep"); err != nil {
		t.Errorf("the existing balancer is gone after a failed create: %v", err)
	}
	req.Name = "fresh"
	if _, err := d.Service().CreateBalancer(ctx, req); !errors.Is(err, driver.ErrNotFound) {
		t.Fatalf("registering an unknown instance: %v, want ErrNotFound", err)
	}
	if _, err := d.Service().GetBalancer(ctx, "fresh"); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("a failed create left its balancer behind: %v", err)
	}
}
