package ec2

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/netip"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/store"
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
	for _, z := range Zones(d.region) {
		if d.Subnet(z.Name) == id {
			return z.Name, true
		}
	}
	return "", false
}

// The default VPC's address space, and its default subnets' (one /20 per zone, in zone
// order), as AWS lays them out.
const defaultVPCCIDR = "172.31.0.0/16"

// subnets returns the default subnets, one per zone.
func (d DefaultVPC) subnets() []store.Subnet {
	zones := Zones(d.region)
	out := make([]store.Subnet, len(zones))
	for i, z := range zones {
		cidr := netip.PrefixFrom(netip.AddrFrom4([4]byte{172, 31, byte(16 * i), 0}), 20)
		out[i] = store.Subnet{ID: d.Subnet(z.Name), VPCID: d.ID, AvailabilityZone: z.Name, CIDR: cidr.String()}
	}
	return out
}

// groups returns the default VPC's two groups by id.
func (d DefaultVPC) groups() map[string]store.SecurityGroup {
	return map[string]store.SecurityGroup{
		d.SecurityGroupID:    {VPCID: d.ID, Name: "default", Description: defaultGroupDescription},
		d.ELBSecurityGroupID: {VPCID: d.ID, Name: d.ELBSecurityGroupName, Description: elbGroupDescription},
	}
}

// The descriptions AWS gives the groups it makes.
const (
	defaultGroupDescription = "default VPC security group"
	elbGroupDescription     = "ELB created security group used when no security group is specified during ELB creation - modifications could impact traffic to future ELBs"
)

// StableHex derives a 17-digit resource id suffix (vpc-, sg-, r-) from its inputs, so ids are
// the same on every run.
func StableHex(parts ...string) string {
	h := fnv.New64a()
	for _, p := range parts {
		fmt.Fprintf(h, "%s\x00", p)
	}
	return fmt.Sprintf("%017x", h.Sum64())[:17]
}
