package elbv2_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// BenchmarkDescribeByARN shows that describing one balancer, its listeners and its target
// groups costs the same whatever the number of balancers in the account: each is a lookup of
// stored renderings by key or key prefix.
func BenchmarkDescribeByARN(b *testing.B) {
	for _, n := range []int{10, 1000} {
		b.Run(fmt.Sprintf("balancers=%d", n), func(b *testing.B) {
			srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"application-load-balancers": n, "target-groups": n}}))
			defer srv.Close()
			c := lbv2.NewFromConfig(srv.AWSConfig())
			var lb, tg string
			for i := range n {
				out, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String(fmt.Sprintf("lb-%05d", i)), Subnets: defaultSubnets(srv)})
				if err != nil {
					b.Fatal(err)
				}
				g, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String(fmt.Sprintf("tg-%05d", i)), Protocol: "HTTP",
					Port: aws.Int32(80), VpcId: aws.String(srv.Endpoint.DefaultVPC("", "").ID)})
				if err != nil {
					b.Fatal(err)
				}
				lb, tg = *out.LoadBalancers[0].LoadBalancerArn, *g.TargetGroups[0].TargetGroupArn
				if _, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: aws.String(lb), Protocol: "HTTP", Port: aws.Int32(80),
					DefaultActions: []types.Action{{Type: "forward", TargetGroupArn: aws.String(tg)}}}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{lb}}); err != nil {
					b.Fatal(err)
				}
				if _, err := c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{LoadBalancerArn: aws.String(lb)}); err != nil {
					b.Fatal(err)
				}
				if _, err := c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(lb)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
