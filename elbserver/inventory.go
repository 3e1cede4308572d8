package elbserver

import (
	"fmt"
	"net/http"
	"net/netip"
)

// Instance is an EC2 instance declared to the endpoint (see DeclareInstance).
type Instance struct {
	ID, PrivateIP, PublicIP, SubnetID, VPCID, AvailabilityZone string
}

// Subnet is a VPC subnet declared to the endpoint (see DeclareSubnet).
type Subnet struct {
	ID, VPCID, AvailabilityZone string
}

// DeclareInstance records an instance so that strict mode accepts it, and so
// that EC2 DescribeInstances reports it.
func (s *Server) DeclareInstance(account, region string, inst Instance) error {
	if !instanceRE.MatchString(inst.ID) {
		return fmt.Errorf("elbserver: invalid instance id %q", inst.ID)
	}
	for _, ip := range []string{inst.PrivateIP, inst.PublicIP} {
		if ip != "" {
			if _, err := netip.ParseAddr(ip); err != nil {
				return fmt.Errorf("elbserver: instance %s: invalid IP address %q", inst.ID, ip)
			}
		}
	}
	account, region = s.resolve(account, region)
	return s.st.update(account, region, func(p *part) error { return p.putJSON(bucketInst, inst.ID, inst) })
}

// DeclareSubnet records a subnet with its VPC and zone.
func (s *Server) DeclareSubnet(account, region string, sub Subnet) error {
	if !subnetRE.MatchString(sub.ID) {
		return fmt.Errorf("elbserver: invalid subnet id %q", sub.ID)
	}
	account, region = s.resolve(account, region)
	if sub.AvailabilityZone != "" && !validZone(region, sub.AvailabilityZone) {
		return fmt.Errorf("elbserver: subnet %s: zone %q is not in region %s", sub.ID, sub.AvailabilityZone, region)
	}
	return s.st.update(account, region, func(p *part) error { return p.putJSON(bucketSubnet, sub.ID, sub) })
}

// DeclareSecurityGroup records a security group belonging to vpcID.
func (s *Server) DeclareSecurityGroup(account, region, groupID, vpcID string) error {
	return s.DeclareSecurityGroupNamed(account, region, groupID, vpcID, "")
}

// DeclareSecurityGroupNamed records a security group with its name, which
// DescribeLoadBalancers reports as the SourceSecurityGroup of a balancer
// whose first group it is.
func (s *Server) DeclareSecurityGroupNamed(account, region, groupID, vpcID, name string) error {
	if !sgRE.MatchString(groupID) {
		return fmt.Errorf("elbserver: invalid security group id %q", groupID)
	}
	account, region = s.resolve(account, region)
	return s.st.update(account, region, func(p *part) error {
		return p.putJSON(bucketSG, groupID, sgRec{VPCID: vpcID, Name: name})
	})
}

// SetInstanceHealth overrides the state DescribeInstanceHealth reports for a
// registered instance. state is InService, OutOfService or Unknown.
func (s *Server) SetInstanceHealth(account, region, lbName, instanceID, state, reasonCode, description string) error {
	switch state {
	case "InService", "OutOfService", "Unknown":
	default:
		return fmt.Errorf("elbserver: invalid instance state %q", state)
	}
	account, region = s.resolve(account, region)
	return s.st.update(account, region, func(p *part) error {
		lb, err := p.getLB(lbName)
		if err != nil {
			return err
		}
		if lb == nil {
			return fmt.Errorf("elbserver: no load balancer %q in %s/%s", lbName, account, region)
		}
		if !lb.hasInstance(instanceID) {
			return fmt.Errorf("elbserver: instance %s is not registered with %s", instanceID, lbName)
		}
		if lb.Health == nil {
			lb.Health = map[string]healthRec{}
		}
		lb.Health[instanceID] = healthRec{State: state, ReasonCode: reasonCode, Description: description}
		return p.putLB(lb)
	})
}

// resolveSubnets returns the subnets with their zone and VPC. The default
// VPC's subnets are always known; other undeclared but well-formed subnets
// are accepted outside strict mode, in zone REGIONa and with an unknown VPC.
func (s *Server) resolveSubnets(p *part, ids []string) ([]Subnet, error) {
	dv := defaultVPCOf(p.account, p.region)
	out := make([]Subnet, 0, len(ids))
	for _, id := range ids {
		var sub Subnet
		ok, err := p.getJSON(bucketSubnet, id, &sub)
		if err != nil {
			return nil, err
		}
		if !ok {
			if zone, isDefault := dv.subnetZone(id); isDefault {
				out = append(out, Subnet{ID: id, VPCID: dv.ID, AvailabilityZone: zone})
				continue
			}
			if s.strict || !subnetRE.MatchString(id) {
				return nil, errf(http.StatusBadRequest, "SubnetNotFound", "The subnet '%s' was not found", id)
			}
			sub = Subnet{ID: id}
		}
		if sub.AvailabilityZone == "" {
			sub.AvailabilityZone = p.region + "a"
		}
		out = append(out, sub)
	}
	return out, nil
}

// subnetsVPC returns the single VPC of the declared subnets ("" if none
// declares one), refusing a mix of VPCs.
func subnetsVPC(subs []Subnet, current string) (string, error) {
	vpc := current
	for _, sub := range subs {
		if sub.VPCID == "" {
			continue
		}
		if vpc != "" && vpc != sub.VPCID {
			return "", errf(http.StatusBadRequest, "InvalidSubnet", "Subnet %s is in %s, not in the load balancer's VPC %s", sub.ID, sub.VPCID, vpc)
		}
		vpc = sub.VPCID
	}
	return vpc, nil
}

func (s *Server) checkSecurityGroups(p *part, vpc string, ids []string) error {
	for _, id := range ids {
		g, ok, err := lookupGroup(p, vpc, id)
		if err != nil {
			return err
		}
		if !ok && (s.strict || !sgRE.MatchString(id)) {
			return errf(http.StatusBadRequest, "InvalidSecurityGroup", "The security group '%s' does not exist", id)
		}
		if ok && g.VPCID != "" && g.VPCID != vpc {
			return errf(http.StatusBadRequest, "InvalidSecurityGroup", "The security group '%s' does not belong to VPC %s", id, vpc)
		}
	}
	return nil
}

// placeInVPC fills the VPC, subnets, zones and security groups of a new
// balancer created with Subnets.
func (s *Server) placeInVPC(p *part, lb *lbRecord, subnetIDs, sgs []string, sgsGiven bool) error {
	subs, err := s.resolveSubnets(p, subnetIDs)
	if err != nil {
		return err
	}
	vpc, err := subnetsVPC(subs, "")
	if err != nil {
		return err
	}
	if vpc == "" {
		// Subnets of unknown VPC are taken to be in the default VPC.
		vpc = defaultVPCOf(p.account, p.region).ID
	}
	zones, err := subnetZones(subs)
	if err != nil {
		return err
	}
	if sgsGiven && len(sgs) == 0 {
		return errValidation("SecurityGroups must contain at least one group")
	}
	if len(sgs) == 0 {
		sgs = []string{vpcDefaultGroup(p.account, p.region, vpc)}
	} else if err := s.checkSecurityGroups(p, vpc, sgs); err != nil {
		return err
	}
	lb.VPCID, lb.Subnets, lb.Zones, lb.SecurityGroups = vpc, subnetIDs, zones, sgs
	lb.SourceGroup, err = sourceGroup(p, vpc, sgs)
	return err
}

// placeInDefaultVPC fills a new balancer created with AvailabilityZones:
// the default VPC, its default subnet in each zone, and the security group
// Elastic Load Balancing provides there.
func placeInDefaultVPC(p *part, lb *lbRecord, zones []string, given bool) error {
	if given && len(zones) == 0 {
		return errValidation("AvailabilityZones must contain at least one zone")
	}
	if len(zones) == 0 {
		zones = []string{p.region + "a"}
	}
	for _, z := range zones {
		if !validZone(p.region, z) {
			return errValidation("Invalid Availability Zone '%s' for region %s", z, p.region)
		}
	}
	dv := defaultVPCOf(p.account, p.region)
	lb.VPCID, lb.Zones, lb.Subnets = dv.ID, zones, nil
	for _, z := range zones {
		lb.Subnets = append(lb.Subnets, dv.Subnet(z))
	}
	lb.SecurityGroups = []string{dv.ELBSecurityGroupID}
	lb.SourceGroup = sourceSecurityGroupRe{OwnerAlias: p.account, GroupName: dv.ELBSecurityGroupName}
	return nil
}

// subnetZones lists the zones of subnets; AWS allows one subnet per zone,
// which is enforced for declared subnets (undeclared ones share REGIONa).
func subnetZones(subs []Subnet) ([]string, error) {
	byZone := map[string]string{}
	var zones []string
	for _, sub := range subs {
		if prev, ok := byZone[sub.AvailabilityZone]; ok {
			if sub.VPCID != "" && prev != "" {
				return nil, errConfig("Subnets %s and %s are in the same Availability Zone %s; only one subnet per zone is allowed", prev, sub.ID, sub.AvailabilityZone)
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
