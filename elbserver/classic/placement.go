package classic

import (
	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// placeInVPC fills the VPC, subnets, zones and security groups of a new balancer created with
// Subnets.
func (r *Room) placeInVPC(p *store.Part, lb *store.ClassicBalancer, subnetIDs, sgs []string, sgsGiven bool) error {
	subs, err := r.ec2.ResolveSubnets(p, subnetIDs)
	if err != nil {
		return err
	}
	vpc, err := ec2.SubnetsVPC(subs, "")
	if err != nil {
		return err
	}
	if vpc == "" {
		// Subnets of unknown VPC are taken to be in the default VPC.
		vpc = ec2.DefaultVPCOf(p.Account, p.Region).ID
	}
	zones, err := ec2.SubnetZones(subs)
	if err != nil {
		return err
	}
	if sgsGiven && len(sgs) == 0 {
		return query.Validation("SecurityGroups must contain at least one group")
	}
	if len(sgs) == 0 {
		sgs = []string{ec2.VPCDefaultGroup(p.Account, p.Region, vpc)}
	} else if err := r.ec2.CheckSecurityGroups(p, vpc, sgs); err != nil {
		return err
	}
	lb.VPCID, lb.Subnets, lb.Zones, lb.SecurityGroups = vpc, subnetIDs, zones, sgs
	lb.SourceGroup, err = sourceGroup(p, vpc, sgs)
	return err
}

// placeInDefaultVPC fills a new balancer created with AvailabilityZones: the default VPC, its
// default subnet in each zone, and the security group Elastic Load Balancing provides there.
func placeInDefaultVPC(p *store.Part, lb *store.ClassicBalancer, zones []string, given bool) error {
	if given && len(zones) == 0 {
		return query.Validation("AvailabilityZones must contain at least one zone")
	}
	if len(zones) == 0 {
		zones = []string{p.Region + "a"}
	}
	for _, z := range zones {
		if !ec2.ValidZone(p.Region, z) {
			return query.Validation("Invalid Availability Zone '%s' for region %s", z, p.Region)
		}
	}
	dv := ec2.DefaultVPCOf(p.Account, p.Region)
	lb.VPCID, lb.Zones, lb.Subnets = dv.ID, zones, nil
	for _, z := range zones {
		lb.Subnets = append(lb.Subnets, dv.Subnet(z))
	}
	lb.SecurityGroups = []string{dv.ELBSecurityGroupID}
	lb.SourceGroup = store.ClassicSourceGroup{OwnerAlias: p.Account, GroupName: dv.ELBSecurityGroupName}
	return nil
}

// sourceGroup is the source security group AWS reports for a balancer in a VPC: its first
// security group, owned by the account, by name (the id stands in for a group declared
// without a name).
func sourceGroup(p *store.Part, vpc string, sgs []string) (store.ClassicSourceGroup, error) {
	if len(sgs) == 0 {
		return store.ClassicSourceGroup{}, nil
	}
	g, err := ec2.LookupGroup(p, vpc, sgs[0])
	if err != nil {
		return store.ClassicSourceGroup{}, err
	}
	name := sgs[0]
	if g != nil && g.Name != "" {
		name = g.Name
	}
	return store.ClassicSourceGroup{OwnerAlias: p.Account, GroupName: name}, nil
}
