package awsclient

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// EC2 is what every AWS load balancer driver asks of EC2: the instance behind a member given
// by address, the region's availability zones and its default subnets. Errors are reported for provider. It is
// safe for concurrent use.
type EC2 struct {
	client   *ec2.Client
	provider string
	region   string

	zoneMu sync.Mutex
	zone   string // the region's first availability zone, once known
}

// NewEC2 looks things up through c, in region, on behalf of provider.
func NewEC2(c *ec2.Client, provider, region string) *EC2 {
	return &EC2{client: c, provider: provider, region: region}
}

// EC2 filters by an instance's private and its public IPv4 address.
const (
	privateIP = "private-ip-address"
	publicIP  = "ip-address"
	// IPFilterBatch bounds the values of one filter: EC2 limits them, so hundreds of members
	// given by address are looked up a batch at a time.
	IPFilterBatch = 200
)

// ResolveMembers fills in the instance ID of members given only by IP (InstancesByIP). An
// address that matches no instance fails the whole call, naming the addresses, before the
// caller changes anything.
func (e *EC2) ResolveMembers(ctx context.Context, members []driver.Member) ([]driver.Member, error) {
	var ips []string
	for i, m := range members {
		switch {
		case m.ID != "":
		case m.IP != "":
			ips = append(ips, m.IP)
		default:
			return nil, driver.Invalid(e.provider, "member %d has neither an instance ID nor an IP", i+1)
		}
	}
	found, err := e.InstancesByIP(ctx, ips)
	if err != nil {
		return nil, err
	}
	return e.FillMembers(members, found)
}

// InstancesByIP maps each address to the instance that holds it: DescribeInstances by
// private address, then by public address for what is left, IPFilterBatch addresses a call.
// Addresses no instance holds are absent from the map; terminated instances do not count.
func (e *EC2) InstancesByIP(ctx context.Context, ips []string) (map[string]string, error) {
	ips = slices.Compact(slices.Sorted(slices.Values(ips)))
	found := map[string]string{}
	for _, filter := range []string{privateIP, publicIP} {
		left := slices.DeleteFunc(slices.Clone(ips), func(ip string) bool { _, ok := found[ip]; return ok })
		for _, batch := range Chunks(left, IPFilterBatch) {
			if err := e.instancesByIP(ctx, filter, batch, found); err != nil {
				return nil, err
			}
		}
	}
	return found, nil
}

// FillMembers sets the ID of each member given only by IP to the instance found holds it
// at; an address found lacks fails the call, naming every such address once.
func (e *EC2) FillMembers(members []driver.Member, found map[string]string) ([]driver.Member, error) {
	out := slices.Clone(members)
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
		return nil, NotFound(e.provider, "DescribeInstances", "InstanceNotFound", "no EC2 instance in %s has the address %s",
			e.region, strings.Join(slices.Compact(slices.Sorted(slices.Values(missing))), ", "))
	}
	return out, nil
}

// instancesByIP records in found the instance ID of each address matched by filter. Only the
// kind of address the filter names is recorded: an instance found by its private address
// must not claim its public one, which another instance may hold as a private address, and
// private addresses are resolved first.
func (e *EC2) instancesByIP(ctx context.Context, filter string, ips []string, found map[string]string) error {
	in := &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String(filter), Values: ips}}}
	p := ec2.NewDescribeInstancesPaginator(e.client, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return Wrap(e.provider, "DescribeInstances", err)
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

// Zones lists the region's available zones, sorted by name.
func (e *EC2) Zones(ctx context.Context) ([]string, error) {
	out, err := e.client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []ec2types.Filter{{Name: aws.String("state"), Values: []string{"available"}}}})
	if err != nil {
		return nil, Wrap(e.provider, "DescribeAvailabilityZones", err)
	}
	var zones []string
	for _, z := range out.AvailabilityZones {
		if n, r := aws.ToString(z.ZoneName), aws.ToString(z.RegionName); n != "" && (r == "" || r == e.region) {
			zones = append(zones, n)
		}
	}
	slices.Sort(zones)
	return zones, nil
}

// FirstZone is the region's first available zone by name, where a balancer created without
// a placement goes. When EC2 cannot answer (no permission, an endpoint without EC2) it is
// REGION+"a", which every region has. The answer is kept, except after the caller's own
// cancellation, which says nothing about EC2.
func (e *EC2) FirstZone(ctx context.Context) string {
	e.zoneMu.Lock()
	defer e.zoneMu.Unlock()
	if e.zone != "" {
		return e.zone
	}
	zones, err := e.Zones(ctx)
	if err == nil && len(zones) > 0 {
		e.zone = zones[0]
		return e.zone
	}
	if ctx.Err() == nil {
		e.zone = e.region + "a"
	}
	return e.region + "a"
}

// Subnet is a subnet and its availability zone.
type Subnet struct {
	ID, Zone string
}

// DefaultSubnets lists the default subnets of the region (one per zone of the default VPC),
// sorted by zone, only those of zones when any are given: where a balancer that needs
// subnets goes when none are asked for.
func (e *EC2) DefaultSubnets(ctx context.Context, zones []string) ([]Subnet, error) {
	filters := []ec2types.Filter{{Name: aws.String("default-for-az"), Values: []string{"true"}}}
	if len(zones) > 0 {
		filters = append(filters, ec2types.Filter{Name: aws.String("availability-zone"), Values: zones})
	}
	var out []Subnet
	p := ec2.NewDescribeSubnetsPaginator(e.client, &ec2.DescribeSubnetsInput{Filters: filters})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, Wrap(e.provider, "DescribeSubnets", err)
		}
		for _, sn := range page.Subnets {
			out = append(out, Subnet{ID: aws.ToString(sn.SubnetId), Zone: aws.ToString(sn.AvailabilityZone)})
		}
	}
	slices.SortFunc(out, func(a, b Subnet) int { return cmp.Or(cmp.Compare(a.Zone, b.Zone), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}
