package elbv2_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

var ctx = context.Background()

// client starts an endpoint for the test and returns an ELBv2 client of it.
func client(t *testing.T, opts ...elbtest.Option) (*lbv2.Client, *elbtest.Server) {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return lbv2.NewFromConfig(sdkcheck.Config(srv)), srv
}

// defaultSubnets are the default VPC's subnets in zones a and b.
func defaultSubnets(srv *elbtest.Server) []string {
	dv := srv.Endpoint.DefaultVPC("", "")
	return []string{dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")}
}

func createALB(t *testing.T, c *lbv2.Client, srv *elbtest.Server, name string) types.LoadBalancer {
	t.Helper()
	out, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: defaultSubnets(srv)})
	sdkcheck.NoErr(t, err)
	return out.LoadBalancers[0]
}

func createTG(t *testing.T, c *lbv2.Client, srv *elbtest.Server, name, proto string, port int32) types.TargetGroup {
	t.Helper()
	out, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: types.ProtocolEnum(proto),
		Port: aws.Int32(port), VpcId: aws.String(srv.Endpoint.DefaultVPC("", "").ID)})
	sdkcheck.NoErr(t, err)
	return out.TargetGroups[0]
}

func forward(tg string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
}
