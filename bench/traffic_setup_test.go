package bench

import (
	"context"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
)

// v2Fronts creates, through the endpoint at url, the balancers under test: an ALB with an HTTP
// listener on port 80 forwarding to an HTTP target group (round robin, health checked with
// GET /) of the back ends' HTTP addresses, and an NLB with a TCP listener on port 9000
// forwarding to a TCP group of their TCP addresses, all as loopback ip targets. It waits until
// every target is healthy and returns the listeners' local addresses.
func v2Fronts(b *testing.B, url string, backends []dpBackend) (alb, nlb string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := sdkConfig(url)
	v2, ec := elbv2.NewFromConfig(cfg), ec2.NewFromConfig(cfg)
	check := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	vpc, subnetIDs := defaultNetwork(b, ec)

	front := func(name string, typ v2types.LoadBalancerTypeEnum, proto v2types.ProtocolEnum, port int32, addrs []string) string {
		lb, err := v2.CreateLoadBalancer(ctx, &elbv2.CreateLoadBalancerInput{Name: aws.String(name), Type: typ, Subnets: subnetIDs})
		check(err)
		in := &elbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: proto, Port: aws.Int32(80),
			TargetType: v2types.TargetTypeEnumIp, VpcId: aws.String(vpc)}
		if proto == v2types.ProtocolEnumHttp {
			in.HealthCheckPath = aws.String("/")
		}
		tg, err := v2.CreateTargetGroup(ctx, in)
		check(err)
		tgARN := tg.TargetGroups[0].TargetGroupArn
		var targets []v2types.TargetDescription
		for _, a := range addrs {
			host, port, err := net.SplitHostPort(a)
			check(err)
			p, err := strconv.Atoi(port)
			check(err)
			targets = append(targets, v2types.TargetDescription{Id: aws.String(host), Port: aws.Int32(int32(p))})
		}
		_, err = v2.RegisterTargets(ctx, &elbv2.RegisterTargetsInput{TargetGroupArn: tgARN, Targets: targets})
		check(err)
		_, err = v2.CreateListener(ctx, &elbv2.CreateListenerInput{LoadBalancerArn: lb.LoadBalancers[0].LoadBalancerArn,
			Protocol: proto, Port: aws.Int32(port),
			DefaultActions: []v2types.Action{{Type: v2types.ActionTypeEnumForward, TargetGroupArn: tgARN}}})
		check(err)
		waitHealthy(ctx, b, v2, tgARN, len(addrs))
		return localAddress(ctx, b, url, name, int(port))
	}
	var httpAddrs, tcpAddrs []string
	for _, d := range backends {
		httpAddrs, tcpAddrs = append(httpAddrs, d.HTTP), append(tcpAddrs, d.TCP)
	}
	return front("bench-alb", v2types.LoadBalancerTypeEnumApplication, v2types.ProtocolEnumHttp, 80, httpAddrs),
		front("bench-nlb", v2types.LoadBalancerTypeEnumNetwork, v2types.ProtocolEnumTcp, 9000, tcpAddrs)
}

// waitHealthy waits until the data plane's health checks found all n targets of a group healthy.
func waitHealthy(ctx context.Context, b *testing.B, v2 *elbv2.Client, group *string, n int) {
	b.Helper()
	for {
		out, err := v2.DescribeTargetHealth(ctx, &elbv2.DescribeTargetHealthInput{TargetGroupArn: group})
		if err != nil {
			b.Fatal(err)
		}
		healthy := 0
		for _, d := range out.TargetHealthDescriptions {
			if d.TargetHealth != nil && d.TargetHealth.State == v2types.TargetHealthStateEnumHealthy {
				healthy++
			}
		}
		if healthy == n {
			return
		}
		select {
		case <-ctx.Done():
			b.Fatalf("targets of %s not healthy in time: %+v", aws.ToString(group), out.TargetHealthDescriptions)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// localAddress is where the data plane serves the balancer's listener on port, asked of the
// endpoint until the listener is up.
func localAddress(ctx context.Context, b *testing.B, url, balancer string, port int) string {
	b.Helper()
	for {
		ls, err := localaddr.Fetch(ctx, sdkConfig(url), url)
		if err != nil {
			b.Fatal(err)
		}
		for _, l := range ls {
			if l.LoadBalancerName == balancer && l.Port == port && l.LocalAddress != "" {
				return l.LocalAddress
			}
		}
		select {
		case <-ctx.Done():
			b.Fatalf("no local address for %s:%d", balancer, port)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
