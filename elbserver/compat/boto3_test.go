package compat

import (
	"bytes"
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// runPython runs testdata/SCRIPT against srv and parses the JSON it prints.
func runPython(t *testing.T, srv *elbtest.Server, script string, env ...string) doc {
	t.Helper()
	py := testenv.RequirePython(t, "boto3", "botocore")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", script))
	cmd.Env = append(clientEnv(t, srv), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", script, err, errb.String())
	}
	return parseDoc(t, out.Bytes())
}

func startServer(t *testing.T, opts ...elbtest.Option) *elbtest.Server {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

func TestBoto3Actions(t *testing.T) {
	t.Parallel()
	ops := classicModel.read(t)
	srv := startServer(t)
	for _, sub := range []elbserver.Subnet{{ID: subnetA, VPCID: vpcID, AvailabilityZone: "us-east-1a"}, {ID: subnetB, VPCID: vpcID, AvailabilityZone: "us-east-1b"}} {
		if err := srv.Endpoint.DeclareSubnet("", "", sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, sg := range []string{sgOne, sgTwo} {
		if err := srv.Endpoint.DeclareSecurityGroup("", "", sg, vpcID); err != nil {
			t.Fatal(err)
		}
	}
	r := runPython(t, srv, "boto3_actions.py", "INST_A="+instA, "INST_B="+instB, "SUBNET_A="+subnetA, "SUBNET_B="+subnetB,
		"SG_ONE="+sgOne, "SG_TWO="+sgTwo, "CERT_ONE="+certOne, "CERT_TWO="+certTwo)

	var missing []string
	for op := range ops {
		if !slices.Contains(r.at("succeeded").strs(), op) {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		t.Errorf("operations not run successfully through boto3: %v", missing)
	}

	if !dnsRE.MatchString(r.at("create_web", "DNSName").str()) {
		t.Errorf("web DNSName %q", r.at("create_web", "DNSName").str())
	}
	web := r.at("describe", "LoadBalancerDescriptions").find("LoadBalancerName", "web")
	web.eq(t, r.at("create_web", "DNSName").v, "DNSName")
	listeners := map[float64]doc{}
	for _, l := range web.at("ListenerDescriptions").list() {
		listeners[l.at("Listener", "LoadBalancerPort").v.(float64)] = l
	}
	if len(listeners) != 3 {
		t.Errorf("web listeners: %v", web.at("ListenerDescriptions").v)
	}
	listeners[443].eq(t, certTwo, "Listener", "SSLCertificateId")
	listeners[443].eq(t, []string{"ELBSecurityPolicy-TLS-1-2-2017-01"}, "PolicyNames")
	listeners[80].eq(t, []string{"lbc"}, "PolicyNames")
	web.eq(t, []any{map[string]any{"InstancePort": 9000.0, "PolicyNames": []any{"proxy"}}}, "BackendServerDescriptions")
	web.eq(t, []any{map[string]any{"PolicyName": "appc", "CookieName": "SESSIONID"}}, "Policies", "AppCookieStickinessPolicies")
	web.eq(t, []any{map[string]any{"PolicyName": "lbc", "CookieExpirationPeriod": 60.0}}, "Policies", "LBCookieStickinessPolicies")
	// The HTTPS and SSL listeners were created without a policy: AWS gave them its default one,
	// which stays on the balancer after the listeners change.
	web.eq(t, []string{"ELBSecurityPolicy-2016-08", "proxy", "ELBSecurityPolicy-TLS-1-2-2017-01"}, "Policies", "OtherPolicies")
	web.eq(t, []string{"us-east-1a", "us-east-1b"}, "AvailabilityZones")
	web.eq(t, []any{map[string]any{"InstanceId": instA}}, "Instances")
	web.eq(t, "HTTP:8080/ping", "HealthCheck", "Target")
	app := r.at("describe", "LoadBalancerDescriptions").find("LoadBalancerName", "app")
	app.eq(t, "internal", "Scheme")
	app.eq(t, []string{subnetB}, "Subnets")
	app.eq(t, []string{sgTwo}, "SecurityGroups")
	app.eq(t, vpcID, "VPCId")

	pols := r.at("policies_web", "PolicyDescriptions").kv("PolicyName", "PolicyTypeName")
	if len(pols) != 5 || pols["proxy"] != "ProxyProtocolPolicyType" || pols["ELBSecurityPolicy-TLS-1-2-2017-01"] != "SSLNegotiationPolicyType" ||
		pols["ELBSecurityPolicy-2016-08"] != "SSLNegotiationPolicyType" {
		t.Errorf("policies of web: %v", pols)
	}
	sample := r.at("policies_sample", "PolicyDescriptions", 0, "PolicyAttributeDescriptions").kv("AttributeName", "AttributeValue")
	if sample["Protocol-TLSv1.2"] != "true" || sample["Protocol-TLSv1"] != "false" {
		t.Errorf("ELBSecurityPolicy-TLS-1-2-2017-01: %v", sample)
	}
	r.eq(t, "LBCookieStickinessPolicyType", "policy_types", "PolicyTypeDescriptions", 0, "PolicyTypeName")
	r.eq(t, "Long", "policy_types", "PolicyTypeDescriptions", 0, "PolicyAttributeTypeDescriptions", 0, "AttributeType")
	r.eq(t, []string{"AppCookieStickinessPolicyType", "BackendServerAuthenticationPolicyType", "LBCookieStickinessPolicyType",
		"ProxyProtocolPolicyType", "PublicKeyPolicyType", "SSLNegotiationPolicyType"}, "policy_types_all")
	r.eq(t, []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01", "appc", "proxy"}, "policies_left")

	r.eq(t, []any{map[string]any{"InstanceId": instA}, map[string]any{"InstanceId": instB}}, "register", "Instances")
	r.eq(t, true, "waited_in_service")
	r.eq(t, true, "waited_deregistered")
	if st := r.at("health", "InstanceStates").kv("InstanceId", "State"); len(st) != 2 || st[instA] != "InService" || st[instB] != "InService" {
		t.Errorf("instance health: %v", st)
	}
	r.eq(t, []any{map[string]any{"InstanceId": instA}}, "deregister", "Instances")
	r.eq(t, map[string]any{"Target": "HTTP:8080/ping", "Interval": 15.0, "Timeout": 4.0, "UnhealthyThreshold": 2.0, "HealthyThreshold": 3.0},
		"health_check", "HealthCheck")

	r.eq(t, false, "attrs_before", "LoadBalancerAttributes", "CrossZoneLoadBalancing", "Enabled")
	r.eq(t, "web", "attrs_modified", "LoadBalancerName")
	for _, key := range []string{"attrs_modified", "attrs_after"} {
		a := r.at(key, "LoadBalancerAttributes")
		a.eq(t, true, "CrossZoneLoadBalancing", "Enabled")
		a.eq(t, map[string]any{"Enabled": true, "Timeout": 45.0}, "ConnectionDraining")
		a.eq(t, 120, "ConnectionSettings", "IdleTimeout")
		a.eq(t, false, "AccessLog", "Enabled")
	}

	r.eq(t, []string{"us-east-1a", "us-east-1b", "us-east-1c"}, "zones_enabled", "AvailabilityZones")
	r.eq(t, []string{"us-east-1a", "us-east-1b"}, "zones_disabled", "AvailabilityZones")
	r.eq(t, []string{subnetA, subnetB}, "subnets_attached", "Subnets")
	r.eq(t, []string{subnetB}, "subnets_detached", "Subnets")
	r.eq(t, []string{sgTwo}, "sgs", "SecurityGroups")

	tags := r.at("tags", "TagDescriptions")
	if got := tags.find("LoadBalancerName", "web").at("Tags").kv("Key", "Value"); len(got) != 1 || got["env"] != "prod" {
		t.Errorf("web tags: %v", got)
	}
	if got := tags.find("LoadBalancerName", "app").at("Tags").list(); len(got) != 0 {
		t.Errorf("app tags: %v", got)
	}
	if got := r.at("limits", "Limits").kv("Name", "Max"); got["classic-load-balancers"] != "20" || len(got) != 3 {
		t.Errorf("limits: %v", got)
	}
	r.eq(t, []string{"web"}, "names_left")
}
