package ec2

import (
	"errors"
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Dependents reports whether something outside the EC2 room uses the resource id (a VPC,
// subnet or security group), which then cannot be deleted (DependencyViolation), as AWS
// refuses to delete what a balancer's network interfaces sit in.
type Dependents func(p *store.Part, id string) (bool, error)

// AddDependents makes deletes consult fn. Rooms call it while they are built, before the
// endpoint serves.
func (r *Room) AddDependents(fn Dependents) { r.dependents = append(r.dependents, fn) }

// errFound stops a walk that found what it looked for.
var errFound = errors.New("found")

// walkFinds runs a ForEach whose callback returns errFound on a hit.
func walkFinds(err error) (bool, error) {
	if errors.Is(err, errFound) {
		return true, nil
	}
	return false, err
}

// inUse reports whether anything depends on the VPC, subnet or group id: a live instance in
// it, a subnet or a group other than its default in a VPC, or a dependent of another room.
func (r *Room) inUse(p *store.Part, id string) (bool, error) {
	used, err := walkFinds(store.Instances.ForEach(p, func(_ string, i *store.Instance) error {
		vpc, subnet, _ := where(p, *i)
		if vpc == id || subnet == id || slices.Contains(i.SecurityGroups, id) {
			return errFound
		}
		return nil
	}))
	if used || err != nil {
		return used, err
	}
	if resourceType(id) == "vpc" {
		used, err = walkFinds(store.Subnets.ForEach(p, func(_ string, s *store.Subnet) error {
			if s.VPCID == id {
				return errFound
			}
			return nil
		}))
		if used || err != nil {
			return used, err
		}
		used, err = walkFinds(store.SecurityGroups.ForEach(p, func(_ string, g *store.SecurityGroup) error {
			if g.VPCID == id && g.Name != "default" {
				return errFound
			}
			return nil
		}))
		if used || err != nil {
			return used, err
		}
	}
	for _, fn := range r.dependents {
		if used, err := fn(p, id); used || err != nil {
			return used, err
		}
	}
	return false, nil
}

// checkUnused refuses to delete what something uses, with DependencyViolation and message.
func (r *Room) checkUnused(p *store.Part, id, message string) error {
	used, err := r.inUse(p, id)
	if used && err == nil {
		return fail("DependencyViolation", "%s", message)
	}
	return err
}
