package compat

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// v2CLICoverage holds the `aws elbv2` commands that succeeded.
var v2CLICoverage coverage

// cliV2 runs `aws elbv2` against one server of a scenario.
type cliV2 struct {
	awsRun
	t *testing.T
}

// run executes `aws elbv2 COMMAND ARGS...`, requires success and returns the parsed output.
func (c *cliV2) run(args ...string) doc {
	c.t.Helper()
	out, errb, err := c.exec(args)
	if err != nil {
		c.t.Fatalf("aws elbv2 %s: %v\n%s", strings.Join(args, " "), err, errb)
	}
	v2CLICoverage.add(args[0])
	return parseDoc(c.t, out)
}

// fail executes a command that must fail with code, as the CLI prints it; the command counts
// as driven, its error being what it answers (see neverSucceeds).
func (c *cliV2) fail(code string, args ...string) {
	c.t.Helper()
	_, errb, err := c.exec(args)
	if err == nil || !strings.Contains(string(errb), "An error occurred ("+code+")") {
		c.t.Errorf("aws elbv2 %s: want error %s, got %v:\n%s", strings.Join(args, " "), code, err, errb)
		return
	}
	v2CLICoverage.add(args[0])
}

// TestV2AWSCLI drives every ELBv2 action through the AWS CLI, checking what it prints; the
// scenarios run in parallel since each call pays the CLI's start-up.
func TestV2AWSCLI(t *testing.T) {
	bin := testenv.RequireAWSCLI(t)
	ops := v2Model.read(t)
	s := startV2(t, nil, clockSpeed)
	env := append(clientEnv(t, s.srv), s.extraEnv()...)
	endpoint := &cliV2{awsRun: awsRun{bin: bin, url: s.srv.URL, service: "elbv2", env: env}}
	room := &cliV2{awsRun: awsRun{bin: bin, url: s.room.URL, service: "elbv2", env: env}}
	scenarios := []struct {
		name string
		fn   func(t *testing.T, elb, room *cliV2)
	}{
		{"balancers", cliV2Balancers}, {"targets", cliV2Targets}, {"listeners", cliV2Listeners}, {"trust-stores", cliV2TrustStores},
	}
	var executed atomic.Int32
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				executed.Add(1)
				e, r := *endpoint, *room
				e.t, r.t = t, t
				sc.fn(t, &e, &r)
			})
		}
	})
	if t.Failed() || int(executed.Load()) != len(scenarios) {
		return
	}
	var missing []string
	for op, o := range ops {
		if !v2CLICoverage.seen[o.CLI] {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		t.Errorf("actions never run through the AWS CLI: %v", missing)
	}
}

const cliCert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"

func cliV2Balancers(t *testing.T, c, _ *cliV2) {
	lb := c.run("create-load-balancer", "--name", "cli-web", "--subnets", subnetA, subnetB, "--security-groups", sgOne).at("LoadBalancers", 0)
	arn := lb.at("LoadBalancerArn").str()
	lb.eq(t, "provisioning", "State", "Code")
	c.run("wait", "load-balancer-available", "--load-balancer-arns", arn)
	nlb := c.run("create-load-balancer", "--name", "cli-net", "--type", "network", "--scheme", "internal", "--subnets", subnetA).at("LoadBalancers", 0)
	nlb.eq(t, "Z26RNL4JYFTOTI", "CanonicalHostedZoneId")
	got := c.run("describe-load-balancers", "--names", "cli-web", "cli-net").at("LoadBalancers")
	if len(got.list()) != 2 || got.at(0, "State", "Code").str() != "active" || got.at(1, "Type").str() != "network" {
		t.Errorf("described: %v", got.v)
	}
	attrs := c.run("modify-load-balancer-attributes", "--load-balancer-arn", arn, "--attributes", "Key=idle_timeout.timeout_seconds,Value=300").at("Attributes")
	if attrs.kv("Key", "Value")["idle_timeout.timeout_seconds"] != "300" {
		t.Errorf("modified attributes %v", attrs.v)
	}
	if a := c.run("describe-load-balancer-attributes", "--load-balancer-arn", arn).at("Attributes").kv("Key", "Value"); a["routing.http2.enabled"] != "true" {
		t.Errorf("attributes %v", a)
	}
	c.run("set-security-groups", "--load-balancer-arn", arn, "--security-groups", sgOne).eq(t, []string{sgOne}, "SecurityGroupIds")
	c.run("set-subnets", "--load-balancer-arn", arn, "--subnets", subnetB, subnetA).eq(t, "us-east-1b", "AvailabilityZones", 0, "ZoneName")
	c.run("set-ip-address-type", "--load-balancer-arn", arn, "--ip-address-type", "dualstack").eq(t, "dualstack", "IpAddressType")
	c.run("modify-ip-pools", "--load-balancer-arn", arn, "--ipam-pools", "Ipv4IpamPoolId=ipam-pool-0abc").eq(t, "ipam-pool-0abc", "IpamPools", "Ipv4IpamPoolId")
	c.run("modify-capacity-reservation", "--load-balancer-arn", arn, "--minimum-load-balancer-capacity", "CapacityUnits=100").
		eq(t, 100, "MinimumLoadBalancerCapacity", "CapacityUnits")
	c.run("describe-capacity-reservation", "--load-balancer-arn", arn).eq(t, 100, "MinimumLoadBalancerCapacity", "CapacityUnits")
	limits := c.run("describe-account-limits").at("Limits").kv("Name", "Max")
	if limits["network-load-balancers"] != "50" || limits["targets-per-target-group"] != "1000" {
		t.Errorf("limits %v", limits)
	}
	ssl := c.run("describe-ssl-policies", "--names", "ELBSecurityPolicy-TLS13-1-3-2021-06").at("SslPolicies", 0)
	ssl.eq(t, []string{"TLSv1.3"}, "SslProtocols")
	ssl.eq(t, "TLS_AES_128_GCM_SHA256", "Ciphers", 0, "Name")
	c.run("delete-load-balancer", "--load-balancer-arn", nlb.at("LoadBalancerArn").str())
}

func cliV2Targets(t *testing.T, c, _ *cliV2) {
	tg := c.run("create-target-group", "--name", "cli-tg", "--protocol", "HTTP", "--port", "8080", "--vpc-id", vpcID,
		"--health-check-path", "/ping", "--matcher", "HttpCode=200-204").at("TargetGroups", 0)
	arn := tg.at("TargetGroupArn").str()
	tg.eq(t, "200-204", "Matcher", "HttpCode")
	c.run("modify-target-group", "--target-group-arn", arn, "--healthy-threshold-count", "3").eq(t, 3, "TargetGroups", 0, "HealthyThresholdCount")
	c.run("describe-target-groups", "--names", "cli-tg").eq(t, "/ping", "TargetGroups", 0, "HealthCheckPath")
	if a := c.run("modify-target-group-attributes", "--target-group-arn", arn, "--attributes", "Key=stickiness.enabled,Value=true").
		at("Attributes").kv("Key", "Value"); a["stickiness.enabled"] != "true" {
		t.Errorf("modified attributes %v", a)
	}
	if a := c.run("describe-target-group-attributes", "--target-group-arn", arn).at("Attributes").kv("Key", "Value"); a["stickiness.type"] != "lb_cookie" {
		t.Errorf("attributes %v", a)
	}
	c.run("register-targets", "--target-group-arn", arn, "--targets", "Id=i-0123456789abcdef0", "Id=i-0123456789abcdef1,Port=8081")
	h := c.run("describe-target-health", "--target-group-arn", arn).at("TargetHealthDescriptions")
	if len(h.list()) != 2 || h.at(0, "TargetHealth", "Reason").str() != "Target.NotInUse" {
		t.Errorf("health %v", h.v)
	}
	c.run("deregister-targets", "--target-group-arn", arn, "--targets", "Id=i-0123456789abcdef0")
	c.run("add-tags", "--resource-arns", arn, "--tags", "Key=env,Value=prod", "Key=team,Value=core")
	c.run("remove-tags", "--resource-arns", arn, "--tag-keys", "team")
	tags := c.run("describe-tags", "--resource-arns", arn).at("TagDescriptions", 0, "Tags").kv("Key", "Value")
	if len(tags) != 1 || tags["env"] != "prod" {
		t.Errorf("tags %v", tags)
	}
	c.run("delete-target-group", "--target-group-arn", arn)
}

func cliV2Listeners(t *testing.T, c, _ *cliV2) {
	lb := c.run("create-load-balancer", "--name", "cli-rules", "--subnets", subnetA, subnetB).at("LoadBalancers", 0, "LoadBalancerArn").str()
	tg := c.run("create-target-group", "--name", "cli-rules", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpcID).at("TargetGroups", 0, "TargetGroupArn").str()
	forward := fmt.Sprintf(`[{"Type":"forward","TargetGroupArn":"%s"}]`, tg)
	l := c.run("create-listener", "--load-balancer-arn", lb, "--protocol", "HTTPS", "--port", "443", "--certificates", "CertificateArn="+cliCert,
		"--default-actions", forward).at("Listeners", 0)
	la := l.at("ListenerArn").str()
	l.eq(t, "ELBSecurityPolicy-2016-08", "SslPolicy")
	c.run("modify-listener", "--listener-arn", la, "--ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06").eq(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", "Listeners", 0, "SslPolicy")
	c.run("describe-listeners", "--load-balancer-arn", lb).eq(t, la, "Listeners", 0, "ListenerArn")
	extra := "arn:aws:iam::000000000000:server-certificate/cli"
	c.run("add-listener-certificates", "--listener-arn", la, "--certificates", "CertificateArn="+extra).eq(t, extra, "Certificates", 0, "CertificateArn")
	certs := c.run("describe-listener-certificates", "--listener-arn", la).at("Certificates")
	if len(certs.list()) != 2 || certs.at(0, "IsDefault").v != true {
		t.Errorf("certificates %v", certs.v)
	}
	c.run("remove-listener-certificates", "--listener-arn", la, "--certificates", "CertificateArn="+extra)
	c.run("modify-listener-attributes", "--listener-arn", la, "--attributes", "Key=routing.http.response.x_content_type_options.header_value,Value=nosniff")
	if a := c.run("describe-listener-attributes", "--listener-arn", la).at("Attributes").kv("Key", "Value"); a["routing.http.response.x_content_type_options.header_value"] != "nosniff" {
		t.Errorf("listener attributes %v", a)
	}
	r1 := c.run("create-rule", "--listener-arn", la, "--priority", "10", "--conditions", "Field=path-pattern,Values=/a/*", "--actions", forward).at("Rules", 0)
	r1.eq(t, "10", "Priority")
	r2 := c.run("create-rule", "--listener-arn", la, "--priority", "20", "--conditions",
		`[{"Field":"http-header","HttpHeaderConfig":{"HttpHeaderName":"X-Env","Values":["prod"]}}]`,
		"--actions", `[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503","MessageBody":"later"}}]`).at("Rules", 0)
	c.run("modify-rule", "--rule-arn", r2.at("RuleArn").str(), "--conditions", `[{"Field":"http-request-method","HttpRequestMethodConfig":{"Values":["POST"]}}]`).
		eq(t, []string{"POST"}, "Rules", 0, "Conditions", 0, "HttpRequestMethodConfig", "Values")
	c.run("set-rule-priorities", "--rule-priorities", fmt.Sprintf(`[{"RuleArn":"%s","Priority":30}]`, r1.at("RuleArn").str())).eq(t, "30", "Rules", 0, "Priority")
	rules := c.run("describe-rules", "--listener-arn", la).at("Rules")
	if len(rules.list()) != 3 || rules.at(0, "Priority").str() != "20" || rules.at(2, "IsDefault").v != true {
		t.Errorf("rules %v", rules.v)
	}
	c.run("delete-rule", "--rule-arn", r2.at("RuleArn").str())
	c.fail("ResourceNotFound", "get-resource-policy", "--resource-arn", lb)
	c.run("delete-listener", "--listener-arn", la)
}

func cliV2TrustStores(t *testing.T, _, c *cliV2) {
	ts := c.run("create-trust-store", "--name", "cli-ca", "--ca-certificates-bundle-s3-bucket", "pki", "--ca-certificates-bundle-s3-key", "ca.pem").at("TrustStores", 0)
	arn := ts.at("TrustStoreArn").str()
	ts.eq(t, 1, "NumberOfCaCertificates")
	c.run("describe-trust-stores", "--names", "cli-ca").eq(t, arn, "TrustStores", 0, "TrustStoreArn")
	c.run("modify-trust-store", "--trust-store-arn", arn, "--ca-certificates-bundle-s3-bucket", "pki", "--ca-certificates-bundle-s3-key", "ca.pem").
		eq(t, "ACTIVE", "TrustStores", 0, "Status")
	c.run("add-trust-store-revocations", "--trust-store-arn", arn, "--revocation-contents", "S3Bucket=pki,S3Key=crl.der,RevocationType=CRL").
		eq(t, 2, "TrustStoreRevocations", 0, "NumberOfRevokedEntries")
	c.run("describe-trust-store-revocations", "--trust-store-arn", arn).eq(t, 1, "TrustStoreRevocations", 0, "RevocationId")
	c.run("get-trust-store-revocation-content", "--trust-store-arn", arn, "--revocation-id", "1").eq(t, "https://pki.s3.us-east-1.amazonaws.com/crl.der", "Location")
	c.run("get-trust-store-ca-certificates-bundle", "--trust-store-arn", arn).eq(t, "https://pki.s3.us-east-1.amazonaws.com/ca.pem", "Location")
	lb := c.run("create-load-balancer", "--name", "cli-mtls", "--subnets", "subnet-0000000a", "subnet-0000000b").at("LoadBalancers", 0, "LoadBalancerArn").str()
	l := c.run("create-listener", "--load-balancer-arn", lb, "--protocol", "HTTPS", "--port", "443", "--certificates", "CertificateArn="+cliCert,
		"--default-actions", `[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"200"}}]`,
		"--mutual-authentication", "Mode=verify,TrustStoreArn="+arn).at("Listeners", 0, "ListenerArn").str()
	c.run("describe-trust-store-associations", "--trust-store-arn", arn).eq(t, l, "TrustStoreAssociations", 0, "ResourceArn")
	c.fail("DeleteAssociationSameAccount", "delete-shared-trust-store-association", "--trust-store-arn", arn, "--resource-arn", l)
	c.run("get-resource-policy", "--resource-arn", sharedTrustStore).eq(t, `{"Version":"2012-10-17","Statement":[]}`, "Policy")
	c.run("delete-listener", "--listener-arn", l)
	c.run("remove-trust-store-revocations", "--trust-store-arn", arn, "--revocation-ids", "1")
	c.run("delete-trust-store", "--trust-store-arn", arn)
}
