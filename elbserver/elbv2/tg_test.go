package elbv2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// Each kind of target group gets AWS's health check defaults for its protocol and target
// type.
func TestTargetGroupHealthCheckDefaults(t *testing.T) {
	c, srv := client(t)
	vpc := aws.String(srv.Endpoint.DefaultVPC("", "").ID)
	type hc struct {
		proto, port, path, code string
		interval, timeout       int32
		healthy, unhealthy      int32
		enabled                 bool
	}
	cases := []struct {
		name string
		in   lbv2.CreateTargetGroupInput
		want hc
	}{
		{"http", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc}, hc{"HTTP", "traffic-port", "/", "200", 30, 5, 5, 2, true}},
		{"https", lbv2.CreateTargetGroupInput{Protocol: "HTTPS", Port: aws.Int32(443), VpcId: vpc}, hc{"HTTPS", "traffic-port", "/", "200", 30, 5, 5, 2, true}},
		{"grpc", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(50051), VpcId: vpc, ProtocolVersion: aws.String("GRPC")},
			hc{"HTTP", "traffic-port", "/AWS.ALB/healthcheck", "grpc:12", 30, 5, 5, 2, true}},
		{"tcp", lbv2.CreateTargetGroupInput{Protocol: "TCP", Port: aws.Int32(22), VpcId: vpc}, hc{"TCP", "traffic-port", "", "", 30, 10, 5, 2, true}},
		{"tcp http check", lbv2.CreateTargetGroupInput{Protocol: "TCP", Port: aws.Int32(80), VpcId: vpc, HealthCheckProtocol: "HTTP"},
			hc{"HTTP", "traffic-port", "/", "200-399", 30, 10, 5, 2, true}},
		{"geneve", lbv2.CreateTargetGroupInput{Protocol: "GENEVE", Port: aws.Int32(6081), VpcId: vpc}, hc{"TCP", "80", "", "", 10, 5, 5, 2, true}},
		{"lambda", lbv2.CreateTargetGroupInput{TargetType: types.TargetTypeEnumLambda}, hc{"", "", "/", "200", 35, 30, 5, 5, false}},
		{"alb", lbv2.CreateTargetGroupInput{Protocol: "TCP", Port: aws.Int32(80), VpcId: vpc, TargetType: types.TargetTypeEnumAlb},
			hc{"HTTP", "traffic-port", "/", "200-399", 30, 6, 5, 2, true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.in.Name = aws.String(strings.ReplaceAll(tc.name, " ", "-"))
			out, err := c.CreateTargetGroup(ctx, &tc.in)
			sdkcheck.NoErr(t, err)
			g := out.TargetGroups[0]
			got := hc{string(g.HealthCheckProtocol), aws.ToString(g.HealthCheckPort), aws.ToString(g.HealthCheckPath), "",
				aws.ToInt32(g.HealthCheckIntervalSeconds), aws.ToInt32(g.HealthCheckTimeoutSeconds), aws.ToInt32(g.HealthyThresholdCount),
				aws.ToInt32(g.UnhealthyThresholdCount), aws.ToBool(g.HealthCheckEnabled)}
			if g.Matcher != nil {
				got.code = aws.ToString(g.Matcher.HttpCode)
				if g.Matcher.GrpcCode != nil {
					got.code = "grpc:" + *g.Matcher.GrpcCode
				}
			}
			if got != tc.want {
				t.Errorf("health check %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestTargetGroupValidation(t *testing.T) {
	c, srv := client(t)
	vpc := aws.String(srv.Endpoint.DefaultVPC("", "").ID)
	cases := []struct {
		name string
		in   lbv2.CreateTargetGroupInput
	}{
		{"no protocol", lbv2.CreateTargetGroupInput{Port: aws.Int32(80), VpcId: vpc}},
		{"no vpc", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80)}},
		{"geneve port", lbv2.CreateTargetGroupInput{Protocol: "GENEVE", Port: aws.Int32(80), VpcId: vpc}},
		{"lambda port", lbv2.CreateTargetGroupInput{TargetType: types.TargetTypeEnumLambda, Port: aws.Int32(80)}},
		{"alb over http", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, TargetType: types.TargetTypeEnumAlb}},
		{"tcp check of http", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, HealthCheckProtocol: "TCP"}},
		{"udp check", lbv2.CreateTargetGroupInput{Protocol: "UDP", Port: aws.Int32(53), VpcId: vpc, HealthCheckProtocol: "UDP"}},
		{"timeout over interval", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, HealthCheckIntervalSeconds: aws.Int32(10), HealthCheckTimeoutSeconds: aws.Int32(10)}},
		{"interval range", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, HealthCheckIntervalSeconds: aws.Int32(301)}},
		{"matcher range", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, Matcher: &types.Matcher{HttpCode: aws.String("200-599")}}},
		{"grpc matcher on http1", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, Matcher: &types.Matcher{GrpcCode: aws.String("0")}}},
		{"path of tcp check", lbv2.CreateTargetGroupInput{Protocol: "TCP", Port: aws.Int32(80), VpcId: vpc, HealthCheckPath: aws.String("/x")}},
		{"disable checks", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, HealthCheckEnabled: aws.Bool(false)}},
		{"version of tcp", lbv2.CreateTargetGroupInput{Protocol: "TCP", Port: aws.Int32(80), VpcId: vpc, ProtocolVersion: aws.String("HTTP2")}},
		{"ipv6 instances", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, IpAddressType: "ipv6"}},
		{"bad name", lbv2.CreateTargetGroupInput{Protocol: "HTTP", Port: aws.Int32(80), VpcId: vpc, Name: aws.String("a_b")}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.in.Name == nil {
				tc.in.Name = aws.String("tg")
			}
			_, err := c.CreateTargetGroup(ctx, &tc.in)
			sdkcheck.WantCode(t, err, "ValidationError")
		})
	}
}

func TestCreateTargetGroupIsIdempotent(t *testing.T) {
	c, srv := limited(t, map[string]int{"target-groups": 2})
	a := createTG(t, c, srv, "tg", "HTTP", 80)
	b := createTG(t, c, srv, "tg", "HTTP", 80)
	if *a.TargetGroupArn != *b.TargetGroupArn {
		t.Errorf("the same request made %s then %s", *a.TargetGroupArn, *b.TargetGroupArn)
	}
	_, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("tg"), Protocol: "HTTP", Port: aws.Int32(81),
		VpcId: aws.String(srv.Endpoint.DefaultVPC("", "").ID)})
	sdkcheck.WantCode(t, err, "DuplicateTargetGroupName")
	createTG(t, c, srv, "tg2", "TCP", 80)
	_, err = c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String("tg3"), Protocol: "TCP", Port: aws.Int32(81),
		VpcId: aws.String(srv.Endpoint.DefaultVPC("", "").ID)})
	sdkcheck.WantCode(t, err, "TooManyTargetGroups")
}

func TestModifyTargetGroup(t *testing.T) {
	c, srv := client(t)
	tg := createTG(t, c, srv, "tg", "TCP", 80)
	out, err := c.ModifyTargetGroup(ctx, &lbv2.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroupArn, HealthCheckProtocol: "HTTP",
		HealthCheckPath: aws.String("/health"), Matcher: &types.Matcher{HttpCode: aws.String("200,204")}, HealthyThresholdCount: aws.Int32(3)})
	sdkcheck.NoErr(t, err)
	g := out.TargetGroups[0]
	if g.HealthCheckProtocol != "HTTP" || *g.HealthCheckPath != "/health" || *g.Matcher.HttpCode != "200,204" || *g.HealthyThresholdCount != 3 {
		t.Errorf("modified: %+v", g)
	}
	// Back to TCP: the path and matcher go.
	out, err = c.ModifyTargetGroup(ctx, &lbv2.ModifyTargetGroupInput{TargetGroupArn: tg.TargetGroupArn, HealthCheckProtocol: "TCP"})
	sdkcheck.NoErr(t, err)
	if g := out.TargetGroups[0]; g.HealthCheckPath != nil || g.Matcher != nil {
		t.Errorf("TCP check kept %v %v", g.HealthCheckPath, g.Matcher)
	}
	_, err = c.ModifyTargetGroup(ctx, &lbv2.ModifyTargetGroupInput{TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/0123456789abcdef")})
	sdkcheck.WantCode(t, err, "TargetGroupNotFound")
}

func TestTargetGroupAttributes(t *testing.T) {
	c, srv := client(t)
	http := createTG(t, c, srv, "web", "HTTP", 80)
	udp := createTG(t, c, srv, "dns", "UDP", 53)
	get := func(arn *string) map[string]string {
		out, err := c.DescribeTargetGroupAttributes(ctx, &lbv2.DescribeTargetGroupAttributesInput{TargetGroupArn: arn})
		sdkcheck.NoErr(t, err)
		return attrs(out.Attributes, tgAttr)
	}
	h := get(http.TargetGroupArn)
	for k, v := range map[string]string{"deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false", "stickiness.type": "lb_cookie",
		"stickiness.lb_cookie.duration_seconds": "86400", "load_balancing.algorithm.type": "round_robin", "slow_start.duration_seconds": "0",
		"load_balancing.cross_zone.enabled": "use_load_balancer_configuration"} {
		if h[k] != v {
			t.Errorf("HTTP group %s = %q, want %q", k, h[k], v)
		}
	}
	u := get(udp.TargetGroupArn)
	if u["stickiness.type"] != "source_ip" || u["preserve_client_ip.enabled"] != "true" || u["deregistration_delay.connection_termination.enabled"] != "true" ||
		u["proxy_protocol_v2.enabled"] != "false" || u["stickiness.lb_cookie.duration_seconds"] != "" {
		t.Errorf("UDP group %v", u)
	}
	mod := func(arn *string, kv ...string) error {
		var as []types.TargetGroupAttribute
		for i := 0; i < len(kv); i += 2 {
			as = append(as, types.TargetGroupAttribute{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
		}
		_, err := c.ModifyTargetGroupAttributes(ctx, &lbv2.ModifyTargetGroupAttributesInput{TargetGroupArn: arn, Attributes: as})
		return err
	}
	sdkcheck.NoErr(t, mod(http.TargetGroupArn, "stickiness.enabled", "true", "stickiness.type", "app_cookie", "stickiness.app_cookie.cookie_name", "SESSION"))
	if get(http.TargetGroupArn)["stickiness.app_cookie.cookie_name"] != "SESSION" {
		t.Error("cookie name not kept")
	}
	sdkcheck.WantCode(t, mod(http.TargetGroupArn, "stickiness.app_cookie.cookie_name", "AWSALBX"), "ValidationError")
	sdkcheck.WantCode(t, mod(http.TargetGroupArn, "stickiness.type", "source_ip"), "ValidationError")
	sdkcheck.WantCode(t, mod(http.TargetGroupArn, "slow_start.duration_seconds", "10"), "ValidationError")
	sdkcheck.WantCode(t, mod(http.TargetGroupArn, "load_balancing.algorithm.anomaly_mitigation", "on"), "InvalidConfigurationRequest")
	sdkcheck.NoErr(t, mod(http.TargetGroupArn, "load_balancing.algorithm.type", "weighted_random", "load_balancing.algorithm.anomaly_mitigation", "on"))
	sdkcheck.WantCode(t, mod(udp.TargetGroupArn, "preserve_client_ip.enabled", "false"), "InvalidConfigurationRequest")
	sdkcheck.WantCode(t, mod(udp.TargetGroupArn, "slow_start.duration_seconds", "30"), "ValidationError")
	sdkcheck.WantCode(t, mod(udp.TargetGroupArn, "deregistration_delay.timeout_seconds", "3601"), "ValidationError")
}

func TestDescribeTargetGroupsFilters(t *testing.T) {
	c, srv := client(t)
	lb := createALB(t, c, srv, "web")
	a := createTG(t, c, srv, "a", "HTTP", 80)
	createTG(t, c, srv, "b", "HTTP", 80)
	createListener(t, c, *lb.LoadBalancerArn, "HTTP", 80, forward(*a.TargetGroupArn))
	out, err := c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.NoErr(t, err)
	if len(out.TargetGroups) != 1 || *out.TargetGroups[0].TargetGroupName != "a" || out.TargetGroups[0].LoadBalancerArns[0] != *lb.LoadBalancerArn {
		t.Errorf("groups of the balancer: %+v", out.TargetGroups)
	}
	out, err = c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{Names: []string{"b", "a"}})
	sdkcheck.NoErr(t, err)
	if len(out.TargetGroups) != 2 || *out.TargetGroups[0].TargetGroupName != "b" {
		t.Errorf("by name: %+v", out.TargetGroups)
	}
	_, err = c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{Names: []string{"c"}})
	sdkcheck.WantCode(t, err, "TargetGroupNotFound")
	_, err = c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{Names: []string{"a"}, LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.WantCode(t, err, "ValidationError")
	p := lbv2.NewDescribeTargetGroupsPaginator(c, &lbv2.DescribeTargetGroupsInput{PageSize: aws.Int32(1)})
	var names []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		for _, g := range page.TargetGroups {
			names = append(names, *g.TargetGroupName)
		}
	}
	if len(names) != 2 || names[0] != "a" || names[1] != "b" {
		t.Errorf("paged: %v", names)
	}
}
