package elbv2

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// one is the single resource a create or modify action answers with. An answer without it
// is the endpoint's fault, not the caller's.
func one[T any](c *Client, op string, items []T) (T, error) {
	if len(items) == 0 {
		var zero T
		return zero, &driver.Error{Kind: driver.ErrUnavailable, Provider: string(c.typ), Op: op, Code: "EmptyResponse",
			Message: "the endpoint answered without the resource"}
	}
	return items[0], nil
}

// CreateLoadBalancer creates an application, network or gateway load balancer as in is. As on
// AWS, creating one that exists with the same configuration returns it.
func (c *Client) CreateLoadBalancer(ctx context.Context, in *elbv2sdk.CreateLoadBalancerInput) (types.LoadBalancer, error) {
	out, err := c.api.CreateLoadBalancer(ctx, in)
	if err != nil {
		return types.LoadBalancer{}, c.wrap("CreateLoadBalancer", err)
	}
	return one(c, "CreateLoadBalancer", out.LoadBalancers)
}

// DeleteLoadBalancer deletes a load balancer with its listeners and rules; its target groups
// stay. Deleting one that does not exist succeeds, as on AWS.
func (c *Client) DeleteLoadBalancer(ctx context.Context, arn string) error {
	_, err := c.api.DeleteLoadBalancer(ctx, &elbv2sdk.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(arn)})
	return c.wrap("DeleteLoadBalancer", err)
}

// LoadBalancers iterates DescribeLoadBalancers over every page; in may be nil (all load
// balancers) or name ARNs or names, a page size and a starting marker.
func (c *Client) LoadBalancers(ctx context.Context, in *elbv2sdk.DescribeLoadBalancersInput) iter.Seq2[types.LoadBalancer, error] {
	req := deref(in)
	return pages(ctx, req.Marker, func(ctx context.Context, m *string) ([]types.LoadBalancer, *string, error) {
		r := req
		r.Marker = m
		out, err := c.api.DescribeLoadBalancers(ctx, &r)
		if err != nil {
			return nil, nil, c.wrap("DescribeLoadBalancers", err)
		}
		return out.LoadBalancers, out.NextMarker, nil
	})
}

// LoadBalancerAttributes returns a load balancer's attributes by key.
func (c *Client) LoadBalancerAttributes(ctx context.Context, arn string) (map[string]string, error) {
	out, err := c.api.DescribeLoadBalancerAttributes(ctx, &elbv2sdk.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn)})
	if err != nil {
		return nil, c.wrap("DescribeLoadBalancerAttributes", err)
	}
	return awsclient.KeyValueMap(out.Attributes, func(a types.LoadBalancerAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// ModifyLoadBalancerAttributes sets attributes and returns all of them as they now are.
func (c *Client) ModifyLoadBalancerAttributes(ctx context.Context, arn string, attrs map[string]string) (map[string]string, error) {
	out, err := c.api.ModifyLoadBalancerAttributes(ctx, &elbv2sdk.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn),
		Attributes: awsclient.KeyValueList(attrs, func(k, v *string) types.LoadBalancerAttribute { return types.LoadBalancerAttribute{Key: k, Value: v} })})
	if err != nil {
		return nil, c.wrap("ModifyLoadBalancerAttributes", err)
	}
	return awsclient.KeyValueMap(out.Attributes, func(a types.LoadBalancerAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// SetIpAddressType sets the address type (ipv4, dualstack, dualstack-without-public-ipv4)
// and returns the one now in force.
func (c *Client) SetIpAddressType(ctx context.Context, arn string, t types.IpAddressType) (types.IpAddressType, error) {
	out, err := c.api.SetIpAddressType(ctx, &elbv2sdk.SetIpAddressTypeInput{LoadBalancerArn: aws.String(arn), IpAddressType: t})
	if err != nil {
		return "", c.wrap("SetIpAddressType", err)
	}
	return out.IpAddressType, nil
}

// SetSecurityGroups replaces a load balancer's security groups.
func (c *Client) SetSecurityGroups(ctx context.Context, in *elbv2sdk.SetSecurityGroupsInput) (*elbv2sdk.SetSecurityGroupsOutput, error) {
	out, err := c.api.SetSecurityGroups(ctx, in)
	return out, c.wrap("SetSecurityGroups", err)
}

// SetSubnets replaces a load balancer's subnets (or, for a network load balancer, adds to
// them).
func (c *Client) SetSubnets(ctx context.Context, in *elbv2sdk.SetSubnetsInput) (*elbv2sdk.SetSubnetsOutput, error) {
	out, err := c.api.SetSubnets(ctx, in)
	return out, c.wrap("SetSubnets", err)
}

// CapacityReservation describes a load balancer's capacity reservation.
func (c *Client) CapacityReservation(ctx context.Context, arn string) (*elbv2sdk.DescribeCapacityReservationOutput, error) {
	out, err := c.api.DescribeCapacityReservation(ctx, &elbv2sdk.DescribeCapacityReservationInput{LoadBalancerArn: aws.String(arn)})
	return out, c.wrap("DescribeCapacityReservation", err)
}

// ModifyCapacityReservation sets or resets a load balancer's minimum capacity.
func (c *Client) ModifyCapacityReservation(ctx context.Context, in *elbv2sdk.ModifyCapacityReservationInput) (*elbv2sdk.ModifyCapacityReservationOutput, error) {
	out, err := c.api.ModifyCapacityReservation(ctx, in)
	return out, c.wrap("ModifyCapacityReservation", err)
}

// ModifyIpPools sets or removes the IPAM pools a load balancer takes its addresses from.
func (c *Client) ModifyIpPools(ctx context.Context, in *elbv2sdk.ModifyIpPoolsInput) (*types.IpamPools, error) {
	out, err := c.api.ModifyIpPools(ctx, in)
	if err != nil {
		return nil, c.wrap("ModifyIpPools", err)
	}
	return out.IpamPools, nil
}

// AccountLimits iterates the account's ELBv2 limits (DescribeAccountLimits).
func (c *Client) AccountLimits(ctx context.Context) iter.Seq2[types.Limit, error] {
	return pages(ctx, nil, func(ctx context.Context, m *string) ([]types.Limit, *string, error) {
		out, err := c.api.DescribeAccountLimits(ctx, &elbv2sdk.DescribeAccountLimitsInput{Marker: m})
		if err != nil {
			return nil, nil, c.wrap("DescribeAccountLimits", err)
		}
		return out.Limits, out.NextMarker, nil
	})
}

// SSLPolicies iterates the SSL policies (DescribeSSLPolicies); in may be nil (all of them)
// or name policies or a load balancer type.
func (c *Client) SSLPolicies(ctx context.Context, in *elbv2sdk.DescribeSSLPoliciesInput) iter.Seq2[types.SslPolicy, error] {
	req := deref(in)
	return pages(ctx, req.Marker, func(ctx context.Context, m *string) ([]types.SslPolicy, *string, error) {
		r := req
		r.Marker = m
		out, err := c.api.DescribeSSLPolicies(ctx, &r)
		if err != nil {
			return nil, nil, c.wrap("DescribeSSLPolicies", err)
		}
		return out.SslPolicies, out.NextMarker, nil
	})
}

// ResourcePolicy returns the policy document attached to a resource (a trust store shared
// through AWS RAM).
func (c *Client) ResourcePolicy(ctx context.Context, arn string) (string, error) {
	out, err := c.api.GetResourcePolicy(ctx, &elbv2sdk.GetResourcePolicyInput{ResourceArn: aws.String(arn)})
	if err != nil {
		return "", c.wrap("GetResourcePolicy", err)
	}
	return aws.ToString(out.Policy), nil
}

// deref copies a possibly nil input, so that paging never changes the caller's value.
func deref[T any](in *T) T {
	var v T
	if in != nil {
		v = *in
	}
	return v
}
