package elb

import (
	"context"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Policy is a policy of a balancer, or a predefined one (such as ELBSecurityPolicy-2016-08).
type Policy struct {
	Name       string
	Type       string
	Attributes map[string]string
}

// PolicyType is a kind of policy and the attributes it takes.
type PolicyType struct {
	Name        string
	Description string
	Attributes  []PolicyAttributeType
}

// PolicyAttributeType describes one attribute of a policy type.
type PolicyAttributeType struct {
	Name        string
	Type        string
	Cardinality string // ONE, ZERO_OR_ONE, ZERO_OR_MORE or ONE_OR_MORE
	Default     string
	Description string
}

// CreateBalancerPolicy creates a policy of policyType on a balancer, e.g. ("EnableProxyProtocol",
// "ProxyProtocolPolicyType", {"ProxyProtocol": "true"}). Attributes are sent sorted by name
// so that identical calls produce identical requests.
func (c *Client) CreateBalancerPolicy(ctx context.Context, name, policyName, policyType string, attrs map[string]string) error {
	if policyName == "" || policyType == "" {
		return driver.Invalid(ProviderName, "a policy name and a policy type are required")
	}
	in := &elbsdk.CreateLoadBalancerPolicyInput{
		LoadBalancerName: aws.String(name), PolicyName: aws.String(policyName), PolicyTypeName: aws.String(policyType)}
	in.PolicyAttributes = awsclient.KeyValueList(attrs, func(k, v *string) types.PolicyAttribute {
		return types.PolicyAttribute{AttributeName: k, AttributeValue: v}
	})
	return c.createPolicy(ctx, "CreateLoadBalancerPolicy", name, policyName, policyType, attrs,
		func(ctx context.Context, opt func(*elbsdk.Options)) error {
			_, err := c.elb.CreateLoadBalancerPolicy(ctx, in, opt)
			return err
		})
}

// DeleteBalancerPolicy deletes a policy that no listener or back-end server uses.
func (c *Client) DeleteBalancerPolicy(ctx context.Context, name, policyName string) error {
	if policyName == "" {
		return driver.Invalid(ProviderName, "a policy name is required")
	}
	_, err := c.elb.DeleteLoadBalancerPolicy(ctx, &elbsdk.DeleteLoadBalancerPolicyInput{
		LoadBalancerName: aws.String(name), PolicyName: aws.String(policyName)})
	return wrap("DeleteLoadBalancerPolicy", err)
}

// DescribeBalancerPolicies describes a balancer's policies (all, or those named). An empty
// balancer name describes the predefined policies ELB offers to every balancer.
func (c *Client) DescribeBalancerPolicies(ctx context.Context, name string, policyNames ...string) ([]Policy, error) {
	in := &elbsdk.DescribeLoadBalancerPoliciesInput{PolicyNames: policyNames}
	if name != "" {
		in.LoadBalancerName = aws.String(name)
	}
	out, err := c.elb.DescribeLoadBalancerPolicies(ctx, in)
	if err != nil {
		return nil, wrap("DescribeLoadBalancerPolicies", err)
	}
	ps := make([]Policy, 0, len(out.PolicyDescriptions))
	for _, p := range out.PolicyDescriptions {
		attrs := make(map[string]string, len(p.PolicyAttributeDescriptions))
		for _, a := range p.PolicyAttributeDescriptions {
			attrs[aws.ToString(a.AttributeName)] = aws.ToString(a.AttributeValue)
		}
		ps = append(ps, Policy{Name: aws.ToString(p.PolicyName), Type: aws.ToString(p.PolicyTypeName), Attributes: attrs})
	}
	return ps, nil
}

// ListBalancerPolicies lists the names of a balancer's policies.
func (c *Client) ListBalancerPolicies(ctx context.Context, name string) ([]string, error) {
	if name == "" {
		return nil, driver.Invalid(ProviderName, "a load balancer name is required")
	}
	ps, err := c.DescribeBalancerPolicies(ctx, name)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return names, nil
}

// DescribePolicyTypes describes the policy types (all, or those named) with their attributes.
func (c *Client) DescribePolicyTypes(ctx context.Context, names ...string) ([]PolicyType, error) {
	out, err := c.elb.DescribeLoadBalancerPolicyTypes(ctx, &elbsdk.DescribeLoadBalancerPolicyTypesInput{PolicyTypeNames: names})
	if err != nil {
		return nil, wrap("DescribeLoadBalancerPolicyTypes", err)
	}
	ts := make([]PolicyType, 0, len(out.PolicyTypeDescriptions))
	for _, t := range out.PolicyTypeDescriptions {
		pt := PolicyType{Name: aws.ToString(t.PolicyTypeName), Description: aws.ToString(t.Description)}
		for _, a := range t.PolicyAttributeTypeDescriptions {
			pt.Attributes = append(pt.Attributes, PolicyAttributeType{
				Name: aws.ToString(a.AttributeName), Type: aws.ToString(a.AttributeType),
				Cardinality: aws.ToString(a.Cardinality), Default: aws.ToString(a.DefaultValue),
				Description: aws.ToString(a.Description),
			})
		}
		ts = append(ts, pt)
	}
	return ts, nil
}

// ListBalancerPolicyTypes lists the names of the policy types.
func (c *Client) ListBalancerPolicyTypes(ctx context.Context) ([]string, error) {
	ts, err := c.DescribePolicyTypes(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Name
	}
	return names, nil
}

// policyList normalises a policy list for the Set* actions: nil, an empty list and [""] all
// mean "remove every policy" (libcloud's callers pass ” or [”] for that), and must reach the
// service as an empty, present PolicyNames parameter rather than a missing one.
func policyList(policies []string) []string {
	out := []string{}
	for _, p := range policies {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// SetBalancerPoliciesOfListener replaces the policies of the listener on port; nil, an empty
// list or [""] removes them all.
func (c *Client) SetBalancerPoliciesOfListener(ctx context.Context, name string, port int, policies []string) error {
	if err := checkPort("load balancer port", port); err != nil {
		return err
	}
	_, err := c.elb.SetLoadBalancerPoliciesOfListener(ctx, &elbsdk.SetLoadBalancerPoliciesOfListenerInput{
		LoadBalancerName: aws.String(name), LoadBalancerPort: int32(port), PolicyNames: policyList(policies)})
	return wrap("SetLoadBalancerPoliciesOfListener", err)
}

// SetBalancerPoliciesBackendServer replaces the policies applied to the back-end instance
// port; nil, an empty list or [""] removes them all.
func (c *Client) SetBalancerPoliciesBackendServer(ctx context.Context, name string, port int, policies []string) error {
	if err := checkPort("instance port", port); err != nil {
		return err
	}
	_, err := c.elb.SetLoadBalancerPoliciesForBackendServer(ctx, &elbsdk.SetLoadBalancerPoliciesForBackendServerInput{
		LoadBalancerName: aws.String(name), InstancePort: aws.Int32(int32(port)), PolicyNames: policyList(policies)})
	return wrap("SetLoadBalancerPoliciesForBackendServer", err)
}

// CreateAppCookieStickinessPolicy creates a policy whose sessions follow the application's
// own cookie.
func (c *Client) CreateAppCookieStickinessPolicy(ctx context.Context, name, policyName, cookieName string) error {
	if policyName == "" || cookieName == "" {
		return driver.Invalid(ProviderName, "a policy name and a cookie name are required")
	}
	in := &elbsdk.CreateAppCookieStickinessPolicyInput{
		LoadBalancerName: aws.String(name), PolicyName: aws.String(policyName), CookieName: aws.String(cookieName)}
	return c.createPolicy(ctx, "CreateAppCookieStickinessPolicy", name, policyName, "AppCookieStickinessPolicyType",
		map[string]string{"CookieName": cookieName}, func(ctx context.Context, opt func(*elbsdk.Options)) error {
			_, err := c.elb.CreateAppCookieStickinessPolicy(ctx, in, opt)
			return err
		})
}

// CreateLBCookieStickinessPolicy creates a policy whose sessions follow a cookie ELB issues,
// valid for expiration (whole seconds), or for the browser session when expiration is 0.
func (c *Client) CreateLBCookieStickinessPolicy(ctx context.Context, name, policyName string, expiration time.Duration) error {
	if policyName == "" {
		return driver.Invalid(ProviderName, "a policy name is required")
	}
	in := &elbsdk.CreateLBCookieStickinessPolicyInput{LoadBalancerName: aws.String(name), PolicyName: aws.String(policyName)}
	want := map[string]string{"CookieExpirationPeriod": ""} // a session cookie has no expiration
	if expiration != 0 {
		if expiration < 0 || expiration%time.Second != 0 {
			return driver.Invalid(ProviderName, "cookie expiration %v must be a positive whole number of seconds, or 0 for a session cookie", expiration)
		}
		in.CookieExpirationPeriod = aws.Int64(int64(expiration / time.Second))
		want["CookieExpirationPeriod"] = strconv.FormatInt(*in.CookieExpirationPeriod, 10)
	}
	return c.createPolicy(ctx, "CreateLBCookieStickinessPolicy", name, policyName, "LBCookieStickinessPolicyType", want,
		func(ctx context.Context, opt func(*elbsdk.Options)) error {
			_, err := c.elb.CreateLBCookieStickinessPolicy(ctx, in, opt)
			return err
		})
}
