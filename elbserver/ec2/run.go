package ec2

import (
	"cmp"
	"net/netip"
	"regexp"
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	// maxLaunch bounds the instances one RunInstances launches, whatever the account limit.
	maxLaunch = 1000
	// defaultInstanceType is what EC2 launches when no type is given.
	defaultInstanceType = "m1.small"
)

var instanceTypeRE = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)

// runRequest is a RunInstances request, checked.
type runRequest struct {
	image, itype, key, subnet, zone, ip, token string
	min, max                                   int
	groupIDs, groupNames                       []string
	tags                                       []store.Tag
}

func readRun(p query.Params) (runRequest, error) {
	var q runRequest
	var err error
	if p.HasPrefix("NetworkInterface.") {
		return q, invalid("NetworkInterface is not served by this endpoint: give SubnetId, PrivateIpAddress and SecurityGroupId instead")
	}
	if q.image, err = required(p, "ImageId", 64); err != nil {
		return q, err
	}
	if !imageIDRE.MatchString(q.image) {
		return q, fail("InvalidAMIID.Malformed", "Invalid id: \"%s\" (expecting \"ami-...\")", q.image)
	}
	q.itype = cmp.Or(p["InstanceType"], defaultInstanceType)
	if !instanceTypeRE.MatchString(q.itype) || len(q.itype) > 64 {
		return q, invalid("Invalid value '%s' for InstanceType.", q.itype)
	}
	for _, count := range []struct {
		name string
		dst  *int
	}{{"MinCount", &q.min}, {"MaxCount", &q.max}} {
		n, present, err := integer(p, count.name, 1, maxLaunch)
		if err != nil {
			return q, err
		}
		if !present {
			return q, query.Missing(count.name)
		}
		*count.dst = n
	}
	if q.min > q.max {
		return q, invalid("Value (%d) for parameter minCount is invalid. Expected a value less than or equal to maxCount (%d).", q.min, q.max)
	}
	if q.key, err = text(p, "KeyName", 255); err != nil {
		return q, err
	}
	if q.token, err = text(p, "ClientToken", 64); err != nil {
		return q, err
	}
	q.subnet, q.zone, q.ip = p["SubnetId"], p["Placement.AvailabilityZone"], p["PrivateIpAddress"]
	if q.subnet != "" && !SubnetIDRE.MatchString(q.subnet) {
		return q, fail("InvalidSubnetID.Malformed", "Invalid id: \"%s\"", q.subnet)
	}
	if q.ip != "" {
		if a, err := netip.ParseAddr(q.ip); err != nil || !a.Is4() {
			return q, invalid("Value (%s) for parameter privateIpAddress is invalid. Expected an IPv4 address.", q.ip)
		}
		if q.max > 1 {
			return q, fail("InvalidParameterCombination", "A private IP address can be given only when launching one instance")
		}
	}
	if q.groupIDs, err = ids(p, "SecurityGroupId", SecurityGroupIDRE, "InvalidGroupId.Malformed"); err != nil {
		return q, err
	}
	if q.groupNames, err = p.EC2List("SecurityGroup"); err != nil {
		return q, err
	}
	q.tags, err = tagSpecs(p, "instance")
	return q, err
}

// runInstances launches instances, running at once: the reply says pending, as EC2's does,
// and every later describe says running.
func (r *Room) runInstances(c *query.Call) (any, error) {
	q, err := readRun(c.Params)
	if err != nil {
		return nil, err
	}
	var res xmlReservation
	return &res, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		now := r.env.Now()
		if err := forgetTerminated(p, now); err != nil {
			return err
		}
		if done, err := r.sameToken(p, q.token, &res); done || err != nil {
			return err
		}
		sub, err := launchSubnet(p, q.subnet, q.zone)
		if err != nil {
			return err
		}
		groups, err := launchGroups(p, sub, q.groupIDs, q.groupNames)
		if err != nil {
			return err
		}
		live, err := store.Instances.Count(p)
		if err != nil {
			return err
		}
		limit := r.env.Limits.Get(limitInstances)
		n := min(q.max, limit-live)
		if n < q.min {
			return fail("InstanceLimitExceeded", "You have requested more instances (%d) than your current instance limit of %d allows (%d running).", q.min, limit, live)
		}
		ips, err := allocate(p, sub, q.ip, n, q.min)
		if err != nil {
			return err
		}
		names, err := groupNames(p)
		if err != nil {
			return err
		}
		res = xmlReservation{ReservationID: newID("r"), OwnerID: p.Account}
		for k, ip := range ips {
			inst := store.Instance{
				ID: newID("i"), PrivateIP: ip, SubnetID: sub.ID, VPCID: sub.VPCID, AvailabilityZone: sub.AvailabilityZone,
				ImageID: q.image, Type: q.itype, KeyName: q.key, SecurityGroups: groups,
				ReservationID: res.ReservationID, LaunchIndex: k, ClientToken: q.token, Launched: now,
			}
			if err := store.Instances.Put(p, inst.ID, &inst); err != nil {
				return err
			}
			if err := addTags(p, inst.ID, q.tags); err != nil {
				return err
			}
			res.Instances = append(res.Instances, renderInstance(p, instanceRow{Instance: inst}, statePending, names, q.tags).xmlInstance)
		}
		return nil
	})
}

// sameToken answers a RunInstances retried with the token of one that succeeded with that
// launch's reservation, as it is now, instead of launching again.
func (r *Room) sameToken(p *store.Part, token string, res *xmlReservation) (bool, error) {
	if token == "" {
		return false, nil
	}
	rows, err := allInstances(p, r.env.Now())
	if err != nil {
		return false, err
	}
	rows = slices.DeleteFunc(rows, func(i instanceRow) bool { return i.ClientToken != token })
	if len(rows) == 0 {
		return false, nil
	}
	names, err := groupNames(p)
	if err != nil {
		return false, err
	}
	slices.SortFunc(rows, func(a, b instanceRow) int { return a.LaunchIndex - b.LaunchIndex })
	*res = xmlReservation{ReservationID: rows[0].ReservationID, OwnerID: p.Account}
	res.Instances, err = rendered(p, rows, func(i instanceRow) string { return i.ID }, func(i instanceRow, tags []store.Tag) xmlInstance {
		return renderInstance(p, i, i.state(), names, tags).xmlInstance
	})
	return true, err
}

// launchSubnet is the subnet instances launch in: the one given, else the default subnet of
// the zone given, else of the region's first zone.
func launchSubnet(p *store.Part, id, zone string) (*store.Subnet, error) {
	var sub *store.Subnet
	if id != "" {
		s, err := findSubnet(p, id)
		if err != nil {
			return nil, err
		}
		if s == nil {
			return nil, notFound(id)
		}
		if zone != "" && zone != s.AvailabilityZone {
			return nil, invalid("Subnet %s is in %s, not in the zone given, %s", id, s.AvailabilityZone, zone)
		}
		sub = s
	} else {
		zone = cmp.Or(zone, p.Region+"a")
		if !ValidZone(p.Region, zone) {
			return nil, invalid("Invalid availability zone: [%s]", zone)
		}
		s, err := findSubnet(p, DefaultVPCOf(p.Account, p.Region).Subnet(zone))
		if err != nil {
			return nil, err
		}
		sub = s
	}
	if sub.CIDR == "" {
		return nil, invalid("Subnet %s was declared without a CIDR block: instances cannot be launched in it", sub.ID)
	}
	return sub, nil
}

// launchGroups checks the groups given by id or (in the default VPC only) by name against
// the subnet's VPC; none given is the VPC's default group.
func launchGroups(p *store.Part, sub *store.Subnet, ids, names []string) ([]string, error) {
	dv := DefaultVPCOf(p.Account, p.Region)
	if len(names) > 0 {
		if sub.VPCID != dv.ID {
			return nil, fail("InvalidParameterCombination", "The parameter groupName cannot be used with the parameter subnet")
		}
		groups, err := allGroups(p)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			id, err := defaultVPCGroup(groups, dv, name)
			if err != nil {
				return nil, err
			}
			ids = append(ids, id)
		}
	}
	for _, id := range ids {
		g, err := findGroup(p, id)
		if err != nil {
			return nil, err
		}
		if g == nil {
			return nil, notFound(id)
		}
		if g.VPCID != sub.VPCID {
			return nil, fail("InvalidParameter", "Security group %s and subnet %s belong to different networks.", id, sub.ID)
		}
	}
	if len(ids) == 0 {
		return []string{VPCDefaultGroup(p.Account, p.Region, sub.VPCID)}, nil
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// reservedAddresses are those AWS keeps in every subnet: the first four and the last.
const reservedAddresses = 5

// allocate returns the private addresses of the instances to launch in sub: want when given,
// else the lowest free ones, at least min and at most n.
func allocate(p *store.Part, sub *store.Subnet, want string, n, min int) ([]string, error) {
	pfx := netip.MustParsePrefix(sub.CIDR)
	used := map[netip.Addr]bool{}
	err := store.Instances.ForEach(p, func(_ string, i *store.Instance) error {
		if vpc, _, _ := where(p, *i); vpc == sub.VPCID {
			if a, err := netip.ParseAddr(i.PrivateIP); err == nil {
				used[a] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	first := pfx.Addr().Next().Next().Next().Next()
	last := lastAddr(pfx).Prev()
	if want != "" {
		a := netip.MustParseAddr(want)
		switch {
		case !pfx.Contains(a):
			return nil, invalid("Address %s does not fall within the subnet's address range", want)
		case a.Less(first) || last.Less(a):
			return nil, invalid("Address %s is in subnet's reserved address range", want)
		case used[a]:
			return nil, fail("InvalidIPAddress.InUse", "Address %s is in use.", want)
		}
		return []string{want}, nil
	}
	var out []string
	for a := first; len(out) < n && !last.Less(a); a = a.Next() {
		if !used[a] {
			out = append(out, a.String())
		}
	}
	if len(out) < min {
		return nil, fail("InsufficientFreeAddressesInSubnet", "There are not enough free addresses in subnet '%s' to satisfy the requested number of instances.", sub.ID)
	}
	return out, nil
}

// lastAddr is the highest address of an IPv4 prefix.
func lastAddr(pfx netip.Prefix) netip.Addr {
	b := pfx.Addr().As4()
	host := uint32(1)<<(32-pfx.Bits()) - 1
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) | host
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
