package elbv2

import (
	"context"
	"iter"
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
)

// CreateListener adds a listener to a load balancer. As on AWS, creating one with the same
// settings as an existing one returns it.
func (c *Client) CreateListener(ctx context.Context, in *elbv2sdk.CreateListenerInput) (types.Listener, error) {
	out, err := c.api.CreateListener(ctx, in)
	if err != nil {
		return types.Listener{}, c.wrap("CreateListener", err)
	}
	return one(c, "CreateListener", out.Listeners)
}

// ModifyListener changes a listener's port, protocol, certificate, policies or default
// actions, and returns it as it now is.
func (c *Client) ModifyListener(ctx context.Context, in *elbv2sdk.ModifyListenerInput) (types.Listener, error) {
	out, err := c.api.ModifyListener(ctx, in)
	if err != nil {
		return types.Listener{}, c.wrap("ModifyListener", err)
	}
	return one(c, "ModifyListener", out.Listeners)
}

// DeleteListener deletes a listener with its rules.
func (c *Client) DeleteListener(ctx context.Context, arn string) error {
	_, err := c.api.DeleteListener(ctx, &elbv2sdk.DeleteListenerInput{ListenerArn: aws.String(arn)})
	return c.wrap("DeleteListener", err)
}

// Listeners iterates the listeners of a load balancer, or those named by ARN when
// loadBalancerARN is "".
func (c *Client) Listeners(ctx context.Context, loadBalancerARN string, listenerARNs ...string) iter.Seq2[types.Listener, error] {
	return pages(ctx, nil, func(ctx context.Context, m *string) ([]types.Listener, *string, error) {
		in := &elbv2sdk.DescribeListenersInput{ListenerArns: listenerARNs, Marker: m}
		if loadBalancerARN != "" {
			in.LoadBalancerArn = aws.String(loadBalancerARN)
		}
		out, err := c.api.DescribeListeners(ctx, in)
		if err != nil {
			return nil, nil, c.wrap("DescribeListeners", err)
		}
		return out.Listeners, out.NextMarker, nil
	})
}

// ListenerAttributes returns a listener's attributes by key.
func (c *Client) ListenerAttributes(ctx context.Context, arn string) (map[string]string, error) {
	out, err := c.api.DescribeListenerAttributes(ctx, &elbv2sdk.DescribeListenerAttributesInput{ListenerArn: aws.String(arn)})
	if err != nil {
		return nil, c.wrap("DescribeListenerAttributes", err)
	}
	return awsclient.KeyValueMap(out.Attributes, func(a types.ListenerAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// ModifyListenerAttributes sets listener attributes and returns them as they now are.
func (c *Client) ModifyListenerAttributes(ctx context.Context, arn string, attrs map[string]string) (map[string]string, error) {
	out, err := c.api.ModifyListenerAttributes(ctx, &elbv2sdk.ModifyListenerAttributesInput{ListenerArn: aws.String(arn),
		Attributes: awsclient.KeyValueList(attrs, func(k, v *string) types.ListenerAttribute { return types.ListenerAttribute{Key: k, Value: v} })})
	if err != nil {
		return nil, c.wrap("ModifyListenerAttributes", err)
	}
	return awsclient.KeyValueMap(out.Attributes, func(a types.ListenerAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// AddListenerCertificates adds certificates (by ARN) to an HTTPS or TLS listener's
// certificate list, for SNI.
func (c *Client) AddListenerCertificates(ctx context.Context, listenerARN string, certificateARNs ...string) error {
	_, err := c.api.AddListenerCertificates(ctx, &elbv2sdk.AddListenerCertificatesInput{ListenerArn: aws.String(listenerARN),
		Certificates: certificates(certificateARNs)})
	return c.wrap("AddListenerCertificates", err)
}

// RemoveListenerCertificates removes certificates from a listener's certificate list.
func (c *Client) RemoveListenerCertificates(ctx context.Context, listenerARN string, certificateARNs ...string) error {
	_, err := c.api.RemoveListenerCertificates(ctx, &elbv2sdk.RemoveListenerCertificatesInput{ListenerArn: aws.String(listenerARN),
		Certificates: certificates(certificateARNs)})
	return c.wrap("RemoveListenerCertificates", err)
}

// ListenerCertificates iterates the certificates of a listener, the default one marked
// IsDefault.
func (c *Client) ListenerCertificates(ctx context.Context, listenerARN string) iter.Seq2[types.Certificate, error] {
	return pages(ctx, nil, func(ctx context.Context, m *string) ([]types.Certificate, *string, error) {
		out, err := c.api.DescribeListenerCertificates(ctx, &elbv2sdk.DescribeListenerCertificatesInput{
			ListenerArn: aws.String(listenerARN), Marker: m})
		if err != nil {
			return nil, nil, c.wrap("DescribeListenerCertificates", err)
		}
		return out.Certificates, out.NextMarker, nil
	})
}

func certificates(arns []string) []types.Certificate {
	out := make([]types.Certificate, len(arns))
	for i, a := range arns {
		out[i] = types.Certificate{CertificateArn: aws.String(a)}
	}
	return out
}

// CreateRule adds a rule to an application load balancer's listener.
func (c *Client) CreateRule(ctx context.Context, in *elbv2sdk.CreateRuleInput) (types.Rule, error) {
	out, err := c.api.CreateRule(ctx, in)
	if err != nil {
		return types.Rule{}, c.wrap("CreateRule", err)
	}
	return one(c, "CreateRule", out.Rules)
}

// ModifyRule replaces a rule's conditions, actions or transforms.
func (c *Client) ModifyRule(ctx context.Context, in *elbv2sdk.ModifyRuleInput) (types.Rule, error) {
	out, err := c.api.ModifyRule(ctx, in)
	if err != nil {
		return types.Rule{}, c.wrap("ModifyRule", err)
	}
	return one(c, "ModifyRule", out.Rules)
}

// DeleteRule deletes a rule.
func (c *Client) DeleteRule(ctx context.Context, arn string) error {
	_, err := c.api.DeleteRule(ctx, &elbv2sdk.DeleteRuleInput{RuleArn: aws.String(arn)})
	return c.wrap("DeleteRule", err)
}

// Rules iterates the rules of a listener, or those named by ARN when listenerARN is "".
func (c *Client) Rules(ctx context.Context, listenerARN string, ruleARNs ...string) iter.Seq2[types.Rule, error] {
	return pages(ctx, nil, func(ctx context.Context, m *string) ([]types.Rule, *string, error) {
		in := &elbv2sdk.DescribeRulesInput{RuleArns: ruleARNs, Marker: m}
		if listenerARN != "" {
			in.ListenerArn = aws.String(listenerARN)
		}
		out, err := c.api.DescribeRules(ctx, in)
		if err != nil {
			return nil, nil, c.wrap("DescribeRules", err)
		}
		return out.Rules, out.NextMarker, nil
	})
}

// SetRulePriorities sets the priorities of rules, by rule ARN, in one call, and returns the
// rules as they now are.
func (c *Client) SetRulePriorities(ctx context.Context, priorities map[string]int32) ([]types.Rule, error) {
	in := &elbv2sdk.SetRulePrioritiesInput{}
	for _, arn := range slices.Sorted(maps.Keys(priorities)) {
		in.RulePriorities = append(in.RulePriorities, types.RulePriorityPair{RuleArn: aws.String(arn), Priority: aws.Int32(priorities[arn])})
	}
	out, err := c.api.SetRulePriorities(ctx, in)
	if err != nil {
		return nil, c.wrap("SetRulePriorities", err)
	}
	return out.Rules, nil
}
