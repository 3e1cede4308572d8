// Package ec2 is the endpoint's EC2 room: a subset of EC2 (Query API 2016-11-15) enough to
// build what balancers refer to: VPCs, subnets, security groups and instances with their
// tags, the region's Availability Zones, and the default VPC every account and region has.
// The other rooms use its lookups to place balancers and check what they are given.
package ec2

import (
	"net/http"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
)

const (
	// APIVersion and Namespace of the EC2 Query API.
	APIVersion = "2016-11-15"
	Namespace  = "http://ec2.amazonaws.com/doc/2016-11-15/"
)

// Account limits of the room, per account and region.
const (
	limitVPCs      = "ec2-vpcs"                    // the default VPC included
	limitSubnets   = "ec2-subnets-per-vpc"         // the default VPC's excluded
	limitGroups    = "ec2-security-groups-per-vpc" // each VPC's default group included
	limitInstances = "ec2-instances"               // live ones; the endpoint's own bound
)

// limits are the room's limits with AWS's defaults (instances: a bound of this endpoint;
// AWS counts vCPUs instead).
var limits = []room.Limit{
	{Name: limitVPCs, Default: 5},
	{Name: limitSubnets, Default: 200},
	{Name: limitGroups, Default: 2500},
	{Name: limitInstances, Default: 1000},
}

// Room is the EC2 room.
type Room struct {
	env        *room.Env
	dependents []Dependents
}

// New returns the EC2 room over env.
func New(env *room.Env) *Room {
	return &Room{env: env}
}

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	actions := map[string]query.Handler{
		"CreateTags":                r.createTags,
		"CreateSecurityGroup":       r.createSecurityGroup,
		"CreateSubnet":              r.createSubnet,
		"CreateVpc":                 r.createVpc,
		"DeleteSecurityGroup":       r.deleteSecurityGroup,
		"DeleteSubnet":              r.deleteSubnet,
		"DeleteTags":                r.deleteTags,
		"DeleteVpc":                 r.deleteVpc,
		"DescribeAvailabilityZones": r.describeAvailabilityZones,
		"DescribeInstances":         r.describeInstances,
		"DescribeSecurityGroups":    r.describeSecurityGroups,
		"DescribeSubnets":           r.describeSubnets,
		"DescribeTags":              r.describeTags,
		"DescribeVpcs":              r.describeVpcs,
		"RunInstances":              r.runInstances,
		"TerminateInstances":        r.terminateInstances,
	}
	for name, h := range actions {
		actions[name] = dryRun(h)
	}
	return room.Room{
		Service: "ec2",
		Limits:  limits,
		Query: &query.API{
			Version:   APIVersion,
			Namespace: Namespace,
			Style:     query.StyleEC2,
			Actions:   actions,
		},
	}
}

// dryRun answers DryRun=true as EC2 does for a caller with every permission: the action
// would have succeeded, and nothing is done.
func dryRun(h query.Handler) query.Handler {
	return func(c *query.Call) (any, error) {
		dry, err := boolean(c.Params, "DryRun")
		if err != nil {
			return nil, err
		}
		if dry {
			return nil, query.Errorf(http.StatusPreconditionFailed, "DryRunOperation", "Request would have succeeded, but DryRun flag is set.")
		}
		return h(c)
	}
}
