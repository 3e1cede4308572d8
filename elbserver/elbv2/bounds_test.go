package elbv2_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// Every free-text field has a bound: a value at it is stored and described back, one over
// it is a ValidationError.
func TestFreeTextIsBounded(t *testing.T) {
	c, l, tg := ruleSetup(t, map[string]int{"rules-per-application-load-balancer": 1000})
	rule := func(n int, conds []types.RuleCondition, actions []types.Action) (*lbv2.CreateRuleOutput, error) {
		return c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(int32(n)), Conditions: conds, Actions: actions})
	}
	priority := 0
	cases := []struct {
		field string
		max   int
		try   func(v string) (string, error) // returns the value described back
	}{
		{"FixedResponseConfig.MessageBody", 1024, func(v string) (string, error) {
			priority++
			out, err := rule(priority, pathIs("/a"), []types.Action{{Type: "fixed-response", FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200"), MessageBody: &v}}})
			if err != nil {
				return "", err
			}
			return *out.Rules[0].Actions[0].FixedResponseConfig.MessageBody, nil
		}},
		{"RedirectConfig.Host", 128, func(v string) (string, error) {
			priority++
			out, err := rule(priority, pathIs("/a"), []types.Action{{Type: "redirect", RedirectConfig: &types.RedirectActionConfig{Host: &v, StatusCode: "HTTP_301"}}})
			if err != nil {
				return "", err
			}
			return *out.Rules[0].Actions[0].RedirectConfig.Host, nil
		}},
		{"PathPatternConfig.Values", 128, func(v string) (string, error) {
			priority++
			out, err := rule(priority, pathIs("/"+v[1:]), fixed("200"))
			if err != nil {
				return "", err
			}
			return "a" + out.Rules[0].Conditions[0].Values[0][1:], nil
		}},
		{"HttpHeaderConfig.Values", 128, func(v string) (string, error) {
			priority++
			out, err := rule(priority, []types.RuleCondition{{Field: aws.String("http-header"), HttpHeaderConfig: &types.HttpHeaderConditionConfig{
				HttpHeaderName: aws.String("X-A"), Values: []string{v}}}}, fixed("200"))
			if err != nil {
				return "", err
			}
			return out.Rules[0].Conditions[0].HttpHeaderConfig.Values[0], nil
		}},
		{"AuthenticateOidcConfig.ClientId", 1024, func(v string) (string, error) {
			priority++
			out, err := rule(priority, pathIs("/a"), []types.Action{{Type: "authenticate-oidc", Order: aws.Int32(1), AuthenticateOidcConfig: &types.AuthenticateOidcActionConfig{
				Issuer: aws.String("https://i/x"), AuthorizationEndpoint: aws.String("https://i/a"), TokenEndpoint: aws.String("https://i/t"),
				UserInfoEndpoint: aws.String("https://i/u"), ClientId: &v, ClientSecret: aws.String("s")}},
				{Type: "forward", Order: aws.Int32(2), TargetGroupArn: aws.String(tg)}})
			if err != nil {
				return "", err
			}
			return *out.Rules[0].Actions[0].AuthenticateOidcConfig.ClientId, nil
		}},
		{"UrlRewriteConfig.Rewrites.Replace", 1024, func(v string) (string, error) {
			priority++
			out, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(int32(priority)), Conditions: pathIs("/a"), Actions: fixed("200"),
				Transforms: []types.RuleTransform{{Type: "url-rewrite", UrlRewriteConfig: &types.UrlRewriteConfig{Rewrites: []types.RewriteConfig{{Regex: aws.String("^/a"), Replace: &v}}}}}})
			if err != nil {
				return "", err
			}
			return *out.Rules[0].Transforms[0].UrlRewriteConfig.Rewrites[0].Replace, nil
		}},
		{"Tags.Value", 256, func(v string) (string, error) {
			_, err := c.AddTags(ctx, &lbv2.AddTagsInput{ResourceArns: []string{tg}, Tags: []types.Tag{{Key: aws.String("k"), Value: &v}}})
			if err != nil {
				return "", err
			}
			out, err := c.DescribeTags(ctx, &lbv2.DescribeTagsInput{ResourceArns: []string{tg}})
			if err != nil {
				return "", err
			}
			return *out.TagDescriptions[0].Tags[0].Value, nil
		}},
		{"Certificates.CertificateArn", 2048, func(v string) (string, error) {
			arn := "arn:aws:iam::000000000000:server-certificate/" + v[len("arn:aws:iam::000000000000:server-certificate/"):]
			out, err := c.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: l, Certificates: []types.Certificate{{CertificateArn: &arn}}})
			if err != nil {
				return "", err
			}
			got := *out.Certificates[len(out.Certificates)-1].CertificateArn
			return v[:len(v)-len(got)+len("arn:aws:iam::000000000000:server-certificate/")] + got[len("arn:aws:iam::000000000000:server-certificate/"):], nil
		}},
		{"access_logs.s3.prefix", 1024, func(v string) (string, error) {
			lbs, err := c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{})
			if err != nil {
				return "", err
			}
			out, err := c.ModifyLoadBalancerAttributes(ctx, &lbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lbs.LoadBalancers[0].LoadBalancerArn,
				Attributes: []types.LoadBalancerAttribute{{Key: aws.String("access_logs.s3.prefix"), Value: &v}}})
			if err != nil {
				return "", err
			}
			return attrs(out.Attributes, lbAttr)["access_logs.s3.prefix"], nil
		}},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			at := strings.Repeat("a", tc.max)
			got, err := tc.try(at)
			sdkcheck.NoErr(t, err)
			if got != at {
				t.Errorf("described back %d characters, want %d", len(got), tc.max)
			}
			_, err = tc.try(at + "a")
			sdkcheck.WantCode(t, err, "ValidationError")
		})
	}
}

// A record the bounds of its fields still let grow (a certificate list, under a raised limit)
// stops at the store's bound of a record, with a ValidationError.
func TestRecordBound(t *testing.T) {
	c, srv := limited(t, map[string]int{"certificates-per-application-load-balancer": 100000})
	alb := createALB(t, c, srv, "web")
	l := createListener(t, c, *alb.LoadBalancerArn, "HTTPS", 443, fixed("200"))
	var err error
	for batch := 0; batch < 10 && err == nil; batch++ {
		var certs []types.Certificate
		for i := range 200 {
			arn := fmt.Sprintf("arn:aws:iam::000000000000:server-certificate/%04d-%04d-%s", batch, i, strings.Repeat("c", 1900))
			certs = append(certs, types.Certificate{CertificateArn: &arn})
		}
		_, err = c.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: certs})
	}
	sdkcheck.WantCode(t, err, "ValidationError")
	if !strings.Contains(err.Error(), "bound of a record") {
		t.Errorf("error %v", err)
	}
	// The listener is as it was before the refused call.
	n := 0
	p := lbv2.NewDescribeListenerCertificatesPaginator(c, &lbv2.DescribeListenerCertificatesInput{ListenerArn: l.ListenerArn})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		n += len(out.Certificates)
	}
	if n%200 != 1 || n < 201 {
		t.Errorf("%d certificates after the refused call", n)
	}
}
