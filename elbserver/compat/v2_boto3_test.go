package compat

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// neverSucceeds are the actions no call can make succeed here, with why; their tests check
// the error they answer with instead.
var neverSucceeds = map[string]string{
	"DeleteSharedTrustStoreAssociation": "trust stores are not shared across accounts (there is no resource sharing), so there is no shared association to delete",
}

var (
	v2LBARNRE = regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/[0-9a-f]{16}$`)
	v2DNSRE   = regexp.MustCompile(`^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$`)
)

func TestV2Boto3Actions(t *testing.T) {
	t.Parallel()
	ops := v2Model.read(t)
	s := startV2(t, nil, clockSpeed)
	r := runPython(t, s.srv, "v2_boto3_actions.py", s.extraEnv()...)

	succeeded := r.at("succeeded").strs()
	for op := range ops {
		if _, never := neverSucceeds[op]; !never && !slices.Contains(succeeded, op) {
			t.Errorf("%s never ran successfully through boto3", op)
		}
	}

	lb := r.at("create_lb")
	if !v2LBARNRE.MatchString(lb.at("LoadBalancerArn").str()) || !v2DNSRE.MatchString(lb.at("DNSName").str()) {
		t.Errorf("balancer %v", lb.v)
	}
	lb.eq(t, "provisioning", "State", "Code")
	lb.eq(t, []string{sgOne}, "SecurityGroups")
	lb.eq(t, vpcID, "VpcId")
	r.eq(t, "internal", "create_net", "Scheme")
	r.eq(t, "Z26RNL4JYFTOTI", "create_net", "CanonicalHostedZoneId")
	r.eq(t, "/ping", "create_tg", "HealthCheckPath")
	r.eq(t, 2, "create_tg", "HealthCheckTimeoutSeconds")
	r.eq(t, "HTTPS", "create_http", "DefaultActions", 0, "RedirectConfig", "Protocol")
	r.eq(t, "#{host}", "create_http", "DefaultActions", 0, "RedirectConfig", "Host")
	r.eq(t, 8443, "modify_tls", "Listeners", 0, "Port")
	r.eq(t, []string{"HTTP2Preferred"}, "modify_tls", "Listeners", 0, "AlpnPolicy")
	certs := r.at("listener_certs", "Certificates")
	if len(certs.list()) != 2 || certs.at(0, "IsDefault").v != true || certs.at(1, "CertificateArn").str() != "arn:aws:iam::000000000000:server-certificate/extra" {
		t.Errorf("listener certificates %v", certs.v)
	}
	for _, k := range []string{"listener_attrs_modified", "listener_attrs"} {
		if got := r.at(k, "Attributes").kv("Key", "Value")["routing.http.response.server.enabled"]; got != "false" {
			t.Errorf("%s: server header %q", k, got)
		}
	}

	r.eq(t, "url-rewrite", "create_rule", "Transforms", 0, "Type")
	r.eq(t, "gone", "create_rule", "Actions", 0, "FixedResponseConfig", "MessageBody")
	r.eq(t, []string{"/v2/*"}, "modify_rule", "Rules", 0, "Conditions", 0, "Values")
	r.eq(t, []string{"/v2/*"}, "modify_rule", "Rules", 0, "Conditions", 0, "PathPatternConfig", "Values")
	var prios []string
	for _, page := range r.at("rules").list() {
		if len(page.at("Rules").list()) != 1 {
			t.Errorf("rule page of %d", len(page.at("Rules").list()))
		}
		prios = append(prios, page.at("Rules", 0, "Priority").str())
	}
	if strings.Join(prios, ",") != "10,30,default" {
		t.Errorf("rules by priority: %v", prios)
	}
	r.eq(t, "Elb.RegistrationInProgress", "health_initial", "TargetHealthDescriptions", 0, "TargetHealth", "Reason")
	h := r.at("health", "TargetHealthDescriptions", 0)
	h.eq(t, "healthy", "TargetHealth", "State")
	h.eq(t, "8080", "HealthCheckPort")
	h.eq(t, "normal", "AnomalyDetection", "Result")
	h.eq(t, "no_override", "AdministrativeOverride", "State")
	if got := r.at("tg_attrs", "Attributes").kv("Key", "Value"); got["deregistration_delay.timeout_seconds"] != "0" || got["load_balancing.algorithm.type"] != "least_outstanding_requests" {
		t.Errorf("target group attributes %v", got)
	}
	r.eq(t, "200-299", "modify_tg", "TargetGroups", 0, "Matcher", "HttpCode")
	r.eq(t, "web", "tgs_of_lb", "TargetGroups", 0, "TargetGroupName")
	if n := len(r.at("tgs").list()); n != 2 {
		t.Errorf("%d pages of one target group", n)
	}

	if got := r.at("lb_attrs", "Attributes").kv("Key", "Value"); got["idle_timeout.timeout_seconds"] != "120" || got["routing.http2.enabled"] != "true" {
		t.Errorf("balancer attributes %v", got)
	}
	r.eq(t, []string{sgOne}, "security_groups", "SecurityGroupIds")
	r.eq(t, "us-east-1b", "subnets", "AvailabilityZones", 0, "ZoneName")
	r.eq(t, "dualstack", "ip_type", "IpAddressType")
	r.eq(t, "ipam-pool-0abc", "ip_pools", "IpamPools", "Ipv4IpamPoolId")
	r.eq(t, 200, "capacity_modified", "MinimumLoadBalancerCapacity", "CapacityUnits")
	r.eq(t, 2, "capacity", "DecreaseRequestsRemaining")
	tags := r.at("tags", "TagDescriptions")
	if got := tags.at(0, "Tags").kv("Key", "Value"); len(got) != 2 || got["env"] != "test" || got["team"] != "core" {
		t.Errorf("balancer tags %v", got)
	}
	if got := tags.at(2, "Tags").kv("Key", "Value"); len(got) != 2 || got["tier"] != "web" {
		t.Errorf("listener tags %v", got)
	}
	limits := map[string]string{}
	for _, page := range r.at("limits").list() {
		for k, v := range page.at("Limits").kv("Name", "Max") {
			limits[k] = v
		}
	}
	if len(limits) != 23 || limits["application-load-balancers"] != "50" || limits["listeners-per-application-load-balancer"] != "50" {
		t.Errorf("limits %v", limits)
	}
	r.eq(t, 18, "ssl", "SslPolicies", 0, "Ciphers", 17, "Priority")
	if all := r.at("ssl_all").strs(); len(all) < 18 || all[0] != "ELBSecurityPolicy-2016-08" {
		t.Errorf("SSL policies %v", all)
	}
	r.eq(t, "ResourceNotFound", "no_policy")

	r.eq(t, 1, "create_ts", "NumberOfCaCertificates")
	r.eq(t, "ACTIVE", "create_ts", "Status")
	r.eq(t, 2, "revocations_added", "TrustStoreRevocations", 0, "NumberOfRevokedEntries")
	r.eq(t, 1, "revocations", "TrustStoreRevocations", 0, "RevocationId")
	r.eq(t, "https://pki.s3.us-east-1.amazonaws.com/crl.der", "revocation_content", "Location")
	r.eq(t, "https://pki.s3.us-east-1.amazonaws.com/ca.pem", "bundle", "Location")
	r.eq(t, "verify", "mtls", "MutualAuthentication", "Mode")
	r.eq(t, r.at("mtls", "ListenerArn").v, "associations", "TrustStoreAssociations", 0, "ResourceArn")
	r.eq(t, "DeleteAssociationSameAccount", "shared_same_account")
	r.eq(t, "TrustStoreInUse", "in_use")
	r.eq(t, `{"Version":"2012-10-17","Statement":[]}`, "policy", "Policy")
	if n := len(r.at("trust_stores_left", "TrustStores").list()); n != 0 {
		t.Errorf("%d trust stores left", n)
	}
	r.eq(t, []string{"web"}, "lbs_left")
	r.eq(t, []string{"web"}, "tgs_left")
}
