package store

// EC2 records: what is declared to the endpoint (instances, subnets, security groups), each
// under its id.

var (
	// Instances holds each declared EC2 instance under its id.
	Instances = NewBucket[Instance]("instances", 0)
	// Subnets holds each declared subnet under its id.
	Subnets = NewBucket[Subnet]("subnets", 0)
	// SecurityGroups holds each declared security group under its id.
	SecurityGroups = NewBucket[SecurityGroup]("security-groups", 0)
)

// Instance is an EC2 instance declared to the endpoint.
type Instance struct {
	ID, PrivateIP, PublicIP, SubnetID, VPCID, AvailabilityZone string
}

// Subnet is a VPC subnet declared to the endpoint.
type Subnet struct {
	ID, VPCID, AvailabilityZone string
}

// SecurityGroup is a declared security group.
type SecurityGroup struct {
	VPCID string `json:"vpc"`
	Name  string `json:"name,omitempty"`
}
