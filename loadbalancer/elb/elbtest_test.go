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
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// opRecorder notes each ELB operation the SDK starts.
type opRecorder struct {
	mu  sync.Mutex
	ops map[string]bool
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

func endpointDriver(t *testing.T) (*elb.Driver, *elbtest.Server, *opRecorder) {
	t.Helper()
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	rec := &opRecorder{ops: map[string]bool{}}
	cfg := srv.AWSConfig()
	cfg.APIOptions = append(cfg.APIOptions, rec.apiOption)
	return elb.New(cfg), srv, rec
}

// TestEndpointAllOperations drives every Driver method against the embedded endpoint and
// checks, through the SDK's operation names, that together they call all 29 actions.
func TestEndpointAllOperations(t *testing.T) {
	d, srv, rec := endpointDriver(t)
	ctx := testCtx(t)
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

	// One member by private IP, one by public IP: both resolved before the balancer exists.
	lb, err := d.CreateBalancer(ctx, driver.CreateRequest{Name: "web", Port: 443, Protocol: driver.HTTPS,
		CertificateID: "arn:aws:iam::123456789012:server-certificate/a", InstancePort: 8443,
		Members: []driver.Member{{IP: "10.0.0.10"}, {IP: "54.0.0.11"}}, Tags: map[string]string{"env": "dev"}})
	must(err)
	if l := lb.Listeners[0]; l.InstanceProtocol != driver.HTTPS || l.InstancePort != 8443 || l.CertificateID == "" {
		t.Errorf("listener = %+v", l)
	}
	if !slices.Equal(memberIDs(lb.Members), []string{"i-0000000000000000a", "i-0000000000000000b"}) {
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
	ms, err := d.ListMembers(ctx, "web")
	must(err)
	slices.SortFunc(ms, func(a, b driver.Member) int { return strings.Compare(a.ID, b.ID) })
	if len(ms) != 2 || ms[0].Condition != driver.MemberEnabled || ms[1].Condition != driver.MemberDisabled ||
		ms[1].Health != "OutOfService" || ms[1].Reason == "" || ms[0].Port != 8443 {
		t.Errorf("members = %+v", ms)
	}

	types, err := d.DescribePolicyTypes(ctx, "ProxyProtocolPolicyType")
	must(err)
	if len(types) != 1 || len(types[0].Attributes) == 0 || types[0].Attributes[0].Name != "ProxyProtocol" {
		t.Errorf("policy types = %+v", types)
	}
	names, err := d.ListBalancerPolicyTypes(ctx)
	must(err)
	if !slices.Contains(names, "ProxyProtocolPolicyType") || !slices.Contains(names, "SSLNegotiationPolicyType") {
		t.Errorf("policy type names = %v", names)
	}
	predefined, err := d.DescribeBalancerPolicies(ctx, "")
	must(err)
	if len(predefined) == 0 {
		t.Error("no predefined policies")
	}
	limits, err := d.AccountLimits(ctx)
	must(err)
	if !slices.ContainsFunc(limits, func(l elb.Limit) bool { return l.Name == "classic-load-balancers" && l.Max != "" }) {
		t.Errorf("limits = %+v", limits)
	}

	must(d.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"}))
	must(d.SetBalancerPoliciesBackendServer(ctx, "web", 8443, []string{"EnableProxyProtocol"}))
	must(d.SetBalancerPoliciesBackendServer(ctx, "web", 8443, nil))
	must(d.DeleteBalancerPolicy(ctx, "web", "EnableProxyProtocol"))
	must(d.CreateAppCookieStickinessPolicy(ctx, "web", "app", "SID"))
	must(d.CreateLBCookieStickinessPolicy(ctx, "web", "lb", 10*time.Minute))
	must(d.SetBalancerPoliciesOfListener(ctx, "web", 443, []string{"lb"}))
	must(d.SetBalancerPoliciesOfListener(ctx, "web", 443, []string{}))
	ps, err := d.DescribeBalancerPolicies(ctx, "web", "lb")
	must(err)
	if len(ps) != 1 || ps[0].Type != "LBCookieStickinessPolicyType" || ps[0].Attributes["CookieExpirationPeriod"] != "600" {
		t.Errorf("lb cookie policy = %+v", ps)
	}

	spec, err := elb.ParseListenerTuple(8080, 80, "http")
	must(err)
	must(d.CreateBalancerListeners(ctx, "web", []elb.ListenerSpec{spec}))
	must(d.SetListenerSSLCertificate(ctx, "web", 443, "arn:aws:iam::123456789012:server-certificate/b"))
	must(d.DeleteBalancerListeners(ctx, "web", 8080))

	_, err = d.ConfigureHealthCheck(ctx, "web", driver.HealthCheck{Target: "TCP:8443", Interval: 10 * time.Second,
		Timeout: 5 * time.Second, HealthyThreshold: 2, UnhealthyThreshold: 2})
	must(err)
	_, err = d.ModifyAttributes(ctx, "web", elb.Attributes{IdleTimeout: 120 * time.Second})
	must(err)
	attrs, err := d.Attributes(ctx, "web")
	must(err)
	if attrs.IdleTimeout != 120*time.Second {
		t.Errorf("attributes = %+v", attrs)
	}
	must(d.AddTags(ctx, []string{"web"}, map[string]string{"team": "a"}))
	must(d.RemoveTags(ctx, []string{"web"}, "env"))
	tags, err := d.Tags(ctx, "web")
	must(err)
	if !equalMaps(tags["web"], map[string]string{"team": "a"}) {
		t.Errorf("tags = %v", tags)
	}
	_, err = d.EnableZones(ctx, "web", "us-east-1b")
	must(err)
	zones, err := d.DisableZones(ctx, "web", "us-east-1a")
	must(err)
	if !slices.Equal(zones, []string{"us-east-1b"}) {
		t.Errorf("zones = %v", zones)
	}
	_, err = d.InstanceHealth(ctx, "web", "i-0000000000000000a")
	must(err)
	must(d.DetachMembers(ctx, "web", []driver.Member{{IP: "10.0.0.11"}}))
	got, err := d.AttachMembers(ctx, "web", []driver.Member{{ID: "i-0000000000000000b"}})
	must(err)
	if got[0].ID != "i-0000000000000000b" {
		t.Errorf("attached = %+v", got)
	}

	// A VPC balancer for the subnet and security group actions.
	must(srv.Endpoint.DeclareSubnet("", srv.Region, elbserver.Subnet{ID: "subnet-0000000a", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1a"}))
	must(srv.Endpoint.DeclareSubnet("", srv.Region, elbserver.Subnet{ID: "subnet-0000000b", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1b"}))
	must(srv.Endpoint.DeclareSecurityGroup("", srv.Region, "sg-0000000a", "vpc-0000000a"))
	_, err = d.CreateBalancer(ctx, driver.CreateRequest{Name: "vpc", Port: 80, Protocol: driver.TCP, Subnets: []string{"subnet-0000000a"}})
	must(err)
	subs, err := d.AttachSubnets(ctx, "vpc", "subnet-0000000b")
	must(err)
	if len(subs) != 2 {
		t.Errorf("subnets = %v", subs)
	}
	_, err = d.DetachSubnets(ctx, "vpc", "subnet-0000000a")
	must(err)
	groups, err := d.ApplySecurityGroups(ctx, "vpc", "sg-0000000a")
	must(err)
	if !slices.Equal(groups, []string{"sg-0000000a"}) {
		t.Errorf("groups = %v", groups)
	}
	n := 0
	must(listEach(ctx, d, driver.ListOptions{IncludeTags: true}, func(*driver.LoadBalancer) error { n++; return nil }))
	if n != 2 {
		t.Errorf("listed %d balancers, want 2", n)
	}
	must(d.DestroyBalancer(ctx, "vpc"))

	for op := range elb.Operations {
		if !rec.ops[op] {
			t.Errorf("no Driver method called %s", op)
		}
	}
	if len(rec.ops) != len(elb.Operations) {
		t.Errorf("called %d operations, the table has %d", len(rec.ops), len(elb.Operations))
	}
}

func TestEndpointErrorsCarryRequestID(t *testing.T) {
	d, _, _ := endpointDriver(t)
	_, err := d.GetBalancer(testCtx(t), "missing")
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
	d, _, _ := endpointDriver(t)
	ctx := testCtx(t)
	req := driver.CreateRequest{Name: "keep", Port: 80, Protocol: driver.HTTP}
	if _, err := d.CreateBalancer(ctx, req); err != nil {
		t.Fatal(err)
	}
	req.Members = []driver.Member{{ID: "bogus"}}
	if _, err := d.CreateBalancer(ctx, req); !errors.Is(err, driver.ErrNotFound) {
		t.Fatalf("registering an unknown instance: %v, want ErrNotFound", err)
	}
	if _, err := d.GetBalancer(ctx, "keep"); err != nil {
		t.Errorf("the existing balancer is gone after a failed create: %v", err)
	}
	req.Name = "fresh"
	if _, err := d.CreateBalancer(ctx, req); !errors.Is(err, driver.ErrNotFound) {
		t.Fatalf("registering an unknown instance: %v, want ErrNotFound", err)
	}
	if _, err := d.GetBalancer(ctx, "fresh"); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("a failed create left its balancer behind: %v", err)
	}
}
