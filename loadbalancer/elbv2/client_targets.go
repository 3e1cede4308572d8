package elbv2

import (
	"context"
	"iter"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
)

// CreateTargetGroup creates a target group. As on AWS, creating one with the same settings
// as an existing one returns it.
func (c *Client) CreateTargetGroup(ctx context.Context, in *elbv2sdk.CreateTargetGroupInput) (types.TargetGroup, error) {
	out, err := c.api.CreateTargetGroup(ctx, in)
	if err != nil {
		return types.TargetGroup{}, c.wrap("CreateTargetGroup", err)
	}
	return one(c, "CreateTargetGroup", out.TargetGroups)
}

// ModifyTargetGroup changes a target group's health check, and returns it as it now is.
func (c *Client) ModifyTargetGroup(ctx context.Context, in *elbv2sdk.ModifyTargetGroupInput) (types.TargetGroup, error) {
	out, err := c.api.ModifyTargetGroup(ctx, in)
	if err != nil {
		return types.TargetGroup{}, c.wrap("ModifyTargetGroup", err)
	}
	return one(c, "ModifyTargetGroup", out.TargetGroups)
}

// DeleteTargetGroup deletes a target group that no listener or rule uses.
func (c *Client) DeleteTargetGroup(ctx context.Context, arn string) error {
	_, err := c.api.DeleteTargetGroup(ctx, &elbv2sdk.DeleteTargetGroupInput{TargetGroupArn: aws.String(arn)})
	return c.wrap("DeleteTargetGroup", err)
}

// TargetGroups iterates DescribeTargetGroups over every page; in may be nil (all target
// groups) or name a load balancer, ARNs or names.
func (c *Client) TargetGroups(ctx context.Context, in *elbv2sdk.DescribeTargetGroupsInput) iter.Seq2[types.TargetGroup, error] {
	req := deref(in)
	return pages(ctx, req.Marker, func(ctx context.Context, m *string) ([]types.TargetGroup, *string, error) {
		r := req
		r.Marker = m
		out, err := c.api.DescribeTargetGroups(ctx, &r)
		if err != nil {
			return nil, nil, c.wrap("DescribeTargetGroups", err)
		}
		return out.TargetGroups, out.NextMarker, nil
	})
}

// TargetGroupAttributes returns a target group's attributes by key.
func (c *Client) TargetGroupAttributes(ctx context.Context, arn string) (map[string]string, error) {
	out, err := c.api.DescribeTargetGroupAttributes(ctx, &elbv2sdk.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(arn)})
	if err != nil {
		return nil, c.wrap("DescribeTargetGroupAttributes", err)
	}
	return awsclient.KeyValueMap(out.Attributes, func(a types.TargetGroupAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// ModifyTargetGroupAttributes sets target group attributes (load_balancing.algorithm.type,
// stickiness.*, deregistration_delay.timeout_seconds...) and returns them as they now are.
func (c *Client) ModifyTargetGroupAttributes(ctx context.Context, arn string, attrs map[string]string) (map[string]string, error) {
	out, err := c.api.ModifyTargetGroupAttributes(ctx, &elbv2sdk.ModifyTargetGroupAttributesInput{TargetGroupArn: aws.String(arn),
		Attributes: awsclient.KeyValueList(attrs, func(k, v *string) types.TargetGroupAttribute { return types.TargetGroupAttribute{Key: k, Value: v} })})
	if err != nil {
		return nil, c.wrap("ModifyTargetGroupAttributes", err)
	}
	return awsclient.KeyValueMap(out.Attributes, func(a types.TargetGroupAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// Target is a target by ID (an instance ID, an IP address, a Lambda function or an
// application load balancer ARN) with its port; Port 0 means the target group's.
func Target(id string, port int32) types.TargetDescription {
	t := types.TargetDescription{Id: aws.String(id)}
	if port != 0 {
		t.Port = aws.Int32(port)
	}
	return t
}

// RegisterTargets registers targets with a target group in one call.
func (c *Client) RegisterTargets(ctx context.Context, targetGroupARN string, targets ...types.TargetDescription) error {
	_, err := c.api.RegisterTargets(ctx, &elbv2sdk.RegisterTargetsInput{TargetGroupArn: aws.String(targetGroupARN), Targets: targets})
	return c.wrap("RegisterTargets", err)
}

// DeregisterTargets deregisters targets from a target group in one call.
func (c *Client) DeregisterTargets(ctx context.Context, targetGroupARN string, targets ...types.TargetDescription) error {
	_, err := c.api.DeregisterTargets(ctx, &elbv2sdk.DeregisterTargetsInput{TargetGroupArn: aws.String(targetGroupARN), Targets: targets})
	return c.wrap("DeregisterTargets", err)
}

// TargetHealth reports the health of the given targets, or of every registered one.
func (c *Client) TargetHealth(ctx context.Context, targetGroupARN string, targets ...types.TargetDescription) ([]types.TargetHealthDescription, error) {
	out, err := c.api.DescribeTargetHealth(ctx, &elbv2sdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(targetGroupARN), Targets: targets})
	if err != nil {
		return nil, c.wrap("DescribeTargetHealth", err)
	}
	return out.TargetHealthDescriptions, nil
}
