package elb_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func TestMotoLifecycle(t *testing.T) {
	d, rec, _ := motoClient(t)
	ctx := testCtx(t)
	ids, ips := runInstances(t, d, 2)

	lb, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "app", Port: 80, Protocol: driver.HTTP,
		Zones: []string{"us-east-1b"}, Tags: map[string]string{"env": "test", "team": "web"}})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Listeners[0].InstancePort != 80 || !slices.Equal(lb.Zones, []string{"us-east-1b"}) {
		t.Errorf("balancer = %+v", lb)
	}

	// Members by IP, in one RegisterInstances call; listed with the instance port.
	got, err := d.Service().AttachMembers(ctx, "app", []driver.Member{{IP: ips[0]}, {IP: ips[1]}})
	if err != nil {
		t.Fatal(err)
	}
	if got[0].ID != ids[0] || got[1].ID != ids[1] || got[0].IP != ips[0] {
		t.Errorf("attached = %+v, want IDs %v", got, ids)
	}
	ms, err := d.Service().ListMembers(ctx, "app")
	if err != nil || len(ms) != 2 {
		t.Fatalf("ListMembers = %+v, %v", ms, err)
	}
	for _, m := range ms {
		if m.Port != 80 || m.Health == "" || m.Condition != conditionFor(m.Health) {
			t.Errorf("member = %+v", m)
		}
	}
	hs, err := d.InstanceHealth(ctx, "app", ids[0])
	if err != nil || len(hs) != 1 || hs[0].ID != ids[0] {
		t.Errorf("InstanceHealth = %+v, %v", hs, err)
	}
	if err := d.Service().DetachMembers(ctx, "app", []driver.Member{{ID: ids[0]}}); err != nil {
		t.Fatal(err)
	}
	if ms, _ := d.Service().ListMembers(ctx, "app"); len(ms) != 1 || ms[0].ID != ids[1] {
		t.Errorf("after detach: %+v", ms)
	}

	hc, err := d.ConfigureHealthCheck(ctx, "app", driver.HealthCheck{Target: "HTTP:80/ping",
		Interval: 30 * time.Second, Timeout: 5 * time.Second, HealthyThreshold: 3, UnhealthyThreshold: 2})
	if err != nil || hc.Target != "HTTP:80/ping" || hc.Interval != 30*time.Second || hc.HealthyThreshold != 3 {
		t.Errorf("ConfigureHealthCheck = %+v, %v", hc, err)
	}

	a, err := d.ModifyAttributes(ctx, "app", elb.Attributes{CrossZone: aws.Bool(true),
		ConnectionDraining: &elb.ConnectionDraining{Enabled: true, Timeout: 120 * time.Second},
		IdleTimeout:        90 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	a, err = d.Attributes(ctx, "app")
	if err != nil || a.CrossZone == nil || !*a.CrossZone || a.IdleTimeout != 90*time.Second ||
		a.ConnectionDraining == nil || a.ConnectionDraining.Timeout != 120*time.Second {
		t.Errorf("Attributes = %+v, %v", a, err)
	}

	if err := d.AddTags(ctx, []string{"app"}, map[string]string{"owner": "ops"}); err != nil {
		t.Fatal(err)
	}
	if err := d.RemoveTags(ctx, []string{"app"}, "team"); err != nil {
		t.Fatal(err)
	}
	tags, err := d.Tags(ctx, "app")
	if want := map[string]string{"env": "test", "owner": "ops"}; err != nil || !equalMaps(tags["app"], want) {
		t.Errorf("Tags = %v, %v; want %v", tags, err, want)
	}

	zones, err := d.EnableZones(ctx, "app", "us-east-1c")
	if err != nil || !slices.Contains(zones, "us-east-1c") {
		t.Errorf("EnableZones = %v, %v", zones, err)
	}
	zones, err = d.DisableZones(ctx, "app", "us-east-1b")
	if err != nil || slices.Contains(zones, "us-east-1b") {
		t.Errorf("DisableZones = %v, %v", zones, err)
	}

	if err := d.CreateAppCookieStickinessPolicy(ctx, "app", "AppSticky", "SESSIONID"); err != nil {
		t.Fatal(err)
	}
	if err := d.CreateLBCookieStickinessPolicy(ctx, "app", "LBSticky", time.Hour); err != nil {
		t.Fatal(err)
	}
	if names, _ := d.ListBalancerPolicies(ctx, "app"); !slices.Contains(names, "AppSticky") || !slices.Contains(names, "LBSticky") {
		t.Errorf("policies = %v", names)
	}

	if err := d.CreateBalancerListeners(ctx, "app", []elb.ListenerSpec{{LoadBalancerPort: 443, InstancePort: 80,
		Protocol: driver.HTTPS, InstanceProtocol: driver.HTTP, CertificateID: "arn:aws:iam::123456789012:server-certificate/one"}}); err != nil {
		t.Fatal(err)
	}
	const two = "arn:aws:iam::123456789012:server-certificate/two"
	if err := d.SetListenerSSLCertificate(ctx, "app", 443, two); err != nil {
		t.Fatal(err)
	}
	lb, _ = d.Service().GetBalancer(ctx, "app")
	// moto echoes the front-end protocol as the instance protocol, so check what was sent.
	if l := findListener(lb, 443); l == nil || l.CertificateID != two {
		t.Errorf("listener 443 = %+v", l)
	}
	if p := rec.Last("CreateLoadBalancerListeners").Get("Listeners.member.1.InstanceProtocol"); p != "HTTP" {
		t.Errorf("sent instance protocol %q, want HTTP", p)
	}
	if err := d.DeleteBalancerListeners(ctx, "app", 443); err != nil {
		t.Fatal(err)
	}
	if lb, _ = d.Service().GetBalancer(ctx, "app"); findListener(lb, 443) != nil {
		t.Error("listener 443 survived deletion")
	}

	if err := d.Service().DestroyBalancer(ctx, "app"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Service().GetBalancer(ctx, "app"); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("GetBalancer after destroy = %v, want ErrNotFound", err)
	}
}

func TestMotoUpdateBalancer(t *testing.T) {
	d, rec, _ := motoClient(t)
	ctx := testCtx(t)
	if _, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "upd", Port: 80, Protocol: driver.HTTP, InstancePort: 8080}); err != nil {
		t.Fatal(err)
	}
	rec.Reset()
	lb, err := d.Service().UpdateBalancer(ctx, "upd", driver.UpdateRequest{Port: 8000})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Port != 8000 || len(lb.Listeners) != 1 || lb.Listeners[0].InstancePort != 8080 {
		t.Errorf("after port change: %+v", lb.Listeners)
	}
	if rec.Count("CreateLoadBalancerListeners") != 1 || rec.Count("DeleteLoadBalancerListeners") != 1 {
		t.Errorf("CreateLoadBalancerListeners calls = %d, DeleteLoadBalancerListeners calls = %d, want 1 each",
			rec.Count("CreateLoadBalancerListeners"), rec.Count("DeleteLoadBalancerListeners"))
	}
	lb, err = d.Service().UpdateBalancer(ctx, "upd", driver.UpdateRequest{Protocol: "tcp"})
	if err != nil {
		t.Fatal(err)
	}
	if l := lb.Listeners; len(l) != 1 || l[0].Port != 8000 || l[0].Protocol != driver.TCP || l[0].InstanceProtocol != driver.TCP {
		t.Errorf("after protocol change: %+v", l)
	}
	if _, err := d.Service().UpdateBalancer(ctx, "upd", driver.UpdateRequest{Name: "other"}); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("rename: %v, want ErrUnsupported", err)
	}
	if _, err := d.Service().UpdateBalancer(ctx, "upd", driver.UpdateRequest{Algorithm: driver.Random}); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("algorithm: %v, want ErrUnsupported", err)
	}
	if _, err := d.Service().UpdateBalancer(ctx, "upd", driver.UpdateRequest{Protocol: driver.HTTPS}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("HTTPS without certificate: %v, want ErrInvalid", err)
	}
}

func TestMotoVPC(t *testing.T) {
	d, _, _ := motoClient(t)
	ctx := testCtx(t)
	c := ec2Of(t, d)
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	var subnets []string
	for i, az := range []string{"us-east-1a", "us-east-1b"} {
		s, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId,
			CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i)), AvailabilityZone: aws.String(az)})
		if err != nil {
			t.Fatal(err)
		}
		subnets = append(subnets, aws.ToString(s.Subnet.SubnetId))
	}
	sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: vpc.Vpc.VpcId,
		GroupName: aws.String("lb"), Description: aws.String("balancer")})
	if err != nil {
		t.Fatal(err)
	}
	lb, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "private", Port: 443, Protocol: driver.SSL,
		CertificateID: "arn:aws:iam::123456789012:server-certificate/c", Subnets: subnets[:1], Scheme: "internal"})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Scheme != "internal" || lb.VPCID != aws.ToString(vpc.Vpc.VpcId) || !slices.Equal(lb.Subnets, subnets[:1]) ||
		lb.Listeners[0].InstanceProtocol != driver.SSL {
		t.Errorf("balancer = %+v", lb)
	}
	got, err := d.AttachSubnets(ctx, "private", subnets[1])
	if err != nil || !slices.Equal(sorted(got), sorted(subnets)) {
		t.Errorf("AttachSubnets = %v, %v", got, err)
	}
	got, err = d.DetachSubnets(ctx, "private", subnets[0])
	if err != nil || !slices.Equal(got, subnets[1:]) {
		t.Errorf("DetachSubnets = %v, %v", got, err)
	}
	groups, err := d.ApplySecurityGroups(ctx, "private", aws.ToString(sg.GroupId))
	if err != nil || !slices.Equal(groups, []string{aws.ToString(sg.GroupId)}) {
		t.Errorf("ApplySecurityGroups = %v, %v", groups, err)
	}
}

func conditionFor(health string) driver.MemberCondition {
	switch health {
	case "InService":
		return driver.MemberEnabled
	case "OutOfService":
		return driver.MemberDisabled
	}
	return driver.MemberUnknown
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
