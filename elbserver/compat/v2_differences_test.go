package compat

import (
	"strings"
	"testing"
)

const (
	v2APIRef = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/"
	albGuide = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/"
)

// intendedV2Differences are the listed differences between moto's ELBv2 and the endpoint, in
// the form of intendedDifferences.
var intendedV2Differences = []intended{
	{"*LoadBalancer*", "LoadBalancers[*].CanonicalHostedZoneId", "Z2P70J7EXAMPLE", "Z35SXDOTRQ7X7K",
		"a made-up hosted zone id", "the Route 53 hosted zone of Application Load Balancers in the region", "https://docs.aws.amazon.com/general/latest/gr/elb.html"},
	{"*LoadBalancer*", "LoadBalancers[web].Scheme", "", "internet-facing",
		"no scheme", "`internet-facing`, the default", v2APIRef + "API_CreateLoadBalancer.html"},
	{"CreateLoadBalancer", "error.code", "", "ValidationError",
		"accepts the name `bad_name!`", "ValidationError: at most 32 alphanumerics or hyphens, not starting or ending with a hyphen", v2APIRef + "API_CreateLoadBalancer.html"},
	{"CreateLoadBalancer", "LoadBalancers[bad_name!].*", "*", "",
		"(same name) creates the balancer", "no balancer is created", v2APIRef + "API_CreateLoadBalancer.html"},
	{"*", "*.ForwardConfig.*", "", "*",
		"no ForwardConfig for a forward action given by TargetGroupArn", "the equivalent ForwardConfig: the group at weight 1, group stickiness off", v2APIRef + "API_Action.html"},
	{"*", "*.RedirectConfig.*", "", "*#{*}",
		"leaves the parts of a redirect not given empty", "`#{host}`, `/#{path}`, `#{query}` (the parts kept)", v2APIRef + "API_RedirectActionConfig.html"},
	{"*Listener*", "Listeners[*<listener-80>].SslPolicy", "ELBSecurityPolicy-2016-08", "",
		"gives an HTTP listener an SSL policy", "none: security policies belong to HTTPS and TLS listeners", v2APIRef + "API_Listener.html"},
	{"*Listener*", "Listeners[*].MutualAuthentication.Mode", "", "off",
		"no mutual authentication on an HTTPS listener", "mode `off`, the default", v2APIRef + "API_MutualAuthenticationAttributes.html"},
	{"AddListenerCertificates", "Certificates[*]*", "*", "*",
		"returns the default certificate", "the certificate list, each with IsDefault false", v2APIRef + "API_AddListenerCertificates.html"},
	{"*Rule*", "Rules[*].Conditions[*]*Values", "", "*",
		"only the form a condition was given in (top-level Values, or the field's config)", "both: top-level Values and the config of host-header and path-pattern conditions", v2APIRef + "API_RuleCondition.html"},
	{"DescribeTargetHealth", "TargetHealthDescriptions[*].TargetHealth.*", "*", "*",
		"every target healthy at once", "initial (Elb.RegistrationInProgress, then Elb.InitialHealthChecking) for HealthyThreshold health check intervals, then healthy, or what the data plane probed", albGuide + "target-group-health-checks.html"},
	{"DescribeTargetHealth", "TargetHealthDescriptions[*].HealthCheckPort", "traffic-port", "80",
		"the group's setting, `traffic-port`", "the port the health check uses for the target", v2APIRef + "API_TargetHealthDescription.html"},
	{"DescribeTargetHealth", "TargetHealthDescriptions[*].AdministrativeOverride.*", "", "*",
		"no administrative override", "`no_override`", v2APIRef + "API_AdministrativeOverride.html"},
	{"*TargetGroup*", "TargetGroups[tg].LoadBalancerArns", "*,*", "*",
		"the balancer once per listener or rule using the group", "the balancer once", v2APIRef + "API_TargetGroup.html"},
	{"CreateTargetGroup", "error.code", "DuplicateTargetGroupName", "",
		"repeating an identical CreateTargetGroup fails with DuplicateTargetGroupName", "the identical retry returns the existing group; other settings get DuplicateTargetGroupName", v2APIRef + "API_CreateTargetGroup.html"},
	{"CreateTargetGroup", "TargetGroups[tcp].*", "", "*",
		"(same retry) no group", "the existing group", v2APIRef + "API_CreateTargetGroup.html"},
	{"SetSubnets", "IpAddressType", "", "ipv4",
		"no IP address type", "the balancer's IP address type", v2APIRef + "API_SetSubnets.html"},
	{"*LoadBalancerAttributes", "Attributes[load_balancing.cross_zone.enabled].Value", "false", "true",
		"cross-zone load balancing off for an Application Load Balancer", "on, as it always is for Application Load Balancers", v2APIRef + "API_LoadBalancerAttribute.html"},
	{"*LoadBalancerAttributes", "Attributes[*]*", "", "*",
		"five attributes", "every attribute of the balancer's type, with its default", v2APIRef + "API_LoadBalancerAttribute.html"},
	{"*TargetGroupAttributes", "Attributes[waf.fail_open.enabled]*", "*", "",
		"a balancer attribute, `waf.fail_open.enabled`, among a target group's", "target group attributes only", v2APIRef + "API_TargetGroupAttribute.html"},
	{"*TargetGroupAttributes", "Attributes[*]*", "", "*",
		"some attributes", "every attribute of the group's kind, with its default", v2APIRef + "API_TargetGroupAttribute.html"},
	{"*ListenerAttributes", "Attributes[tcp.idle_timeout.seconds]*", "*", "",
		"the Network Load Balancer attribute `tcp.idle_timeout.seconds` on an HTTPS listener", "the attributes of HTTPS listeners", v2APIRef + "API_ListenerAttribute.html"},
	{"*ListenerAttributes", "Attributes[*]*", "", "*",
		"no HTTP listener attributes", "every attribute of the listener's protocol, with its default", v2APIRef + "API_ListenerAttribute.html"},
	{"DescribeAccountLimits", "Limits[*]*", "*", "*",
		"nine limits, with other defaults", "AWS's limit names and defaults (23)", albGuide + "load-balancer-limits.html"},
	{"DescribeSSLPolicies", "SslPolicies[ELBSecurityPolicy-2016-08].Ciphers[*-AES256-SHA].Priority", "1*", "1*",
		"ECDHE-ECDSA-AES256-SHA before ECDHE-RSA-AES256-SHA", "ECDHE-RSA-AES256-SHA first, as AWS's example of the policies lists them", v2APIRef + "API_DescribeSSLPolicies.html"},
	{"DescribeSSLPolicies", "SslPolicies[*].SupportedLoadBalancerTypes", "", "application,network",
		"no supported balancer types", "application and network", v2APIRef + "API_SslPolicy.html"},
	{"DescribeCapacityReservation", "CapacityReservationState", "*provisioned*", "",
		"a provisioned reservation in no zone, for a balancer with none", "no reservation state until one is requested", v2APIRef + "API_DescribeCapacityReservation.html"},
	{"DescribeCapacityReservation", "DecreaseRequestsRemaining", "", "2",
		"no decrease count", "the decreases left today, two a day", albGuide + "request-capacity-unit-reservation.html"},
}

var v2Differences = newDifferenceTable(intendedV2Differences)

// differencesV2Markdown renders the ELBv2 section of DIFFERENCES.md.
func differencesV2Markdown() string {
	var b strings.Builder
	b.WriteString("\n## ELBv2 (Application, Network and Gateway Load Balancers, 2015-12-01)\n\n")
	b.WriteString("TestV2DifferentialMoto runs one scenario over moto's 37 ELBv2 actions the same way (ids, ARNs' random parts,\n")
	b.WriteString("DNS names' random parts and times normalised) and fails on any difference not listed here. Generated from\n")
	b.WriteString("`v2_differences_test.go`.\n\n")
	return b.String() + v2Differences.markdown()
}

// Every listed ELBv2 difference is justified by an AWS documentation page.
func TestV2DifferencesCiteAWS(t *testing.T) {
	v2Differences.checkDocs(t)
}
