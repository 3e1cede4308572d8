package elbv2

// The EC2 look-ups here (an address to its instance, the default subnets) are provider-
// neutral; the Classic driver has its own copy of the first.

import (
	"cmp"
	"context"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// EC2 filters by an instance's private and its public IPv4 address. ipFilterBatch bounds
// the values of one filter, which EC2 limits.
const (
	privateIP     = "private-ip-address"
	publicIP      = "ip-address"
	ipFilterBatch = 200
)

// instancesByIP maps each address to the instance that holds it: one DescribeInstances call
// per 200 addresses by private address, then by public address for what is left. Addresses
// no instance holds are absent from the map. Terminated instances do not count.
func (c *Client) instancesByIP(ctx context.Context, ips []string) (map[string]string, error) {
	found := map[string]string{}
	for _, filter := range []string{privateIP, publicIP} {
		var left []string
		for _, ip := range uniq(ips) {
			if _, ok := found[ip]; !ok {
				left = append(left, ip)
			}
		}
		for _, batch := range chunks(left, ipFilterBatch) {
			if err := c.instancesMatching(ctx, filter, batch, found); err != nil {
				return nil, err
			}
		}
	}
	return found, nil
}

// instancesMatching records the instances whose address of the filter's kind is one of ips.
// Only that kind is recorded: an instance found by its private address must not claim its
// public one, which another instance may hold as a private address.
func (c *Client) instancesMatching(ctx context.Context, filter string, ips []string, found map[string]string) error {
	in := &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String(filter), Values: ips}}}
	p := ec2.NewDescribeInstancesPaginator(c.ec2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return c.wrap("DescribeInstances", err)
		}
		for _, r := range page.Reservations {
			for _, inst := range r.Instances {
				if inst.State != nil && inst.State.Name == ec2types.InstanceStateNameTerminated {
					continue
				}
				ip := aws.ToString(inst.PrivateIpAddress)
				if filter == publicIP {
					ip = aws.ToString(inst.PublicIpAddress)
				}
				if ip != "" {
					found[ip] = aws.ToString(inst.InstanceId)
				}
			}
		}
	}
	return nil
}

// subnet is a subnet and its zone.
type subnet struct{ id, zone string }

// defaultSubnets lists the default subnets (one per zone of the default VPC), sorted by
// zone, limited to zones when any are given.
func (c *Client) defaultSubnets(ctx context.Context, zones []string) ([]subnet, error) {
	filters := []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}
	if len(zones) > 0 {
		filters = append(filters, ec2types.Filter{Name: aws.String("availability-zone"), Values: zones})
	}
	var out []subnet
	p := ec2.NewDescribeSubnetsPaginator(c.ec2, &ec2.DescribeSubnetsInput{Filters: filters})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, c.wrap("DescribeSubnets", err)
		}
		for _, s := range page.Subnets {
			out = append(out, subnet{aws.ToString(s.SubnetId), aws.ToString(s.AvailabilityZone)})
		}
	}
	slices.SortFunc(out, func(a, b subnet) int {
		return cmp.Or(cmp.Compare(a.zone, b.zone), cmp.Compare(a.id, b.id))
	})
	return out, nil
}

func uniq(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}
