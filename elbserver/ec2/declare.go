package ec2

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// The Declare shortcuts write, from Go, the same records the API writes.

// maxGroupName is EC2's limit on a security group's name and description.
const maxGroupName = 255

// DeclareInstance records a live instance so that strict mode accepts it, and so that
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
	return r.env.Store.Update(account, region, func(p *store.Part) error {
		// Declared again after its termination, it is live again.
		if _, err := store.TerminatedInstances.Delete(p, inst.ID); err != nil {
			return err
		}
		return store.Instances.Put(p, inst.ID, &inst)
	})
}

// DeclareSubnet records a subnet with its VPC, zone and, optionally, CIDR block (which
// instances launched in it need).
func (r *Room) DeclareSubnet(account, region string, sub store.Subnet) error {
	if !SubnetIDRE.MatchString(sub.ID) {
		return fmt.Errorf("elbserver: invalid subnet id %q", sub.ID)
	}
	if sub.AvailabilityZone != "" && !ValidZone(region, sub.AvailabilityZone) {
		return fmt.Errorf("elbserver: subnet %s: zone %q is not in region %s", sub.ID, sub.AvailabilityZone, region)
	}
	if sub.CIDR != "" {
		if _, err := parseCIDR(sub.CIDR); err != nil {
			return fmt.Errorf("elbserver: subnet %s: %w", sub.ID, err)
		}
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

// DeclareTags sets tags on an existing VPC, subnet, security group or instance, as
// CreateTags does and with its checks (the lbcloud:address tag's value included).
func (r *Room) DeclareTags(account, region, resourceID string, tags map[string]string) error {
	list := make([]store.Tag, 0, len(tags))
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		list = append(list, store.Tag{Key: k, Value: tags[k]})
	}
	if err := checkTags(list); err != nil {
		return err
	}
	return r.env.Store.Update(account, region, func(p *store.Part) error {
		if err := r.checkExists(p, resourceID); err != nil {
			return err
		}
		return addTags(p, resourceID, list)
	})
}
