package storesync_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// defaultSubnets are the default VPC's subnets of two zones.
func (e *env) defaultSubnets(t testing.TB) []string {
	t.Helper()
	out, err := e.ec2.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}})
	must(t, err)
	return []string{aws.ToString(out.Subnets[0].SubnetId), aws.ToString(out.Subnets[1].SubnetId)}
}

// v2Balancer creates an application or network balancer and returns its ARN and DNS name.
func (e *env) v2Balancer(t testing.TB, name string, typ v2types.LoadBalancerTypeEnum) (arn, dns string) {
	t.Helper()
	out, err := e.v2.CreateLoadBalancer(context.Background(), &elbv2.CreateLoadBalancerInput{Name: aws.String(name),
		Type: typ, Subnets: e.defaultSubnets(t)})
	must(t, err)
	lb := out.LoadBalancers[0]
	return aws.ToString(lb.LoadBalancerArn), aws.ToString(lb.DNSName)
}

// targetGroup creates a group with a quick health check (path for HTTP groups) and registers
// targets ("id" or "id:port").
func (e *env) targetGroup(t *testing.T, name string, proto v2types.ProtocolEnum, typ v2types.TargetTypeEnum, path string, targets ...string) string {
	t.Helper()
	ctx := context.Background()
	in := &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: proto, Port: aws.Int32(80), TargetType: typ,
		VpcId: aws.String(e.defaultVPC(t)), HealthCheckIntervalSeconds: aws.Int32(5), HealthCheckTimeoutSeconds: aws.Int32(2),
		HealthyThresholdCount: aws.Int32(2), UnhealthyThresholdCount: aws.Int32(2)}
	if path != "" {
		in.HealthCheckPath = aws.String(path)
	}
	out, err := e.v2.CreateTargetGroup(ctx, in)
	must(t, err)
	arn := aws.ToString(out.TargetGroups[0].TargetGroupArn)
	if len(targets) > 0 {
		e.register(t, arn, targets...)
	}
	return arn
}

func (e *env) defaultVPC(t testing.TB) string {
	t.Helper()
	out, err := e.ec2.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{
		Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	must(t, err)
	return aws.ToString(out.Vpcs[0].VpcId)
}

func targetDescriptions(targets ...string) []v2types.TargetDescription {
	var out []v2types.TargetDescription
	for _, tg := range targets {
		d := v2types.TargetDescription{Id: aws.String(tg)}
		if id, port, ok := strings.Cut(tg, "|"); ok {
			var p int32
			fmt.Sscan(port, &p)
			d = v2types.TargetDescription{Id: aws.String(id), Port: aws.Int32(p)}
		}
		out = append(out, d)
	}
	return out
}

// register registers targets: an instance id or address, with "|PORT" for a port of its own.
func (e *env) register(t *testing.T, group string, targets ...string) {
	t.Helper()
	_, err := e.v2.RegisterTargets(context.Background(), &elbv2.RegisterTargetsInput{TargetGroupArn: aws.String(group),
		Targets: targetDescriptions(targets...)})
	must(t, err)
}

func (e *env) setGroupAttrs(t *testing.T, group string, kv ...string) {
	t.Helper()
	var attrs []v2types.TargetGroupAttribute
	for i := 0; i+1 < len(kv); i += 2 {
		attrs = append(attrs, v2types.TargetGroupAttribute{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	_, err := e.v2.ModifyTargetGroupAttributes(context.Background(), &elbv2.ModifyTargetGroupAttributesInput{
		TargetGroupArn: aws.String(group), Attributes: attrs})
	must(t, err)
}

// listenerV2 creates a listener with a default action and returns its ARN.
func (e *env) listenerV2(t testing.TB, lb string, proto v2types.ProtocolEnum, port int32, def v2types.Action, certs ...string) string {
	t.Helper()
	in := &elbv2.CreateListenerInput{LoadBalancerArn: aws.String(lb), Protocol: proto, Port: aws.Int32(port),
		DefaultActions: []v2types.Action{def}}
	for _, c := range certs {
		in.Certificates = append(in.Certificates, v2types.Certificate{CertificateArn: aws.String(c)})
	}
	out, err := e.v2.CreateListener(context.Background(), in)
	must(t, err)
	return aws.ToString(out.Listeners[0].ListenerArn)
}

func forward(group string) v2types.Action {
	return v2types.Action{Type: v2types.ActionTypeEnumForward, TargetGroupArn: aws.String(group)}
}

func fixed(code, body string) v2types.Action {
	return v2types.Action{Type: v2types.ActionTypeEnumFixedResponse, FixedResponseConfig: &v2types.FixedResponseActionConfig{
		StatusCode: aws.String(code), ContentType: aws.String("text/plain"), MessageBody: aws.String(body)}}
}

// targetHealth is DescribeTargetHealth's "state reason" of each target ("id:port").
func (e *env) targetHealth(t *testing.T, group string) map[string]string {
	t.Helper()
	out, err := e.v2.DescribeTargetHealth(context.Background(), &elbv2.DescribeTargetHealthInput{TargetGroupArn: aws.String(group)})
	must(t, err)
	m := map[string]string{}
	for _, d := range out.TargetHealthDescriptions {
		h := d.TargetHealth
		m[fmt.Sprintf("%s:%d", aws.ToString(d.Target.Id), aws.ToInt32(d.Target.Port))] =
			strings.TrimSpace(string(h.State) + " " + string(h.Reason) + " " + aws.ToString(h.Description))
	}
	return m
}

// waitTarget waits until DescribeTargetHealth reports target ("id:port") as want (a prefix of
// "state reason description"), from a record the data plane wrote.
func (e *env) waitTarget(t *testing.T, group, target, want string) {
	t.Helper()
	eventually(t, target+" "+want, func() error {
		got := e.targetHealth(t, group)[target]
		if !strings.HasPrefix(got, want) {
			return fmt.Errorf("%s is %q", target, got)
		}
		if !strings.HasPrefix(want, "draining") && !e.v2Probed(t, group, target) {
			return fmt.Errorf("%s is %q, but not from the data plane", target, got)
		}
		return nil
	})
}

// v2Probed reports whether the data plane has written the health of a target ("id:port").
func (e *env) v2Probed(t *testing.T, group, target string) bool {
	t.Helper()
	id, port, _ := strings.Cut(target, ":")
	var p int
	fmt.Sscan(port, &p)
	tgKey := group[strings.Index(group, ":targetgroup/")+len(":targetgroup/"):]
	found := false
	must(t, e.srv.Endpoint.Store().View(e.account, region, func(part *store.Part) error {
		found = store.V2Health.Has(part, store.V2TargetKey(tgKey, id, p))
		return nil
	}))
	return found
}
