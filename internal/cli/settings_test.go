package cli

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

const certA = "arn:aws:iam::123456789012:server-certificate/a"

func TestListenersAndCertificate(t *testing.T) {
	_, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
	ok(t, args(ep, "listeners", "create", "web", "--port", "443", "--instance-port", "8080",
		"--protocol", "https", "--instance-protocol", "http", "--certificate", certA)...)
	l := listener(t, ep, "web", 443)
	if l.InstancePort != 8080 || l.Protocol != loadbalancer.HTTPS || l.InstanceProtocol != loadbalancer.HTTP || l.CertificateID != certA {
		t.Errorf("listener = %+v", l)
	}
	certB := "arn:aws:iam::123456789012:server-certificate/b"
	if out := ok(t, args(ep, "certificate", "set", "web", "443", certB)...); !strings.Contains(out, "set certificate web port 443") {
		t.Errorf("certificate set table: %q", out)
	}
	if l := listener(t, ep, "web", 443); l.CertificateID != certB {
		t.Errorf("certificate = %q", l.CertificateID)
	}
	var del actionResult
	okJSON(t, &del, args(ep, "listeners", "delete", "web", "443")...)
	if !slices.Equal(del.Items, []string{"443"}) {
		t.Errorf("delete = %+v", del)
	}
	var lb loadbalancer.LoadBalancer
	okJSON(t, &lb, args(ep, "balancers", "get", "web")...)
	if len(lb.Listeners) != 1 {
		t.Errorf("listeners after delete = %+v", lb.Listeners)
	}
}

func TestHealthCheckShowsAndChanges(t *testing.T) {
	_, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
	var hc loadbalancer.HealthCheck
	okJSON(t, &hc, args(ep, "health-check", "web")...)
	if hc.Target == "" || hc.Interval == 0 {
		t.Fatalf("default health check = %+v", hc)
	}
	okJSON(t, &hc, args(ep, "health-check", "web", "--target", "HTTP:80/health", "--interval", "10s", "--timeout", "4s")...)
	if hc.Target != "HTTP:80/health" || hc.Interval != 10*time.Second || hc.Timeout != 4*time.Second || hc.HealthyThreshold == 0 {
		t.Errorf("configured = %+v, want the flags applied and the thresholds kept", hc)
	}
	out := ok(t, args(ep, "health-check", "web")...)
	if !strings.Contains(out, "HTTP:80/health") || !strings.Contains(out, "10s") {
		t.Errorf("health-check table:\n%s", out)
	}
	r := fails(t, ExitFailed, args(ep, "health-check", "web", "--interval", "2s", "--timeout", "5s")...)
	if !strings.HasPrefix(r.stderr, "lbctl: ") {
		t.Errorf("bad health check: %s", r.stderr)
	}
}

func TestAttributes(t *testing.T) {
	_, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
	var at attributesJSON
	okJSON(t, &at, args(ep, "attributes", "set", "web", "--cross-zone", "--idle-timeout", "120s", "--draining", "--draining-timeout", "30s")...)
	if at.CrossZone == nil || !*at.CrossZone || at.IdleTimeoutSeconds != 120 ||
		at.ConnectionDraining == nil || !at.ConnectionDraining.Enabled || at.ConnectionDraining.TimeoutSeconds != 30 {
		t.Errorf("set = %+v", at)
	}
	// Changing only the timeout keeps draining on.
	ok(t, args(ep, "attributes", "set", "web", "--draining-timeout", "45s")...)
	okJSON(t, &at, args(ep, "attributes", "get", "web")...)
	if at.ConnectionDraining == nil || !at.ConnectionDraining.Enabled || at.ConnectionDraining.TimeoutSeconds != 45 || at.IdleTimeoutSeconds != 120 {
		t.Errorf("get = %+v", at)
	}
	okJSON(t, &at, args(ep, "attributes", "set", "web", "--access-log", "--access-log-bucket", "logs",
		"--access-log-interval", "5m", "--additional", "elb.http.desyncmitigationmode=strictest", "--cross-zone=false")...)
	if l := at.AccessLog; l == nil || !l.Enabled || l.S3BucketName != "logs" || l.EmitIntervalMinutes != 5 ||
		at.Additional["elb.http.desyncmitigationmode"] != "strictest" || at.CrossZone == nil || *at.CrossZone {
		t.Errorf("access log and additional attributes: %+v %+v", at, at.AccessLog)
	}
	// Turning the access log off keeps its bucket settings.
	okJSON(t, &at, args(ep, "attributes", "set", "web", "--access-log=false")...)
	if l := at.AccessLog; l == nil || l.Enabled {
		t.Errorf("access log after --access-log=false: %+v", l)
	}
	out := ok(t, args(ep, "attributes", "get", "web")...)
	for _, want := range []string{"Cross-zone load balancing", "Idle timeout", "2m0s", "Draining timeout", "45s"} {
		if !strings.Contains(out, want) {
			t.Errorf("attributes table lacks %q:\n%s", want, out)
		}
	}
}

func TestTags(t *testing.T) {
	_, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "a", "--port", "80", "--protocol", "http")...)
	ok(t, args(ep, "balancers", "create", "b", "--port", "80", "--protocol", "http")...)
	ok(t, args(ep, "tags", "add", "a", "b", "--tag", "team=web", "--tag", "env=prod")...)
	ok(t, args(ep, "tags", "remove", "b", "--key", "env")...)
	var tags map[string]map[string]string
	okJSON(t, &tags, args(ep, "tags", "list", "a", "b")...)
	if tags["a"]["team"] != "web" || tags["a"]["env"] != "prod" || tags["b"]["team"] != "web" || len(tags["b"]) != 1 {
		t.Errorf("tags = %v", tags)
	}
	out := ok(t, args(ep, "tags", "list", "a")...)
	if !strings.Contains(out, "LOAD BALANCER") || !strings.Contains(out, "env") || !strings.Contains(out, "prod") {
		t.Errorf("tags table:\n%s", out)
	}
}

func TestZonesSubnetsSecurityGroupsAndLimits(t *testing.T) {
	ts, ep := endpoint(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 7}}))
	ok(t, args(ep, "balancers", "create", "classic", "--port", "80", "--protocol", "http", "--zone", "us-east-1a")...)
	var zones listResult
	okJSON(t, &zones, args(ep, "zones", "enable", "classic", "us-east-1b")...)
	if !slices.Equal(zones.Items, []string{"us-east-1a", "us-east-1b"}) || zones.LoadBalancer != "classic" {
		t.Errorf("zones = %+v", zones)
	}
	if out := ok(t, args(ep, "zones", "disable", "classic", "us-east-1a")...); strings.TrimSpace(out) != "ZONE\nus-east-1b" {
		t.Errorf("zones disable table: %q", out)
	}

	for _, sub := range []elbserver.Subnet{{ID: "subnet-0000000a", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1a"},
		{ID: "subnet-0000000b", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1b"}} {
		if err := ts.Endpoint.DeclareSubnet("", ts.Region, sub); err != nil {
			t.Fatal(err)
		}
	}
	if err := ts.Endpoint.DeclareSecurityGroup("", ts.Region, "sg-0000000a", "vpc-0000000a"); err != nil {
		t.Fatal(err)
	}
	ok(t, args(ep, "balancers", "create", "vpc", "--port", "80", "--protocol", "http", "--subnet", "subnet-0000000a")...)
	var subnets listResult
	okJSON(t, &subnets, args(ep, "subnets", "attach", "vpc", "subnet-0000000b")...)
	if len(subnets.Items) != 2 {
		t.Errorf("subnets = %+v", subnets)
	}
	okJSON(t, &subnets, args(ep, "subnets", "detach", "vpc", "subnet-0000000a")...)
	if !slices.Equal(subnets.Items, []string{"subnet-0000000b"}) {
		t.Errorf("subnets after detach = %+v", subnets)
	}
	var groups listResult
	okJSON(t, &groups, args(ep, "security-groups", "apply", "vpc", "sg-0000000a")...)
	if !slices.Equal(groups.Items, []string{"sg-0000000a"}) {
		t.Errorf("groups = %+v", groups)
	}

	var limits []limitJSON
	okJSON(t, &limits, args(ep, "limits")...)
	found := false
	for _, l := range limits {
		found = found || (l.Name == "classic-load-balancers" && l.Max == "7")
	}
	if !found {
		t.Errorf("limits = %+v, want classic-load-balancers=7", limits)
	}
	if out := ok(t, args(ep, "limits")...); !strings.Contains(out, "classic-listeners") {
		t.Errorf("limits table:\n%s", out)
	}
}
