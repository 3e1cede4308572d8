package elbserver

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
)

// DefaultVPC is the default VPC the endpoint models in every account and
// region. EC2-Classic is retired, so a balancer created with only
// AvailabilityZones lives here, in the default subnet of each zone. Ids are
// derived from the account and region, so they are stable across restarts
// and need no declaration, even in strict mode.
type DefaultVPC struct {
	ID string
	// SecurityGroupID is the VPC's own security group named "default".
	SecurityGroupID string
	// ELBSecurityGroupID and ELBSecurityGroupName are the group Elastic Load
	// Balancing provides, once per account, to balancers created in the
	// default VPC without a choice of groups (named default_elb_UUID).
	ELBSecurityGroupID, ELBSecurityGroupName string

	account, region string
}

// DefaultVPC returns the default VPC of account and region ("" selects the
// server's default account or region).
func (s *Server) DefaultVPC(account, region string) DefaultVPC {
	account, region = s.resolve(account, region)
	return defaultVPCOf(account, region)
}

func defaultVPCOf(account, region string) DefaultVPC {
	vpc := "vpc-" + stableHex(account, region, "default-vpc")
	sum := sha256.Sum256([]byte(account + "\x00" + region + "\x00default_elb"))
	h := hex.EncodeToString(sum[:16])
	return DefaultVPC{
		ID:                   vpc,
		SecurityGroupID:      vpcDefaultGroup(account, region, vpc),
		ELBSecurityGroupID:   "sg-" + stableHex(account, region, "default_elb"),
		ELBSecurityGroupName: "default_elb_" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:],
		account:              account,
		region:               region,
	}
}

// vpcDefaultGroup is the id of the "default" security group of any VPC,
// which a balancer in a non-default VPC gets when no group is given.
func vpcDefaultGroup(account, region, vpc string) string {
	return "sg-" + stableHex(account, region, vpc, "default")
}

// Subnet returns the id of the default subnet of zone.
func (d DefaultVPC) Subnet(zone string) string {
	return "subnet-" + stableHex(d.account, d.region, "default-subnet", zone)
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

// sgRec is a declared security group. Older state stores the VPC id alone,
// as a JSON string.
type sgRec struct {
	VPCID string `json:"vpc"`
	Name  string `json:"name,omitempty"`
}

func (r *sgRec) UnmarshalJSON(b []byte) error {
	var vpc string
	if json.Unmarshal(b, &vpc) == nil {
		*r = sgRec{VPCID: vpc}
		return nil
	}
	type plain sgRec
	return json.Unmarshal(b, (*plain)(r))
}

// lookupGroup finds a security group: declared ones, the default VPC's two
// groups, and the "default" group of vpc (the balancer's VPC).
func lookupGroup(p *part, vpc, id string) (sgRec, bool, error) {
	var g sgRec
	ok, err := p.getJSON(bucketSG, id, &g)
	if err != nil || ok {
		return g, ok, err
	}
	dv := defaultVPCOf(p.account, p.region)
	switch id {
	case dv.SecurityGroupID:
		return sgRec{VPCID: dv.ID, Name: "default"}, true, nil
	case dv.ELBSecurityGroupID:
		return sgRec{VPCID: dv.ID, Name: dv.ELBSecurityGroupName}, true, nil
	}
	if vpc != "" && id == vpcDefaultGroup(p.account, p.region, vpc) {
		return sgRec{VPCID: vpc, Name: "default"}, true, nil
	}
	return sgRec{}, false, nil
}

// sourceGroup is the source security group AWS reports for a balancer in a
// VPC: its first security group, owned by the account, by name (the id
// stands in for a group declared without a name).
func sourceGroup(p *part, vpc string, sgs []string) (sourceSecurityGroupRe, error) {
	if len(sgs) == 0 {
		return sourceSecurityGroupRe{}, nil
	}
	g, ok, err := lookupGroup(p, vpc, sgs[0])
	if err != nil {
		return sourceSecurityGroupRe{}, err
	}
	name := sgs[0]
	if ok && g.Name != "" {
		name = g.Name
	}
	return sourceSecurityGroupRe{OwnerAlias: p.account, GroupName: name}, nil
}
