package compat

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// v2State is what the scenario created on one side, by role.
type v2State struct {
	lb, tg, tcp, http, https, r1, r2 string
}

func st(s *v2Side) *v2State { return &s.state }

const diffCert = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"

func v2Forward(tg string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
}

func v2Call[T any](out *T, err error) (any, error) { return out, err }

// v2Scenario uses each of moto's 37 ELBv2 actions at least once.
var v2Scenario = []v2Step{
	{"CreateLoadBalancer", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: s.subnets[:],
			SecurityGroups: []string{s.sgs[0]}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
		if err == nil {
			st(s).lb = *out.LoadBalancers[0].LoadBalancerArn
			s.label(st(s).lb, "<lb-web>")
		}
		return out, err
	}},
	{"CreateTargetGroup", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: "HTTP", Port: aws.Int32(80),
			VpcId: aws.String(s.vpc), HealthCheckPath: aws.String("/health")})
		if err == nil {
			st(s).tg = *out.TargetGroups[0].TargetGroupArn
			s.label(st(s).tg, "<tg>")
		}
		return out, err
	}},
	{"CreateTargetGroup", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("tcp"), Protocol: "TCP", Port: aws.Int32(8080), VpcId: aws.String(s.vpc)})
		if err == nil {
			st(s).tcp = *out.TargetGroups[0].TargetGroupArn
			s.label(st(s).tcp, "<tg-tcp>")
		}
		return out, err
	}},
	{"CreateListener", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: aws.String(st(s).lb), Protocol: "HTTP", Port: aws.Int32(80),
			DefaultActions: v2Forward(st(s).tg)})
		if err == nil {
			st(s).http = *out.Listeners[0].ListenerArn
			s.label(st(s).http, "<listener-80>")
		}
		return out, err
	}},
	{"CreateListener", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: aws.String(st(s).lb), Protocol: "HTTPS", Port: aws.Int32(443),
			Certificates: []types.Certificate{{CertificateArn: aws.String(s.certs[0])}}, DefaultActions: v2Forward(st(s).tg)})
		if err == nil {
			st(s).https = *out.Listeners[0].ListenerArn
			s.label(st(s).https, "<listener-443>")
		}
		return out, err
	}},
	{"AddListenerCertificates", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: aws.String(st(s).https),
			Certificates: []types.Certificate{{CertificateArn: aws.String(s.certs[1])}}}))
	}},
	{"DescribeListenerCertificates", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeListenerCertificates(ctx, &lbv2.DescribeListenerCertificatesInput{ListenerArn: aws.String(st(s).https)}))
	}},
	{"RemoveListenerCertificates", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.RemoveListenerCertificates(ctx, &lbv2.RemoveListenerCertificatesInput{ListenerArn: aws.String(st(s).https),
			Certificates: []types.Certificate{{CertificateArn: aws.String(s.certs[1])}}}))
	}},
	{"ModifyListener", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.ModifyListener(ctx, &lbv2.ModifyListenerInput{ListenerArn: aws.String(st(s).http), DefaultActions: []types.Action{
			{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: "HTTP_301"}}}}))
	}},
	{"DescribeListeners", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{LoadBalancerArn: aws.String(st(s).lb)}))
	}},
	{"ModifyListenerAttributes", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.ModifyListenerAttributes(ctx, &lbv2.ModifyListenerAttributesInput{ListenerArn: aws.String(st(s).https),
			Attributes: []types.ListenerAttribute{{Key: aws.String("routing.http.response.server.enabled"), Value: aws.String("false")}}}))
	}},
	{"DescribeListenerAttributes", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeListenerAttributes(ctx, &lbv2.DescribeListenerAttributesInput{ListenerArn: aws.String(st(s).https)}))
	}},
	{"CreateRule", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: aws.String(st(s).https), Priority: aws.Int32(10),
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/api/*"}}}, Actions: v2Forward(st(s).tg)})
		if err == nil {
			st(s).r1 = *out.Rules[0].RuleArn
			s.label(st(s).r1, "<rule-1>")
		}
		return out, err
	}},
	{"CreateRule", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: aws.String(st(s).https), Priority: aws.Int32(20),
			Conditions: []types.RuleCondition{{Field: aws.String("host-header"), HostHeaderConfig: &types.HostHeaderConditionConfig{Values: []string{"a.example.com"}}}},
			Actions:    []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("404")}}}})
		if err == nil {
			st(s).r2 = *out.Rules[0].RuleArn
			s.label(st(s).r2, "<rule-2>")
		}
		return out, err
	}},
	{"ModifyRule", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.ModifyRule(ctx, &lbv2.ModifyRuleInput{RuleArn: aws.String(st(s).r1),
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/v2/*"}}}}))
	}},
	{"SetRulePriorities", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.SetRulePriorities(ctx, &lbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
			{RuleArn: aws.String(st(s).r1), Priority: aws.Int32(30)}}}))
	}},
	{"DescribeRules", func(ctx context.Context, s *v2Side) (any, error) {
		out, err := s.c.DescribeRules(ctx, &lbv2.DescribeRulesInput{ListenerArn: aws.String(st(s).https)})
		if err == nil {
			for _, r := range out.Rules {
				if aws.ToBool(r.IsDefault) {
					s.label(*r.RuleArn, "<rule-default>")
				}
			}
		}
		return out, err
	}},
	{"DeleteRule", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DeleteRule(ctx, &lbv2.DeleteRuleInput{RuleArn: aws.String(st(s).r2)}))
	}},
	{"RegisterTargets", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: aws.String(st(s).tg),
			Targets: []types.TargetDescription{{Id: aws.String(s.inst[0])}, {Id: aws.String(s.inst[1])}}}))
	}},
	{"DescribeTargetHealth", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeTargetHealth(ctx, &lbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(st(s).tg)}))
	}},
	{"DeregisterTargets", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DeregisterTargets(ctx, &lbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(st(s).tg),
			Targets: []types.TargetDescription{{Id: aws.String(s.inst[1])}}}))
	}},
	{"DescribeTargetGroups", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{}))
	}},
	{"ModifyTargetGroupAttributes", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.ModifyTargetGroupAttributes(ctx, &lbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(st(s).tg),
			Attributes: []types.TargetGroupAttribute{{Key: aws.String("deregistration_delay.timeout_seconds"), Value: aws.String("60")}}}))
	}},
	{"DescribeTargetGroupAttributes", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeTargetGroupAttributes(ctx, &lbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(st(s).tg)}))
	}},
	{"ModifyTargetGroup", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.ModifyTargetGroup(ctx, &lbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String(st(s).tg), HealthCheckPath: aws.String("/ping")}))
	}},
	{"ModifyLoadBalancerAttributes", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.ModifyLoadBalancerAttributes(ctx, &lbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(st(s).lb),
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("120")}}}))
	}},
	{"DescribeLoadBalancerAttributes", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeLoadBalancerAttributes(ctx, &lbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(st(s).lb)}))
	}},
	{"SetSecurityGroups", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.SetSecurityGroups(ctx, &lbv2.SetSecurityGroupsInput{LoadBalancerArn: aws.String(st(s).lb), SecurityGroups: []string{s.sgs[1]}}))
	}},
	{"SetSubnets", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.SetSubnets(ctx, &lbv2.SetSubnetsInput{LoadBalancerArn: aws.String(st(s).lb), Subnets: []string{s.subnets[1], s.subnets[0]}}))
	}},
	{"SetIpAddressType", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.SetIpAddressType(ctx, &lbv2.SetIpAddressTypeInput{LoadBalancerArn: aws.String(st(s).lb), IpAddressType: types.IpAddressTypeDualstack}))
	}},
	{"AddTags", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.AddTags(ctx, &lbv2.AddTagsInput{ResourceArns: []string{st(s).lb, st(s).tg},
			Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("core")}, {Key: aws.String("tier"), Value: aws.String("web")}}}))
	}},
	{"RemoveTags", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.RemoveTags(ctx, &lbv2.RemoveTagsInput{ResourceArns: []string{st(s).lb}, TagKeys: []string{"tier"}}))
	}},
	{"DescribeTags", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeTags(ctx, &lbv2.DescribeTagsInput{ResourceArns: []string{st(s).lb, st(s).tg}}))
	}},
	{"DescribeAccountLimits", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeAccountLimits(ctx, &lbv2.DescribeAccountLimitsInput{}))
	}},
	{"DescribeSSLPolicies", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeSSLPolicies(ctx, &lbv2.DescribeSSLPoliciesInput{Names: []string{"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS13-1-2-2021-06"}}))
	}},
	{"DescribeCapacityReservation", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeCapacityReservation(ctx, &lbv2.DescribeCapacityReservationInput{LoadBalancerArn: aws.String(st(s).lb)}))
	}},
	{"DescribeLoadBalancers", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{}))
	}},
	{"CreateTargetGroup", func(ctx context.Context, s *v2Side) (any, error) { // the same settings again
		return v2Call(s.c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("tcp"), Protocol: "TCP", Port: aws.Int32(8080), VpcId: aws.String(s.vpc)}))
	}},
	{"DeleteTargetGroup", func(ctx context.Context, s *v2Side) (any, error) { // in use
		return v2Call(s.c.DeleteTargetGroup(ctx, &lbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(st(s).tg)}))
	}},
	{"CreateLoadBalancer", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("bad_name!"), Subnets: s.subnets[:]}))
	}},
	{"DeleteListener", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DeleteListener(ctx, &lbv2.DeleteListenerInput{ListenerArn: aws.String(st(s).http)}))
	}},
	{"DeleteLoadBalancer", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(st(s).lb)}))
	}},
	{"DeleteTargetGroup", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DeleteTargetGroup(ctx, &lbv2.DeleteTargetGroupInput{TargetGroupArn: aws.String(st(s).tg)}))
	}},
	{"DescribeTargetGroups", func(ctx context.Context, s *v2Side) (any, error) {
		return v2Call(s.c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{}))
	}},
}
