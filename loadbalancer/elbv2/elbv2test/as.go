package elbv2test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// AsTest checks the escape hatches of the alb and nlb providers: the *elbv2.Client and the
// SDK clients behind the Service, each working on the Service's account, and the SDK's
// error types behind its errors.
type AsTest struct{}

// Name names the test.
func (AsTest) Name() string { return "elbv2 client, SDK clients and errors" }

// ServiceCheck checks Service.As.
func (AsTest) ServiceCheck(svc *loadbalancer.Service) error {
	var c *elbv2.Client
	var lc *elbv2sdk.Client
	var ec *ec2.Client
	if !svc.As(&c) || !svc.As(&lc) || !svc.As(&ec) {
		return errors.New("want As to give the *elbv2.Client and both SDK clients")
	}
	ctx := context.Background()
	for _, err := range c.LoadBalancers(ctx, nil) {
		if err != nil {
			return fmt.Errorf("elbv2.Client: %w", err)
		}
	}
	if _, err := lc.DescribeLoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{}); err != nil {
		return fmt.Errorf("elasticloadbalancingv2.Client: %w", err)
	}
	if _, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
		return fmt.Errorf("ec2.Client: %w", err)
	}
	var again *elbv2.Client
	if svc.As(&again); again != c || c.Service() != svc {
		return errors.New("want As to give the same *elbv2.Client each time, whose Service is this one")
	}
	return nil
}

// ErrorCheck checks Service.ErrorAs on the answer to getting a destroyed balancer by ARN.
func (AsTest) ErrorCheck(svc *loadbalancer.Service, err error) error {
	return awstest.CheckErrorAs(svc, err, "LoadBalancerNotFound")
}
