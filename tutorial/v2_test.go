package tutorial_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
	"github.com/lbcloud/lbcloud/tutorial"
)

// newV2Env starts an endpoint with the instances behind the tutorial's member IPs and opens
// an ALB or NLB Service on it.
func newV2Env(t *testing.T, typ elbv2.Type) (tutorial.Env, *elbv2sdk.Client) {
	t.Helper()
	ts := elbtest.NewServer()
	t.Cleanup(ts.Close)
	for i, m := range tutorial.DefaultMembers {
		id := []string{"i-00000000000000001", "i-00000000000000002"}[i]
		if err := ts.Endpoint.DeclareInstance("", ts.Region, elbserver.Instance{ID: id, PrivateIP: m.IP, AvailabilityZone: ts.Region + "a"}); err != nil {
			t.Fatal(err)
		}
	}
	opts := loadbalancer.Options{Region: ts.Region, Endpoint: ts.URL, AccessKeyID: ts.AccessKeyID, SecretAccessKey: ts.SecretAccessKey}
	svc, err := elbv2.Open(context.Background(), typ, opts)
	if err != nil {
		t.Fatal(err)
	}
	return tutorial.Env{Service: svc, Options: opts}, elbv2sdk.NewFromConfig(ts.AWSConfig())
}

// attributes reads a target group's (tgARN) or else a balancer's attributes through the SDK.
func attributes(t *testing.T, c *elbv2sdk.Client, tgARN, lbARN string) map[string]string {
	t.Helper()
	ctx := context.Background()
	var list []types.TargetGroupAttribute
	var err error
	if tgARN != "" {
		var got *elbv2sdk.DescribeTargetGroupAttributesOutput
		if got, err = c.DescribeTargetGroupAttributes(ctx, &elbv2sdk.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(tgARN)}); err == nil {
			list = got.Attributes
		}
	} else {
		var got *elbv2sdk.DescribeLoadBalancerAttributesOutput
		if got, err = c.DescribeLoadBalancerAttributes(ctx, &elbv2sdk.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN)}); err == nil {
			for _, a := range got.Attributes {
				list = append(list, types.TargetGroupAttribute(a))
			}
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, a := range list {
		out[aws.ToString(a.Key)] = aws.ToString(a.Value)
	}
	return out
}

// The ELBv2 tutorial runs every step for an ALB and an NLB; each attribute step's printed
// result is what the endpoint held, and the endpoint ends in the state the last steps left.
func TestV2TutorialLeavesItsState(t *testing.T) {
	for _, tc := range []struct {
		typ                     elbv2.Type
		balancerKey, backendKey string
		protocol, stickiness    string
	}{
		{elbv2.ALB, "idle_timeout.timeout_seconds", "load_balancing.algorithm.type", "HTTPS", "lb_cookie"},
		{elbv2.NLB, "load_balancing.cross_zone.enabled", "proxy_protocol_v2.enabled", "TLS", "source_ip"},
	} {
		t.Run(string(tc.typ), func(t *testing.T) {
			env, c := newV2Env(t, tc.typ)
			ctx := context.Background()
			steps, err := tutorial.Record(ctx, env)
			if err != nil {
				t.Fatalf("Record: %v\n%+v", err, steps)
			}
			titles := tutorial.StepsOf(string(tc.typ))
			if len(steps) != 10 || len(titles) != 10 {
				t.Fatalf("got %d steps, want the tutorial's 10: %+v", len(steps), steps)
			}
			results := map[string][]string{}
			for i, s := range steps {
				if s.Title != titles[i] {
					t.Errorf("step %d is %q, want %q", i+1, s.Title, titles[i])
				}
				for _, e := range s.Entries {
					if e.Kind == "result" {
						results[s.Title] = append(results[s.Title], e.Text)
					}
				}
				if len(results[s.Title]) == 0 {
					t.Errorf("step %q has no result", s.Title)
				}
			}
			lbs, err := c.DescribeLoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{Names: []string{tutorial.DefaultName}})
			if err != nil {
				t.Fatal(err)
			}
			lbARN := aws.ToString(lbs.LoadBalancers[0].LoadBalancerArn)
			tgs, err := c.DescribeTargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(lbARN)})
			if err != nil || len(tgs.TargetGroups) != 1 {
				t.Fatalf("target groups: %v %+v", err, tgs)
			}
			tgARN := aws.ToString(tgs.TargetGroups[0].TargetGroupArn)

			// Step 4 set the balancer attribute, step 7 put it back; the last printed value is
			// the endpoint's.
			lbAttrs := attributes(t, c, "", lbARN)
			set := results[titles[3]][0]
			reset := results[titles[6]][0]
			if !strings.Contains(reset, "'"+tc.balancerKey+"': '"+lbAttrs[tc.balancerKey]+"'") || set == reset {
				t.Errorf("balancer attribute %s=%s; step 4 printed %s, step 7 %s", tc.balancerKey, lbAttrs[tc.balancerKey], set, reset)
			}
			tgAttrs := attributes(t, c, tgARN, "")
			backend := results[titles[7]]
			if len(backend) != 2 || !strings.Contains(backend[1], "'"+tc.backendKey+"': '"+tgAttrs[tc.backendKey]+"'") || backend[0] == backend[1] {
				t.Errorf("target group %s=%s; step 8 printed %v", tc.backendKey, tgAttrs[tc.backendKey], backend)
			}
			// Stickiness was enabled, with its type, then disabled.
			if tgAttrs["stickiness.enabled"] != "false" || tgAttrs["stickiness.type"] != tc.stickiness ||
				!strings.Contains(results[titles[9]][0], "'stickiness.enabled': 'true'") {
				t.Errorf("stickiness: %v; step 10 printed %v", tgAttrs, results[titles[9]])
			}

			// The listener of step 9, with the SSL policy, and on an ALB the rule.
			ls, err := c.DescribeListeners(ctx, &elbv2sdk.DescribeListenersInput{LoadBalancerArn: aws.String(lbARN)})
			if err != nil {
				t.Fatal(err)
			}
			var tls *string
			for _, l := range ls.Listeners {
				if aws.ToInt32(l.Port) == 443 && string(l.Protocol) == tc.protocol && aws.ToString(l.SslPolicy) == tutorial.SSLPolicy {
					tls = l.ListenerArn
				}
			}
			if tls == nil {
				t.Fatalf("no %s listener on 443 with %s: %+v", tc.protocol, tutorial.SSLPolicy, ls.Listeners)
			}
			rules, err := c.DescribeRules(ctx, &elbv2sdk.DescribeRulesInput{ListenerArn: tls})
			if err != nil {
				t.Fatal(err)
			}
			var priorities []string
			for _, r := range rules.Rules {
				priorities = append(priorities, aws.ToString(r.Priority))
			}
			want := []string{"default"}
			if tc.typ == elbv2.ALB {
				want = []string{"10", "default"}
			}
			if !slices.Equal(priorities, want) {
				t.Errorf("rules of the TLS listener: %v, want %v", priorities, want)
			}
			health, err := c.DescribeTargetHealth(ctx, &elbv2sdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(tgARN)})
			if err != nil || len(health.TargetHealthDescriptions) != 2 {
				t.Errorf("the tutorial's members as targets: %v %+v", err, health)
			}
		})
	}
}

// With Cleanup the ELBv2 tutorial deletes its balancer and target group, and runs again.
func TestV2TutorialCleansUp(t *testing.T) {
	env, c := newV2Env(t, elbv2.NLB)
	env.Cleanup = true
	ctx := context.Background()
	for range 2 {
		var out bytes.Buffer
		if err := tutorial.Run(ctx, &out, env); err != nil {
			t.Fatalf("Run: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "\n== Cleaning up\n") {
			t.Errorf("no clean-up step:\n%s", out.String())
		}
	}
	lbs, err := c.DescribeLoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{})
	tgs, terr := c.DescribeTargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{})
	if err != nil || terr != nil || len(lbs.LoadBalancers) != 0 || len(tgs.TargetGroups) != 0 {
		t.Errorf("left behind: %v %v %+v %+v", err, terr, lbs, tgs)
	}
}

// The calls the ELBv2 tutorial prints are real Go, for both types.
func TestV2PrintedCallsCompile(t *testing.T) {
	for _, typ := range []elbv2.Type{elbv2.ALB, elbv2.NLB} {
		env, _ := newV2Env(t, typ)
		var out bytes.Buffer
		if err := tutorial.Run(context.Background(), &out, env); err != nil {
			t.Fatalf("Run: %v\n%s", err, out.String())
		}
		calls := printedCalls(out.String())
		if len(calls) < 12 {
			t.Fatalf("found %d calls in the output:\n%s", len(calls), out.String())
		}
		compiles(t, `package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

func main() {
	ctx := context.Background()
`+strings.Join(calls, "\n")+`
	_, _, _, _, _ = err, lb, aws.String, elbv2sdk.NewFromConfig, types.ActionTypeEnumForward
}
`)
	}
}
