package ec2

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlSubnet struct {
	SubnetID           string      `xml:"subnetId"`
	SubnetARN          string      `xml:"subnetArn"`
	State              string      `xml:"state"`
	VPCID              string      `xml:"vpcId"`
	OwnerID            string      `xml:"ownerId"`
	CIDR               string      `xml:"cidrBlock,omitempty"`
	AvailableIPs       *int        `xml:"availableIpAddressCount"`
	AvailabilityZone   string      `xml:"availabilityZone"`
	AvailabilityZoneID string      `xml:"availabilityZoneId"`
	DefaultForAZ       bool        `xml:"defaultForAz"`
	MapPublicIP        bool        `xml:"mapPublicIpOnLaunch"`
	Tags               set[xmlTag] `xml:"tagSet,omitempty"`
}

// renderSubnet renders s, of which used addresses are taken by instances.
func renderSubnet(p *store.Part, s store.Subnet, used int, tags []store.Tag) xmlSubnet {
	if s.AvailabilityZone == "" {
		s.AvailabilityZone = p.Region + "a"
	}
	_, isDefault := DefaultVPCOf(p.Account, p.Region).subnetZone(s.ID)
	x := xmlSubnet{
		SubnetID: s.ID, SubnetARN: "arn:aws:ec2:" + p.Region + ":" + p.Account + ":subnet/" + s.ID, State: "available",
		VPCID: s.VPCID, OwnerID: p.Account, CIDR: s.CIDR, AvailabilityZone: s.AvailabilityZone,
		AvailabilityZoneID: zoneID(p.Region, s.AvailabilityZone), DefaultForAZ: isDefault, MapPublicIP: isDefault,
		Tags: xmlTags(tags),
	}
	if pfx, err := netip.ParsePrefix(s.CIDR); err == nil {
		n := 1<<(32-pfx.Bits()) - reservedAddresses - used
		x.AvailableIPs = &n
	}
	return x
}

// usedAddresses counts the live instances of each subnet.
func usedAddresses(p *store.Part) (map[string]int, error) {
	used := map[string]int{}
	err := store.Instances.ForEach(p, func(_ string, i *store.Instance) error {
		_, subnet, _ := where(p, *i)
		used[subnet]++
		return nil
	})
	return used, err
}

type createSubnetResult struct {
	Subnet xmlSubnet `xml:"subnet"`
}

// subnetZone reads AvailabilityZone and AvailabilityZoneId: the zone they name, "" for none.
func subnetZone(p query.Params, region string) (string, error) {
	zone, byID := p["AvailabilityZone"], p["AvailabilityZoneId"]
	var names []string
	for _, z := range Zones(region) {
		names = append(names, z.Name)
		if byID != "" && z.ID == byID {
			if zone != "" && zone != z.Name {
				return "", fail("InvalidParameterCombination", "Zone %s has the id %s, not %s", zone, zoneID(region, zone), byID)
			}
			zone = z.Name
		}
	}
	switch {
	case byID != "" && zone == "":
		return "", invalid("Value (%s) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zones: %s.", byID, strings.Join(names, ", "))
	case zone != "" && !ValidZone(region, zone):
		return "", invalid("Value (%s) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: %s.", zone, strings.Join(names, ", "))
	}
	return zone, nil
}

func (r *Room) createSubnet(c *query.Call) (any, error) {
	vpcID, err := oneID(c.Params, "VpcId", VPCIDRE, "InvalidVpcID.Malformed")
	if err != nil {
		return nil, err
	}
	block, err := required(c.Params, "CidrBlock", 64)
	if err != nil {
		return nil, err
	}
	pfx, err := parseCIDR(block)
	if err != nil {
		return nil, err
	}
	zone, err := subnetZone(c.Params, c.Region)
	if err != nil {
		return nil, err
	}
	tags, err := tagSpecs(c.Params, "subnet")
	if err != nil {
		return nil, err
	}
	var res createSubnetResult
	return &res, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		vpc, err := findVPC(p, vpcID)
		if err != nil {
			return err
		}
		if vpc == nil {
			return notFound(vpcID)
		}
		space := netip.MustParsePrefix(vpc.CIDR)
		if pfx.Bits() < max(minBits, space.Bits()) || pfx.Bits() > maxBits || !space.Contains(pfx.Addr()) {
			return fail("InvalidSubnet.Range", "The CIDR '%s' is invalid.", block)
		}
		subnets, err := allSubnets(p)
		if err != nil {
			return err
		}
		zonesUsed, count := map[string]bool{}, 0
		for _, s := range subnets {
			if s.VPCID != vpcID {
				continue
			}
			if other, err := netip.ParsePrefix(s.CIDR); err == nil && other.Overlaps(pfx) {
				return fail("InvalidSubnet.Conflict", "The CIDR '%s' conflicts with another subnet", block)
			}
			zonesUsed[s.AvailabilityZone] = true
			if store.Subnets.Has(p, s.ID) {
				count++
			}
		}
		if count >= r.env.Limits.Get(limitSubnets) {
			return fail("SubnetLimitExceeded", "The maximum number of subnets for VPC '%s' has been reached.", vpcID)
		}
		if zone == "" {
			// AWS picks a zone; the first without a subnet of the VPC spreads subnets made
			// without one across zones, as balancers need.
			zone = c.Region + "a"
			for _, z := range Zones(c.Region) {
				if !zonesUsed[z.Name] {
					zone = z.Name
					break
				}
			}
		}
		s := store.Subnet{ID: newID("subnet"), VPCID: vpcID, AvailabilityZone: zone, CIDR: pfx.String()}
		if err := store.Subnets.Put(p, s.ID, &s); err != nil {
			return err
		}
		if err := addTags(p, s.ID, tags); err != nil {
			return err
		}
		res.Subnet = renderSubnet(p, s, 0, tags)
		return nil
	})
}

type describeSubnetsResult struct {
	Subnets   []xmlSubnet `xml:"subnetSet>item"`
	NextToken string      `xml:"nextToken,omitempty"`
}

func subnetCIDR(s xmlSubnet) []string     { return one(s.CIDR) }
func subnetZoneName(s xmlSubnet) []string { return one(s.AvailabilityZone) }
func subnetDefault(s xmlSubnet) []string  { return flag(s.DefaultForAZ) }

// subnetListing has DescribeSubnets' filters, with the older camel-case names EC2 still takes.
var subnetListing = listing[xmlSubnet]{
	idParam: "SubnetId", idRE: SubnetIDRE, malformed: "InvalidSubnetID.Malformed",
	fields: fields[xmlSubnet]{
		"subnet-id":               func(s xmlSubnet) []string { return one(s.SubnetID) },
		"subnet-arn":              func(s xmlSubnet) []string { return one(s.SubnetARN) },
		"vpc-id":                  func(s xmlSubnet) []string { return one(s.VPCID) },
		"availability-zone":       subnetZoneName,
		"availabilityZone":        subnetZoneName,
		"availability-zone-id":    func(s xmlSubnet) []string { return one(s.AvailabilityZoneID) },
		"cidr-block":              subnetCIDR,
		"cidrBlock":               subnetCIDR,
		"cidr":                    subnetCIDR,
		"default-for-az":          subnetDefault,
		"defaultForAz":            subnetDefault,
		"map-public-ip-on-launch": func(s xmlSubnet) []string { return flag(s.MapPublicIP) },
		"owner-id":                func(s xmlSubnet) []string { return one(s.OwnerID) },
		"state":                   func(s xmlSubnet) []string { return one(s.State) },
		"available-ip-address-count": func(s xmlSubnet) []string {
			if s.AvailableIPs == nil {
				return nil
			}
			return one(strconv.Itoa(*s.AvailableIPs))
		},
	},
	id:   func(s xmlSubnet) string { return s.SubnetID },
	tags: func(s xmlSubnet) []xmlTag { return s.Tags },
}

func (r *Room) describeSubnets(c *query.Call) (any, error) {
	var res describeSubnetsResult
	var err error
	res.Subnets, res.NextToken, err = describe(r, c, subnetListing, func(p *store.Part, _ *describeRequest) ([]xmlSubnet, error) {
		subnets, err := allSubnets(p)
		if err != nil {
			return nil, err
		}
		used, err := usedAddresses(p)
		if err != nil {
			return nil, err
		}
		return rendered(p, subnets, func(s store.Subnet) string { return s.ID }, func(s store.Subnet, tags []store.Tag) xmlSubnet {
			return renderSubnet(p, s, used[s.ID], tags)
		})
	})
	return &res, err
}

func (r *Room) deleteSubnet(c *query.Call) (any, error) {
	id, err := oneID(c.Params, "SubnetId", SubnetIDRE, "InvalidSubnetID.Malformed")
	if err != nil {
		return nil, err
	}
	return &okResult{Return: true}, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		if _, isDefault := DefaultVPCOf(p.Account, p.Region).subnetZone(id); isDefault {
			return fail("OperationNotPermitted", "The default subnet '%s' cannot be deleted here", id)
		}
		return deleteUnused(r, p, store.Subnets, id, "The subnet '"+id+"' has dependencies and cannot be deleted.")
	})
}
