package elbv2_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// TestMotoALB walks an Application Load Balancer's life through the portable API.
func TestMotoALB(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	ids, ips := e.runInstances(t, 3)

	lb, err := e.alb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "web", Port: 80, Protocol: "http",
		Algorithm: loadbalancer.LeastConnections, Tags: map[string]string{"env": "test"},
		Members: []loadbalancer.Member{{IP: ips[0], Port: 8080}, {ID: ids[1], Port: 8080}}})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Name != "web" || lb.Port != 80 || lb.DNSName == "" || lb.VPCID == "" || len(lb.Zones) < 2 || len(lb.Subnets) != len(lb.Zones) {
		t.Errorf("created %+v", lb)
	}
	if got := drivertest.MemberIDs(lb.Members); !slices.Equal(got, sorted(ids[:2])) {
		t.Errorf("created members %v, want %v", got, sorted(ids[:2]))
	}
	got, err := e.alb.GetBalancer(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	// moto reports a new balancer "provisioning" until it is first described; AWS takes
	// a minute or two. (moto also leaves Scheme empty when none is asked, where AWS says
	// internet-facing, so it is not checked here.)
	if got.ID != lb.ID || got.State != loadbalancer.StateRunning || len(got.Listeners) != 1 ||
		!reflect.DeepEqual(got.Listeners[0], loadbalancer.Listener{Port: 80, Protocol: "HTTP", InstancePort: 8080, InstanceProtocol: "HTTP"}) {
		t.Errorf("GetBalancer = %+v", got)
	}
	var c *elbv2.Client
	if !e.alb.As(&c) {
		t.Fatal("As(*Client)")
	}
	tgs, err := collectSeq(c.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(lb.ID)}))
	if err != nil || len(tgs) != 1 {
		t.Fatalf("target groups %v, %v", tgs, err)
	}
	tg := aws.ToString(tgs[0].TargetGroupArn)
	if attrs, err := c.TargetGroupAttributes(ctx, tg); err != nil || attrs["load_balancing.algorithm.type"] != "least_outstanding_requests" {
		t.Errorf("algorithm attribute = %v, %v", attrs, err)
	}

	ms, err := e.alb.ListMembers(ctx, lb.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Condition != loadbalancer.MemberEnabled || ms[0].Health != "healthy" || ms[0].Port != 8080 {
		t.Errorf("members %+v", ms)
	}
	if _, err := e.alb.AttachMembers(ctx, "web", []loadbalancer.Member{{IP: ips[2]}}); err != nil {
		t.Fatal(err)
	}
	if err := e.alb.DetachMember(ctx, "web", loadbalancer.Member{ID: ids[0]}); err != nil {
		t.Fatal(err)
	}
	ms, err = e.alb.ListMembers(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	if got := drivertest.MemberIDs(ms); !slices.Equal(got, sorted(ids[1:])) {
		t.Errorf("members after attach and detach %v, want %v", got, sorted(ids[1:]))
	}

	up, err := e.alb.UpdateBalancer(ctx, "web", loadbalancer.UpdateRequest{Port: 8000, Algorithm: loadbalancer.Random})
	if err != nil {
		t.Fatal(err)
	}
	if up.Port != 8000 {
		t.Errorf("port after update %d", up.Port)
	}
	if attrs, _ := c.TargetGroupAttributes(ctx, tg); attrs["load_balancing.algorithm.type"] != "weighted_random" {
		t.Errorf("algorithm after update = %v", attrs)
	}
	if _, err := e.alb.UpdateBalancer(ctx, "web", loadbalancer.UpdateRequest{Name: "www"}); !errors.Is(err, loadbalancer.ErrUnsupported) {
		t.Errorf("rename: %v", err)
	}

	if err := e.alb.DestroyBalancer(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.alb.GetBalancer(ctx, lb.ID); !errors.Is(err, loadbalancer.ErrNotFound) {
		t.Errorf("GetBalancer after destroy: %v", err)
	}
	left, err := collectSeq(c.TargetGroups(ctx, nil))
	if err != nil || len(left) != 0 {
		t.Errorf("target groups after destroy: %d, %v (the one create made must go)", len(left), err)
	}
	if err := e.alb.DestroyBalancer(ctx, "web"); err != nil {
		t.Errorf("destroying again: %v", err)
	}
}

// TestMotoNLB: a Network Load Balancer with members given by addresses no instance holds
// gets an ip target group; the alb provider does not see it.
func TestMotoNLB(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	lb, err := e.nlb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "dns", Port: 53, Protocol: "UDP", Scheme: "internal",
		Members: []loadbalancer.Member{{IP: "10.1.2.3"}, {IP: "10.1.2.4", Port: 5353}}})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Port != 53 || lb.Scheme != "internal" || len(lb.Listeners) != 1 || lb.Listeners[0].Protocol != "UDP" || lb.Listeners[0].InstancePort != 5353 {
		t.Errorf("created %+v", lb)
	}
	ms, err := e.nlb.ListMembers(ctx, "dns")
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].IP != "10.1.2.3" || ms[0].ID != "10.1.2.3" {
		t.Errorf("members %+v", ms)
	}
	algs, _ := e.nlb.ListSupportedAlgorithms(ctx)
	if !slices.Equal(algs, []loadbalancer.Algorithm{elbv2.FlowHash}) {
		t.Errorf("NLB algorithms %v", algs)
	}
	if _, err := e.nlb.UpdateBalancer(ctx, "dns", loadbalancer.UpdateRequest{Algorithm: loadbalancer.RoundRobin}); !errors.Is(err, loadbalancer.ErrUnsupported) {
		t.Errorf("NLB round robin: %v", err)
	}
	if _, err := e.alb.GetBalancer(ctx, "dns"); !errors.Is(err, loadbalancer.ErrNotFound) {
		t.Errorf("alb sees the NLB: %v", err)
	}
	all, err := e.alb.ListBalancers(ctx, loadbalancer.ListOptions{})
	if err != nil || len(all) != 0 {
		t.Errorf("alb listing %v, %v", all, err)
	}
	if err := e.nlb.DestroyBalancer(ctx, lb.ID); err != nil {
		t.Fatal(err)
	}
}

// TestMotoListingWithTags lists across pages with tags, through the portable layer.
func TestMotoListingWithTags(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	names := []string{"a", "b", "c", "d", "e"}
	for _, n := range names {
		if _, err := e.alb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: n, Port: 80, Protocol: "HTTP",
			Tags: map[string]string{"name": n}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.nlb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "tcp", Port: 80, Protocol: "TCP"}); err != nil {
		t.Fatal(err)
	}
	e.rec.Reset()
	lbs, err := e.alb.ListBalancers(ctx, loadbalancer.ListOptions{PageSize: 2, IncludeTags: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, lb := range lbs {
		got = append(got, lb.Name)
		if lb.Tags["name"] != lb.Name {
			t.Errorf("%s tags %v", lb.Name, lb.Tags)
		}
	}
	if !slices.Equal(sorted(got), names) {
		t.Errorf("listed %v, want %v", got, names)
	}
	if n := e.rec.Count("DescribeLoadBalancers"); n != 3 {
		t.Errorf("DescribeLoadBalancers calls %d, want 3 pages of 2", n)
	}
	some, err := e.alb.ListBalancers(ctx, loadbalancer.ListOptions{Names: []string{"b", "d"}})
	if err != nil || len(some) != 2 {
		t.Errorf("by names: %v, %v", some, err)
	}
}

// TestMotoCreateIsIdempotent: the same create twice makes one balancer and one target group.
// (moto itself accepts a second CreateLoadBalancer of the same name and makes a second
// balancer, where AWS returns the first: the driver does not rely on either.)
func TestMotoCreateIsIdempotent(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	req := loadbalancer.CreateRequest{Name: "web", Port: 80, Protocol: "HTTP"}
	a, err := e.alb.CreateBalancer(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.alb.CreateBalancer(ctx, req)
	if err != nil || b.ID != a.ID {
		t.Fatalf("second create = %v, %v; want %s", b, err, a.ID)
	}
	tgs, err := collectSeq(e.c.TargetGroups(ctx, nil))
	if err != nil || len(tgs) != 1 {
		t.Errorf("target groups %d, %v; want 1", len(tgs), err)
	}
	req.Port = 81
	if _, err := e.alb.CreateBalancer(ctx, req); !errors.Is(err, loadbalancer.ErrAlreadyExists) {
		t.Errorf("another configuration: %v", err)
	}
}
