package ec2

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strings"
)

// DefaultVPC is the default VPC the endpoint models in every account and region. EC2-Classic
// is retired, so a balancer created with only AvailabilityZones lives here, in the default
// subnet of each zone. Ids are derived from the account and region, so they are stable across
// restarts and need no declaration, even in strict mode.
type DefaultVPC struct {
	ID string
	// SecurityGroupID is the VPC's own security group named "default".
	SecurityGroupID string
	// ELBSecurityGroupID and ELBSecurityGroupName are the group Elastic Load Balancing
	// provides, once per account, to balancers created in the default VPC without a choice of
	// groups (named default_elb_UUID).
	ELBSecurityGroupID, ELBSecurityGroupName string

	account, region string
}

// DefaultVPCOf returns the default VPC of account and region.
func DefaultVPCOf(account, region string) DefaultVPC {
	vpc := "vpc-" + StableHex(account, region, "default-vpc")
	sum := sha256.Sum256([]byte(account + "\x00" + region + "\x00default_elb"))
	h := hex.EncodeToString(sum[:16])
	return DefaultVPC{
		ID:                   vpc,
		SecurityGroupID:      VPCDefaultGroup(account, region, vpc),
		ELBSecurityGroupID:   "sg-" + StableHex(account, region, "default_elb"),
		ELBSecurityGroupName: "default_elb_" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:],
		account:              account,
		region:               region,
	}
}

// VPCDefaultGroup is the id of the "default" security group of any VPC, which a balancer in a
// non-default VPC gets when no group is given.
func VPCDefaultGroup(account, region, vpc string) string {
	return "sg-" + StableHex(account, region, vpc, "default")
}

// Subnet returns the id of the default subnet of zone.
func (d DefaultVPC) Subnet(zone string) string {
	return "subnet-" + StableHex(d.account, d.region, "default-subnet", zone)
}

// subnetZone reports the zone of a default subnet id.
func (d DefaultVPC) subnetZone(id string) (string, bool) {
	if !strings.HasPrefix(id, "subnet-") {
		return "", false
	}
	for c := 'a'; c <= 'z'; c++ {
		if z := d.region + string(c); d.Subnet(z) == id {
			return z, true
		}
	}
	return "", false
}

// StableHex derives a 17-digit resource id suffix (vpc-, sg-, r-) from its inputs, so ids are
// the same on every run.
func StableHex(parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		fmt.Fprintf(h, "%s\x00", p)
	}
	return fmt.Sprintf("%017x", h.Sum64())[:17]
}

// ValidZone reports whether zone is a zone of region (REGION + one letter).
func ValidZone(region, zone string) bool {
	if !strings.HasPrefix(zone, region) || len(zone) != len(region)+1 {
		return false
	}
	c := zone[len(region)]
	return c >= 'a' && c <= 'z'
}
