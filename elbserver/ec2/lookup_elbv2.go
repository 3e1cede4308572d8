package ec2

import (
	"hash/fnv"
	"net/http"
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Lookups for the ELBv2 room, whose balancers span zones: an Application Load Balancer needs
// subnets in two zones at least, so undeclared subnets cannot all be taken to be in zone
// REGIONa as Classic takes them.

// undeclaredZonesV2 is how many zone letters undeclared subnets are spread over.
const undeclaredZonesV2 = 6

// PlacementV2 is where a set of subnets puts a balancer.
type PlacementV2 struct {
	Subnets []store.Subnet // in the order given, each with its zone
	VPC     string
	// VPCInferred is set when no subnet named its VPC: the balancer is then taken to be in
	// the default VPC.
	VPCInferred bool
}

// PlaceSubnetsV2 resolves subnets for an ELBv2 balancer: declared ones and the default VPC's
// are placed where they are; outside strict mode, well-formed undeclared ones are accepted
// and each given a zone of its own, derived from its id (so the same subnet lands in the same
// zone on every call), distinct from the zones of the other subnets of the set. A subnet that
// is unknown is SubnetNotFound, subnets of two VPCs InvalidSubnet, two subnets in one zone
// InvalidConfigurationRequest.
func (r *Room) PlaceSubnetsV2(p *store.Part, ids []string) (PlacementV2, error) {
	dv := DefaultVPCOf(p.Account, p.Region)
	var pl PlacementV2
	var undeclared []int
	taken := map[string]string{} // zone -> subnet
	for _, id := range ids {
		sub, err := store.Subnets.Get(p, id)
		if err != nil {
			return pl, err
		}
		switch {
		case sub != nil:
			if sub.AvailabilityZone == "" {
				sub.AvailabilityZone = p.Region + "a"
			}
		default:
			if zone, isDefault := dv.subnetZone(id); isDefault {
				sub = &store.Subnet{ID: id, VPCID: dv.ID, AvailabilityZone: zone}
				break
			}
			if r.env.Strict || !SubnetIDRE.MatchString(id) {
				return pl, query.Errorf(http.StatusBadRequest, "SubnetNotFound", "The subnet ID '%s' is not valid", id)
			}
			sub = &store.Subnet{ID: id}
			undeclared = append(undeclared, len(pl.Subnets))
		}
		if sub.AvailabilityZone != "" {
			if prev, dup := taken[sub.AvailabilityZone]; dup {
				return pl, query.Errorf(http.StatusBadRequest, "InvalidConfigurationRequest",
					"Subnets %s and %s are both in Availability Zone %s; only one subnet per Availability Zone is allowed", prev, id, sub.AvailabilityZone)
			}
			taken[sub.AvailabilityZone] = id
		}
		pl.Subnets = append(pl.Subnets, *sub)
	}
	if err := spreadUndeclaredV2(p.Region, pl.Subnets, undeclared, taken); err != nil {
		return pl, err
	}
	var err error
	if pl.VPC, err = SubnetsVPC(pl.Subnets, ""); err != nil {
		return pl, err
	}
	if pl.VPC == "" {
		pl.VPC, pl.VPCInferred = dv.ID, true
	}
	return pl, nil
}

// spreadUndeclaredV2 gives each undeclared subnet (by index into subs) the first free zone
// from the one its id hashes to, in the order of their ids, so the result does not depend
// on the order the subnets were given in.
func spreadUndeclaredV2(region string, subs []store.Subnet, undeclared []int, taken map[string]string) error {
	slices.SortFunc(undeclared, func(a, b int) int {
		if subs[a].ID < subs[b].ID {
			return -1
		}
		return 1
	})
	for _, i := range undeclared {
		h := fnv.New32a()
		h.Write([]byte(subs[i].ID))
		start := int(h.Sum32() % undeclaredZonesV2)
		for k := range undeclaredZonesV2 {
			zone := region + string(rune('a'+(start+k)%undeclaredZonesV2))
			if _, used := taken[zone]; !used {
				subs[i].AvailabilityZone, taken[zone] = zone, subs[i].ID
				break
			}
		}
		if subs[i].AvailabilityZone == "" {
			return query.Errorf(http.StatusBadRequest, "InvalidConfigurationRequest", "Too many subnets of unknown zones: at most %d are accepted", undeclaredZonesV2)
		}
	}
	return nil
}

// KnownVPCV2 reports whether vpc is the default VPC or the VPC of a declared subnet or
// security group. Strict mode accepts only those.
func KnownVPCV2(p *store.Part, vpc string) (bool, error) {
	if vpc == DefaultVPCOf(p.Account, p.Region).ID {
		return true, nil
	}
	var subnets []string
	err := store.Subnets.ForEach(p, func(_ string, s *store.Subnet) error {
		if s.VPCID == vpc {
			subnets = append(subnets, s.ID)
		}
		return nil
	})
	if err != nil || len(subnets) > 0 {
		return len(subnets) > 0, err
	}
	var groups int
	err = store.SecurityGroups.ForEach(p, func(_ string, g *store.SecurityGroup) error {
		if g.VPCID == vpc {
			groups++
		}
		return nil
	})
	return groups > 0, err
}

// CheckInstanceV2 refuses an instance id that is malformed, or undeclared in strict mode. It
// returns the declared instance, nil for an undeclared one.
func (r *Room) CheckInstanceV2(p *store.Part, id string) (*store.Instance, error) {
	if !InstanceIDRE.MatchString(id) {
		return nil, query.Errorf(http.StatusBadRequest, "InvalidTarget", "The instance ID '%s' is not valid", id)
	}
	inst, err := store.Instances.Get(p, id)
	if err == nil && inst == nil && r.env.Strict {
		err = query.Errorf(http.StatusBadRequest, "InvalidTarget", "The following targets are not in a running state and cannot be registered: '%s'", id)
	}
	return inst, err
}
