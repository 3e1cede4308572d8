package migrate_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// watched are the attributes a migration sets; the rendering shows them alone, so that the
// rest of each service's defaults do not decide the test.
var watched = []string{
	"idle_timeout.timeout_seconds", "routing.http.desync_mitigation_mode", "load_balancing.cross_zone.enabled",
	"access_logs.s3.enabled", "deregistration_delay.timeout_seconds", "stickiness.enabled", "stickiness.type",
	"stickiness.lb_cookie.duration_seconds", "stickiness.app_cookie.cookie_name", "proxy_protocol_v2.enabled",
	"tcp.idle_timeout.seconds",
}

// made renders, with the test's own SDK client, the ELBv2 balancers and target groups on e named
// name or name-*, and what each has: one line per balancer, listener, target group and watched attribute.
// Certificates are written CERT, subnets by their index in e.subnets.
func (e *env) made(t *testing.T, name string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	lbs, err := e.v2.DescribeLoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{})
	must(t, err)
	for _, lb := range lbs.LoadBalancers {
		if !ours(aws.ToString(lb.LoadBalancerName), name) {
			continue
		}
		name, arn := aws.ToString(lb.LoadBalancerName), aws.ToString(lb.LoadBalancerArn)
		var subnets []string
		for _, z := range lb.AvailabilityZones {
			subnets = append(subnets, fmt.Sprint(slices.Index(e.subnets, aws.ToString(z.SubnetId))))
		}
		slices.Sort(subnets)
		out = append(out, fmt.Sprintf("lb %s %s %s subnets=%s groups=%d", name, lb.Type, lb.Scheme, strings.Join(subnets, ","), len(lb.SecurityGroups)))
		attrs, err := e.v2.DescribeLoadBalancerAttributes(ctx, &elbv2sdk.DescribeLoadBalancerAttributesInput{LoadBalancerArn: &arn})
		must(t, err)
		for _, a := range attrs.Attributes {
			if lb.Type == types.LoadBalancerTypeEnumApplication && aws.ToString(a.Key) == "load_balancing.cross_zone.enabled" {
				continue // always on for an ALB, whatever a service reports
			}
			out = append(out, attrLine(name, aws.ToString(a.Key), aws.ToString(a.Value))...)
		}
		out = append(out, e.tagLines(t, name, arn)...)
		ls, err := e.v2.DescribeListeners(ctx, &elbv2sdk.DescribeListenersInput{LoadBalancerArn: &arn})
		must(t, err)
		for _, l := range ls.Listeners {
			out = append(out, e.listenerLine(t, name, l)...)
		}
	}
	tgs, err := e.v2.DescribeTargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{})
	must(t, err)
	for _, tg := range tgs.TargetGroups {
		if ours(aws.ToString(tg.TargetGroupName), name) {
			out = append(out, e.groupLines(t, tg)...)
		}
	}
	slices.Sort(out)
	return out
}

func ours(resource, name string) bool {
	return resource == name || strings.HasPrefix(resource, name+"-")
}

func attrLine(owner, key, value string) []string {
	if !slices.Contains(watched, key) {
		return nil
	}
	return []string{fmt.Sprintf("attr %s %s=%s", owner, key, value)}
}

func (e *env) tagLines(t *testing.T, name, arn string) []string {
	t.Helper()
	tags, err := e.v2.DescribeTags(context.Background(), &elbv2sdk.DescribeTagsInput{ResourceArns: []string{arn}})
	must(t, err)
	kv := map[string]string{}
	for _, d := range tags.TagDescriptions {
		for _, tag := range d.Tags {
			kv[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(kv)) {
		parts = append(parts, k+"="+kv[k])
	}
	return []string{"tags " + name + " " + strings.Join(parts, " ")}
}

func (e *env) listenerLine(t *testing.T, lbName string, l types.Listener) []string {
	t.Helper()
	s := fmt.Sprintf("listener %s %s:%d", lbName, l.Protocol, aws.ToInt32(l.Port))
	for _, a := range l.DefaultActions {
		s += fmt.Sprintf(" %s->%s", a.Type, groupName(aws.ToString(a.TargetGroupArn)))
	}
	for _, c := range l.Certificates {
		s += " cert=" + strings.Replace(aws.ToString(c.CertificateArn), e.cert, "CERT", 1)
	}
	if p := aws.ToString(l.SslPolicy); p != "" && (l.Protocol == types.ProtocolEnumHttps || l.Protocol == types.ProtocolEnumTls) {
		s += " policy=" + p
	}
	out := []string{s}
	if l.Protocol == types.ProtocolEnumTcp {
		attrs, err := e.v2.DescribeListenerAttributes(context.Background(), &elbv2sdk.DescribeListenerAttributesInput{ListenerArn: l.ListenerArn})
		must(t, err)
		for _, a := range attrs.Attributes {
			out = append(out, attrLine(fmt.Sprintf("%s:%d", lbName, aws.ToInt32(l.Port)), aws.ToString(a.Key), aws.ToString(a.Value))...)
		}
	}
	return out
}

// groupName is the name in a target group's ARN: ...:targetgroup/NAME/ID.
func groupName(arn string) string {
	parts := strings.Split(arn, "/")
	if len(parts) < 3 {
		return arn
	}
	return parts[len(parts)-2]
}

func (e *env) groupLines(t *testing.T, tg types.TargetGroup) []string {
	t.Helper()
	ctx := context.Background()
	name, arn := aws.ToString(tg.TargetGroupName), aws.ToString(tg.TargetGroupArn)
	check := fmt.Sprintf("%s:%s%s", tg.HealthCheckProtocol, aws.ToString(tg.HealthCheckPort), aws.ToString(tg.HealthCheckPath))
	if tg.Matcher != nil && aws.ToString(tg.Matcher.HttpCode) != "" && tg.HealthCheckProtocol != types.ProtocolEnumTcp {
		check += " codes=" + aws.ToString(tg.Matcher.HttpCode)
	}
	health, err := e.v2.DescribeTargetHealth(ctx, &elbv2sdk.DescribeTargetHealthInput{TargetGroupArn: &arn})
	must(t, err)
	var targets []string
	for _, h := range health.TargetHealthDescriptions {
		targets = append(targets, fmt.Sprintf("%d:%d", slices.Index(e.instances, aws.ToString(h.Target.Id)), aws.ToInt32(h.Target.Port)))
	}
	slices.Sort(targets)
	out := []string{fmt.Sprintf("tg %s %s:%d %s vpc=%t check=%s every=%d timeout=%d healthy=%d unhealthy=%d targets=%s",
		name, tg.Protocol, aws.ToInt32(tg.Port), tg.TargetType, aws.ToString(tg.VpcId) == e.vpc, check,
		aws.ToInt32(tg.HealthCheckIntervalSeconds), aws.ToInt32(tg.HealthCheckTimeoutSeconds),
		aws.ToInt32(tg.HealthyThresholdCount), aws.ToInt32(tg.UnhealthyThresholdCount), strings.Join(targets, ","))}
	attrs, err := e.v2.DescribeTargetGroupAttributes(ctx, &elbv2sdk.DescribeTargetGroupAttributesInput{TargetGroupArn: &arn})
	must(t, err)
	for _, a := range attrs.Attributes {
		out = append(out, attrLine(name, aws.ToString(a.Key), aws.ToString(a.Value))...)
	}
	return append(out, e.tagLines(t, name, arn)...)
}
