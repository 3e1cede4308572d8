// Package ec2 is the endpoint's EC2 room: the subset of EC2 (Query API 2016-11-15) that load
// balancer clients need, over the instances, subnets and security groups declared to the
// endpoint and the default VPC every account and region has. The other rooms use its lookups
// to place balancers and check what they are given.
package ec2

import (
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
)

const (
	// APIVersion and Namespace of the EC2 Query API.
	APIVersion = "2016-11-15"
	Namespace  = "http://ec2.amazonaws.com/doc/2016-11-15/"
)

// Room is the EC2 room.
type Room struct {
	env *room.Env
}

// New returns the EC2 room over env.
func New(env *room.Env) *Room { return &Room{env: env} }

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	return room.Room{
		Service: "ec2",
		Query: &query.API{
			Version:   APIVersion,
			Namespace: Namespace,
			Style:     query.StyleEC2,
			Actions: map[string]query.Handler{
				"DescribeInstances": r.describeInstances,
			},
		},
	}
}
