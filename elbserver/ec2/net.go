package ec2

import (
	"cmp"
	"slices"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// The partition's network as the API sees it: stored records plus the default VPC's derived
// ones, never stored.

// vpcRow is a VPC as described: a stored one, or the default VPC.
type vpcRow struct {
	store.VPC
	isDefault bool
}

// allVPCs lists the VPCs, sorted by id.
func allVPCs(p *store.Part) ([]vpcRow, error) {
	dv := DefaultVPCOf(p.Account, p.Region)
	out := []vpcRow{{VPC: store.VPC{ID: dv.ID, CIDR: defaultVPCCIDR}, isDefault: true}}
	err := store.VPCs.ForEach(p, func(_ string, v *store.VPC) error {
		out = append(out, vpcRow{VPC: *v})
		return nil
	})
	slices.SortFunc(out, func(a, b vpcRow) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// findVPC returns the VPC id, nil when there is none.
func findVPC(p *store.Part, id string) (*vpcRow, error) {
	if dv := DefaultVPCOf(p.Account, p.Region); id == dv.ID {
		return &vpcRow{VPC: store.VPC{ID: dv.ID, CIDR: defaultVPCCIDR}, isDefault: true}, nil
	}
	v, err := store.VPCs.Get(p, id)
	if v == nil || err != nil {
		return nil, err
	}
	return &vpcRow{VPC: *v}, nil
}

// allSubnets lists the subnets, stored and default, sorted by id.
func allSubnets(p *store.Part) ([]store.Subnet, error) {
	out := DefaultVPCOf(p.Account, p.Region).subnets()
	err := store.Subnets.ForEach(p, func(_ string, s *store.Subnet) error {
		out = append(out, *s)
		return nil
	})
	slices.SortFunc(out, func(a, b store.Subnet) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// findSubnet returns the subnet id, stored or default, nil when there is none.
func findSubnet(p *store.Part, id string) (*store.Subnet, error) {
	s, err := store.Subnets.Get(p, id)
	if s != nil || err != nil {
		return s, err
	}
	for _, d := range DefaultVPCOf(p.Account, p.Region).subnets() {
		if d.ID == id {
			return &d, nil
		}
	}
	return nil, nil
}

// groupRow is a security group with its id.
type groupRow struct {
	ID string
	store.SecurityGroup
}

// allGroups lists the security groups, stored and the default VPC's, sorted by id.
func allGroups(p *store.Part) ([]groupRow, error) {
	var out []groupRow
	for id, g := range DefaultVPCOf(p.Account, p.Region).groups() {
		out = append(out, groupRow{ID: id, SecurityGroup: g})
	}
	err := store.SecurityGroups.ForEach(p, func(id string, g *store.SecurityGroup) error {
		out = append(out, groupRow{ID: id, SecurityGroup: *g})
		return nil
	})
	slices.SortFunc(out, func(a, b groupRow) int { return cmp.Compare(a.ID, b.ID) })
	return out, err
}

// findGroup returns the group id, stored or the default VPC's, nil when there is none.
func findGroup(p *store.Part, id string) (*store.SecurityGroup, error) {
	return LookupGroup(p, "", id)
}

// terminatedFor is how long a terminated instance stays visible, as on AWS ("about an hour").
const terminatedFor = time.Hour

// instanceRow is an instance as described: live or terminated.
type instanceRow struct {
	store.Instance
	terminated bool
}

// state is the state an instance is described in.
func (i instanceRow) state() xmlState {
	if i.terminated {
		return stateTerminated
	}
	return stateRunning
}

// allInstances lists the live instances and those terminated within terminatedFor of now.
func allInstances(p *store.Part, now time.Time) ([]instanceRow, error) {
	var out []instanceRow
	err := store.Instances.ForEach(p, func(_ string, i *store.Instance) error {
		out = append(out, instanceRow{Instance: *i})
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = store.TerminatedInstances.ForEach(p, func(_ string, i *store.Instance) error {
		if now.Sub(i.Terminated) < terminatedFor {
			out = append(out, instanceRow{Instance: *i, terminated: true})
		}
		return nil
	})
	return out, err
}

// findInstance returns the instance id, live or visibly terminated, nil when there is none.
func findInstance(p *store.Part, id string, now time.Time) (*instanceRow, error) {
	i, err := store.Instances.Get(p, id)
	if err != nil {
		return nil, err
	}
	if i != nil {
		return &instanceRow{Instance: *i}, nil
	}
	i, err = store.TerminatedInstances.Get(p, id)
	if i == nil || err != nil || now.Sub(i.Terminated) >= terminatedFor {
		return nil, err
	}
	return &instanceRow{Instance: *i, terminated: true}, nil
}

// forgetTerminated removes the instances terminated longer ago than terminatedFor, with
// their tags. Every write that adds or terminates instances runs it.
func forgetTerminated(p *store.Part, now time.Time) error {
	var old []string
	err := store.TerminatedInstances.ForEach(p, func(id string, i *store.Instance) error {
		if now.Sub(i.Terminated) >= terminatedFor {
			old = append(old, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range old {
		if err := forget(p, store.TerminatedInstances, id); err != nil {
			return err
		}
	}
	return nil
}

// where is an instance's VPC, subnet and zone. Declared instances may leave them out: one
// without a VPC is in the default VPC, in its zone's default subnet; one without a zone in
// the region's first.
func where(p *store.Part, i store.Instance) (vpc, subnet, zone string) {
	vpc, subnet, zone = i.VPCID, i.SubnetID, i.AvailabilityZone
	if zone == "" {
		zone = p.Region + "a"
	}
	dv := DefaultVPCOf(p.Account, p.Region)
	if vpc == "" || (vpc == dv.ID && subnet == "") {
		vpc = dv.ID
		if subnet == "" {
			subnet = dv.Subnet(zone)
		}
	}
	return vpc, subnet, zone
}

// tagsOf returns a resource's tags, sorted by key.
func tagsOf(p *store.Part, id string) ([]store.Tag, error) {
	t, err := store.EC2Tags.Get(p, id)
	if t == nil || err != nil {
		return nil, err
	}
	return *t, nil
}

// forget deletes the record id of bucket b and its tags.
func forget[T any](p *store.Part, b store.Bucket[T], id string) error {
	if _, err := b.Delete(p, id); err != nil {
		return err
	}
	_, err := store.EC2Tags.Delete(p, id)
	return err
}
