package classic_test

import (
	"context"
	"fmt"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// BenchmarkDescribeOne shows that describing one balancer by name costs the
// same whatever the number of balancers in the account.
func BenchmarkDescribeOne(b *testing.B) {
	for _, n := range []int{10, 2000} {
		b.Run(fmt.Sprintf("balancers=%d", n), func(b *testing.B) {
			srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": n}}))
			defer srv.Close()
			c := elb.NewFromConfig(srv.AWSConfig())
			ctx := context.Background()
			for i := range n {
				_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(fmt.Sprintf("lb-%05d", i)),
					Listeners: []types.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}})
				if err != nil {
					b.Fatal(err)
				}
			}
			in := &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{fmt.Sprintf("lb-%05d", n/2)}}
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.DescribeLoadBalancers(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCreateDelete measures one durable write round trip (fsync included).
func BenchmarkCreateDelete(b *testing.B) {
	srv := elbtest.NewServer()
	defer srv.Close()
	c := elb.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	name := aws.String("bench")
	for b.Loop() {
		if _, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: name,
			Listeners: []types.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: name}); err != nil {
			b.Fatal(err)
		}
	}
}
