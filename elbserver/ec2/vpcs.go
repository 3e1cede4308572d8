package ec2

import (
	"net/netip"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlVPC struct {
	VPCID            string                  `xml:"vpcId"`
	OwnerID          string                  `xml:"ownerId"`
	State            string                  `xml:"state"`
	CIDR             string                  `xml:"cidrBlock"`
	CIDRAssociations set[xmlCIDRAssociation] `xml:"cidrBlockAssociationSet,omitempty"`
	DHCPOptionsID    string                  `xml:"dhcpOptionsId"`
	InstanceTenancy  string                  `xml:"instanceTenancy"`
	IsDefault        bool                    `xml:"isDefault"`
	Tags             set[xmlTag]             `xml:"tagSet,omitempty"`
}

type xmlCIDRAssociation struct {
	AssociationID string `xml:"associationId"`
	CIDR          string `xml:"cidrBlock"`
	State         struct {
		State string `xml:"state"`
	} `xml:"cidrBlockState"`
}

func renderVPC(p *store.Part, v vpcRow, state string, tags []store.Tag) xmlVPC {
	x := xmlVPC{
		VPCID: v.ID, OwnerID: p.Account, State: state, CIDR: v.CIDR,
		DHCPOptionsID: "dopt-" + StableHex(p.Account, p.Region, "dhcp-options"), InstanceTenancy: "default",
		IsDefault: v.isDefault, Tags: xmlTags(tags),
	}
	a := xmlCIDRAssociation{AssociationID: "vpc-cidr-assoc-" + StableHex(v.ID, v.CIDR), CIDR: v.CIDR}
	a.State.State = "associated"
	x.CIDRAssociations = []xmlCIDRAssociation{a}
	return x
}

// parseCIDR reads an IPv4 CIDR block in its canonical form (no host bits set).
func parseCIDR(v string) (netip.Prefix, error) {
	pfx, err := netip.ParsePrefix(v)
	if err != nil || !pfx.Addr().Is4() || pfx.Masked() != pfx {
		return netip.Prefix{}, invalid("Value (%s) for parameter cidrBlock is invalid. This is not a valid CIDR block.", v)
	}
	return pfx, nil
}

// Blocks VPCs and subnets may have.
const minBits, maxBits = 16, 28

type createVpcResult struct {
	VPC xmlVPC `xml:"vpc"`
}

func (r *Room) createVpc(c *query.Call) (any, error) {
	block, err := required(c.Params, "CidrBlock", 64)
	if err != nil {
		return nil, err
	}
	pfx, err := parseCIDR(block)
	if err != nil {
		return nil, err
	}
	if pfx.Bits() < minBits || pfx.Bits() > maxBits {
		return nil, fail("InvalidVpc.Range", "The CIDR '%s' is invalid.", block)
	}
	if t := c.Params["InstanceTenancy"]; t != "" && t != "default" {
		return nil, invalid("Value (%s) for parameter instanceTenancy is invalid: only default tenancy is served", t)
	}
	tags, err := tagSpecs(c.Params, "vpc")
	if err != nil {
		return nil, err
	}
	var res createVpcResult
	return &res, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		n, err := store.VPCs.Count(p)
		if err != nil {
			return err
		}
		if n+1 >= r.env.Limits.Get(limitVPCs) {
			return fail("VpcLimitExceeded", "The maximum number of VPCs has been reached.")
		}
		v := store.VPC{ID: newID("vpc"), CIDR: pfx.String()}
		if err := store.VPCs.Put(p, v.ID, &v); err != nil {
			return err
		}
		// Every VPC comes with its security group named default.
		g := store.SecurityGroup{VPCID: v.ID, Name: "default", Description: defaultGroupDescription}
		if err := store.SecurityGroups.Put(p, VPCDefaultGroup(p.Account, p.Region, v.ID), &g); err != nil {
			return err
		}
		if err := addTags(p, v.ID, tags); err != nil {
			return err
		}
		res.VPC = renderVPC(p, vpcRow{VPC: v}, "pending", tags)
		return nil
	})
}

type describeVpcsResult struct {
	VPCs      []xmlVPC `xml:"vpcSet>item"`
	NextToken string   `xml:"nextToken,omitempty"`
}

var vpcListing = listing[xmlVPC]{
	idParam: "VpcId", idRE: VPCIDRE, malformed: "InvalidVpcID.Malformed",
	fields: fields[xmlVPC]{
		"vpc-id":                            func(v xmlVPC) []string { return one(v.VPCID) },
		"cidr":                              func(v xmlVPC) []string { return one(v.CIDR) },
		"cidr-block-association.cidr-block": func(v xmlVPC) []string { return one(v.CIDR) },
		"dhcp-options-id":                   func(v xmlVPC) []string { return one(v.DHCPOptionsID) },
		"is-default":                        func(v xmlVPC) []string { return flag(v.IsDefault) },
		"isDefault":                         func(v xmlVPC) []string { return flag(v.IsDefault) },
		"owner-id":                          func(v xmlVPC) []string { return one(v.OwnerID) },
		"state":                             func(v xmlVPC) []string { return one(v.State) },
	},
	id:   func(v xmlVPC) string { return v.VPCID },
	tags: func(v xmlVPC) []xmlTag { return v.Tags },
}

func (r *Room) describeVpcs(c *query.Call) (any, error) {
	var res describeVpcsResult
	var err error
	res.VPCs, res.NextToken, err = describe(r, c, vpcListing, func(p *store.Part, _ *describeRequest) ([]xmlVPC, error) {
		vpcs, err := allVPCs(p)
		if err != nil {
			return nil, err
		}
		return rendered(p, vpcs, func(v vpcRow) string { return v.ID }, func(v vpcRow, tags []store.Tag) xmlVPC {
			return renderVPC(p, v, "available", tags)
		})
	})
	return &res, err
}

func (r *Room) deleteVpc(c *query.Call) (any, error) {
	id, err := oneID(c.Params, "VpcId", VPCIDRE, "InvalidVpcID.Malformed")
	if err != nil {
		return nil, err
	}
	return &okResult{Return: true}, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		if id == DefaultVPCOf(p.Account, p.Region).ID {
			return fail("OperationNotPermitted", "The default VPC '%s' cannot be deleted here", id)
		}
		if err := deleteUnused(r, p, store.VPCs, id, "The vpc '"+id+"' has dependencies and cannot be deleted."); err != nil {
			return err
		}
		return forget(p, store.SecurityGroups, VPCDefaultGroup(p.Account, p.Region, id))
	})
}
