package elb

import (
	"context"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// resolveMembers fills in the instance ID of members given only by IP: one EC2
// DescribeInstances call by private address, then one by public address for what is left.
// Any address that matches no instance fails the whole call, naming the addresses.
func (d *Driver) resolveMembers(ctx context.Context, members []driver.Member) ([]driver.Member, error) {
	out := make([]driver.Member, len(members))
	copy(out, members)
	var ips []string
	for i, m := range out {
		switch {
		case m.ID != "":
		case m.IP != "":
			ips = append(ips, m.IP)
		default:
			return nil, driver.Invalid(ProviderName, "member %d has neither an instance ID nor an IP", i+1)
		}
	}
	if len(ips) == 0 {
		return out, nil
	}
	found := map[string]string{}
	for _, filter := range []string{privateIP, publicIP} {
		var left []string
		for _, ip := range uniq(ips) {
			if _, ok := found[ip]; !ok {
				left = append(left, ip)
			}
		}
		if len(left) == 0 {
			break
		}
		for _, batch := range chunks(left, ipFilterBatch) {
			if err := d.instancesByIP(ctx, filter, batch, found); err != nil {
				return nil, err
			}
		}
	}
	var missing []string
	for i, m := range out {
		if m.ID != "" {
			continue
		}
		if id, ok := found[m.IP]; ok {
			out[i].ID = id
		} else {
			missing = append(missing, m.IP)
		}
	}
	if len(missing) > 0 {
		return nil, notFound("DescribeInstances", "InstanceNotFound",
			"no EC2 instance in %s has the address %s", d.region, strings.Join(uniq(missing), ", "))
	}
	return out, nil
}

// EC2 filters by an instance's private and its public IPv4 address.
const (
	privateIP = "private-ip-address"
	publicIP  = "ip-address"
	// ipFilterBatch bounds the values of one filter: EC2 limits them, so hundreds of members
	// given by address are looked up a batch at a time.
	ipFilterBatch = 200
)

// instancesByIP records in found the instance ID of each address matched by filter. Only the
// kind of address the filter names is recorded: an instance found by its private address
// must not claim its public one, which another instance may hold as a private address, and
// private addresses are resolved first.
func (d *Driver) instancesByIP(ctx context.Context, filter string, ips []string, found map[string]string) error {
	in := &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String(filter), Values: ips}}}
	p := ec2.NewDescribeInstancesPaginator(d.ec2, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return wrap("DescribeInstances", err)
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

func uniq(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	out := c[:0]
	for i, v := range c {
		if i == 0 || v != c[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func instances(members []driver.Member) []types.Instance {
	seen := map[string]bool{}
	var out []types.Instance
	for _, m := range members {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, types.Instance{InstanceId: aws.String(m.ID)})
		}
	}
	return out
}

func (d *Driver) register(ctx context.Context, name string, members []driver.Member) error {
	_, err := d.elb.RegisterInstancesWithLoadBalancer(ctx, &elbsdk.RegisterInstancesWithLoadBalancerInput{
		LoadBalancerName: aws.String(name), Instances: instances(members)})
	return wrap("RegisterInstancesWithLoadBalancer", err)
}

// AttachMembers registers members (by instance ID, or by IP resolved through EC2) in one
// RegisterInstancesWithLoadBalancer call and returns them with their IDs.
func (d *Driver) AttachMembers(ctx context.Context, id string, members []driver.Member) ([]driver.Member, error) {
	if len(members) == 0 {
		return nil, driver.Invalid(ProviderName, "at least one member is required")
	}
	resolved, err := d.resolveMembers(ctx, members)
	if err != nil {
		return nil, err
	}
	if err := d.register(ctx, id, resolved); err != nil {
		return nil, err
	}
	return resolved, nil
}

// DetachMembers deregisters members in one DeregisterInstancesFromLoadBalancer call.
func (d *Driver) DetachMembers(ctx context.Context, id string, members []driver.Member) error {
	if len(members) == 0 {
		return driver.Invalid(ProviderName, "at least one member is required")
	}
	resolved, err := d.resolveMembers(ctx, members)
	if err != nil {
		return err
	}
	_, err = d.elb.DeregisterInstancesFromLoadBalancer(ctx, &elbsdk.DeregisterInstancesFromLoadBalancerInput{
		LoadBalancerName: aws.String(id), Instances: instances(resolved)})
	return wrap("DeregisterInstancesFromLoadBalancer", err)
}

// ListMembers lists the registered instances with their live health; Port is the balancer's
// instance port.
func (d *Driver) ListMembers(ctx context.Context, id string) ([]driver.Member, error) {
	desc, err := d.describe(ctx, id)
	if err != nil {
		return nil, err
	}
	port := instancePortOf(toBalancer(desc).Listeners)
	ms, err := d.InstanceHealth(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range ms {
		ms[i].Port = port
	}
	return ms, nil
}

// InstanceHealth reports the health of the given instances, or of all registered ones.
func (d *Driver) InstanceHealth(ctx context.Context, name string, instanceIDs ...string) ([]driver.Member, error) {
	in := &elbsdk.DescribeInstanceHealthInput{LoadBalancerName: aws.String(name)}
	for _, id := range instanceIDs {
		in.Instances = append(in.Instances, types.Instance{InstanceId: aws.String(id)})
	}
	out, err := d.elb.DescribeInstanceHealth(ctx, in)
	if err != nil {
		return nil, wrap("DescribeInstanceHealth", err)
	}
	ms := make([]driver.Member, 0, len(out.InstanceStates))
	for _, s := range out.InstanceStates {
		ms = append(ms, toMember(s, 0))
	}
	return ms, nil
}

// availabilityZones lists the region's available zones, sorted by name.
func (d *Driver) availabilityZones(ctx context.Context) ([]string, error) {
	out, err := d.ec2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []ec2types.Filter{{Name: aws.String("state"), Values: []string{"available"}}}})
	if err != nil {
		return nil, wrap("DescribeAvailabilityZones", err)
	}
	var zones []string
	for _, z := range out.AvailabilityZones {
		if n, r := aws.ToString(z.ZoneName), aws.ToString(z.RegionName); n != "" && (r == "" || r == d.region) {
			zones = append(zones, n)
		}
	}
	sort.Strings(zones)
	return zones, nil
}
