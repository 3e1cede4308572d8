package elbv2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// ruleSetup is a balancer with an HTTPS listener and a target group.
func ruleSetup(t *testing.T, limits map[string]int) (*lbv2.Client, *string, string) {
	t.Helper()
	c, srv := limited(t, limits)
	alb := createALB(t, c, srv, "web")
	tg := createTG(t, c, srv, "web", "HTTP", 80)
	l := createListener(t, c, *alb.LoadBalancerArn, "HTTPS", 443, forward(*tg.TargetGroupArn))
	return c, l.ListenerArn, *tg.TargetGroupArn
}

func cond(field string, cfg func(*types.RuleCondition)) types.RuleCondition {
	c := types.RuleCondition{Field: aws.String(field)}
	cfg(&c)
	return c
}

func TestRuleConditions(t *testing.T) {
	c, l, _ := ruleSetup(t, nil)
	host := func(v ...string) types.RuleCondition {
		return cond("host-header", func(c *types.RuleCondition) { c.HostHeaderConfig = &types.HostHeaderConditionConfig{Values: v} })
	}
	cases := []struct {
		name  string
		conds []types.RuleCondition
		code  string
	}{
		{"six values", []types.RuleCondition{host("a.example.com", "b.example.com", "c.example.com"), cond("path-pattern", func(c *types.RuleCondition) {
			c.PathPatternConfig = &types.PathPatternConditionConfig{Values: []string{"/a", "/b", "/c"}}
		})}, "ValidationError"},
		{"six wildcards", []types.RuleCondition{host("*.a.com", "*.b.com", "*.c.com"), cond("path-pattern", func(c *types.RuleCondition) {
			c.PathPatternConfig = &types.PathPatternConditionConfig{Values: []string{"/*/*/*"}}
		})}, "ValidationError"},
		{"two host conditions", []types.RuleCondition{host("a.example.com"), host("b.example.com")}, "ValidationError"},
		{"host without a dot", []types.RuleCondition{host("localhost")}, "ValidationError"},
		{"bad regex", []types.RuleCondition{cond("path-pattern", func(c *types.RuleCondition) {
			c.PathPatternConfig = &types.PathPatternConditionConfig{RegexValues: []string{"^/(a"}}
		})}, "ValidationError"},
		{"regex on a method", []types.RuleCondition{cond("http-request-method", func(c *types.RuleCondition) { c.RegexValues = []string{"^G"} })}, "ValidationError"},
		{"host header by name", []types.RuleCondition{cond("http-header", func(c *types.RuleCondition) {
			c.HttpHeaderConfig = &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("Host"), Values: []string{"x"}}
		})}, "ValidationError"},
		{"not a CIDR", []types.RuleCondition{cond("source-ip", func(c *types.RuleCondition) {
			c.SourceIpConfig = &types.SourceIpConditionConfig{Values: []string{"10.0.0.1"}}
		})}, "ValidationError"},
		{"values of a method at the top", []types.RuleCondition{cond("http-request-method", func(c *types.RuleCondition) { c.Values = []string{"GET"} })}, "ValidationError"},
		{"wrong config", []types.RuleCondition{cond("path-pattern", func(c *types.RuleCondition) {
			c.HostHeaderConfig = &types.HostHeaderConditionConfig{Values: []string{"a.example.com"}}
		})}, "ValidationError"},
		{"empty value", []types.RuleCondition{cond("path-pattern", func(c *types.RuleCondition) { c.Values = []string{""} })}, "ValidationError"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(int32(i + 1)), Conditions: tc.conds, Actions: fixed("404")})
			sdkcheck.WantCode(t, err, tc.code)
		})
	}

	// Every kind of condition, with regular expressions, stored and described back as given.
	all := []types.RuleCondition{
		{Field: aws.String("host-header"), Values: []string{"*.example.com"}},
		cond("path-pattern", func(c *types.RuleCondition) {
			c.PathPatternConfig = &types.PathPatternConditionConfig{RegexValues: []string{`^/api/v[0-9]+/.*$`}}
		}),
		cond("http-header", func(c *types.RuleCondition) {
			c.HttpHeaderConfig = &types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Env"), Values: []string{"prod"}}
		}),
		cond("query-string", func(c *types.RuleCondition) {
			c.QueryStringConfig = &types.QueryStringConditionConfig{Values: []types.QueryStringKeyValuePair{{Value: aws.String("debug")}}}
		}),
	}
	out, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(100), Conditions: all, Actions: fixed("404")})
	sdkcheck.NoErr(t, err)
	rule := out.Rules[0]
	if len(rule.Conditions) != 4 {
		t.Fatalf("conditions %+v", rule.Conditions)
	}
	if h := rule.Conditions[0]; h.Values[0] != "*.example.com" || h.HostHeaderConfig.Values[0] != "*.example.com" {
		t.Errorf("host condition %+v", h)
	}
	if p := rule.Conditions[1]; p.PathPatternConfig.RegexValues[0] != `^/api/v[0-9]+/.*$` {
		t.Errorf("path condition %+v", p)
	}
	if q := rule.Conditions[3]; q.QueryStringConfig.Values[0].Key != nil || *q.QueryStringConfig.Values[0].Value != "debug" {
		t.Errorf("query condition %+v", q)
	}
}

func TestRuleActions(t *testing.T) {
	c, l, tg := ruleSetup(t, nil)
	oidc := func(secret *string, useExisting *bool) types.Action {
		return types.Action{Type: types.ActionTypeEnumAuthenticateOidc, Order: aws.Int32(1), AuthenticateOidcConfig: &types.AuthenticateOidcActionConfig{
			Issuer: aws.String("https://idp.example.com"), AuthorizationEndpoint: aws.String("https://idp.example.com/auth"),
			TokenEndpoint: aws.String("https://idp.example.com/token"), UserInfoEndpoint: aws.String("https://idp.example.com/me"),
			ClientId: aws.String("client"), ClientSecret: secret, UseExistingClientSecret: useExisting,
			AuthenticationRequestExtraParams: map[string]string{"prompt": "login"}}}
	}
	fwd := types.Action{Type: types.ActionTypeEnumForward, Order: aws.Int32(2), TargetGroupArn: aws.String(tg)}
	out, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(1), Conditions: pathIs("/app/*"),
		Actions: []types.Action{oidc(aws.String("s3cr3t"), nil), fwd}})
	sdkcheck.NoErr(t, err)
	o := out.Rules[0].Actions[0].AuthenticateOidcConfig
	if o.ClientSecret != nil || *o.SessionCookieName != "AWSELBAuthSessionCookie" || *o.Scope != "openid" || *o.SessionTimeout != 604800 ||
		o.OnUnauthenticatedRequest != "authenticate" || o.AuthenticationRequestExtraParams["prompt"] != "login" {
		t.Errorf("OIDC action described as %+v", o)
	}
	// The secret may be kept when the action is replaced.
	_, err = c.ModifyRule(ctx, &lbv2.ModifyRuleInput{RuleArn: out.Rules[0].RuleArn, Actions: []types.Action{oidc(nil, aws.Bool(true)), fwd}})
	sdkcheck.NoErr(t, err)

	redirect, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(2), Conditions: pathIs("/old"),
		Actions: []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{Path: aws.String("/new/#{path}"), StatusCode: types.RedirectActionStatusCodeEnumHttp301}}}})
	sdkcheck.NoErr(t, err)
	rd := redirect.Rules[0].Actions[0].RedirectConfig
	if *rd.Protocol != "#{protocol}" || *rd.Port != "#{port}" || *rd.Host != "#{host}" || *rd.Query != "#{query}" || *rd.Path != "/new/#{path}" {
		t.Errorf("redirect described as %+v", rd)
	}
	bad := []struct {
		name    string
		actions []types.Action
		code    string
	}{
		{"redirect loop", []types.Action{{Type: "redirect", RedirectConfig: &types.RedirectActionConfig{StatusCode: "HTTP_302"}}}, "InvalidLoadBalancerAction"},
		{"https to http", []types.Action{{Type: "redirect", RedirectConfig: &types.RedirectActionConfig{Protocol: aws.String("HTTP"), StatusCode: "HTTP_302"}}}, "InvalidLoadBalancerAction"},
		{"unknown keyword", []types.Action{{Type: "redirect", RedirectConfig: &types.RedirectActionConfig{Host: aws.String("#{path}.example.com"), StatusCode: "HTTP_302"}}}, "InvalidLoadBalancerAction"},
		{"status 301 fixed", fixed("301"), "ValidationError"},
		{"forward first", []types.Action{fwd, {Type: "fixed-response", Order: aws.Int32(3), FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200")}}}, "InvalidLoadBalancerAction"},
		{"no order", []types.Action{oidc(aws.String("s"), nil), {Type: "forward", TargetGroupArn: aws.String(tg)}}, "InvalidLoadBalancerAction"},
		{"three actions", []types.Action{oidc(aws.String("s"), nil), fwd, fwd}, "TooManyActions"},
		{"forward config mismatch", []types.Action{{Type: "forward", TargetGroupArn: aws.String(tg), ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(tg + "0")}}}}}, "InvalidLoadBalancerAction"},
		{"stickiness without duration", []types.Action{{Type: "forward", ForwardConfig: &types.ForwardActionConfig{
			TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(tg)}}, TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true)}}}}, "InvalidLoadBalancerAction"},
		{"http issuer", []types.Action{{Type: "authenticate-oidc", Order: aws.Int32(1), AuthenticateOidcConfig: &types.AuthenticateOidcActionConfig{
			Issuer: aws.String("http://idp"), AuthorizationEndpoint: aws.String("https://a/b"), TokenEndpoint: aws.String("https://a/b"),
			UserInfoEndpoint: aws.String("https://a/b"), ClientId: aws.String("c"), ClientSecret: aws.String("s")}}, fwd}, "ValidationError"},
		{"reserved claim", []types.Action{{Type: "jwt-validation", Order: aws.Int32(1), JwtValidationConfig: &types.JwtValidationActionConfig{
			JwksEndpoint: aws.String("https://idp/jwks"), Issuer: aws.String("idp"), AdditionalClaims: []types.JwtValidationActionAdditionalClaim{
				{Format: "single-string", Name: aws.String("exp"), Values: []string{"1"}}}}}, fwd}, "ValidationError"},
	}
	for i, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(int32(10 + i)), Conditions: pathIs("/x"), Actions: tc.actions})
			sdkcheck.WantCode(t, err, tc.code)
		})
	}
	// Weighted groups with group stickiness.
	w, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(3), Conditions: pathIs("/w"), Actions: []types.Action{{Type: "forward",
		ForwardConfig: &types.ForwardActionConfig{TargetGroups: []types.TargetGroupTuple{{TargetGroupArn: aws.String(tg), Weight: aws.Int32(7)}},
			TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(true), DurationSeconds: aws.Int32(60)}}}}})
	sdkcheck.NoErr(t, err)
	fc := w.Rules[0].Actions[0].ForwardConfig
	if *fc.TargetGroups[0].Weight != 7 || !*fc.TargetGroupStickinessConfig.Enabled || *fc.TargetGroupStickinessConfig.DurationSeconds != 60 {
		t.Errorf("forward config %+v", fc)
	}
}

func TestRulePrioritiesAndDefaultRule(t *testing.T) {
	c, l, _ := ruleSetup(t, map[string]int{"rules-per-application-load-balancer": 3})
	var arns []string
	for i, p := range []int32{10, 20, 30} {
		out, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(p), Conditions: pathIs("/" + string(rune('a'+i))), Actions: fixed("200")})
		sdkcheck.NoErr(t, err)
		arns = append(arns, *out.Rules[0].RuleArn)
	}
	_, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(40), Conditions: pathIs("/d"), Actions: fixed("200")})
	sdkcheck.WantCode(t, err, "TooManyRules")
	_, err = c.DeleteRule(ctx, &lbv2.DeleteRuleInput{RuleArn: aws.String(arns[2])})
	sdkcheck.NoErr(t, err)
	_, err = c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(10), Conditions: pathIs("/d"), Actions: fixed("200")})
	sdkcheck.WantCode(t, err, "PriorityInUse")

	// Swapping two priorities at once is one atomic change; a clash changes nothing.
	_, err = c.SetRulePriorities(ctx, &lbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{
		{RuleArn: aws.String(arns[0]), Priority: aws.Int32(20)}, {RuleArn: aws.String(arns[1]), Priority: aws.Int32(10)}}})
	sdkcheck.NoErr(t, err)
	_, err = c.SetRulePriorities(ctx, &lbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: aws.String(arns[0]), Priority: aws.Int32(10)}}})
	sdkcheck.WantCode(t, err, "PriorityInUse")

	rules, err := c.DescribeRules(ctx, &lbv2.DescribeRulesInput{ListenerArn: l})
	sdkcheck.NoErr(t, err)
	var order []string
	for _, r := range rules.Rules {
		order = append(order, *r.Priority)
	}
	if strings.Join(order, ",") != "10,20,default" || *rules.Rules[0].RuleArn != arns[1] || !*rules.Rules[2].IsDefault {
		t.Errorf("rules in order %v", order)
	}
	def := rules.Rules[2].RuleArn
	_, err = c.DeleteRule(ctx, &lbv2.DeleteRuleInput{RuleArn: def})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	_, err = c.SetRulePriorities(ctx, &lbv2.SetRulePrioritiesInput{RulePriorities: []types.RulePriorityPair{{RuleArn: def, Priority: aws.Int32(5)}}})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	_, err = c.ModifyRule(ctx, &lbv2.ModifyRuleInput{RuleArn: def, Conditions: pathIs("/x")})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	// The default rule's actions are the listener's default actions.
	_, err = c.ModifyRule(ctx, &lbv2.ModifyRuleInput{RuleArn: def, Actions: fixed("503")})
	sdkcheck.NoErr(t, err)
	ls, err := c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{ListenerArns: []string{*l}})
	sdkcheck.NoErr(t, err)
	if a := ls.Listeners[0].DefaultActions[0]; a.Type != "fixed-response" || *a.FixedResponseConfig.StatusCode != "503" {
		t.Errorf("listener default action %+v", a)
	}
	// Paging walks the priorities and ends with the default rule.
	p := lbv2.NewDescribeRulesPaginator(c, &lbv2.DescribeRulesInput{ListenerArn: l, PageSize: aws.Int32(1)})
	var paged []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		for _, r := range page.Rules {
			paged = append(paged, *r.Priority)
		}
	}
	if strings.Join(paged, ",") != "10,20,default" {
		t.Errorf("paged rules %v", paged)
	}
}

func TestRuleTransforms(t *testing.T) {
	c, l, _ := ruleSetup(t, nil)
	host := types.RuleTransform{Type: "host-header-rewrite", HostHeaderRewriteConfig: &types.HostHeaderRewriteConfig{
		Rewrites: []types.RewriteConfig{{Regex: aws.String(`^(.*)\.old\.com$`), Replace: aws.String("$1.new.com")}}}}
	url := types.RuleTransform{Type: "url-rewrite", UrlRewriteConfig: &types.UrlRewriteConfig{
		Rewrites: []types.RewriteConfig{{Regex: aws.String("^/v1/(.*)$"), Replace: aws.String("/$1")}}}}
	out, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(1), Conditions: pathIs("/v1/*"), Actions: fixed("200"),
		Transforms: []types.RuleTransform{host, url}})
	sdkcheck.NoErr(t, err)
	tr := out.Rules[0].Transforms
	if len(tr) != 2 || *tr[0].HostHeaderRewriteConfig.Rewrites[0].Replace != "$1.new.com" || *tr[1].UrlRewriteConfig.Rewrites[0].Regex != "^/v1/(.*)$" {
		t.Errorf("transforms %+v", tr)
	}
	_, err = c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l, Priority: aws.Int32(2), Conditions: pathIs("/a"), Actions: fixed("200"),
		Transforms: []types.RuleTransform{url, url}})
	sdkcheck.WantCode(t, err, "ValidationError")
	mod, err := c.ModifyRule(ctx, &lbv2.ModifyRuleInput{RuleArn: out.Rules[0].RuleArn, ResetTransforms: aws.Bool(true)})
	sdkcheck.NoErr(t, err)
	if len(mod.Rules[0].Transforms) != 0 {
		t.Errorf("transforms after reset %+v", mod.Rules[0].Transforms)
	}
	_, err = c.ModifyRule(ctx, &lbv2.ModifyRuleInput{RuleArn: out.Rules[0].RuleArn, ResetTransforms: aws.Bool(true), Transforms: []types.RuleTransform{url}})
	sdkcheck.WantCode(t, err, "ValidationError")
}
