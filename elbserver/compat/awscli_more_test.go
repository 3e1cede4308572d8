package compat

import (
	"fmt"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
)

// cliInstances: RegisterInstancesWithLoadBalancer, DescribeInstanceHealth,
// DeregisterInstancesFromLoadBalancer, ConfigureHealthCheck.
func cliInstances(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	cli.run("create-load-balancer", "--load-balancer-name", "web", "--listeners", httpListener, "--availability-zones", "us-east-1a")
	reg := cli.run("register-instances-with-load-balancer", "--load-balancer-name", "web",
		"--instances", instA, instB).at("Instances")
	if got := reg.kv("InstanceId", "InstanceId"); len(got) != 2 || got[instA] == "" || got[instB] == "" {
		t.Errorf("registered instances %v", reg.v)
	}
	const reason = "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."
	if err := cli.srv.Endpoint.SetInstanceHealth("", "", "web", instB, "OutOfService", "Instance", reason); err != nil {
		t.Fatal(err)
	}
	states := cli.run("describe-instance-health", "--load-balancer-name", "web").at("InstanceStates")
	if n := len(states.list()); n != 2 {
		t.Fatalf("%d instance states, want 2", n)
	}
	states.find("InstanceId", instA).eq(t, "InService", "State")
	b := states.find("InstanceId", instB)
	b.eq(t, "OutOfService", "State")
	b.eq(t, "Instance", "ReasonCode")
	b.eq(t, reason, "Description")
	one := cli.run("describe-instance-health", "--load-balancer-name", "web", "--instances", instA).at("InstanceStates")
	if n := len(one.list()); n != 1 {
		t.Errorf("%d states for one instance", n)
	}
	one.eq(t, instA, 0, "InstanceId")

	left := cli.run("deregister-instances-from-load-balancer", "--load-balancer-name", "web", "--instances", instB).at("Instances")
	if got := left.list(); len(got) != 1 || got[0].at("InstanceId").str() != instA {
		t.Errorf("after deregister: %v", left.v)
	}
	cli.fail("LoadBalancerNotFound", "register-instances-with-load-balancer", "--load-balancer-name", "nope", "--instances", instA)

	hc := cli.run("configure-health-check", "--load-balancer-name", "web",
		"--health-check", "Target=HTTP:8080/health,Interval=10,Timeout=5,UnhealthyThreshold=3,HealthyThreshold=4").at("HealthCheck")
	hc.eq(t, "HTTP:8080/health", "Target")
	hc.eq(t, 10, "Interval")
	lb := cli.run("describe-load-balancers", "--load-balancer-names", "web").at("LoadBalancerDescriptions", 0)
	lb.eq(t, map[string]any{"Target": "HTTP:8080/health", "Interval": 10.0, "Timeout": 5.0,
		"UnhealthyThreshold": 3.0, "HealthyThreshold": 4.0}, "HealthCheck")
	lb.eq(t, []any{map[string]any{"InstanceId": instA}}, "Instances")
}

// cliAttributes: DescribeLoadBalancerAttributes and ModifyLoadBalancerAttributes.
func cliAttributes(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	cli.run("create-load-balancer", "--load-balancer-name", "web", "--listeners", httpListener, "--availability-zones", "us-east-1a")
	a := cli.run("describe-load-balancer-attributes", "--load-balancer-name", "web").at("LoadBalancerAttributes")
	a.eq(t, false, "CrossZoneLoadBalancing", "Enabled")
	a.eq(t, false, "AccessLog", "Enabled")
	a.eq(t, false, "ConnectionDraining", "Enabled")
	a.eq(t, 300, "ConnectionDraining", "Timeout")
	a.eq(t, 60, "ConnectionSettings", "IdleTimeout")
	a.eq(t, "defensive", "AdditionalAttributes", 0, "Value")

	mod := cli.run("modify-load-balancer-attributes", "--load-balancer-name", "web", "--load-balancer-attributes",
		`{"CrossZoneLoadBalancing":{"Enabled":true},"ConnectionDraining":{"Enabled":true,"Timeout":120},`+
			`"ConnectionSettings":{"IdleTimeout":30},"AccessLog":{"Enabled":true,"S3BucketName":"my-logs","EmitInterval":5,"S3BucketPrefix":"elb"},`+
			`"AdditionalAttributes":[{"Key":"elb.http.desyncmitigationmode","Value":"strictest"}]}`)
	mod.eq(t, "web", "LoadBalancerName")
	for _, got := range []doc{mod.at("LoadBalancerAttributes"),
		cli.run("describe-load-balancer-attributes", "--load-balancer-name", "web").at("LoadBalancerAttributes")} {
		got.eq(t, true, "CrossZoneLoadBalancing", "Enabled")
		got.eq(t, map[string]any{"Enabled": true, "Timeout": 120.0}, "ConnectionDraining")
		got.eq(t, 30, "ConnectionSettings", "IdleTimeout")
		got.eq(t, map[string]any{"Enabled": true, "S3BucketName": "my-logs", "EmitInterval": 5.0, "S3BucketPrefix": "elb"}, "AccessLog")
		got.eq(t, "strictest", "AdditionalAttributes", 0, "Value")
	}
	cli.fail("ValidationError", "modify-load-balancer-attributes", "--load-balancer-name", "web",
		"--load-balancer-attributes", `{"ConnectionSettings":{"IdleTimeout":5000}}`)
}

// cliNetwork: zones of a classic balancer, subnets and security groups of a
// VPC balancer.
func cliNetwork(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	ep := cli.srv.Endpoint
	for _, sub := range []elbserver.Subnet{{ID: subnetA, VPCID: vpcID, AvailabilityZone: "us-east-1a"}, {ID: subnetB, VPCID: vpcID, AvailabilityZone: "us-east-1b"}} {
		if err := ep.DeclareSubnet("", "", sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, sg := range []string{sgOne, sgTwo} {
		if err := ep.DeclareSecurityGroup("", "", sg, vpcID); err != nil {
			t.Fatal(err)
		}
	}
	cli.run("create-load-balancer", "--load-balancer-name", "classic", "--listeners", httpListener, "--availability-zones", "us-east-1a")
	z := cli.run("enable-availability-zones-for-load-balancer", "--load-balancer-name", "classic",
		"--availability-zones", "us-east-1b", "us-east-1c").at("AvailabilityZones")
	z.eq(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"})
	cli.run("disable-availability-zones-for-load-balancer", "--load-balancer-name", "classic",
		"--availability-zones", "us-east-1a").eq(t, []string{"us-east-1b", "us-east-1c"}, "AvailabilityZones")

	cli.run("create-load-balancer", "--load-balancer-name", "invpc", "--listeners", httpListener, "--subnets", subnetA, "--security-groups", sgOne)
	cli.run("attach-load-balancer-to-subnets", "--load-balancer-name", "invpc", "--subnets", subnetB).
		eq(t, []string{subnetA, subnetB}, "Subnets")
	lb := cli.run("describe-load-balancers", "--load-balancer-names", "invpc").at("LoadBalancerDescriptions", 0)
	lb.eq(t, vpcID, "VPCId")
	lb.eq(t, []string{"us-east-1a", "us-east-1b"}, "AvailabilityZones")
	cli.run("detach-load-balancer-from-subnets", "--load-balancer-name", "invpc", "--subnets", subnetA).
		eq(t, []string{subnetB}, "Subnets")
	cli.run("apply-security-groups-to-load-balancer", "--load-balancer-name", "invpc", "--security-groups", sgTwo).
		eq(t, []string{sgTwo}, "SecurityGroups")
	lb = cli.run("describe-load-balancers", "--load-balancer-names", "invpc").at("LoadBalancerDescriptions", 0)
	lb.eq(t, []string{"us-east-1b"}, "AvailabilityZones")
	lb.eq(t, []string{sgTwo}, "SecurityGroups")

	cli.fail("InvalidConfigurationRequest", "enable-availability-zones-for-load-balancer", "--load-balancer-name", "invpc",
		"--availability-zones", "us-east-1c")
}

// cliTags: AddTags, DescribeTags, RemoveTags and the tag quota.
func cliTags(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	cli.run("create-load-balancer", "--load-balancer-name", "web", "--listeners", httpListener,
		"--availability-zones", "us-east-1a", "--tags", "Key=env,Value=test")
	cli.run("add-tags", "--load-balancer-names", "web", "--tags", "Key=team,Value=core", "Key=env,Value=prod")
	d := cli.run("describe-tags", "--load-balancer-names", "web").at("TagDescriptions")
	d.eq(t, "web", 0, "LoadBalancerName")
	if got := d.at(0, "Tags").kv("Key", "Value"); len(got) != 2 || got["env"] != "prod" || got["team"] != "core" {
		t.Errorf("tags after add: %v", got)
	}
	cli.run("remove-tags", "--load-balancer-names", "web", "--tags", "team")
	if got := cli.run("describe-tags", "--load-balancer-names", "web").at("TagDescriptions", 0, "Tags").kv("Key", "Value"); len(got) != 1 || got["env"] != "prod" {
		t.Errorf("tags after remove: %v", got)
	}
	// One existing tag plus ten new ones exceeds AWS's 10 tags per balancer.
	args := []string{"add-tags", "--load-balancer-names", "web", "--tags"}
	for i := range 10 {
		args = append(args, fmt.Sprintf("Key=k%d,Value=v", i))
	}
	cli.fail("TooManyTags", args...)
}

// cliAuth: requests signed with a wrong secret or an unknown key are refused
// with the codes AWS uses.
func cliAuth(t *testing.T, bin string) {
	cli := newCLI(t, bin)
	const wrong = "wrong-secret-4f9c2d"
	_, errb, err := cli.withKeys(cli.srv.AccessKeyID, wrong).exec([]string{"describe-load-balancers"})
	if err == nil || !strings.Contains(string(errb), "(SignatureDoesNotMatch)") {
		t.Errorf("wrong secret: err %v, stderr:\n%s", err, errb)
	}
	// The refusal must not echo any secret back.
	if strings.Contains(string(errb), wrong) {
		t.Errorf("the refusal mentions the secret:\n%s", errb)
	}
	_, errb, err = cli.withKeys("AKIDUNKNOWNKEY000000", cli.srv.SecretAccessKey).exec([]string{"describe-load-balancers"})
	if err == nil || !strings.Contains(string(errb), "(InvalidClientTokenId)") {
		t.Errorf("unknown key: err %v, stderr:\n%s", err, errb)
	}
	// A session token nobody issued, and a region AWS does not have, are refused as AWS does.
	token := *cli
	token.env = append(append([]string(nil), cli.env...), "AWS_SESSION_TOKEN=FwoGZXIvYXdzEXAMPLETOKEN")
	if _, errb, err = token.exec([]string{"describe-load-balancers"}); err == nil || !strings.Contains(string(errb), "(InvalidClientTokenId)") {
		t.Errorf("unknown session token: err %v, stderr:\n%s", err, errb)
	}
	if _, errb, err = cli.exec([]string{"describe-load-balancers", "--region", "zz-fake-9"}); err == nil ||
		!strings.Contains(string(errb), "(SignatureDoesNotMatch)") || !strings.Contains(string(errb), "Credential should be scoped to a valid region, not 'zz-fake-9'") {
		t.Errorf("region AWS does not have: err %v, stderr:\n%s", err, errb)
	}
}
