package migrate

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// network plans scheme, subnets and security groups, and explains the Classic source group.
func (b *builder) network() {
	c := b.c
	for _, lb := range b.lbs {
		lb.Scheme = c.Scheme
		lb.SecurityGroups = slices.Clone(c.SecurityGroups)
		lb.Subnets = slices.Concat(c.Subnets, b.req.Subnets)
	}
	b.row(Setting{Setting: "scheme", Classic: c.Scheme, ELBv2: c.Scheme, Status: Carried, Source: docMigrate})
	if c.VPCID == "" {
		b.row(Setting{Setting: "VPC", Classic: "none (EC2-Classic)", Status: Blocked, Source: docMigrate,
			Reason:  "ELBv2 balancers run in a VPC; a balancer outside any VPC (EC2-Classic) has no subnets to carry",
			Instead: "move the instances and the balancer into a VPC first"})
	}
	b.subnets()
	for _, lb := range b.lbs {
		row := Setting{Setting: "security groups (" + kindName(lb) + ")", Classic: strings.Join(c.SecurityGroups, ", "),
			ELBv2: strings.Join(lb.SecurityGroups, ", "), Status: Carried, Source: docMigrate}
		if lb.Type == typeNetwork {
			row.Source = docNLBGroups
			row.Reason = "a Network Load Balancer's security groups can be set only when it is made, as here; instances' groups must then admit these groups"
		}
		if len(c.SecurityGroups) == 0 {
			row.Classic, row.Status = "none", NotCarried
			row.Reason = "the Classic balancer has no security groups to carry"
		}
		b.row(row)
	}
	if c.SourceGroup != "" {
		b.row(Setting{Setting: "source security group", Classic: c.SourceGroup, Status: NotCarried, Source: docClassicSources,
			Reason:  "instance rules that admit the Classic balancer's source security group do not admit the new balancer",
			Instead: "before moving traffic, add rules admitting the new balancer's security groups (" + strings.Join(c.SecurityGroups, ", ") + ") on the instance ports and health check port"})
	}
}

// subnets checks that every balancer has the zones its type needs: two for an ALB
// (docALBZones), one for an NLB.
func (b *builder) subnets() {
	c := b.c
	for _, lb := range b.lbs {
		zones := zonesOf(c, lb.Subnets)
		row := Setting{Setting: "subnets (" + kindName(lb) + ")", Classic: subnetList(c, c.Subnets),
			ELBv2: subnetList(c, lb.Subnets), Status: Carried, Source: docMigrate}
		if len(b.req.Subnets) > 0 {
			row.Status, row.Reason = Adjusted, "added "+subnetList(c, b.req.Subnets)+" as asked"
		}
		if lb.Type == typeApplication && zones < 2 {
			row.Source, row.Status = docALBZones, Blocked
			row.Reason = "an Application Load Balancer needs subnets in at least two Availability Zones; these cover one"
			row.Instead = "add a subnet of " + c.VPCID + " in another zone (lbctl migrate --subnet ID), let the migration pick one (--pick-subnet), or migrate with --to nlb, which takes one zone"
		}
		if len(lb.Subnets) == 0 && c.VPCID != "" {
			row.Status, row.Reason = Blocked, "the Classic balancer lists no subnets"
			row.Instead = "give subnets with --subnet"
		}
		b.row(row)
	}
}

// zonesOf counts the zones of subnets; where EC2 does not know a subnet's zone, the Classic
// balancer's zone count stands in for them.
func zonesOf(c *Classic, subnets []string) int {
	zones := map[string]bool{}
	unknown := false
	for _, s := range subnets {
		if z, ok := c.SubnetZones[s]; ok {
			zones[z] = true
		} else {
			unknown = true
		}
	}
	if unknown {
		return max(len(zones), len(c.Zones))
	}
	return len(zones)
}

func subnetList(c *Classic, subnets []string) string {
	var parts []string
	for _, s := range subnets {
		if z, ok := c.SubnetZones[s]; ok {
			s += " (" + z + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

// resolveSubnets finds, when asked and an ALB lacks a second zone, a subnet of the balancer's
// VPC in another zone, preferring the zone's default subnet; and learns the zones of the
// subnets the request adds.
func (m *Migrator) resolveSubnets(ctx context.Context, c *Classic, req *Request) error {
	if len(req.Subnets) > 0 {
		zones, err := m.subnetZones(ctx, req.Subnets)
		if err != nil {
			return err
		}
		maps.Copy(c.SubnetZones, zones)
	}
	if !req.PickSubnet || req.To != ToALB || c.VPCID == "" || zonesOf(c, slices.Concat(c.Subnets, req.Subnets)) >= 2 {
		return nil
	}
	taken := map[string]bool{}
	for _, s := range slices.Concat(c.Subnets, req.Subnets) {
		taken[c.SubnetZones[s]] = true
	}
	for _, z := range c.Zones {
		taken[z] = true
	}
	var pick ec2types.Subnet
	p := ec2.NewDescribeSubnetsPaginator(m.ec2, &ec2.DescribeSubnetsInput{
		Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{c.VPCID}}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return awsclient.Wrap(elb.ProviderName, "DescribeSubnets", err)
		}
		for _, s := range page.Subnets {
			if taken[aws.ToString(s.AvailabilityZone)] {
				continue
			}
			better := pick.SubnetId == nil || (aws.ToBool(s.DefaultForAz) && !aws.ToBool(pick.DefaultForAz)) ||
				(aws.ToBool(s.DefaultForAz) == aws.ToBool(pick.DefaultForAz) && aws.ToString(s.AvailabilityZone) < aws.ToString(pick.AvailabilityZone))
			if better {
				pick = s
			}
		}
	}
	if pick.SubnetId != nil {
		id := aws.ToString(pick.SubnetId)
		req.Subnets = append(req.Subnets, id)
		c.SubnetZones[id] = aws.ToString(pick.AvailabilityZone)
	}
	return nil
}
