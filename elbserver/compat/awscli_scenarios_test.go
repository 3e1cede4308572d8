package compat

import (
	"regexp"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

const (
	httpListener = `[{"Protocol":"HTTP","LoadBalancerPort":80,"InstanceProtocol":"HTTP","InstancePort":8080}]`
	certOne      = "arn:aws:iam::000000000000:server-certificate/one"
	certTwo      = "arn:aws:acm:us-east-1:000000000000:certificate/two"
	subnetA      = "subnet-0aaaaaaaaaaaaaaaa"
	subnetB      = "subnet-0bbbbbbbbbbbbbbbb"
	vpcID        = "vpc-0123456789abcdef0"
	sgOne        = "sg-01111111111111111"
	sgTwo        = "sg-02222222222222222"
	instA        = "i-0aaaaaaaaaaaaaaaa"
	instB        = "i-0bbbbbbbbbbbbbbbb"
)

var dnsRE = regexp.MustCompile(`^web-\d+\.us-east-1\.elb\.amazonaws\.com$`)

// cliBalancers: CreateLoadBalancer, DescribeLoadBalancers, DeleteLoadBalancer,
// DescribeAccountLimits, and the name errors.
func cliBalancers(t *testing.T, bin string) {
	cli := newCLI(t, bin, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 50}}))
	web := cli.run("create-load-balancer", "--load-balancer-name", "web", "--listeners", httpListener,
		"--availability-zones", "us-east-1a", "us-east-1b", "--tags", "Key=env,Value=test").at("DNSName").str()
	if !dnsRE.MatchString(web) {
		t.Errorf("DNSName %q does not look like a Classic ELB name", web)
	}
	app := cli.run("create-load-balancer", "--load-balancer-name", "app", "--listeners",
		`[{"Protocol":"TCP","LoadBalancerPort":5432,"InstanceProtocol":"TCP","InstancePort":5432}]`,
		"--subnets", subnetA, "--security-groups", sgOne, "--scheme", "internal").at("DNSName").str()
	if !regexp.MustCompile(`^internal-app-\d+\.us-east-1\.elb\.amazonaws\.com$`).MatchString(app) {
		t.Errorf("internal DNSName %q", app)
	}

	all := cli.run("describe-load-balancers").at("LoadBalancerDescriptions")
	if n := len(all.list()); n != 2 {
		t.Fatalf("describe-load-balancers: %d balancers, want 2", n)
	}
	w := all.find("LoadBalancerName", "web")
	w.eq(t, web, "DNSName")
	w.eq(t, web, "CanonicalHostedZoneName")
	w.eq(t, "Z35SXDOTRQ7X7K", "CanonicalHostedZoneNameID")
	w.eq(t, "internet-facing", "Scheme")
	w.eq(t, []string{"us-east-1a", "us-east-1b"}, "AvailabilityZones")
	w.eq(t, "HTTP", "ListenerDescriptions", 0, "Listener", "Protocol")
	w.eq(t, 80, "ListenerDescriptions", 0, "Listener", "LoadBalancerPort")
	w.eq(t, 8080, "ListenerDescriptions", 0, "Listener", "InstancePort")
	w.eq(t, "TCP:8080", "HealthCheck", "Target")
	w.eq(t, 30, "HealthCheck", "Interval")
	// EC2-Classic is retired: zone placement means the default VPC.
	dv := cli.srv.Endpoint.DefaultVPC("", "")
	w.eq(t, dv.ID, "VPCId")
	w.eq(t, []string{dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")}, "Subnets")
	w.eq(t, []string{dv.ELBSecurityGroupID}, "SecurityGroups")
	w.eq(t, "000000000000", "SourceSecurityGroup", "OwnerAlias")
	w.eq(t, dv.ELBSecurityGroupName, "SourceSecurityGroup", "GroupName")
	if w.at("CreatedTime").str() == "" {
		t.Errorf("web has no CreatedTime")
	}
	a := all.find("LoadBalancerName", "app")
	a.eq(t, "internal", "Scheme")
	a.eq(t, []string{subnetA}, "Subnets")
	a.eq(t, []string{sgOne}, "SecurityGroups")
	a.eq(t, []string{"us-east-1a"}, "AvailabilityZones")
	if !regexp.MustCompile(`^vpc-[0-9a-f]{17}$`).MatchString(a.at("VPCId").str()) {
		t.Errorf("app VPCId %q", a.at("VPCId").str())
	}
	if a.at("CanonicalHostedZoneName").v != nil {
		t.Errorf("internal balancer has a CanonicalHostedZoneName")
	}

	limits := cli.run("describe-account-limits").at("Limits").kv("Name", "Max")
	want := map[string]string{"classic-load-balancers": "50", "classic-listeners": "100", "classic-registered-instances": "1000"}
	if len(limits) != 3 || limits["classic-load-balancers"] != want["classic-load-balancers"] ||
		limits["classic-listeners"] != want["classic-listeners"] || limits["classic-registered-instances"] != want["classic-registered-instances"] {
		t.Errorf("account limits %v, want %v", limits, want)
	}

	cli.fail("DuplicateLoadBalancerName", "create-load-balancer", "--load-balancer-name", "web", "--listeners",
		`[{"Protocol":"TCP","LoadBalancerPort":81,"InstanceProtocol":"TCP","InstancePort":81}]`, "--availability-zones", "us-east-1a")
	cli.fail("ValidationError", "create-load-balancer", "--load-balancer-name", "bad_name!", "--listeners", httpListener,
		"--availability-zones", "us-east-1a")

	cli.run("delete-load-balancer", "--load-balancer-name", "app")
	cli.fail("LoadBalancerNotFound", "describe-load-balancers", "--load-balancer-names", "app")
	left := cli.run("describe-load-balancers", "--load-balancer-names", "web").at("LoadBalancerDescriptions")
	if names := left.list(); len(names) != 1 || names[0].at("LoadBalancerName").str() != "web" {
		t.Errorf("after delete: %v", left.v)
	}
}

// cliListeners: CreateLoadBalancerListeners, SetLoadBalancerListenerSSLCertificate,
// DeleteLoadBalancerListeners, DuplicateListener.
func cliListeners(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	cli.run("create-load-balancer", "--load-balancer-name", "web", "--listeners", httpListener, "--availability-zones", "us-east-1a")
	cli.run("create-load-balancer-listeners", "--load-balancer-name", "web", "--listeners",
		`[{"Protocol":"HTTPS","LoadBalancerPort":443,"InstanceProtocol":"HTTP","InstancePort":8080,"SSLCertificateId":"`+certOne+`"},`+
			`{"Protocol":"TCP","LoadBalancerPort":8443,"InstanceProtocol":"TCP","InstancePort":8443}]`)
	cli.run("set-load-balancer-listener-ssl-certificate", "--load-balancer-name", "web",
		"--load-balancer-port", "443", "--ssl-certificate-id", certTwo)
	cli.fail("DuplicateListener", "create-load-balancer-listeners", "--load-balancer-name", "web", "--listeners",
		`[{"Protocol":"TCP","LoadBalancerPort":80,"InstanceProtocol":"TCP","InstancePort":80}]`)

	ls := cli.run("describe-load-balancers", "--load-balancer-names", "web").at("LoadBalancerDescriptions", 0, "ListenerDescriptions")
	ports := map[float64]doc{}
	for _, l := range ls.list() {
		ports[l.at("Listener", "LoadBalancerPort").v.(float64)] = l.at("Listener")
		// An HTTPS listener created without a policy gets AWS's default security policy.
		want := []string{}
		if l.at("Listener", "Protocol").v == "HTTPS" {
			want = []string{"ELBSecurityPolicy-2016-08"}
		}
		if got := l.at("PolicyNames").strs(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s = %v, want %v", l.at("PolicyNames").path, got, want)
		}
	}
	if len(ports) != 3 {
		t.Fatalf("listeners %v, want ports 80, 443, 8443", ls.v)
	}
	cli.run("describe-load-balancer-policies", "--load-balancer-name", "web").eq(t, "SSLNegotiationPolicyType", "PolicyDescriptions", 0, "PolicyTypeName")
	ports[443].eq(t, "HTTPS", "Protocol")
	ports[443].eq(t, "HTTP", "InstanceProtocol")
	ports[443].eq(t, certTwo, "SSLCertificateId")
	ports[8443].eq(t, "TCP", "Protocol")

	cli.run("delete-load-balancer-listeners", "--load-balancer-name", "web", "--load-balancer-ports", "8443", "443")
	ls = cli.run("describe-load-balancers", "--load-balancer-names", "web").at("LoadBalancerDescriptions", 0, "ListenerDescriptions")
	if n := len(ls.list()); n != 1 {
		t.Fatalf("after delete: %d listeners, want 1", n)
	}
	ls.eq(t, 80, 0, "Listener", "LoadBalancerPort")
}

// cliPolicies: the three Create*Policy actions, both Set*Policies*, the
// describe calls, DeleteLoadBalancerPolicy and the policy errors.
func cliPolicies(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	cli.run("create-load-balancer", "--load-balancer-name", "web", "--availability-zones", "us-east-1a", "--listeners",
		`[{"Protocol":"HTTP","LoadBalancerPort":80,"InstanceProtocol":"HTTP","InstancePort":8080},`+
			`{"Protocol":"TCP","LoadBalancerPort":9000,"InstanceProtocol":"TCP","InstancePort":9000}]`)
	cli.run("create-lb-cookie-stickiness-policy", "--load-balancer-name", "web", "--policy-name", "lbc", "--cookie-expiration-period", "60")
	cli.run("create-app-cookie-stickiness-policy", "--load-balancer-name", "web", "--policy-name", "appc", "--cookie-name", "SESSIONID")
	cli.run("create-load-balancer-policy", "--load-balancer-name", "web", "--policy-name", "proxy",
		"--policy-type-name", "ProxyProtocolPolicyType", "--policy-attributes", "AttributeName=ProxyProtocol,AttributeValue=true")
	cli.run("set-load-balancer-policies-of-listener", "--load-balancer-name", "web", "--load-balancer-port", "80", "--policy-names", "lbc")
	cli.run("set-load-balancer-policies-for-backend-server", "--load-balancer-name", "web", "--instance-port", "9000", "--policy-names", "proxy")

	cli.fail("PolicyNotFound", "set-load-balancer-policies-of-listener", "--load-balancer-name", "web", "--load-balancer-port", "80", "--policy-names", "nope")
	cli.fail("PolicyTypeNotFound", "create-load-balancer-policy", "--load-balancer-name", "web", "--policy-name", "x", "--policy-type-name", "NoSuchPolicyType")
	cli.fail("InvalidConfigurationRequest", "set-load-balancer-policies-of-listener", "--load-balancer-name", "web", "--load-balancer-port", "9000", "--policy-names", "appc")
	// A policy enabled on a listener cannot be deleted.
	cli.fail("InvalidConfigurationRequest", "delete-load-balancer-policy", "--load-balancer-name", "web", "--policy-name", "lbc")

	lb := cli.run("describe-load-balancers", "--load-balancer-names", "web").at("LoadBalancerDescriptions", 0)
	for _, l := range lb.at("ListenerDescriptions").list() {
		want := []string{}
		if l.at("Listener", "LoadBalancerPort").v == 80.0 {
			want = []string{"lbc"}
		}
		if got := l.at("PolicyNames").strs(); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s = %v, want %v", l.at("PolicyNames").path, got, want)
		}
	}
	lb.eq(t, "lbc", "Policies", "LBCookieStickinessPolicies", 0, "PolicyName")
	lb.eq(t, 60, "Policies", "LBCookieStickinessPolicies", 0, "CookieExpirationPeriod")
	lb.eq(t, "appc", "Policies", "AppCookieStickinessPolicies", 0, "PolicyName")
	lb.eq(t, "SESSIONID", "Policies", "AppCookieStickinessPolicies", 0, "CookieName")
	lb.eq(t, []string{"proxy"}, "Policies", "OtherPolicies")
	lb.eq(t, 9000, "BackendServerDescriptions", 0, "InstancePort")
	lb.eq(t, []string{"proxy"}, "BackendServerDescriptions", 0, "PolicyNames")

	pols := cli.run("describe-load-balancer-policies", "--load-balancer-name", "web").at("PolicyDescriptions")
	types := pols.kv("PolicyName", "PolicyTypeName")
	if len(types) != 3 || types["lbc"] != "LBCookieStickinessPolicyType" || types["appc"] != "AppCookieStickinessPolicyType" ||
		types["proxy"] != "ProxyProtocolPolicyType" {
		t.Errorf("policies of web: %v", types)
	}
	pols.find("PolicyName", "proxy").eq(t, "ProxyProtocol", "PolicyAttributeDescriptions", 0, "AttributeName")
	pols.find("PolicyName", "proxy").eq(t, "true", "PolicyAttributeDescriptions", 0, "AttributeValue")
	pols.find("PolicyName", "appc").eq(t, "SESSIONID", "PolicyAttributeDescriptions", 0, "AttributeValue")

	// Without a balancer the call lists AWS's predefined sample policies.
	sample := cli.run("describe-load-balancer-policies", "--policy-names", "ELBSecurityPolicy-2016-08").at("PolicyDescriptions")
	sample.eq(t, "SSLNegotiationPolicyType", 0, "PolicyTypeName")
	attrs := sample.at(0, "PolicyAttributeDescriptions").kv("AttributeName", "AttributeValue")
	if attrs["Protocol-TLSv1.2"] != "true" || attrs["Protocol-SSLv3"] != "false" {
		t.Errorf("ELBSecurityPolicy-2016-08 attributes: %v", attrs)
	}

	all := cli.run("describe-load-balancer-policy-types").at("PolicyTypeDescriptions")
	for _, name := range []string{"SSLNegotiationPolicyType", "AppCookieStickinessPolicyType", "LBCookieStickinessPolicyType",
		"ProxyProtocolPolicyType", "BackendServerAuthenticationPolicyType", "PublicKeyPolicyType"} {
		if all.find("PolicyTypeName", name).v == nil {
			t.Errorf("policy type %s not described", name)
		}
	}
	pt := cli.run("describe-load-balancer-policy-types", "--policy-type-names", "ProxyProtocolPolicyType").at("PolicyTypeDescriptions")
	if n := len(pt.list()); n != 1 {
		t.Fatalf("%d policy types, want 1", n)
	}
	pt.eq(t, "ProxyProtocol", 0, "PolicyAttributeTypeDescriptions", 0, "AttributeName")
	pt.eq(t, "Boolean", 0, "PolicyAttributeTypeDescriptions", 0, "AttributeType")
	pt.eq(t, "ONE", 0, "PolicyAttributeTypeDescriptions", 0, "Cardinality")

	// An empty list disables every policy of the listener; then lbc can go.
	cli.run("set-load-balancer-policies-of-listener", "--load-balancer-name", "web", "--load-balancer-port", "80", "--policy-names", "[]")
	cli.run("delete-load-balancer-policy", "--load-balancer-name", "web", "--policy-name", "lbc")
	left := cli.run("describe-load-balancer-policies", "--load-balancer-name", "web").at("PolicyDescriptions").kv("PolicyName", "PolicyTypeName")
	if _, still := left["lbc"]; still || len(left) != 2 {
		t.Errorf("after delete: %v", left)
	}
	cli.fail("PolicyNotFound", "describe-load-balancer-policies", "--load-balancer-name", "web", "--policy-names", "lbc")
}
