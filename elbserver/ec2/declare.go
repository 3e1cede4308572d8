package ec2

import (
	"fmt"
	"net/netip"
	"regexp"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Id syntax: 8 or 17 hexadecimal digits after the prefix.
var (
	InstanceIDRE      = regexp.MustCompile(`^i-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	SubnetIDRE        = regexp.MustCompile(`^subnet-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
	SecurityGroupIDRE = regexp.MustCompile(`^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$`)
)

// maxGroupName is EC2's limit on a security group name.
const maxGroupName = 255

// DeclareInstance records an instance so that strict mode accepts it, and so that
// DescribeInstances reports it.
func (r *Room) DeclareInstance(account, region string, inst store.Instance) error {
	if !InstanceIDRE.MatchString(inst.ID) {
		return fmt.Errorf("elbserver: invalid instance id %q", inst.ID)
	}
	for _, ip := range []string{inst.PrivateIP, inst.PublicIP} {
		if ip != "" {
			if _, err := netip.ParseAddr(ip); err != nil {
				return fmt.Errorf("elbserver: instance %s: invalid IP address %q", inst.ID, ip)
			}
		}
	}
	return r.env.Store.Update(account, region, func(p *store.Part) error { return store.Instances.Put(p, inst.ID, &inst) })
}

// DeclareSubnet records a subnet with its VPC and zone.
func (r *Room) DeclareSubnet(account, region string, sub store.Subnet) error {
	if !SubnetIDRE.MatchString(sub.ID) {
		return fmt.Errorf("elbserver: invalid subnet id %q", sub.ID)
	}
	if sub.AvailabilityZone != "" && !ValidZone(region, sub.AvailabilityZone) {
		return fmt.Errorf("elbserver: subnet %s: zone %q is not in region %s", sub.ID, sub.AvailabilityZone, region)
	}
	return r.env.Store.Update(account, region, func(p *store.Part) error { return store.Subnets.Put(p, sub.ID, &sub) })
}

// DeclareSecurityGroup records a security group of vpcID, with its name ("" for none).
func (r *Room) DeclareSecurityGroup(account, region, groupID, vpcID, name string) error {
	if !SecurityGroupIDRE.MatchString(groupID) {
		return fmt.Errorf("elbserver: invalid security group id %q", groupID)
	}
	if len(name) > maxGroupName {
		return fmt.Errorf("elbserver: security group %s: name longer than %d characters", groupID, maxGroupName)
	}
	return r.env.Store.Update(account, region, func(p *store.Part) error {
		return store.SecurityGroups.Put(p, groupID, &store.SecurityGroup{VPCID: vpcID, Name: name})
	})
}
