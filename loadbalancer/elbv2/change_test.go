package elbv2

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestUpdateListenerAndAlgorithm(t *testing.T) {
	s := oneALB(script{}, "instance")
	s["ModifyListener"] = ok("ModifyListener", members("Listeners", listenerXML(lisARN, "8080", "HTTP", tgARN, "")))
	s["ModifyTargetGroupAttributes"] = ok("ModifyTargetGroupAttributes", "")
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1)
	if _, err := d.UpdateBalancer(testCtx(t), "web", driver.UpdateRequest{Port: 8081, Algorithm: driver.Random}); err != nil {
		t.Fatal(err)
	}
	if m := f.sent("ModifyListener"); len(m) != 1 || m[0].Get("ListenerArn") != lisARN || m[0].Get("Port") != "8081" || m[0].Get("Protocol") != "HTTP" {
		t.Errorf("ModifyListener sent %v", m)
	}
	if a := f.sent("ModifyTargetGroupAttributes"); len(a) != 1 || a[0].Get("TargetGroupArn") != tgARN || a[0].Get("Attributes.member.1.Value") != "weighted_random" {
		t.Errorf("ModifyTargetGroupAttributes sent %v", a)
	}

	// The algorithm refused after the listener changed: the listener is changed back.
	s["ModifyTargetGroupAttributes"] = fail("InvalidConfigurationRequest")
	f.reset()
	_, err := d.UpdateBalancer(testCtx(t), lbARN, driver.UpdateRequest{Port: 8081, Algorithm: driver.LeastConnections})
	if !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("err = %v", err)
	}
	if m := f.sent("ModifyListener"); len(m) != 2 || m[1].Get("Port") != "80" || m[1].Get("Protocol") != "HTTP" {
		t.Errorf("ModifyListener calls %v, want the change and its undo back to 80", m)
	}
}

func TestUpdateRefusesWhatELBv2CannotDo(t *testing.T) {
	f := oneALB(script{}, "instance").fake(t)
	ctx := testCtx(t)
	if _, err := fakeDriver(t, f, ALB, 1).UpdateBalancer(ctx, "web", driver.UpdateRequest{Name: "www"}); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("rename: %v", err)
	}
	if _, err := fakeDriver(t, f, ALB, 1).UpdateBalancer(ctx, "web", driver.UpdateRequest{Protocol: driver.HTTPS}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("HTTPS without a certificate: %v", err)
	}
	f.reset()
	if _, err := fakeDriver(t, f, NLB, 1).UpdateBalancer(ctx, "tcp", driver.UpdateRequest{Algorithm: driver.LeastConnections}); !errors.Is(err, driver.ErrUnsupported) {
		t.Errorf("NLB algorithm: %v", err)
	}
	if len(f.actions()) != 0 {
		t.Errorf("refused NLB algorithm made calls %v", f.actions())
	}
}

// A listener takes only a protocol its target group speaks: an NLB's TCP listener can become
// UDP when its group is TCP_UDP, and is refused, untouched, when its group is TCP (ELBv2
// would answer IncompatibleProtocols).
func TestUpdateProtocolFollowsTheGroup(t *testing.T) {
	for _, c := range []struct {
		group   string
		changed bool
	}{{"TCP_UDP", true}, {"TCP", false}} {
		s := script{
			"DescribeLoadBalancers": ok("DescribeLoadBalancers", members("LoadBalancers", lbXML("tcp", lbARN, "network", "active"))),
			"DescribeListeners":     ok("DescribeListeners", members("Listeners", listenerXML(lisARN, "53", "TCP", tgARN, ""))),
			"DescribeTargetGroups":  ok("DescribeTargetGroups", members("TargetGroups", groupXML(tgARN, "53", c.group, "ip", lbARN))),
			"ModifyListener":        ok("ModifyListener", members("Listeners", listenerXML(lisARN, "53", "UDP", tgARN, ""))),
		}
		f := s.fake(t)
		_, err := fakeDriver(t, f, NLB, 1).UpdateBalancer(testCtx(t), "tcp", driver.UpdateRequest{Protocol: driver.UDP})
		if c.changed && (err != nil || f.count("ModifyListener") != 1 || f.sent("ModifyListener")[0].Get("Protocol") != "UDP") {
			t.Errorf("%s group: %v, ModifyListener %v", c.group, err, f.sent("ModifyListener"))
		}
		if !c.changed && (!errors.Is(err, driver.ErrUnsupported) || f.count("ModifyListener") != 0) {
			t.Errorf("%s group: %v after %d ModifyListener calls, want ErrUnsupported and none", c.group, err, f.count("ModifyListener"))
		}
	}
}

// TestDestroyDeletesOnlyOwnedGroups: the group create made is deleted; a group it made but
// another balancer also uses, and a group it did not make, stay.
func TestDestroyDeletesOnlyOwnedGroups(t *testing.T) {
	other := strings.Replace(lbARN, "web", "api", 1)
	shared, foreign := tgARN+"-shared", tgARN+"-foreign"
	s := oneALB(script{}, "instance")
	s["DescribeRules"] = ok("DescribeRules", members("Rules",
		`<RuleArn>r-1</RuleArn><Actions><member><Type>forward</Type><ForwardConfig><TargetGroups><member><TargetGroupArn>`+shared+
			`</TargetGroupArn></member><member><TargetGroupArn>`+foreign+`</TargetGroupArn></member></TargetGroups></ForwardConfig></member></Actions>`))
	s["DescribeTags"] = func(form url.Values) (int, string) {
		var descs []string
		for _, arn := range []string{tgARN, shared, foreign} {
			tags := ""
			if arn != foreign {
				tags = `<member><Key>` + OwnerTag + `</Key><Value>` + lbARN + `</Value></member>`
			}
			descs = append(descs, `<ResourceArn>`+arn+`</ResourceArn><Tags>`+tags+`</Tags>`)
		}
		return 200, elbOK("DescribeTags", members("TagDescriptions", descs...))
	}
	s["DescribeTargetGroups"] = func(form url.Values) (int, string) {
		return 200, elbOK("DescribeTargetGroups", members("TargetGroups",
			groupXML(tgARN, "8080", "HTTP", "instance", lbARN), groupXML(shared, "8080", "HTTP", "instance", lbARN, other)))
	}
	s["DeleteListener"] = ok("DeleteListener", "")
	s["DeleteTargetGroup"] = ok("DeleteTargetGroup", "")
	s["DeleteLoadBalancer"] = ok("DeleteLoadBalancer", "")
	f := s.fake(t)
	if err := fakeDriver(t, f, ALB, 1).DestroyBalancer(testCtx(t), "web"); err != nil {
		t.Fatal(err)
	}
	var deleted []string
	for _, a := range f.actions() {
		if strings.HasPrefix(a, "Delete") {
			deleted = append(deleted, a)
		}
	}
	if !slices.Equal(deleted, []string{"DeleteListener", "DeleteTargetGroup", "DeleteLoadBalancer"}) {
		t.Errorf("deleted %v", deleted)
	}
	if g := f.sent("DeleteTargetGroup")[0].Get("TargetGroupArn"); g != tgARN {
		t.Errorf("deleted group %s, want only %s", g, tgARN)
	}
	if q := f.sent("DescribeTargetGroups"); q[len(q)-1].Get("TargetGroupArns.member.1") == foreign {
		t.Errorf("described the foreign group's users, which was never a candidate")
	}

	// A balancer that is gone is destroyed already.
	s["DescribeLoadBalancers"] = fail("LoadBalancerNotFound")
	if err := fakeDriver(t, f, ALB, 1).DestroyBalancer(testCtx(t), "web"); err != nil {
		t.Errorf("destroying a missing balancer: %v", err)
	}
}

func TestMembersOfAnIPGroup(t *testing.T) {
	s := oneALB(script{}, "ip")
	s["RegisterTargets"] = ok("RegisterTargets", "")
	s["DescribeTargetHealth"] = ok("DescribeTargetHealth", members("TargetHealthDescriptions",
		`<Target><Id>10.0.0.5</Id><Port>8080</Port></Target><TargetHealth><State>unhealthy</State><Reason>Target.FailedHealthChecks</Reason><Description>Health checks failed</Description></TargetHealth>`,
		`<Target><Id>10.0.0.6</Id><Port>8080</Port></Target><TargetHealth><State>draining</State></TargetHealth>`,
		`<Target><Id>10.0.0.6</Id><Port>8081</Port></Target><TargetHealth><State>unhealthy.draining</State></TargetHealth>`,
		`<Target><Id>10.0.0.7</Id><Port>8080</Port></Target><TargetHealth><State>healthy</State></TargetHealth>`,
		`<Target><Id>10.0.0.8</Id><Port>8080</Port></Target><TargetHealth><State>initial</State></TargetHealth>`))
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1)
	ms, err := d.AttachMembers(testCtx(t), "web", []driver.Member{{IP: "10.0.0.5"}, {IP: "10.0.0.6", Port: 9000}})
	if err != nil {
		t.Fatal(err)
	}
	if ms[0].ID != "10.0.0.5" || ms[0].Port != 8080 || ms[1].Port != 9000 || f.count("DescribeInstances") != 0 {
		t.Errorf("attached %+v after %v", ms, f.actions())
	}
	if r := f.sent("RegisterTargets"); len(r) != 1 || r[0].Get("Targets.member.2.Id") != "10.0.0.6" || r[0].Get("Targets.member.2.Port") != "9000" {
		t.Errorf("RegisterTargets sent %v", r)
	}
	if _, err := d.AttachMembers(testCtx(t), "web", []driver.Member{{ID: "i-1"}}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("an instance into an ip group: %v", err)
	}
	got, err := d.ListMembers(testCtx(t), "web")
	if err != nil {
		t.Fatal(err)
	}
	want := []driver.Member{
		{ID: "10.0.0.5", IP: "10.0.0.5", Port: 8080, Condition: driver.MemberDisabled, Health: "unhealthy", Reason: "Target.FailedHealthChecks: Health checks failed"},
		// 10.0.0.6:8080 is being deregistered (draining): detached, no member.
		{ID: "10.0.0.6", IP: "10.0.0.6", Port: 8081, Condition: driver.MemberDraining, Health: "unhealthy.draining"},
		{ID: "10.0.0.7", IP: "10.0.0.7", Port: 8080, Condition: driver.MemberEnabled, Health: "healthy"},
		{ID: "10.0.0.8", IP: "10.0.0.8", Port: 8080, Condition: driver.MemberUnknown, Health: "initial"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("members = %+v\nwant %+v", got, want)
	}
}

func TestMembersOfAnInstanceGroup(t *testing.T) {
	s := oneALB(script{}, "instance")
	s["DescribeInstances"] = func(form url.Values) (int, string) {
		if form.Get("Filter.1.Name") == "private-ip-address" {
			return 200, ec2Instances([2]string{"i-1", "10.0.0.5"})
		}
		return 200, ec2Instances()
	}
	s["DescribeTargetHealth"] = ok("DescribeTargetHealth", members("TargetHealthDescriptions",
		`<Target><Id>i-1</Id><Port>8080</Port></Target><TargetHealth><State>healthy</State></TargetHealth>`,
		`<Target><Id>i-1</Id><Port>8081</Port></Target><TargetHealth><State>healthy</State></TargetHealth>`))
	s["DeregisterTargets"] = ok("DeregisterTargets", "")
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1)
	_, err := d.AttachMembers(testCtx(t), "web", []driver.Member{{IP: "10.0.0.5"}, {IP: "10.9.9.9"}})
	if !errors.Is(err, driver.ErrNotFound) || !strings.Contains(err.Error(), "10.9.9.9") {
		t.Errorf("an address no instance holds: %v", err)
	}
	// Detached by address and without a port: every registration of the instance goes, in one call.
	if err := d.DetachMembers(testCtx(t), "web", []driver.Member{{IP: "10.0.0.5"}, {ID: "i-2", Port: 8080}}); err != nil {
		t.Fatal(err)
	}
	dr := f.sent("DeregisterTargets")
	if len(dr) != 1 || dr[0].Get("Targets.member.1.Id") != "i-1" || dr[0].Get("Targets.member.1.Port") != "8080" ||
		dr[0].Get("Targets.member.2.Port") != "8081" || dr[0].Get("Targets.member.3.Id") != "i-2" {
		t.Errorf("DeregisterTargets sent %v", dr)
	}
}

func TestMembersNeedAForwardingListener(t *testing.T) {
	s := oneALB(script{}, "instance")
	s["DescribeListeners"] = ok("DescribeListeners", "<Listeners/>")
	_, err := fakeDriver(t, s.fake(t), ALB, 1).ListMembers(testCtx(t), "web")
	if !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("ListMembers without listeners: %v", err)
	}
}
