package elbv2

import (
	"context"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// AttachMembers registers members with the balancer's member group (see ListMembers) in one
// RegisterTargets call and returns them as registered. With a group of instance targets, a
// member given only by IP is the instance that holds the address (EC2 DescribeInstances, by
// private then public address); with a group of ip targets, it is the address itself.
func (d *lbDriver) AttachMembers(ctx context.Context, id string, members []driver.Member) ([]driver.Member, error) {
	tg, err := d.memberGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := d.targetsOf(ctx, tg.TargetType, members)
	if err != nil {
		return nil, err
	}
	if err := d.c.RegisterTargets(ctx, aws.ToString(tg.TargetGroupArn), targetList(ms)...); err != nil {
		return nil, err
	}
	for i := range ms {
		if ms[i].Port == 0 {
			ms[i].Port = int(aws.ToInt32(tg.Port))
		}
	}
	return ms, nil
}

// DetachMembers deregisters members from the member group in one DeregisterTargets call. A
// member given without a port is deregistered on every port it is registered on, which
// takes one DescribeTargetHealth call first.
func (d *lbDriver) DetachMembers(ctx context.Context, id string, members []driver.Member) error {
	tg, err := d.memberGroup(ctx, id)
	if err != nil {
		return err
	}
	ms, err := d.targetsOf(ctx, tg.TargetType, members)
	if err != nil {
		return err
	}
	arn := aws.ToString(tg.TargetGroupArn)
	var targets []types.TargetDescription
	var registered map[string][]int32 // ports by target ID, read only when needed
	for _, m := range ms {
		if m.Port != 0 {
			targets = append(targets, Target(m.ID, int32(m.Port)))
			continue
		}
		if registered == nil {
			hs, err := d.c.TargetHealth(ctx, arn)
			if err != nil {
				return err
			}
			registered = map[string][]int32{}
			for _, h := range hs {
				if h.Target != nil {
					registered[aws.ToString(h.Target.Id)] = append(registered[aws.ToString(h.Target.Id)], aws.ToInt32(h.Target.Port))
				}
			}
		}
		ports := registered[m.ID]
		if len(ports) == 0 {
			ports = []int32{0} // not registered: let ELBv2 answer for the group's port
		}
		for _, p := range ports {
			targets = append(targets, Target(m.ID, p))
		}
	}
	return d.c.DeregisterTargets(ctx, arn, targets...)
}

// ListMembers lists the targets of the balancer's member group, the target group its first
// listener (by port) forwards to by default, with their health: healthy is ENABLED,
// unhealthy and unavailable DISABLED, unhealthy.draining DRAINING, initial and unused
// UNKNOWN; Member.Health and Reason keep ELBv2's state, reason code and description. A
// target in state draining is being deregistered: it was detached and is no member, though
// DescribeTargetHealth lists it for the group's deregistration delay (as Classic ELB stops
// listing an instance the moment it is deregistered, whatever its connection draining).
func (d *lbDriver) ListMembers(ctx context.Context, id string) ([]driver.Member, error) {
	tg, err := d.memberGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	hs, err := d.c.TargetHealth(ctx, aws.ToString(tg.TargetGroupArn))
	if err != nil {
		return nil, err
	}
	ms := make([]driver.Member, 0, len(hs))
	for _, h := range hs {
		if h.TargetHealth != nil && h.TargetHealth.State == types.TargetHealthStateEnumDraining {
			continue
		}
		ms = append(ms, toMember(h, tg.TargetType == types.TargetTypeEnumIp))
	}
	return ms, nil
}

// targetsOf turns members into targets of a group of type tt: IDs filled in, each
// address resolved to its instance for an instance group, each address its own ID for an
// ip group.
func (d *lbDriver) targetsOf(ctx context.Context, tt types.TargetTypeEnum, members []driver.Member) ([]driver.Member, error) {
	switch tt {
	case types.TargetTypeEnumIp:
		out := make([]driver.Member, len(members))
		for i, m := range members {
			addr := m.IP
			if addr == "" {
				addr = m.ID
			}
			if _, err := netip.ParseAddr(addr); err != nil {
				return nil, driver.Invalid(d.Provider(), "member %d (%s): the target group takes IP addresses, not instances", i+1, m.ID)
			}
			out[i] = m
			out[i].ID, out[i].IP = addr, addr
		}
		return out, nil
	case types.TargetTypeEnumInstance, "":
		return d.ec2.ResolveMembers(ctx, members)
	}
	return nil, driver.Unsupported(d.Provider(), "the member target group has %s targets; members are instances or IP addresses", tt)
}

// planTargets chooses the target type of a new member group and resolves the members: ip
// when every member is given only by an address that no instance holds (each must then be
// an address ELBv2 accepts as a target), instance otherwise.
func (d *lbDriver) planTargets(ctx context.Context, members []driver.Member) (types.TargetTypeEnum, []driver.Member, error) {
	var ips []string
	for _, m := range members {
		if m.ID != "" {
			ips = nil
			break
		}
		ips = append(ips, m.IP)
	}
	if len(ips) == 0 {
		ms, err := d.targetsOf(ctx, types.TargetTypeEnumInstance, members)
		return types.TargetTypeEnumInstance, ms, err
	}
	found, err := d.ec2.InstancesByIP(ctx, ips)
	if err != nil {
		return "", nil, err
	}
	if len(found) > 0 {
		ms, err := d.ec2.FillMembers(members, found)
		return types.TargetTypeEnumInstance, ms, err
	}
	for _, ip := range ips {
		if !ipTargetable(ip) {
			return "", nil, d.c.notFound("DescribeInstances", "InstanceNotFound",
				"no EC2 instance in %s has the address %s, and a publicly routable address cannot be an ip target", d.c.region, ip)
		}
	}
	ms, err := d.targetsOf(ctx, types.TargetTypeEnumIp, members)
	return types.TargetTypeEnumIp, ms, err
}

// sharedSpace is RFC 6598's carrier-grade NAT range, which ELBv2 accepts as ip targets
// beside the private ranges.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// ipTargetable reports an address ELBv2 accepts as an ip target from any VPC: private
// (RFC 1918, IPv6 unique local) or shared address space.
func ipTargetable(ip string) bool {
	a, err := netip.ParseAddr(ip)
	return err == nil && (a.IsPrivate() || sharedSpace.Contains(a.Unmap()))
}

// targetList is the targets of members; a member without a port takes the group's.
func targetList(ms []driver.Member) []types.TargetDescription {
	out := make([]types.TargetDescription, len(ms))
	for i, m := range ms {
		out[i] = Target(m.ID, int32(m.Port))
	}
	return out
}
