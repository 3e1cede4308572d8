package elbv2_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const inst = "i-0123456789abcdef0"

func health(t *testing.T, c *lbv2.Client, tg *string, targets ...types.TargetDescription) []types.TargetHealthDescription {
	t.Helper()
	out, err := c.DescribeTargetHealth(ctx, &lbv2.DescribeTargetHealthInput{TargetGroupArn: tg, Targets: targets})
	sdkcheck.NoErr(t, err)
	return out.TargetHealthDescriptions
}

func stateOf(d types.TargetHealthDescription) string {
	return fmt.Sprintf("%s/%s", d.TargetHealth.State, d.TargetHealth.Reason)
}

func register(t *testing.T, c *lbv2.Client, tg *string, targets ...types.TargetDescription) {
	t.Helper()
	_, err := c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: tg, Targets: targets})
	sdkcheck.NoErr(t, err)
}

// A target goes through AWS's life cycle on the endpoint's clock: unused while its group
// serves no balancer, then registering for one interval, checking until HealthyThreshold
// intervals have passed, healthy; draining for the deregistration delay, then gone.
func TestTargetHealthLifeCycle(t *testing.T) {
	c, srv, clk := clockedClient(t, elbserver.Options{})
	lb := createALB(t, c, srv, "web")
	tg := createTG(t, c, srv, "tg", "HTTP", 80)
	register(t, c, tg.TargetGroupArn, types.TargetDescription{Id: aws.String(inst)})
	if got := stateOf(health(t, c, tg.TargetGroupArn)[0]); got != "unused/Target.NotInUse" {
		t.Errorf("before any listener: %s", got)
	}
	createListener(t, c, *lb.LoadBalancerArn, "HTTP", 80, forward(*tg.TargetGroupArn))
	steps := []struct {
		after time.Duration
		want  string
	}{
		{0, "initial/Elb.RegistrationInProgress"},
		{30 * time.Second, "initial/Elb.InitialHealthChecking"},
		{119 * time.Second, "initial/Elb.InitialHealthChecking"},
		{time.Second, "healthy/"},
	}
	for _, s := range steps {
		clk.Add(s.after)
		d := health(t, c, tg.TargetGroupArn)
		if len(d) != 1 || stateOf(d[0]) != s.want || *d[0].HealthCheckPort != "80" || *d[0].Target.Port != 80 {
			t.Fatalf("after %v more: %+v, want %s", s.after, d, s.want)
		}
	}
	_, err := c.DeregisterTargets(ctx, &lbv2.DeregisterTargetsInput{TargetGroupArn: tg.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String(inst)}}})
	sdkcheck.NoErr(t, err)
	if got := stateOf(health(t, c, tg.TargetGroupArn)[0]); got != "draining/Target.DeregistrationInProgress" {
		t.Errorf("deregistered: %s", got)
	}
	clk.Add(300 * time.Second)
	if d := health(t, c, tg.TargetGroupArn); len(d) != 0 {
		t.Errorf("after the deregistration delay: %+v", d)
	}
	if got := stateOf(health(t, c, tg.TargetGroupArn, types.TargetDescription{Id: aws.String(inst)})[0]); got != "unused/Target.NotRegistered" {
		t.Errorf("asked for by id: %s", got)
	}
}

// A probe result the data plane stores is reported while it is newer than the registration.
func TestTargetHealthFromTheDataPlane(t *testing.T) {
	c, srv, clk := clockedClient(t, elbserver.Options{})
	lb := createALB(t, c, srv, "web")
	tg := createTG(t, c, srv, "tg", "HTTP", 80)
	createListener(t, c, *lb.LoadBalancerArn, "HTTP", 80, forward(*tg.TargetGroupArn))
	register(t, c, tg.TargetGroupArn, types.TargetDescription{Id: aws.String(inst), Port: aws.Int32(8080)})
	clk.Add(time.Second)
	key := store.V2TargetKey("tg/"+(*tg.TargetGroupArn)[len(*tg.TargetGroupArn)-16:], inst, 8080)
	err := srv.Endpoint.Store().Update("000000000000", "us-east-1", func(p *store.Part) error {
		return store.V2Health.Put(p, key, &store.V2TargetHealth{State: "unhealthy", Reason: "Target.ResponseCodeMismatch",
			Description: "Health checks failed with these codes: [503]", Updated: clk.Now()})
	})
	sdkcheck.NoErr(t, err)
	d := health(t, c, tg.TargetGroupArn)[0]
	if stateOf(d) != "unhealthy/Target.ResponseCodeMismatch" || *d.TargetHealth.Description != "Health checks failed with these codes: [503]" {
		t.Errorf("probed: %s %s", stateOf(d), aws.ToString(d.TargetHealth.Description))
	}
}

func TestRegisterTargetsByType(t *testing.T) {
	c, srv := client(t)
	vpc := aws.String(srv.Endpoint.DefaultVPC("", "").ID)
	ip, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("ip"), Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, TargetType: types.TargetTypeEnumIp})
	sdkcheck.NoErr(t, err)
	ipArn := ip.TargetGroups[0].TargetGroupArn
	// Private ranges and, outside strict mode, loopback are accepted; public addresses never.
	register(t, c, ipArn, types.TargetDescription{Id: aws.String("10.0.0.5")}, types.TargetDescription{Id: aws.String("127.0.0.1"), Port: aws.Int32(9000)})
	_, err = c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: ipArn, Targets: []types.TargetDescription{{Id: aws.String("8.8.8.8")}}})
	sdkcheck.WantCode(t, err, "InvalidTarget")
	_, err = c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: ipArn, Targets: []types.TargetDescription{{Id: aws.String(inst)}}})
	sdkcheck.WantCode(t, err, "InvalidTarget")
	d := health(t, c, ipArn)
	if len(d) != 2 {
		t.Fatalf("ip targets: %+v", d)
	}

	strict, ssrv := client(t, elbtest.WithOptions(elbserver.Options{Strict: true}))
	sip, err := strict.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("ip"), Protocol: "HTTP", Port: aws.Int32(80),
		VpcId: aws.String(ssrv.Endpoint.DefaultVPC("", "").ID), TargetType: types.TargetTypeEnumIp})
	sdkcheck.NoErr(t, err)
	_, err = strict.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: sip.TargetGroups[0].TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String("127.0.0.1")}}})
	sdkcheck.WantCode(t, err, "InvalidTarget")
	sinst := createTG(t, strict, ssrv, "inst", "HTTP", 80)
	_, err = strict.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: sinst.TargetGroupArn, Targets: []types.TargetDescription{{Id: aws.String(inst)}}})
	sdkcheck.WantCode(t, err, "InvalidTarget")

	fn, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda})
	sdkcheck.NoErr(t, err)
	fnArn := fn.TargetGroups[0].TargetGroupArn
	lambda := "arn:aws:lambda:us-east-1:000000000000:function:hello"
	register(t, c, fnArn, types.TargetDescription{Id: aws.String(lambda)})
	_, err = c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: fnArn, Targets: []types.TargetDescription{{Id: aws.String(lambda + "2")}}})
	sdkcheck.WantCode(t, err, "TooManyTargets")
	if d := health(t, c, fnArn); len(d) != 1 || stateOf(d[0]) != "unused/Target.NotInUse" || *d[0].Target.AvailabilityZone != "all" {
		t.Errorf("lambda target: %+v", d)
	}
}

func TestLambdaHealthChecksDisabled(t *testing.T) {
	c, srv := client(t)
	lb := createALB(t, c, srv, "web")
	fn, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("fn"), TargetType: types.TargetTypeEnumLambda})
	sdkcheck.NoErr(t, err)
	arn := fn.TargetGroups[0].TargetGroupArn
	register(t, c, arn, types.TargetDescription{Id: aws.String("arn:aws:lambda:us-east-1:000000000000:function:hello")})
	createListener(t, c, *lb.LoadBalancerArn, "HTTP", 80, forward(*arn))
	if got := stateOf(health(t, c, arn)[0]); got != "unavailable/Target.HealthCheckDisabled" {
		t.Errorf("lambda with checks disabled: %s", got)
	}
}

func TestTargetLimits(t *testing.T) {
	c, srv := limited(t, map[string]int{"targets-per-target-group": 3, "targets-per-application-load-balancer": 4})
	lb := createALB(t, c, srv, "web")
	a := createTG(t, c, srv, "a", "HTTP", 80)
	b := createTG(t, c, srv, "b", "HTTP", 80)
	target := func(i int) types.TargetDescription {
		return types.TargetDescription{Id: aws.String(fmt.Sprintf("i-%017x", i))}
	}
	register(t, c, a.TargetGroupArn, target(1), target(2))
	_, err := c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: a.TargetGroupArn, Targets: []types.TargetDescription{target(3), target(4)}})
	sdkcheck.WantCode(t, err, "TooManyTargets")
	// The same instance on another port is another registration.
	register(t, c, b.TargetGroupArn, target(3), target(4), types.TargetDescription{Id: target(3).Id, Port: aws.Int32(81)})
	l := createListener(t, c, *lb.LoadBalancerArn, "HTTP", 80, forward(*a.TargetGroupArn))
	// Putting b in use too would give the balancer 5 targets.
	_, err = c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(1), Conditions: pathIs("/b"), Actions: forward(*b.TargetGroupArn)})
	sdkcheck.WantCode(t, err, "TooManyTargets")
	if d := health(t, c, b.TargetGroupArn); len(d) != 3 {
		t.Errorf("b has %d registrations", len(d))
	}
	_, err = c.DeregisterTargets(ctx, &lbv2.DeregisterTargetsInput{TargetGroupArn: b.TargetGroupArn, Targets: []types.TargetDescription{target(9)}})
	sdkcheck.NoErr(t, err) // not registered: no error
}
