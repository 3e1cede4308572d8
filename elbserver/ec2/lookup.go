package ec2

import (
	"net/http"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Lookups for the other rooms. Outside strict mode, well-formed but undeclared ids are
// accepted, as they would be on an account whose resources the endpoint was never told about.

// ResolveSubnets returns the subnets with their zone and VPC. The default VPC's subnets are
// always known; other undeclared but well-formed subnets are accepted outside strict mode, in
// zone REGIONa and with an unknown VPC. An unknown subnet is SubnetNotFound.
func (r *Room) ResolveSubnets(p *store.Part, ids []string) ([]store.Subnet, error) {
	dv := DefaultVPCOf(p.Account, p.Region)
	out := make([]store.Subnet, 0, len(ids))
	for _, id := range ids {
		sub, err := store.Subnets.Get(p, id)
		if err != nil {
			return nil, err
		}
		if sub == nil {
			if zone, isDefault := dv.subnetZone(id); isDefault {
				out = append(out, store.Subnet{ID: id, VPCID: dv.ID, AvailabilityZone: zone})
				continue
			}
			if r.env.Strict || !SubnetIDRE.MatchString(id) {
				return nil, query.Errorf(http.StatusBadRequest, "SubnetNotFound", "The subnet '%s' was not found", id)
			}
			sub = &store.Subnet{ID: id}
		}
		if sub.AvailabilityZone == "" {
			sub.AvailabilityZone = p.Region + "a"
		}
		out = append(out, *sub)
	}
	return out, nil
}

// SubnetsVPC returns the single VPC of the declared subnets (current if none declares one),
// refusing a mix of VPCs with InvalidSubnet.
func SubnetsVPC(subs []store.Subnet, current string) (string, error) {
	vpc := current
	for _, sub := range subs {
		if sub.VPCID == "" {
			continue
		}
		if vpc != "" && vpc != sub.VPCID {
			return "", query.Errorf(http.StatusBadRequest, "InvalidSubnet", "Subnet %s is in %s, not in the load balancer's VPC %s", sub.ID, sub.VPCID, vpc)
		}
		vpc = sub.VPCID
	}
	return vpc, nil
}

// SubnetZones lists the zones of subnets; AWS allows one subnet per zone, which is enforced
// for declared subnets (undeclared ones share REGIONa).
func SubnetZones(subs []store.Subnet) ([]string, error) {
	byZone := map[string]string{}
	var zones []string
	for _, sub := range subs {
		if prev, ok := byZone[sub.AvailabilityZone]; ok {
			if sub.VPCID != "" && prev != "" {
				return nil, query.Errorf(http.StatusConflict, "InvalidConfigurationRequest", "Subnets %s and %s are in the same Availability Zone %s; only one subnet per zone is allowed", prev, sub.ID, sub.AvailabilityZone)
			}
			continue
		}
		if sub.VPCID != "" {
			byZone[sub.AvailabilityZone] = sub.ID
		} else {
			byZone[sub.AvailabilityZone] = ""
		}
		zones = append(zones, sub.AvailabilityZone)
	}
	return zones, nil
}

// LookupGroup finds a security group: declared ones, the default VPC's two groups, and the
// "default" group of vpc (a balancer's VPC).
func LookupGroup(p *store.Part, vpc, id string) (*store.SecurityGroup, error) {
	g, err := store.SecurityGroups.Get(p, id)
	if g != nil || err != nil {
		return g, err
	}
	dv := DefaultVPCOf(p.Account, p.Region)
	switch id {
	case dv.SecurityGroupID:
		return &store.SecurityGroup{VPCID: dv.ID, Name: "default"}, nil
	case dv.ELBSecurityGroupID:
		return &store.SecurityGroup{VPCID: dv.ID, Name: dv.ELBSecurityGroupName}, nil
	}
	if vpc != "" && id == VPCDefaultGroup(p.Account, p.Region, vpc) {
		return &store.SecurityGroup{VPCID: vpc, Name: "default"}, nil
	}
	return nil, nil
}

// CheckSecurityGroups refuses, with InvalidSecurityGroup, a group that is unknown (in strict
// mode, or malformed) or belongs to another VPC than vpc.
func (r *Room) CheckSecurityGroups(p *store.Part, vpc string, ids []string) error {
	for _, id := range ids {
		g, err := LookupGroup(p, vpc, id)
		if err != nil {
			return err
		}
		if g == nil && (r.env.Strict || !SecurityGroupIDRE.MatchString(id)) {
			return query.Errorf(http.StatusBadRequest, "InvalidSecurityGroup", "The security group '%s' does not exist", id)
		}
		if g != nil && g.VPCID != "" && g.VPCID != vpc {
			return query.Errorf(http.StatusBadRequest, "InvalidSecurityGroup", "The security group '%s' does not belong to VPC %s", id, vpc)
		}
	}
	return nil
}

// LookupInstance returns the live instance id with its VPC, subnet and zone as
// DescribeInstances reports them (declared instances may leave them out); nil when the
// instance is unknown or terminated.
func LookupInstance(p *store.Part, id string) (*store.Instance, error) {
	inst, err := store.Instances.Get(p, id)
	if inst == nil || err != nil {
		return nil, err
	}
	inst.VPCID, inst.SubnetID, inst.AvailabilityZone = where(p, *inst)
	return inst, nil
}
