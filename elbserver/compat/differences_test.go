package compat

import (
	"flag"
	"os"
	"strings"
	"testing"
)

// intended is one listed difference between moto and the endpoint. Action,
// Field (with list member keys, e.g. LoadBalancerDescriptions[web].VPCId),
// Moto and Ours are patterns where "*" matches any run of characters; a
// difference is intended when all four match it.
type intended struct {
	Action, Field, Moto, Ours string
	MotoDoes, WeDo            string // prose for DIFFERENCES.md
	Doc                       string // the AWS page that justifies the endpoint
}

const apiRef = "https://docs.aws.amazon.com/elasticloadbalancing/2012-06-01/APIReference/"
const guide = "https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/"

var intendedDifferences = []intended{
	{"CreateLoadBalancer", "DNSName", "app-*", "internal-app-*",
		"an internal balancer's DNS name has no `internal-` prefix", "`internal-NAME-ID.REGION.elb.amazonaws.com`", guide + "elb-internal-load-balancers.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[app].DNSName", "app-*", "internal-app-*",
		"same, in the description", "same", guide + "elb-internal-load-balancers.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[app].CanonicalHostedZoneName", "app-*", "",
		"an internal balancer has a public hosted-zone alias name", "none for an internal balancer (its name resolves to private addresses only)", guide + "elb-internal-load-balancers.html"},
	{"CreateLoadBalancer", "error.code", "DuplicateLoadBalancerName", "",
		"repeating an identical CreateLoadBalancer fails with DuplicateLoadBalancerName", "the identical retry returns the existing DNS name; a different configuration gets DuplicateLoadBalancerName", apiRef + "API_CreateLoadBalancer.html"},
	{"CreateLoadBalancer", "DNSName", "", "web-*",
		"(same retry) no DNS name", "the existing DNS name", apiRef + "API_CreateLoadBalancer.html"},
	{"CreateLoadBalancer", "error.code", "", "ValidationError",
		"accepts the name `bad_name!`", "ValidationError: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen", apiRef + "API_CreateLoadBalancer.html"},
	{"CreateLoadBalancer", "DNSName", "bad_name!*", "",
		"(same name) returns a DNS name", "no balancer is created", apiRef + "API_CreateLoadBalancer.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[bad_name!].*", "*", "",
		"lists the balancer named `bad_name!`", "no such balancer", apiRef + "API_CreateLoadBalancer.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[*].CanonicalHostedZoneNameID", "", "Z35SXDOTRQ7X7K",
		"no hosted zone id", "the region's Classic ELB Route 53 hosted zone id", "https://docs.aws.amazon.com/general/latest/gr/elb.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[*].HealthCheck.*", "", "*",
		"no health check before ConfigureHealthCheck", "the defaults: TCP on the first instance port, interval 30, timeout 5, unhealthy 2, healthy 10", guide + "elb-healthchecks.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[app].AvailabilityZones", "", "us-east-1*",
		"no zones for a balancer created with subnets", "the zones of its subnets", apiRef + "API_LoadBalancerDescription.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[web].Subnets", "<default-subnet-1>", "<default-subnet-2>",
		"(default VPC) keeps the subnet of a zone removed by DisableAvailabilityZonesForLoadBalancer and adds none for an enabled zone", "the default subnet of each enabled zone", apiRef + "API_EnableAvailabilityZonesForLoadBalancer.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[web].SourceSecurityGroup.GroupName", "default", "<elb-sg-name>",
		"(default VPC) source group `default`", "the group Elastic Load Balancing provides in the default VPC, `default_elb_UUID`, which is also its security group", guide + "elb-vpc-security-groups.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[app].SourceSecurityGroup.GroupName", "default", "*",
		"(non-default VPC) source group `default` whatever the balancer's groups", "the name of the balancer's first security group", "https://docs.aws.amazon.com/cli/latest/reference/elb/describe-load-balancers.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[web].ListenerDescriptions[9000].PolicyNames", "appc", "",
		"keeps the stickiness policy it let onto a TCP listener", "refused it (see SetLoadBalancerPoliciesOfListener)", apiRef + "API_CreateAppCookieStickinessPolicy.html"},
	{"RegisterInstancesWithLoadBalancer", "Instances[*].InstanceId", "", "<instance-*>",
		"an empty Instances list", "the updated list of registered instances", apiRef + "API_RegisterInstancesWithLoadBalancer.html"},
	{"DeregisterInstancesFromLoadBalancer", "Instances[*].InstanceId", "", "<instance-*>",
		"an empty Instances list", "the remaining registered instances", apiRef + "API_DeregisterInstancesFromLoadBalancer.html"},
	{"*LoadBalancerAttributes", "LoadBalancerAttributes.AdditionalAttributes*", "*", "*",
		"no additional attribute at first, then `elb.http.desyncmitigationmode` three times", "`elb.http.desyncmitigationmode` once, `defensive` by default", guide + "config-desync-mitigation-mode.html"},
	{"DescribeLoadBalancerAttributes", "LoadBalancerAttributes.ConnectionDraining.Timeout", "", "300",
		"no timeout while draining is disabled", "the 300-second default", guide + "config-conn-drain.html"},
	{"AddTags", "error.code", "LoadBalancerNotFound", "TooManyTags",
		"an 11th tag fails with LoadBalancerNotFound", "TooManyTags (at most 10 tags per balancer)", apiRef + "API_AddTags.html"},
	{"DescribeLoadBalancerPolicies", "PolicyDescriptions[*].PolicyTypeName", "*StickinessPolicy", "*StickinessPolicyType",
		"type names `AppCookieStickinessPolicy`, `LbCookieStickinessPolicy`", "`AppCookieStickinessPolicyType`, `LBCookieStickinessPolicyType`, as DescribeLoadBalancerPolicyTypes names them", apiRef + "API_DescribeLoadBalancerPolicyTypes.html"},
	{"DescribeLoadBalancerPolicies", "PolicyDescriptions[*].PolicyAttributeDescriptions[*].*", "", "*",
		"stickiness policies have no attributes", "`CookieName` / `CookieExpirationPeriod`", apiRef + "API_PolicyDescription.html"},
	{"DescribeLoadBalancerPolicies", "error.code", "LoadBalancerNotFound", "",
		"without LoadBalancerName: LoadBalancerNotFound", "describes the named sample policies", apiRef + "API_DescribeLoadBalancerPolicies.html"},
	{"DescribeLoadBalancerPolicies", "PolicyDescriptions[ELBSecurityPolicy-2016-08]*", "", "*",
		"(same call, and a balancer's policies after its HTTPS listener got the default one) nothing", "the predefined policy with its attributes", apiRef + "API_DescribeLoadBalancerPolicies.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[web].ListenerDescriptions[443].PolicyNames", "", "ELBSecurityPolicy-2016-08",
		"an HTTPS listener created without a security policy has none", "AWS's default predefined security policy, `ELBSecurityPolicy-2016-08`", guide + "ssl-config-update.html"},
	{"DescribeLoadBalancers", "LoadBalancerDescriptions[web].Policies.OtherPolicies", "proxy", "ELBSecurityPolicy-2016-08,proxy",
		"(same listener) no such policy on the balancer", "the default policy among the balancer's policies, where it stays when the listener goes", guide + "ssl-config-update.html"},
	{"SetLoadBalancerPoliciesOfListener", "error.code", "", "PolicyNotFound",
		"enables a policy that does not exist", "PolicyNotFound", apiRef + "API_SetLoadBalancerPoliciesOfListener.html"},
	{"SetLoadBalancerPoliciesOfListener", "error.*", "", "*",
		"enables an app-cookie stickiness policy on a TCP listener", "InvalidConfigurationRequest (409): stickiness applies to HTTP/HTTPS listeners only", apiRef + "API_CreateAppCookieStickinessPolicy.html"},
}

var classicDifferences = newDifferenceTable(intendedDifferences)

var updateDoc = flag.Bool("update-differences", false, "rewrite DIFFERENCES.md from the table")

// differencesMarkdown renders the table for DIFFERENCES.md.
func differencesMarkdown() string {
	var b strings.Builder
	b.WriteString("# Differences between moto and the lbcloud endpoint\n\n")
	b.WriteString("The differential test (`elbserver/compat`, TestDifferentialMoto) runs one scenario with aws-sdk-go-v2\n")
	b.WriteString("against moto and against the endpoint, normalises request ids, DNS names' random parts, timestamps,\n")
	b.WriteString("account and resource ids, and fails on any difference not listed here. Generated from\n")
	b.WriteString("`differences_test.go` (`go test ./elbserver/compat -run TestDifferencesDoc -update-differences`).\n\n")
	return b.String() + classicDifferences.markdown() + differencesV2Markdown()
}

// TestDifferencesDoc keeps DIFFERENCES.md in step with the table.
func TestDifferencesDoc(t *testing.T) {
	want := differencesMarkdown()
	if *updateDoc {
		if err := os.WriteFile("DIFFERENCES.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("DIFFERENCES.md")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("DIFFERENCES.md is out of date; run: go test ./elbserver/compat -run TestDifferencesDoc -update-differences")
	}
	classicDifferences.checkDocs(t)
}
