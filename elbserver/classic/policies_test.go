package classic_test

import (
	"context"
	"reflect"
	"slices"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestStickinessPolicies(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "sticky", sdkcheck.HTTPListener(80, 80), types.Listener{Protocol: aws.String("TCP"), LoadBalancerPort: 25, InstancePort: aws.Int32(25)})
	_, err := c.CreateAppCookieStickinessPolicy(ctx, &elb.CreateAppCookieStickinessPolicyInput{LoadBalancerName: aws.String("sticky"), PolicyName: aws.String("app"), CookieName: aws.String("SESSION")})
	sdkcheck.NoErr(t, err)
	_, err = c.CreateLBCookieStickinessPolicy(ctx, &elb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: aws.String("sticky"), PolicyName: aws.String("lbc"), CookieExpirationPeriod: aws.Int64(600)})
	sdkcheck.NoErr(t, err)
	_, err = c.CreateLBCookieStickinessPolicy(ctx, &elb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: aws.String("sticky"), PolicyName: aws.String("app")})
	sdkcheck.WantCode(t, err, "DuplicatePolicyName")
	_, err = c.CreateLBCookieStickinessPolicy(ctx, &elb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: aws.String("nope"), PolicyName: aws.String("x")})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")

	d := sdkcheck.DescribeOne(t, c, "sticky")
	if len(d.Policies.AppCookieStickinessPolicies) != 1 || aws.ToString(d.Policies.AppCookieStickinessPolicies[0].CookieName) != "SESSION" ||
		len(d.Policies.LBCookieStickinessPolicies) != 1 || aws.ToInt64(d.Policies.LBCookieStickinessPolicies[0].CookieExpirationPeriod) != 600 {
		t.Fatalf("policies: %+v", d.Policies)
	}

	set := func(port int32, names ...string) error {
		_, err := c.SetLoadBalancerPoliciesOfListener(ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{LoadBalancerName: aws.String("sticky"), LoadBalancerPort: port, PolicyNames: append([]string{}, names...)})
		return err
	}
	sdkcheck.NoErr(t, set(80, "app"))
	sdkcheck.WantCode(t, set(25, "app"), "InvalidConfigurationRequest")
	sdkcheck.WantCode(t, set(81, "app"), "ListenerNotFound")
	sdkcheck.WantCode(t, set(80, "ghost"), "PolicyNotFound")
	sdkcheck.WantCode(t, set(80, "app", "lbc"), "InvalidConfigurationRequest")

	// A policy in use cannot be deleted.
	_, err = c.DeleteLoadBalancerPolicy(ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String("sticky"), PolicyName: aws.String("app")})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")
	d = sdkcheck.DescribeOne(t, c, "sticky")
	for _, l := range d.ListenerDescriptions {
		if l.Listener.LoadBalancerPort == 80 && (len(l.PolicyNames) != 1 || l.PolicyNames[0] != "app") {
			t.Fatalf("listener 80 policies %v", l.PolicyNames)
		}
	}
	// Both an empty list and a single empty name clear the listener.
	sdkcheck.NoErr(t, set(80))
	sdkcheck.NoErr(t, set(80, "lbc"))
	sdkcheck.NoErr(t, set(80, ""))
	_, err = c.DeleteLoadBalancerPolicy(ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: aws.String("sticky"), PolicyName: aws.String("app")})
	sdkcheck.NoErr(t, err)
	d = sdkcheck.DescribeOne(t, c, "sticky")
	if len(d.Policies.AppCookieStickinessPolicies) != 0 {
		t.Fatalf("app policy still there: %+v", d.Policies)
	}
	for _, l := range d.ListenerDescriptions {
		if len(l.PolicyNames) != 0 {
			t.Fatalf("listener %d still has policies %v", l.Listener.LoadBalancerPort, l.PolicyNames)
		}
	}
}

func TestLoadBalancerPolicies(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	cert := aws.String("arn:aws:iam::123456789012:server-certificate/web")
	sdkcheck.CreateLB(t, c, "pol", sdkcheck.HTTPListener(80, 80), types.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), SSLCertificateId: cert})

	create := func(name, typ string, attrs ...string) error {
		in := &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: aws.String("pol"), PolicyName: aws.String(name), PolicyTypeName: aws.String(typ)}
		for i := 0; i+1 < len(attrs); i += 2 {
			in.PolicyAttributes = append(in.PolicyAttributes, types.PolicyAttribute{AttributeName: aws.String(attrs[i]), AttributeValue: aws.String(attrs[i+1])})
		}
		_, err := c.CreateLoadBalancerPolicy(ctx, in)
		return err
	}
	sdkcheck.NoErr(t, create("proxy", "ProxyProtocolPolicyType", "ProxyProtocol", "true"))
	sdkcheck.NoErr(t, create("tls", "SSLNegotiationPolicyType", "Reference-Security-Policy", "ELBSecurityPolicy-2016-08"))
	sdkcheck.WantCode(t, create("x", "NoSuchPolicyType"), "PolicyTypeNotFound")
	sdkcheck.WantCode(t, create("y", "ProxyProtocolPolicyType", "Bogus", "1"), "InvalidConfigurationRequest")
	sdkcheck.WantCode(t, create("proxy", "ProxyProtocolPolicyType", "ProxyProtocol", "true"), "DuplicatePolicyName")

	out, err := c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: aws.String("pol"), PolicyNames: []string{"tls"}})
	sdkcheck.NoErr(t, err)
	if len(out.PolicyDescriptions) != 1 || aws.ToString(out.PolicyDescriptions[0].PolicyTypeName) != "SSLNegotiationPolicyType" || len(out.PolicyDescriptions[0].PolicyAttributeDescriptions) < 2 {
		t.Fatalf("tls policy: %+v", out.PolicyDescriptions)
	}
	_, err = c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: aws.String("pol"), PolicyNames: []string{"ghost"}})
	sdkcheck.WantCode(t, err, "PolicyNotFound")

	// Listener and back-end placement rules.
	setL := func(port int32, names ...string) error {
		_, err := c.SetLoadBalancerPoliciesOfListener(ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{LoadBalancerName: aws.String("pol"), LoadBalancerPort: port, PolicyNames: append([]string{}, names...)})
		return err
	}
	setB := func(port int32, names ...string) error {
		_, err := c.SetLoadBalancerPoliciesForBackendServer(ctx, &elb.SetLoadBalancerPoliciesForBackendServerInput{LoadBalancerName: aws.String("pol"), InstancePort: aws.Int32(port), PolicyNames: append([]string{}, names...)})
		return err
	}
	sdkcheck.NoErr(t, setL(443, "tls"))
	sdkcheck.WantCode(t, setL(80, "tls"), "InvalidConfigurationRequest")
	sdkcheck.WantCode(t, setL(80, "proxy"), "InvalidConfigurationRequest")
	sdkcheck.NoErr(t, setB(80, "proxy"))
	sdkcheck.WantCode(t, setB(80, "tls"), "InvalidConfigurationRequest")
	sdkcheck.WantCode(t, setB(80, "ghost"), "PolicyNotFound")
	d := sdkcheck.DescribeOne(t, c, "pol")
	if len(d.BackendServerDescriptions) != 1 || aws.ToInt32(d.BackendServerDescriptions[0].InstancePort) != 80 || d.BackendServerDescriptions[0].PolicyNames[0] != "proxy" {
		t.Fatalf("backends: %+v", d.BackendServerDescriptions)
	}
	if !slices.Equal(d.Policies.OtherPolicies, []string{"ELBSecurityPolicy-2016-08", "proxy", "tls"}) {
		t.Fatalf("other policies: %v", d.Policies.OtherPolicies)
	}
	sdkcheck.NoErr(t, setB(80))
	if d = sdkcheck.DescribeOne(t, c, "pol"); len(d.BackendServerDescriptions) != 0 {
		t.Fatalf("backend policies not cleared: %+v", d.BackendServerDescriptions)
	}

	// Predefined policies are usable by name and listed without a balancer.
	sdkcheck.NoErr(t, setL(443, "ELBSecurityPolicy-2016-08"))
	all, err := c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{})
	sdkcheck.NoErr(t, err)
	found := false
	for _, p := range all.PolicyDescriptions {
		found = found || aws.ToString(p.PolicyName) == "ELBSecurityPolicy-2016-08"
	}
	if !found || len(all.PolicyDescriptions) < 5 {
		t.Fatalf("predefined policies: %d, found=%v", len(all.PolicyDescriptions), found)
	}
	_, err = c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{PolicyNames: []string{"NotAPolicy"}})
	sdkcheck.WantCode(t, err, "PolicyNotFound")

	types, err := c.DescribeLoadBalancerPolicyTypes(ctx, &elb.DescribeLoadBalancerPolicyTypesInput{})
	sdkcheck.NoErr(t, err)
	if len(types.PolicyTypeDescriptions) < 6 {
		t.Fatalf("policy types: %d", len(types.PolicyTypeDescriptions))
	}
	one, err := c.DescribeLoadBalancerPolicyTypes(ctx, &elb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"ProxyProtocolPolicyType"}})
	sdkcheck.NoErr(t, err)
	if len(one.PolicyTypeDescriptions) != 1 || aws.ToString(one.PolicyTypeDescriptions[0].PolicyAttributeTypeDescriptions[0].AttributeName) != "ProxyProtocol" {
		t.Fatalf("proxy type: %+v", one.PolicyTypeDescriptions)
	}
	_, err = c.DescribeLoadBalancerPolicyTypes(ctx, &elb.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: []string{"Nope"}})
	sdkcheck.WantCode(t, err, "PolicyTypeNotFound")
}

func TestTooManyPolicies(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "many")
	var err error
	for i := 0; err == nil && i < 200; i++ {
		_, err = c.CreateLBCookieStickinessPolicy(ctx, &elb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: aws.String("many"), PolicyName: aws.String("p" + string(rune('a'+i%26)) + string(rune('a'+i/26)))})
	}
	sdkcheck.WantCode(t, err, "TooManyPolicies")
}

// An HTTPS or SSL listener created without a security policy gets AWS's default predefined
// one, ELBSecurityPolicy-2016-08, which DescribeLoadBalancers names on the listener and among
// the balancer's other policies, and DescribeLoadBalancerPolicies describes with its
// attributes, as AWS does.
func TestSecureListenersGetTheDefaultPolicy(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	cert := aws.String("arn:aws:iam::123456789012:server-certificate/web")
	sdkcheck.CreateLB(t, c, "secure", sdkcheck.HTTPListener(80, 80), types.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), SSLCertificateId: cert})
	_, err := c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("secure"), Listeners: []types.Listener{
		{Protocol: aws.String("SSL"), LoadBalancerPort: 8443, InstancePort: aws.Int32(8080), SSLCertificateId: cert},
		{Protocol: aws.String("TCP"), LoadBalancerPort: 22, InstancePort: aws.Int32(22)},
	}})
	sdkcheck.NoErr(t, err)
	d := sdkcheck.DescribeOne(t, c, "secure")
	want := map[int32][]string{80: nil, 443: {"ELBSecurityPolicy-2016-08"}, 8443: {"ELBSecurityPolicy-2016-08"}, 22: nil}
	for _, l := range d.ListenerDescriptions {
		if got := l.PolicyNames; !slices.Equal(got, want[l.Listener.LoadBalancerPort]) {
			t.Errorf("listener %d: policies %v, want %v", l.Listener.LoadBalancerPort, got, want[l.Listener.LoadBalancerPort])
		}
	}
	if !slices.Equal(d.Policies.OtherPolicies, []string{"ELBSecurityPolicy-2016-08"}) {
		t.Errorf("other policies: %v", d.Policies.OtherPolicies)
	}
	mine, err := c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: aws.String("secure")})
	sdkcheck.NoErr(t, err)
	sample, err := c.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{PolicyNames: []string{"ELBSecurityPolicy-2016-08"}})
	sdkcheck.NoErr(t, err)
	if len(mine.PolicyDescriptions) != 1 || aws.ToString(mine.PolicyDescriptions[0].PolicyTypeName) != "SSLNegotiationPolicyType" ||
		!reflect.DeepEqual(mine.PolicyDescriptions[0], sample.PolicyDescriptions[0]) {
		t.Errorf("the balancer's policies: %+v, want the predefined %+v", mine.PolicyDescriptions, sample.PolicyDescriptions)
	}
	// Another policy replaces it on the listener; the copy stays on the balancer, as AWS keeps it.
	sdkcheck.NoErr(t, func() error {
		_, err := c.SetLoadBalancerPoliciesOfListener(ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{LoadBalancerName: aws.String("secure"), LoadBalancerPort: 443, PolicyNames: []string{"ELBSecurityPolicy-TLS-1-2-2017-01"}})
		return err
	}())
	d = sdkcheck.DescribeOne(t, c, "secure")
	if !slices.Equal(d.Policies.OtherPolicies, []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01"}) {
		t.Errorf("after replacing it: %v", d.Policies.OtherPolicies)
	}
}
