package tutorial

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// The tutorial in ELBv2 terms, for an ALB or an NLB Service. ELBv2 has no policies: what a
// Classic policy does is an attribute of the balancer or of its target group (ProxyProtocol is
// an NLB target group's proxy_protocol_v2, cookie stickiness a target group's stickiness), a
// listener's SSL policy, or a rule. Each step does what the Classic step does, that way.

// SSLPolicy is the security policy of the ELBv2 tutorial's TLS listener.
const SSLPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

var v2Steps = []step{
	{"Creating a connection", (*runner).connectV2},
	{"Getting existing load balancers", (*runner).listBalancers},
	{"Creating new load balancers", (*runner).createV2Balancer},
	{"Creating a load balancer policy: a balancer attribute", (*runner).setBalancerAttribute},
	{"Listing the balancer's policies: its attributes", (*runner).listAttributes},
	{"Listing the policy types: the SSL policies", (*runner).listSSLPolicies},
	{"Deleting a policy: the attribute back to its default", (*runner).resetBalancerAttribute},
	{"Enabling and disabling policies on a backend server: a target group attribute", (*runner).backendAttribute},
	{"Creating listeners: TLS with an SSL policy", (*runner).createV2Listener},
	{"Enabling and disabling policies on listeners: target group stickiness", (*runner).stickiness},
}

// StepsOf are the titles of the steps Run prints for a Service of provider ("elb", "alb"
// or "nlb").
func StepsOf(provider string) []string {
	list := steps
	if provider != "elb" {
		list = v2Steps
	}
	titles := make([]string, len(list))
	for i, s := range list {
		titles[i] = s.title
	}
	return titles
}

func (r *runner) alb() bool { return r.env.Service.Provider() == string(elbv2.ALB) }

// typeLiteral is the elbv2.Type of the Service, as Go.
func (r *runner) typeLiteral() string {
	if r.alb() {
		return "elbv2.ALB"
	}
	return "elbv2.NLB"
}

func (r *runner) connectV2(ctx context.Context) error {
	opts := r.env.Options
	if opts.Region == "" {
		opts.Region = r.v2.Region()
	}
	r.call("svc, err := elbv2.Open(ctx, %s, %s)", r.typeLiteral(), optionsLiteral(opts))
	r.call("var c *elbv2.Client")
	r.call("svc.As(&c) // every ELBv2 action")
	protocols, err := r.env.Service.ListProtocols(ctx)
	if err != nil {
		return err
	}
	r.result("<Service: provider=%s, region=%s, protocols=%s>", r.env.Service.Provider(), r.v2.Region(), pyList(protocolNames(protocols)))
	return nil
}

// createV2Balancer makes the balancer with its listener on 80, a target group and the
// members as targets, and notes the ARNs the later steps use.
func (r *runner) createV2Balancer(ctx context.Context) error {
	members := make([]loadbalancer.Member, len(r.env.Members))
	literals := make([]string, len(r.env.Members))
	for i, m := range r.env.Members {
		members[i] = loadbalancer.Member{ID: m.ID, IP: m.IP, Port: m.Port}
		literals[i] = memberLiteral(members[i])
		if m.Port != 0 {
			literals[i] = strings.TrimSuffix(literals[i], "}") + fmt.Sprintf(", Port: %d}", m.Port)
		}
	}
	proto := "http"
	if !r.alb() {
		proto = "tcp"
	}
	r.note("ELBv2 makes a target group for the members, each registered with its own port")
	r.call("members := []loadbalancer.Member{%s}", strings.Join(literals, ", "))
	algo, algoLiteral := loadbalancer.RoundRobin, "loadbalancer.RoundRobin"
	if !r.alb() {
		algo, algoLiteral = elbv2.FlowHash, "elbv2.FlowHash"
		r.note("an NLB routes by flow hash, not round robin")
	}
	r.call("lb, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: %q, Algorithm: %s, Port: 80, Protocol: %q, InstancePort: 80, Members: members})", r.env.Name, algoLiteral, proto)
	lb, err := r.env.Service.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: r.env.Name, Algorithm: algo,
		Port: 80, Protocol: loadbalancer.Protocol(proto), InstancePort: 80, Members: members})
	if err != nil {
		return err
	}
	r.created = true
	r.lbARN = lb.ID
	r.result("%s dns_name=%s port=%d", balancerString(lb), lb.DNSName, lb.Port)
	// The target group CreateBalancer made for the balancer.
	for tg, err := range r.v2.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(lb.ID)}) {
		if err != nil {
			return err
		}
		r.tgARN = aws.ToString(tg.TargetGroupArn)
		break
	}
	if r.tgARN == "" {
		return fmt.Errorf("tutorial: the balancer has no target group")
	}
	r.call("lbARN, tgARN := %q, %q // lb.ID, and its target group's ARN", r.lbARN, r.tgARN)
	return nil
}

// balancerAttribute is the attribute the policy steps set: an ALB's idle timeout, an NLB's
// cross-zone load balancing; with its value set and by default.
func (r *runner) balancerAttribute() (key, set, dflt string) {
	if r.alb() {
		return "idle_timeout.timeout_seconds", "120", "60"
	}
	return "load_balancing.cross_zone.enabled", "true", "false"
}

func (r *runner) setBalancerAttribute(ctx context.Context) error {
	key, value, _ := r.balancerAttribute()
	return r.modifyAttributes(ctx, "ModifyLoadBalancerAttributes", "lbARN", r.lbARN, r.v2.ModifyLoadBalancerAttributes, key, value)
}

func (r *runner) resetBalancerAttribute(ctx context.Context) error {
	key, _, value := r.balancerAttribute()
	return r.modifyAttributes(ctx, "ModifyLoadBalancerAttributes", "lbARN", r.lbARN, r.v2.ModifyLoadBalancerAttributes, key, value)
}

// modifyAttributes sets key=value (and the pairs after them) on the resource arn, printing
// the call as method(ctx, variable, ...) and the values the endpoint then holds for the keys.
func (r *runner) modifyAttributes(ctx context.Context, method, variable, arn string,
	modify func(context.Context, string, map[string]string) (map[string]string, error), kv ...string) error {
	set := map[string]string{}
	var pairs []string
	for i := 0; i+1 < len(kv); i += 2 {
		set[kv[i]] = kv[i+1]
		pairs = append(pairs, fmt.Sprintf("%q: %q", kv[i], kv[i+1]))
	}
	r.call("c.%s(ctx, %s, map[string]string{%s})", method, variable, strings.Join(pairs, ", "))
	got, err := modify(ctx, arn, set)
	if err != nil {
		return err
	}
	r.result("%s", attributesText(got, set))
	return nil
}

// attributesText shows the keys of want (all of got when want is nil) as got has them.
func attributesText(got, want map[string]string) string {
	var keys []string
	for k := range got {
		if _, ok := want[k]; ok || want == nil {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("'%s': '%s'", k, got[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (r *runner) listAttributes(ctx context.Context) error {
	r.call("c.LoadBalancerAttributes(ctx, lbARN)")
	got, err := r.v2.LoadBalancerAttributes(ctx, r.lbARN)
	if err != nil {
		return err
	}
	r.result("%s", attributesText(got, nil))
	return nil
}

func (r *runner) listSSLPolicies(ctx context.Context) error {
	lbType := types.LoadBalancerTypeEnumNetwork
	if r.alb() {
		lbType = types.LoadBalancerTypeEnumApplication
	}
	r.call("c.SSLPolicies(ctx, &elbv2sdk.DescribeSSLPoliciesInput{LoadBalancerType: %q})", lbType)
	var names []string
	for p, err := range r.v2.SSLPolicies(ctx, &elbv2sdk.DescribeSSLPoliciesInput{LoadBalancerType: lbType}) {
		if err != nil {
			return err
		}
		names = append(names, aws.ToString(p.Name))
	}
	r.result("%s", pyList(names))
	return nil
}

// backendAttribute does what the Classic tutorial does to its backend server: for an NLB,
// ProxyProtocol is the target group's proxy_protocol_v2; an ALB has none, and switches the
// group's algorithm instead. Each is enabled, then disabled.
func (r *runner) backendAttribute(ctx context.Context) error {
	key, on, off := "proxy_protocol_v2.enabled", "true", "false"
	if r.alb() {
		key, on, off = "load_balancing.algorithm.type", "least_outstanding_requests", "round_robin"
		r.note("an ALB speaks HTTP to its targets, without the PROXY protocol: its target group's algorithm stands in for the backend policy")
	}
	for _, v := range []string{on, off} {
		if err := r.modifyAttributes(ctx, "ModifyTargetGroupAttributes", "tgARN", r.tgARN, r.v2.ModifyTargetGroupAttributes, key, v); err != nil {
			return err
		}
	}
	return nil
}

// createV2Listener is the tutorial's HTTPS listener: on an ALB HTTPS with the SSL policy and a
// rule answering /health itself, on an NLB TLS with the SSL policy and ALPN.
func (r *runner) createV2Listener(ctx context.Context) error {
	in := &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(r.lbARN), Port: aws.Int32(443),
		Certificates: []types.Certificate{{CertificateArn: aws.String(r.env.Certificate)}}, SslPolicy: aws.String(SSLPolicy),
		DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(r.tgARN)}}}
	extra := ""
	if r.alb() {
		in.Protocol = types.ProtocolEnumHttps
	} else {
		in.Protocol, in.AlpnPolicy = types.ProtocolEnumTls, []string{"HTTP2Preferred"}
		extra = `, AlpnPolicy: []string{"HTTP2Preferred"}`
	}
	assign := "l, err := "
	if !r.alb() {
		assign = "" // no rule follows that would use it
	}
	r.call(`%sc.CreateListener(ctx, &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(443), Protocol: %q, `+
		`Certificates: []types.Certificate{{CertificateArn: aws.String(%q)}}, SslPolicy: aws.String(%q)%s, `+
		`DefaultActions: []types.Action{{Type: "forward", TargetGroupArn: aws.String(tgARN)}}})`, assign, in.Protocol, r.env.Certificate, SSLPolicy, extra)
	l, err := r.v2.CreateListener(ctx, in)
	if err != nil {
		return err
	}
	r.result("<Listener: port=%d, protocol=%s, ssl_policy=%s, certificate=%s>", aws.ToInt32(l.Port), l.Protocol, aws.ToString(l.SslPolicy), aws.ToString(l.Certificates[0].CertificateArn))
	if !r.alb() {
		return nil
	}
	r.call(`c.CreateRule(ctx, &elbv2sdk.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(10), ` +
		`Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{"/health"}}}}, ` +
		`Actions: []types.Action{{Type: "fixed-response", FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String("200"), MessageBody: aws.String("ok")}}}})`)
	rule, err := r.v2.CreateRule(ctx, &elbv2sdk.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(10),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), PathPatternConfig: &types.PathPatternConditionConfig{Values: []string{"/health"}}}},
		Actions: []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{
			StatusCode: aws.String("200"), MessageBody: aws.String("ok")}}}})
	if err != nil {
		return err
	}
	r.result("<Rule: priority=%s, path=/health, fixed-response=200>", aws.ToString(rule.Priority))
	return nil
}

// stickiness is MyDurationStickyPolicy in ELBv2 terms: the target group's stickiness, by a
// balancer cookie of 60 seconds on an ALB and by source address on an NLB; on, then off.
func (r *runner) stickiness(ctx context.Context) error {
	on := []string{"stickiness.enabled", "true", "stickiness.type", "source_ip"}
	if r.alb() {
		on = []string{"stickiness.enabled", "true", "stickiness.type", "lb_cookie", "stickiness.lb_cookie.duration_seconds", "60"}
	}
	if err := r.modifyAttributes(ctx, "ModifyTargetGroupAttributes", "tgARN", r.tgARN, r.v2.ModifyTargetGroupAttributes, on...); err != nil {
		return err
	}
	return r.modifyAttributes(ctx, "ModifyTargetGroupAttributes", "tgARN", r.tgARN, r.v2.ModifyTargetGroupAttributes, "stickiness.enabled", "false")
}
