package store

import "time"

// EC2 records, each under its id: VPCs, subnets, security groups and instances created through
// the EC2 API or declared from Go (the same records either way), the instances terminated a
// short while ago, and every resource's tags. The default VPC of each partition, its subnets
// and its groups are derived from the account and region, never stored; their tags are.

var (
	// VPCs holds each created VPC under its id.
	VPCs = NewBucket[VPC]("vpcs", 0)
	// Instances holds each live (not terminated) EC2 instance under its id: what strict mode
	// and the data plane accept.
	Instances = NewBucket[Instance]("instances", 0)
	// TerminatedInstances holds each terminated instance under its id until it is forgotten,
	// as EC2 keeps them visible for a while.
	TerminatedInstances = NewBucket[Instance]("instances-terminated", 0)
	// Subnets holds each created or declared subnet under its id.
	Subnets = NewBucket[Subnet]("subnets", 0)
	// SecurityGroups holds each created or declared security group under its id.
	SecurityGroups = NewBucket[SecurityGroup]("security-groups", 0)
	// EC2Tags holds the tags of each tagged EC2 resource (VPC, subnet, group, instance),
	// under the resource's id.
	EC2Tags = NewBucket[[]Tag]("ec2-tags", 0)
)

// VPC is a VPC created through the EC2 API.
type VPC struct {
	ID   string `json:"id"`
	CIDR string `json:"cidr"`
}

// Instance is an EC2 instance. Declared instances may leave everything but the id empty: an
// instance without a VPC is in the default VPC, without a zone in the region's first.
type Instance struct {
	ID, PrivateIP, PublicIP, SubnetID, VPCID, AvailabilityZone string

	// What RunInstances records; empty for declared instances.
	ImageID        string    `json:"image,omitempty"`
	Type           string    `json:"type,omitempty"`
	KeyName        string    `json:"key,omitempty"`
	SecurityGroups []string  `json:"sgs,omitempty"`
	ReservationID  string    `json:"reservation,omitempty"`
	LaunchIndex    int       `json:"index,omitempty"`
	ClientToken    string    `json:"token,omitempty"`
	Launched       time.Time `json:"launched,omitzero"`
	Terminated     time.Time `json:"terminated,omitzero"`
}

// Subnet is a VPC subnet. Declared subnets may have no CIDR block.
type Subnet struct {
	ID, VPCID, AvailabilityZone string

	CIDR        string `json:"cidr,omitempty"`
	MapPublicIP bool   `json:"mapPublicIp,omitempty"`
}

// SecurityGroup is a security group (its id is its key).
type SecurityGroup struct {
	VPCID       string `json:"vpc"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}
