package elb

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Attributes are a balancer's attributes. In ModifyAttributes, nil pointers, a zero
// IdleTimeout and a nil Additional map leave the attribute as it is.
type Attributes struct {
	CrossZone          *bool
	ConnectionDraining *ConnectionDraining
	IdleTimeout        time.Duration // whole seconds, 1s to 3600s
	AccessLog          *AccessLog
	Additional         map[string]string
}

// ConnectionDraining keeps connections to a deregistering instance open for up to Timeout.
type ConnectionDraining struct {
	Enabled bool
	Timeout time.Duration
}

// AccessLog sends access logs to S3 every EmitInterval (5 or 60 minutes).
type AccessLog struct {
	Enabled        bool
	S3BucketName   string
	S3BucketPrefix string
	EmitInterval   time.Duration
}

// Limit is one of the account's ELB limits, e.g. {"classic-load-balancers", "20"}.
type Limit struct {
	Name string
	Max  string
}

// Attributes describes a balancer's attributes.
func (c *Client) Attributes(ctx context.Context, name string) (Attributes, error) {
	out, err := c.elb.DescribeLoadBalancerAttributes(ctx, &elbsdk.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String(name)})
	if err != nil {
		return Attributes{}, wrap("DescribeLoadBalancerAttributes", err)
	}
	return toAttributes(out.LoadBalancerAttributes), nil
}

// ModifyAttributes changes the attributes that are set in a and returns them as the service
// reports them after the change.
func (c *Client) ModifyAttributes(ctx context.Context, name string, a Attributes) (Attributes, error) {
	in, err := fromAttributes(a)
	if err != nil {
		return Attributes{}, err
	}
	out, err := c.elb.ModifyLoadBalancerAttributes(ctx, &elbsdk.ModifyLoadBalancerAttributesInput{
		LoadBalancerName: aws.String(name), LoadBalancerAttributes: in})
	if err != nil {
		return Attributes{}, wrap("ModifyLoadBalancerAttributes", err)
	}
	return toAttributes(out.LoadBalancerAttributes), nil
}

func toAttributes(a *types.LoadBalancerAttributes) Attributes {
	var out Attributes
	if a == nil {
		return out
	}
	if a.CrossZoneLoadBalancing != nil {
		out.CrossZone = aws.Bool(a.CrossZoneLoadBalancing.Enabled)
	}
	if c := a.ConnectionDraining; c != nil {
		out.ConnectionDraining = &ConnectionDraining{Enabled: c.Enabled, Timeout: time.Duration(aws.ToInt32(c.Timeout)) * time.Second}
	}
	if a.ConnectionSettings != nil {
		out.IdleTimeout = time.Duration(aws.ToInt32(a.ConnectionSettings.IdleTimeout)) * time.Second
	}
	if l := a.AccessLog; l != nil {
		out.AccessLog = &AccessLog{Enabled: l.Enabled, S3BucketName: aws.ToString(l.S3BucketName),
			S3BucketPrefix: aws.ToString(l.S3BucketPrefix), EmitInterval: time.Duration(aws.ToInt32(l.EmitInterval)) * time.Minute}
	}
	if len(a.AdditionalAttributes) > 0 {
		out.Additional = make(map[string]string, len(a.AdditionalAttributes))
		for _, x := range a.AdditionalAttributes {
			out.Additional[aws.ToString(x.Key)] = aws.ToString(x.Value)
		}
	}
	return out
}

func fromAttributes(a Attributes) (*types.LoadBalancerAttributes, error) {
	out := &types.LoadBalancerAttributes{}
	empty := true
	if a.CrossZone != nil {
		out.CrossZoneLoadBalancing = &types.CrossZoneLoadBalancing{Enabled: *a.CrossZone}
		empty = false
	}
	if c := a.ConnectionDraining; c != nil {
		out.ConnectionDraining = &types.ConnectionDraining{Enabled: c.Enabled}
		if c.Timeout != 0 {
			s, err := seconds("connection draining timeout", c.Timeout)
			if err != nil {
				return nil, err
			}
			out.ConnectionDraining.Timeout = aws.Int32(s)
		}
		empty = false
	}
	if a.IdleTimeout != 0 {
		s, err := seconds("idle timeout", a.IdleTimeout)
		if err != nil {
			return nil, err
		}
		out.ConnectionSettings = &types.ConnectionSettings{IdleTimeout: aws.Int32(s)}
		empty = false
	}
	if l := a.AccessLog; l != nil {
		out.AccessLog = &types.AccessLog{Enabled: l.Enabled}
		if l.S3BucketName != "" {
			out.AccessLog.S3BucketName = aws.String(l.S3BucketName)
		}
		if l.S3BucketPrefix != "" {
			out.AccessLog.S3BucketPrefix = aws.String(l.S3BucketPrefix)
		}
		if l.EmitInterval != 0 {
			if l.EmitInterval != 5*time.Minute && l.EmitInterval != time.Hour {
				return nil, driver.Invalid(ProviderName, "access log emit interval %v must be 5m or 60m", l.EmitInterval)
			}
			out.AccessLog.EmitInterval = aws.Int32(int32(l.EmitInterval / time.Minute))
		}
		if l.Enabled && l.S3BucketName == "" {
			return nil, driver.Invalid(ProviderName, "enabling access logs needs an S3 bucket name")
		}
		empty = false
	}
	if len(a.Additional) > 0 {
		out.AdditionalAttributes = awsclient.KeyValueList(a.Additional, func(k, v *string) types.AdditionalAttribute {
			return types.AdditionalAttribute{Key: k, Value: v}
		})
		empty = false
	}
	if empty {
		return nil, driver.Invalid(ProviderName, "no attribute to change")
	}
	return out, nil
}

// ConfigureHealthCheck sets how the balancer checks its instances and returns the check as
// the service recorded it.
func (c *Client) ConfigureHealthCheck(ctx context.Context, name string, hc loadbalancer.HealthCheck) (loadbalancer.HealthCheck, error) {
	in, err := fromHealthCheck(hc)
	if err != nil {
		return loadbalancer.HealthCheck{}, err
	}
	out, err := c.elb.ConfigureHealthCheck(ctx, &elbsdk.ConfigureHealthCheckInput{LoadBalancerName: aws.String(name), HealthCheck: in})
	if err != nil {
		return loadbalancer.HealthCheck{}, wrap("ConfigureHealthCheck", err)
	}
	if out.HealthCheck == nil {
		return hc, nil
	}
	return toHealthCheck(*out.HealthCheck), nil
}

func needSome[T any](what string, items []T) error {
	if len(items) == 0 {
		return driver.Invalid(ProviderName, "at least one %s is required", what)
	}
	return nil
}

// EnableZones adds availability zones to a balancer in the default VPC (or EC2-Classic) and
// returns all its zones; balancers in other VPCs take subnets instead.
func (c *Client) EnableZones(ctx context.Context, name string, zones ...string) ([]string, error) {
	if err := needSome("availability zone", zones); err != nil {
		return nil, err
	}
	out, err := c.elb.EnableAvailabilityZonesForLoadBalancer(ctx, &elbsdk.EnableAvailabilityZonesForLoadBalancerInput{
		LoadBalancerName: aws.String(name), AvailabilityZones: zones})
	if err != nil {
		return nil, wrap("EnableAvailabilityZonesForLoadBalancer", err)
	}
	return out.AvailabilityZones, nil
}

// DisableZones removes availability zones from a balancer and returns the zones left.
func (c *Client) DisableZones(ctx context.Context, name string, zones ...string) ([]string, error) {
	if err := needSome("availability zone", zones); err != nil {
		return nil, err
	}
	out, err := c.elb.DisableAvailabilityZonesForLoadBalancer(ctx, &elbsdk.DisableAvailabilityZonesForLoadBalancerInput{
		LoadBalancerName: aws.String(name), AvailabilityZones: zones})
	if err != nil {
		return nil, wrap("DisableAvailabilityZonesForLoadBalancer", err)
	}
	return out.AvailabilityZones, nil
}

// AttachSubnets adds VPC subnets to a balancer and returns all its subnets.
func (c *Client) AttachSubnets(ctx context.Context, name string, subnets ...string) ([]string, error) {
	if err := needSome("subnet", subnets); err != nil {
		return nil, err
	}
	out, err := c.elb.AttachLoadBalancerToSubnets(ctx, &elbsdk.AttachLoadBalancerToSubnetsInput{
		LoadBalancerName: aws.String(name), Subnets: subnets})
	if err != nil {
		return nil, wrap("AttachLoadBalancerToSubnets", err)
	}
	return out.Subnets, nil
}

// DetachSubnets removes VPC subnets from a balancer and returns the subnets left.
func (c *Client) DetachSubnets(ctx context.Context, name string, subnets ...string) ([]string, error) {
	if err := needSome("subnet", subnets); err != nil {
		return nil, err
	}
	out, err := c.elb.DetachLoadBalancerFromSubnets(ctx, &elbsdk.DetachLoadBalancerFromSubnetsInput{
		LoadBalancerName: aws.String(name), Subnets: subnets})
	if err != nil {
		return nil, wrap("DetachLoadBalancerFromSubnets", err)
	}
	return out.Subnets, nil
}

// ApplySecurityGroups replaces the security groups of a balancer in a VPC and returns them.
func (c *Client) ApplySecurityGroups(ctx context.Context, name string, groups ...string) ([]string, error) {
	if err := needSome("security group", groups); err != nil {
		return nil, err
	}
	out, err := c.elb.ApplySecurityGroupsToLoadBalancer(ctx, &elbsdk.ApplySecurityGroupsToLoadBalancerInput{
		LoadBalancerName: aws.String(name), SecurityGroups: groups})
	if err != nil {
		return nil, wrap("ApplySecurityGroupsToLoadBalancer", err)
	}
	return out.SecurityGroups, nil
}
