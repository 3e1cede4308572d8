package elbv2_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// Tags work on every kind of ARN, the default rule's too.
func TestTagsOnEveryKind(t *testing.T) {
	c, srv := client(t)
	alb := createALB(t, c, srv, "web")
	tg := createTG(t, c, srv, "web", "HTTP", 80)
	l := createListener(t, c, *alb.LoadBalancerArn, "HTTP", 80, forward(*tg.TargetGroupArn))
	rule, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(1), Conditions: pathIs("/a"), Actions: fixed("200")})
	sdkcheck.NoErr(t, err)
	rules, err := c.DescribeRules(ctx, &lbv2.DescribeRulesInput{ListenerArn: l.ListenerArn})
	sdkcheck.NoErr(t, err)
	arns := []string{*alb.LoadBalancerArn, *tg.TargetGroupArn, *l.ListenerArn, *rule.Rules[0].RuleArn, *rules.Rules[1].RuleArn}
	_, err = c.AddTags(ctx, &lbv2.AddTagsInput{ResourceArns: arns, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("team")}}})
	sdkcheck.NoErr(t, err)
	_, err = c.RemoveTags(ctx, &lbv2.RemoveTagsInput{ResourceArns: arns[:2], TagKeys: []string{"team"}})
	sdkcheck.NoErr(t, err)
	out, err := c.DescribeTags(ctx, &lbv2.DescribeTagsInput{ResourceArns: arns})
	sdkcheck.NoErr(t, err)
	for i, d := range out.TagDescriptions {
		tags := attrs(d.Tags, func(t types.Tag) (string, string) { return *t.Key, aws.ToString(t.Value) })
		want := 2
		if i < 2 {
			want = 1
		}
		if *d.ResourceArn != arns[i] || tags["env"] != "prod" || len(tags) != want {
			t.Errorf("%s: %v", arns[i], tags)
		}
	}
	var many []types.Tag
	for i := range 50 {
		many = append(many, types.Tag{Key: aws.String(fmt.Sprintf("k%d", i))})
	}
	_, err = c.AddTags(ctx, &lbv2.AddTagsInput{ResourceArns: arns[:1], Tags: many})
	sdkcheck.WantCode(t, err, "TooManyTags")
	_, err = c.AddTags(ctx, &lbv2.AddTagsInput{ResourceArns: arns[:1], Tags: []types.Tag{{Key: aws.String("aws:x")}}})
	sdkcheck.WantCode(t, err, "ValidationError")
	_, err = c.AddTags(ctx, &lbv2.AddTagsInput{ResourceArns: arns[:1], Tags: []types.Tag{{Key: aws.String("k")}, {Key: aws.String("k")}}})
	sdkcheck.WantCode(t, err, "DuplicateTagKeys")
	gone := "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/gone/0123456789abcdef"
	_, err = c.DescribeTags(ctx, &lbv2.DescribeTagsInput{ResourceArns: []string{gone}})
	sdkcheck.WantCode(t, err, "TargetGroupNotFound")
	var tooMany []string
	for range 21 {
		tooMany = append(tooMany, fmt.Sprintf("%s%d", gone[:len(gone)-2], len(tooMany)+10))
	}
	_, err = c.DescribeTags(ctx, &lbv2.DescribeTagsInput{ResourceArns: tooMany})
	sdkcheck.WantCode(t, err, "ValidationError")
}

func TestDescribeSSLPolicies(t *testing.T) {
	c, _ := client(t)
	out, err := c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06"}})
	sdkcheck.NoErr(t, err)
	p := out.SslPolicies[0]
	if len(p.SslProtocols) != 3 || p.SslProtocols[0] != "TLSv1" || len(p.Ciphers) != 18 || *p.Ciphers[0].Name != "ECDHE-ECDSA-AES128-GCM-SHA256" ||
		*p.Ciphers[17].Priority != 18 || *p.Ciphers[10].Name != "ECDHE-RSA-AES256-SHA" {
		t.Errorf("ELBSecurityPolicy-2016-08: %+v", p)
	}
	if p := out.SslPolicies[1]; *p.Ciphers[0].Name != "TLS_AES_128_GCM_SHA256" || len(p.SupportedLoadBalancerTypes) != 2 {
		t.Errorf("TLS 1.3 policy: %+v", p)
	}
	_, err = c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-Nope"}})
	sdkcheck.WantCode(t, err, "SSLPolicyNotFound")
	gw, err := c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{LoadBalancerType: types.LoadBalancerTypeEnumGateway})
	sdkcheck.NoErr(t, err)
	if len(gw.SslPolicies) != 0 {
		t.Errorf("gateway policies: %d", len(gw.SslPolicies))
	}
	all, err := c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{})
	sdkcheck.NoErr(t, err)
	page, err := c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{PageSize: aws.Int32(5)})
	sdkcheck.NoErr(t, err)
	rest, err := c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{Marker: page.NextMarker})
	sdkcheck.NoErr(t, err)
	if len(page.SslPolicies) != 5 || len(rest.SslPolicies)+5 != len(all.SslPolicies) || *rest.SslPolicies[0].Name != *all.SslPolicies[5].Name {
		t.Errorf("pages of %d and %d of %d policies", len(page.SslPolicies), len(rest.SslPolicies), len(all.SslPolicies))
	}
}

func TestCapacityReservation(t *testing.T) {
	c, srv, clk := clockedClient(t, elbserver.Options{})
	lb := createALB(t, c, srv, "web")
	d, err := c.DescribeCapacityReservation(ctx, &lbv2.DescribeCapacityReservationInput{LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.NoErr(t, err)
	if *d.DecreaseRequestsRemaining != 2 || d.MinimumLoadBalancerCapacity != nil || len(d.CapacityReservationState) != 0 {
		t.Errorf("before any reservation: %+v", d)
	}
	modify := func(units int32) (*lbv2.ModifyCapacityReservationOutput, error) {
		return c.ModifyCapacityReservation(ctx, &lbv2.ModifyCapacityReservationInput{LoadBalancerArn: lb.LoadBalancerArn,
			MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(units)}})
	}
	m, err := modify(400)
	sdkcheck.NoErr(t, err)
	if len(m.CapacityReservationState) != 2 || m.CapacityReservationState[0].State.Code != "pending" {
		t.Errorf("after a reservation: %+v", m.CapacityReservationState)
	}
	_, err = modify(500)
	sdkcheck.WantCode(t, err, "CapacityReservationPending")
	clk.Add(time.Minute)
	d, err = c.DescribeCapacityReservation(ctx, &lbv2.DescribeCapacityReservationInput{LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.NoErr(t, err)
	if s := d.CapacityReservationState[1]; s.State.Code != "provisioned" || *s.EffectiveCapacityUnits != 200 || *d.MinimumLoadBalancerCapacity.CapacityUnits != 400 {
		t.Errorf("provisioned: %+v", d)
	}
	for i, units := range []int32{300, 200, 100} {
		_, err = modify(units)
		if i < 2 {
			sdkcheck.NoErr(t, err)
			clk.Add(time.Minute)
		} else {
			sdkcheck.WantCode(t, err, "CapacityDecreaseRequestLimitExceeded")
		}
	}
	_, err = modify(20000)
	sdkcheck.WantCode(t, err, "CapacityUnitsLimitExceeded")
	clk.Add(24 * time.Hour)
	_, err = c.ModifyCapacityReservation(ctx, &lbv2.ModifyCapacityReservationInput{LoadBalancerArn: lb.LoadBalancerArn, ResetCapacityReservation: aws.Bool(true)})
	sdkcheck.NoErr(t, err)
}

func TestGetResourcePolicy(t *testing.T) {
	c, srv := client(t)
	lb := createALB(t, c, srv, "web")
	_, err := c.GetResourcePolicy(ctx, &lbv2.GetResourcePolicyInput{ResourceArn: lb.LoadBalancerArn})
	sdkcheck.WantCode(t, err, "ResourceNotFound")
	_, err = c.GetResourcePolicy(ctx, &lbv2.GetResourcePolicyInput{ResourceArn: aws.String("nope")})
	sdkcheck.WantCode(t, err, "ValidationError")
}
