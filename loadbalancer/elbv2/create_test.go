package elbv2

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// creating scripts an empty account with a default VPC in three zones, where every create
// succeeds: tests override the step they make fail.
func creating(typ string) script {
	subnets := ec2OK("DescribeSubnets", `<subnetSet>`+
		`<item><subnetId>subnet-c</subnetId><availabilityZone>eu-west-1c</availabilityZone></item>`+
		`<item><subnetId>subnet-a</subnetId><availabilityZone>eu-west-1a</availabilityZone></item>`+
		`<item><subnetId>subnet-b</subnetId><availabilityZone>eu-west-1b</availabilityZone></item></subnetSet>`)
	return script{
		"DescribeLoadBalancers": func(form url.Values) (int, string) {
			if form.Get("Names.member.1") != "" {
				return 400, awstest.QueryError(ns, "LoadBalancerNotFound", "none yet")
			}
			return 200, awstest.QueryOK(ns, "DescribeLoadBalancers", members("LoadBalancers", lbXML("web", lbARN, typ, "provisioning")))
		},
		"DescribeSubnets":             func(url.Values) (int, string) { return 200, subnets },
		"CreateLoadBalancer":          ok("CreateLoadBalancer", members("LoadBalancers", lbXML("web", lbARN, typ, "provisioning"))),
		"CreateTargetGroup":           ok("CreateTargetGroup", members("TargetGroups", groupXML(tgARN, "8080", "HTTP", "instance"))),
		"ModifyTargetGroupAttributes": ok("ModifyTargetGroupAttributes", ""),
		"CreateListener":              ok("CreateListener", members("Listeners", listenerXML(lisARN, "80", "HTTP", tgARN, ""))),
		"RegisterTargets":             ok("RegisterTargets", ""),
		"DescribeListeners":           ok("DescribeListeners", members("Listeners", listenerXML(lisARN, "80", "HTTP", tgARN, ""))),
		"DescribeTargetGroups":        ok("DescribeTargetGroups", members("TargetGroups", groupXML(tgARN, "8080", "HTTP", "instance", lbARN))),
		"DeleteListener":              ok("DeleteListener", ""),
		"DeleteTargetGroup":           ok("DeleteTargetGroup", ""),
		"DeleteLoadBalancer":          ok("DeleteLoadBalancer", ""),
		"DescribeInstances":           func(url.Values) (int, string) { return 200, ec2Instances([2]string{"i-1", "10.0.0.5"}) },
	}
}

func TestCreateMakesBalancerGroupListenerTargets(t *testing.T) {
	f := creating("application").fake(t)
	d := fakeDriver(t, f, ALB, 1)
	lb, err := d.CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 80, Protocol: "http", InstancePort: 8080,
		Algorithm: driver.LeastConnections, Members: []driver.Member{{IP: "10.0.0.5"}, {ID: "i-2", Port: 9090}},
		Tags: map[string]string{"env": "test"}})
	if err != nil {
		t.Fatal(err)
	}
	if lb.ID != lbARN || lb.Port != 80 || len(lb.Members) != 2 || lb.Members[0].ID != "i-1" || lb.Members[0].Port != 8080 || lb.Members[1].Port != 9090 {
		t.Errorf("created = %+v", lb)
	}
	clb := f.Sent("CreateLoadBalancer")[0]
	if clb.Get("Type") != "application" || clb.Get("Subnets.member.1") != "subnet-a" || clb.Get("Subnets.member.3") != "subnet-c" ||
		clb.Get("Tags.member.1.Key") != "env" {
		t.Errorf("CreateLoadBalancer sent %v", clb)
	}
	tg := f.Sent("CreateTargetGroup")[0]
	if tg.Get("TargetType") != "instance" || tg.Get("Port") != "8080" || tg.Get("VpcId") != "vpc-1" ||
		tg.Get("Tags.member.1.Key") != OwnerTag || tg.Get("Tags.member.1.Value") != lbARN || !strings.HasPrefix(tg.Get("Name"), "web-") {
		t.Errorf("CreateTargetGroup sent %v", tg)
	}
	if a := f.Sent("ModifyTargetGroupAttributes")[0]; a.Get("Attributes.member.1.Key") != algorithmAttr || a.Get("Attributes.member.1.Value") != "least_outstanding_requests" {
		t.Errorf("algorithm set with %v", a)
	}
	if l := f.Sent("CreateListener")[0]; l.Get("DefaultActions.member.1.TargetGroupArn") != tgARN || l.Get("Port") != "80" || l.Get("Protocol") != "HTTP" {
		t.Errorf("CreateListener sent %v", l)
	}
	if r := f.Sent("RegisterTargets")[0]; r.Get("Targets.member.1.Id") != "i-1" || r.Get("Targets.member.2.Id") != "i-2" || r.Get("Targets.member.2.Port") != "9090" {
		t.Errorf("RegisterTargets sent %v", r)
	}
	if n := f.Count("DeleteLoadBalancer") + f.Count("DeleteTargetGroup") + f.Count("DeleteListener"); n != 0 {
		t.Errorf("a successful create deleted %d things", n)
	}
}

// TestCreateUndoesInReverse: whichever step fails, what the steps before it made is deleted,
// the last made first, and the caller sees the step's own error.
func TestCreateUndoesInReverse(t *testing.T) {
	cases := []struct {
		failing, code string
		kind          error
		undo          []string
	}{
		{"CreateTargetGroup", "TooManyTargetGroups", driver.ErrInvalid, []string{"DeleteLoadBalancer"}},
		{"ModifyTargetGroupAttributes", "ValidationError", driver.ErrInvalid, []string{"DeleteTargetGroup", "DeleteLoadBalancer"}},
		{"CreateListener", "DuplicateListener", driver.ErrAlreadyExists, []string{"DeleteTargetGroup", "DeleteLoadBalancer"}},
		{"RegisterTargets", "InvalidTarget", driver.ErrNotFound, []string{"DeleteListener", "DeleteTargetGroup", "DeleteLoadBalancer"}},
	}
	for _, tc := range cases {
		t.Run(tc.failing, func(t *testing.T) {
			s := creating("application")
			s[tc.failing] = fail(tc.code)
			f := s.fake(t)
			_, err := fakeDriver(t, f, ALB, 1).CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 80,
				Protocol: driver.HTTP, Algorithm: driver.Random, Members: []driver.Member{{ID: "i-1"}}})
			var de *driver.Error
			if !errors.Is(err, tc.kind) || !errors.As(err, &de) || de.Code != tc.code {
				t.Errorf("err = %v, want %s (%v)", err, tc.code, tc.kind)
			}
			var undone []string
			for _, a := range f.Actions() {
				if strings.HasPrefix(a, "Delete") {
					undone = append(undone, a)
				}
			}
			if !slices.Equal(undone, tc.undo) {
				t.Errorf("undone %v, want %v", undone, tc.undo)
			}
		})
	}
}

// TestCreateUndoFailureIsReported: when undoing fails too, the caller learns both.
func TestCreateUndoFailureIsReported(t *testing.T) {
	s := creating("application")
	s["CreateListener"] = fail("TooManyListeners")
	s["DeleteTargetGroup"] = fail("ResourceInUse")
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1)
	_, err := d.CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 80, Protocol: driver.HTTP})
	if !errors.Is(err, driver.ErrInvalid) || !strings.Contains(err.Error(), "TooManyListeners") || !strings.Contains(err.Error(), "ResourceInUse") {
		t.Errorf("err = %v, want the failure and the undo's", err)
	}
	if f.Count("DeleteLoadBalancer") != 1 {
		t.Errorf("the balancer was not deleted after its group's undo failed: %v", f.Actions())
	}
}

// TestCreateChecksBeforeMaking: requests ELBv2 would refuse half-way are refused before any
// call.
func TestCreateChecksBeforeMaking(t *testing.T) {
	cases := []struct {
		typ  Type
		req  driver.CreateRequest
		kind error
	}{
		{ALB, driver.CreateRequest{Name: "w", Port: 80, Protocol: driver.HTTP, Algorithm: driver.WeightedRoundRobin}, driver.ErrUnsupported},
		{ALB, driver.CreateRequest{Name: "w", Port: 80, Protocol: driver.TCP}, driver.ErrUnsupported},
		{ALB, driver.CreateRequest{Name: "w", Port: 443, Protocol: driver.HTTPS}, driver.ErrInvalid},
		{ALB, driver.CreateRequest{Name: "w", Port: 80, Protocol: driver.HTTP, CertificateID: "arn:cert"}, driver.ErrInvalid},
		{NLB, driver.CreateRequest{Name: "w", Port: 80, Protocol: driver.HTTP}, driver.ErrUnsupported},
		{NLB, driver.CreateRequest{Name: "w", Port: 80, Protocol: driver.TCP, Algorithm: driver.RoundRobin}, driver.ErrUnsupported},
		{NLB, driver.CreateRequest{Name: "w", Port: 443, Protocol: driver.SSL}, driver.ErrInvalid}, // TLS without a certificate
	}
	f := script{}.fake(t)
	for _, tc := range cases {
		_, err := fakeDriver(t, f, tc.typ, 1).CreateBalancer(testCtx(t), tc.req)
		if !errors.Is(err, tc.kind) {
			t.Errorf("%s %+v: %v, want %v", tc.typ, tc.req, err, tc.kind)
		}
	}
	if got := f.Actions(); len(got) != 0 {
		t.Errorf("refused requests made calls %v", got)
	}
}

// TestCreateByAddressWithoutInstanceMakesAnIPGroup: members given only by addresses that no
// instance holds become ip targets; a public one of them is not found, before anything is
// made.
func TestCreateByAddressWithoutInstanceMakesAnIPGroup(t *testing.T) {
	s := creating("network")
	s["DescribeInstances"] = func(url.Values) (int, string) { return 200, ec2Instances() }
	f := s.fake(t)
	d := fakeDriver(t, f, NLB, 1)
	if _, err := d.CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 53, Protocol: "udp",
		Members: []driver.Member{{IP: "10.0.0.9"}, {IP: "100.64.1.2", Port: 5353}}}); err != nil {
		t.Fatal(err)
	}
	if tg := f.Sent("CreateTargetGroup")[0]; tg.Get("TargetType") != "ip" || tg.Get("Protocol") != "UDP" || tg.Get("Port") != "5353" {
		t.Errorf("CreateTargetGroup sent %v", tg)
	}
	if r := f.Sent("RegisterTargets")[0]; r.Get("Targets.member.1.Id") != "10.0.0.9" || r.Get("Targets.member.2.Id") != "100.64.1.2" {
		t.Errorf("RegisterTargets sent %v", r)
	}
	if n := f.Count("DescribeInstances"); n != 2 {
		t.Errorf("DescribeInstances calls = %d, want 2 (private, then public addresses)", n)
	}
	f.Reset()
	_, err := d.CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 53, Protocol: "udp", Members: []driver.Member{{IP: "203.0.113.254"}}})
	if !errors.Is(err, driver.ErrNotFound) || f.Count("CreateLoadBalancer") != 0 {
		t.Errorf("public address: %v after %v, want ErrNotFound before any create", err, f.Actions())
	}
}

// TestCreateExistingIsIdempotent: the same balancer asked again is returned and nothing is
// made or undone; another configuration under the same name is ErrAlreadyExists.
func TestCreateExistingIsIdempotent(t *testing.T) {
	s := oneALB(creating("application"), "instance")
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1)
	lb, err := d.CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 80, Protocol: driver.HTTP, Members: []driver.Member{{ID: "i-1"}}})
	if err != nil || lb.ID != lbARN {
		t.Fatalf("create again = %v, %v", lb, err)
	}
	for _, a := range f.Actions() {
		if strings.HasPrefix(a, "Create") || strings.HasPrefix(a, "Delete") {
			t.Errorf("create of an existing balancer called %s", a)
		}
	}
	if f.Count("RegisterTargets") != 1 {
		t.Errorf("members of the repeated create not registered: %v", f.Actions())
	}
	_, err = d.CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 81, Protocol: driver.HTTP})
	var de *driver.Error
	if !errors.Is(err, driver.ErrAlreadyExists) || !errors.As(err, &de) || de.Code != "DuplicateLoadBalancerName" {
		t.Errorf("another configuration: %v, want DuplicateLoadBalancerName", err)
	}
}

func TestCreateNeedsTwoZonesForALB(t *testing.T) {
	s := creating("application")
	s["DescribeSubnets"] = func(url.Values) (int, string) {
		return 200, ec2OK("DescribeSubnets", `<subnetSet><item><subnetId>subnet-a</subnetId><availabilityZone>eu-west-1a</availabilityZone></item></subnetSet>`)
	}
	f := s.fake(t)
	_, err := fakeDriver(t, f, ALB, 1).CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 80, Protocol: driver.HTTP, Zones: []string{"eu-west-1a"}})
	if !errors.Is(err, driver.ErrInvalid) || f.Count("CreateLoadBalancer") != 0 {
		t.Errorf("one zone: %v after %v", err, f.Actions())
	}
	if got := f.Sent("DescribeSubnets")[0]; got.Get("Filter.2.Name") != "availability-zone" || got.Get("Filter.2.Value.1") != "eu-west-1a" {
		t.Errorf("DescribeSubnets sent %v", got)
	}
	// One zone is enough for a Network Load Balancer.
	s = creating("network")
	s["DescribeSubnets"] = func(url.Values) (int, string) {
		return 200, ec2OK("DescribeSubnets", `<subnetSet><item><subnetId>subnet-a</subnetId><availabilityZone>eu-west-1a</availabilityZone></item></subnetSet>`)
	}
	if _, err := fakeDriver(t, s.fake(t), NLB, 1).CreateBalancer(testCtx(t), driver.CreateRequest{Name: "web", Port: 80, Protocol: driver.TCP}); err != nil {
		t.Errorf("NLB in one zone: %v", err)
	}
}

// TestCreateCancelledIsStillUndone: the caller giving up half-way does not leave half a
// balancer behind: the undo outlives the caller's context. A step whose answer was lost may
// have made its thing all the same: the undo finds a group by its name and a listener by
// its group, and deletes the listener first, so that the group is free to go.
func TestCreateCancelledIsStillUndone(t *testing.T) {
	for _, step := range []string{"CreateTargetGroup", "CreateListener"} {
		t.Run(step, func(t *testing.T) {
			ctx, cancel := context.WithCancel(testCtx(t))
			defer cancel()
			s := creating("application")
			made := s[step]
			s[step] = func(form url.Values) (int, string) {
				cancel()
				time.Sleep(50 * time.Millisecond) // the client has given up by now
				return made(form)
			}
			f := s.fake(t)
			_, err := fakeDriver(t, f, ALB, 1).CreateBalancer(ctx, driver.CreateRequest{Name: "web", Port: 80, Protocol: driver.HTTP})
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want the cancellation", err)
			}
			want := []string{"DeleteTargetGroup", "DeleteLoadBalancer"}
			if step == "CreateListener" {
				want = append([]string{"DeleteListener"}, want...)
			}
			var undone []string
			for _, a := range f.Actions() {
				if strings.HasPrefix(a, "Delete") {
					undone = append(undone, a)
				}
			}
			if !slices.Equal(undone, want) {
				t.Errorf("undone %v, want %v", undone, want)
			}
		})
	}
}
