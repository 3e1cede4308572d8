package elbv2

import (
	"net/netip"
	"regexp"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	schemeInternetFacing = "internet-facing"
	schemeInternal       = "internal"

	ipv4               = "ipv4"
	dualstack          = "dualstack"
	dualstackNoPublic4 = "dualstack-without-public-ipv4"

	// maxSecurityGroups per balancer, as EC2 allows per network interface.
	maxSecurityGroups = 5
	autoAssigned      = "auto_assigned"
)

var allocationIDRE = regexp.MustCompile(`^eipalloc-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)

// subnetMapping is a subnet and the addresses asked for in it.
type subnetMapping struct {
	Subnet, AllocationID, PrivateIPv4, IPv6, SourceNat string
}

// parseSubnets reads Subnets or SubnetMappings, exactly one of which must be given.
func parseSubnets(p query.Params) ([]subnetMapping, error) {
	ids, idsGiven, err := p.StrList("Subnets")
	if err != nil {
		return nil, err
	}
	var ms []subnetMapping
	_, mapsGiven, err := p.Structs("SubnetMappings", func(pre string) error {
		m := subnetMapping{Subnet: p[pre+"SubnetId"], AllocationID: p[pre+"AllocationId"],
			PrivateIPv4: p[pre+"PrivateIPv4Address"], IPv6: p[pre+"IPv6Address"], SourceNat: p[pre+"SourceNatIpv6Prefix"]}
		if m.Subnet == "" {
			return query.Missing(pre + "SubnetId")
		}
		ms = append(ms, m)
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case idsGiven && mapsGiven:
		return nil, query.Validation("You can specify subnets or subnet mappings, but not both")
	case idsGiven:
		if err := query.NonEmpty("Subnets", ids); err != nil {
			return nil, err
		}
		for _, id := range ids {
			ms = append(ms, subnetMapping{Subnet: id})
		}
	case !mapsGiven || len(ms) == 0:
		return nil, query.Validation("You must specify subnets or subnet mappings")
	}
	return ms, nil
}

// place puts lb in the subnets of ms: its zones and, at creation (lb.VPCID ""), its VPC. The
// addresses of a mapping are checked against the balancer's type and scheme.
func (r *Room) place(p *store.Part, lb *lbRec, ms []subnetMapping) error {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.Subnet
		for _, prev := range ms[:i] {
			if prev.Subnet == m.Subnet {
				return query.Validation("Subnet '%s' is specified more than once", m.Subnet)
			}
		}
		if err := r.checkMapping(lb, m); err != nil {
			return err
		}
	}
	pl, err := r.ec2.PlaceSubnetsV2(p, ids)
	if err != nil {
		return err
	}
	if lb.Type == typeALB && len(pl.Subnets) < 2 {
		return errConfig("At least two subnets in two different Availability Zones must be specified")
	}
	switch {
	case lb.VPCID == "":
		lb.VPCID, lb.VPCInferred = pl.VPC, pl.VPCInferred
	case !pl.VPCInferred && pl.VPC != lb.VPCID:
		return sender("InvalidSubnet", "The subnets are in VPC %s, not in the load balancer's VPC %s", pl.VPC, lb.VPCID)
	}
	lb.Zones = make([]store.V2Zone, len(ms))
	for i, m := range ms {
		lb.Zones[i] = store.V2Zone{Zone: pl.Subnets[i].AvailabilityZone, Subnet: m.Subnet, AllocationID: m.AllocationID,
			PrivateIPv4: m.PrivateIPv4, IPv6: m.IPv6, SourceNatIPv6: m.SourceNat}
	}
	return nil
}

// checkMapping checks the addresses of one subnet mapping: Elastic IPs only for
// internet-facing Network Load Balancers, private addresses only for internal ones, IPv6
// addresses and source NAT prefixes only for dual-stack ones.
func (r *Room) checkMapping(lb *lbRec, m subnetMapping) error {
	if lb.Type != typeNLB && (m.AllocationID != "" || m.PrivateIPv4 != "" || m.IPv6 != "" || m.SourceNat != "") {
		return errConfig("Addresses can be specified in subnet mappings of Network Load Balancers only")
	}
	if m.AllocationID != "" {
		if lb.Scheme == schemeInternal {
			return errConfig("Elastic IP addresses cannot be used with internal load balancers")
		}
		if !allocationIDRE.MatchString(m.AllocationID) || r.env.Strict {
			// The EC2 room declares no Elastic IPs: strict mode knows none.
			return sender("AllocationIdNotFound", "The allocation ID '%s' was not found", m.AllocationID)
		}
	}
	if m.PrivateIPv4 != "" {
		if a, err := netip.ParseAddr(m.PrivateIPv4); err != nil || !a.Is4() {
			return query.Validation("'%s' is not a valid IPv4 address", m.PrivateIPv4)
		}
		if lb.Scheme != schemeInternal {
			return errConfig("Private IPv4 addresses can be specified for internal load balancers only")
		}
	}
	if m.IPv6 != "" {
		if a, err := netip.ParseAddr(m.IPv6); err != nil || !a.Is6() || a.Is4In6() {
			return query.Validation("'%s' is not a valid IPv6 address", m.IPv6)
		}
		if lb.IPAddressType == ipv4 {
			return errConfig("IPv6 addresses can be specified for dualstack load balancers only")
		}
	}
	if m.SourceNat != "" {
		if pf, err := netip.ParsePrefix(m.SourceNat); m.SourceNat != autoAssigned && (err != nil || !pf.Addr().Is6() || pf.Bits() != 80) {
			return query.Validation("Source NAT prefix '%s' must be an IPv6 /80 prefix or %s", m.SourceNat, autoAssigned)
		}
		if lb.PrefixSourceNat != "on" {
			return errConfig("Source NAT prefixes need EnablePrefixForIpv6SourceNat on")
		}
	}
	return nil
}

// placeGroups sets lb's security groups: given ones, checked against its VPC; else the VPC's
// default group for an Application Load Balancer, and none for the others.
func (r *Room) placeGroups(p *store.Part, lb *lbRec, sgs []string, given bool) error {
	sgs = dedupe(sgs)
	switch {
	case lb.Type == typeGWLB && given:
		return errConfig("Security groups are not supported for Gateway Load Balancers")
	case len(sgs) > maxSecurityGroups:
		return errConfig("A load balancer can have at most %d security groups", maxSecurityGroups)
	case len(sgs) == 0 && lb.Type == typeALB:
		if given {
			return query.Validation("SecurityGroups must contain at least one security group")
		}
		lb.SecurityGroups = []string{ec2.VPCDefaultGroup(p.Account, p.Region, lb.VPCID)}
		return nil
	case len(sgs) == 0:
		lb.SecurityGroups = nil
		return nil
	}
	if err := r.ec2.CheckSecurityGroups(p, lb.VPCID, sgs); err != nil {
		return err
	}
	lb.SecurityGroups = sgs
	if lb.Type == typeNLB && lb.EnforcePrivateLink == "" {
		lb.EnforcePrivateLink = "on"
	}
	return nil
}

// checkIPAddressType checks an IP address type against a balancer's type and scheme.
func checkIPAddressType(lb *lbRec, t string) error {
	allowed := []string{ipv4, dualstack}
	if lb.Type == typeALB {
		allowed = append(allowed, dualstackNoPublic4)
	}
	if !oneOf(t, allowed...) {
		return enumError("IpAddressType", t, allowed...)
	}
	if t != ipv4 && lb.Scheme == schemeInternal {
		return errConfig("Internal load balancers must use the ipv4 IP address type")
	}
	return nil
}
