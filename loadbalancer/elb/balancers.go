package elb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// BalancerSpec describes a balancer to create: its listeners, where it runs (availability
// zones, or subnets of a VPC with its security groups), its scheme ("internet-facing", the
// default, or "internal") and its tags.
type BalancerSpec struct {
	Name           string
	Listeners      []ListenerSpec
	Zones          []string
	Subnets        []string
	SecurityGroups []string
	Scheme         string
	Tags           map[string]string
}

// CreateBalancer creates a balancer (CreateLoadBalancer) and returns its DNS name. It needs
// at least one listener and zones or subnets. As on AWS, creating a balancer that exists
// with the same configuration succeeds; the portable Service's CreateBalancer also picks a
// zone and registers members.
func (c *Client) CreateBalancer(ctx context.Context, spec BalancerSpec) (dnsName string, err error) {
	if spec.Name == "" {
		return "", driver.Invalid(ProviderName, "a load balancer name is required")
	}
	if err := needSome("listener", spec.Listeners); err != nil {
		return "", err
	}
	ls, err := sdkListeners(spec.Listeners)
	if err != nil {
		return "", err
	}
	in := &elbsdk.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String(spec.Name),
		Listeners:         ls,
		AvailabilityZones: spec.Zones,
		Subnets:           spec.Subnets,
		SecurityGroups:    spec.SecurityGroups,
	}
	if spec.Scheme != "" {
		in.Scheme = aws.String(spec.Scheme)
	}
	if len(spec.Tags) > 0 {
		in.Tags = toSDKTags(spec.Tags)
	}
	out, err := c.elb.CreateLoadBalancer(ctx, in)
	if err != nil {
		return "", wrap("CreateLoadBalancer", err)
	}
	return aws.ToString(out.DNSName), nil
}

// DeleteBalancer deletes a balancer (DeleteLoadBalancer). ELB reports success for a name
// that does not exist: deleting is idempotent.
func (c *Client) DeleteBalancer(ctx context.Context, name string) error {
	if name == "" {
		return driver.Invalid(ProviderName, "a load balancer name is required")
	}
	_, err := c.elb.DeleteLoadBalancer(ctx, &elbsdk.DeleteLoadBalancerInput{LoadBalancerName: aws.String(name)})
	return wrap("DeleteLoadBalancer", err)
}

// DescribeBalancers describes one page of balancers (DescribeLoadBalancers): all, or those
// named. pageToken is "" for the first page, else the nextPageToken of the previous one,
// which is "" after the last. pageSize 0 means the client's page size (WithPageSize).
// The portable Service's Balancers iterates the pages and adds tags.
func (c *Client) DescribeBalancers(ctx context.Context, names []string, pageToken string, pageSize int) (
	lbs []*loadbalancer.LoadBalancer, nextPageToken string, err error) {
	p, err := c.describePage(ctx, &driver.ListPageOptions{Names: names, PageToken: pageToken, PageSize: pageSize})
	if err != nil {
		return nil, "", err
	}
	return p.Balancers, p.NextPageToken, nil
}

// describePage is DescribeBalancers for the portable listing: with opts.OnNextPageToken
// set, it reports the NextMarker as soon as the answer has arrived, before decoding it.
func (c *Client) describePage(ctx context.Context, opts *driver.ListPageOptions) (*driver.ListPage, error) {
	size := c.set.pageSize
	if opts.PageSize > 0 {
		size = min(opts.PageSize, DefaultPageSize)
	}
	in := &elbsdk.DescribeLoadBalancersInput{PageSize: aws.Int32(int32(size))}
	if len(opts.Names) > 0 {
		in.LoadBalancerNames = opts.Names
	}
	if opts.PageToken != "" {
		in.Marker = aws.String(opts.PageToken)
	}
	out, err := c.elb.DescribeLoadBalancers(ctx, in, peekMarker(opts.OnNextPageToken))
	if err != nil {
		return nil, wrap("DescribeLoadBalancers", err)
	}
	p := &driver.ListPage{Balancers: make([]*loadbalancer.LoadBalancer, len(out.LoadBalancerDescriptions)),
		NextPageToken: aws.ToString(out.NextMarker)}
	for i, desc := range out.LoadBalancerDescriptions {
		p.Balancers[i] = toBalancer(desc)
	}
	return p, nil
}

// peekMarker has a DescribeLoadBalancers call report its answer's NextMarker to found (when
// not nil) before the SDK decodes the page.
func peekMarker(found func(string)) func(*elbsdk.Options) {
	return func(o *elbsdk.Options) {
		if found != nil {
			o.Interceptors.AddBeforeDeserialization(awsclient.NextMarker{Found: found})
		}
	}
}

// describe returns one balancer; a missing one is an ErrNotFound error.
func (c *Client) describe(ctx context.Context, name string) (*driver.LoadBalancer, error) {
	out, err := c.elb.DescribeLoadBalancers(ctx, &elbsdk.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	if err != nil {
		return nil, wrap("DescribeLoadBalancers", err)
	}
	if len(out.LoadBalancerDescriptions) == 0 {
		return nil, notFound("DescribeLoadBalancers", "LoadBalancerNotFound", "there is no load balancer named %q", name)
	}
	return toBalancer(out.LoadBalancerDescriptions[0]), nil
}

// RegisterInstances adds EC2 instances to a balancer (RegisterInstancesWithLoadBalancer) and
// returns all its instances. The portable Service's AttachMembers also takes members by IP.
func (c *Client) RegisterInstances(ctx context.Context, name string, instanceIDs ...string) ([]string, error) {
	if err := needSome("instance ID", instanceIDs); err != nil {
		return nil, err
	}
	out, err := c.elb.RegisterInstancesWithLoadBalancer(ctx, &elbsdk.RegisterInstancesWithLoadBalancerInput{
		LoadBalancerName: aws.String(name), Instances: sdkInstances(instanceIDs)})
	if err != nil {
		return nil, wrap("RegisterInstancesWithLoadBalancer", err)
	}
	return fromSDKInstances(out.Instances), nil
}

// DeregisterInstances removes EC2 instances from a balancer
// (DeregisterInstancesFromLoadBalancer) and returns the instances left.
func (c *Client) DeregisterInstances(ctx context.Context, name string, instanceIDs ...string) ([]string, error) {
	if err := needSome("instance ID", instanceIDs); err != nil {
		return nil, err
	}
	out, err := c.elb.DeregisterInstancesFromLoadBalancer(ctx, &elbsdk.DeregisterInstancesFromLoadBalancerInput{
		LoadBalancerName: aws.String(name), Instances: sdkInstances(instanceIDs)})
	if err != nil {
		return nil, wrap("DeregisterInstancesFromLoadBalancer", err)
	}
	return fromSDKInstances(out.Instances), nil
}

// InstanceHealth reports the health of the given instances, or of all registered ones
// (DescribeInstanceHealth).
func (c *Client) InstanceHealth(ctx context.Context, name string, instanceIDs ...string) ([]loadbalancer.Member, error) {
	in := &elbsdk.DescribeInstanceHealthInput{LoadBalancerName: aws.String(name), Instances: sdkInstances(instanceIDs)}
	out, err := c.elb.DescribeInstanceHealth(ctx, in)
	if err != nil {
		return nil, wrap("DescribeInstanceHealth", err)
	}
	ms := make([]loadbalancer.Member, 0, len(out.InstanceStates))
	for _, s := range out.InstanceStates {
		ms = append(ms, toMember(s, 0))
	}
	return ms, nil
}

func sdkInstances(ids []string) []types.Instance {
	var out []types.Instance
	for _, id := range ids {
		out = append(out, types.Instance{InstanceId: aws.String(id)})
	}
	return out
}

func fromSDKInstances(ins []types.Instance) []string {
	out := make([]string, 0, len(ins))
	for _, in := range ins {
		out = append(out, aws.ToString(in.InstanceId))
	}
	return out
}
