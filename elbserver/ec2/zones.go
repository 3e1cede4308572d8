package ec2

import (
	"slices"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
)

// zoneLetters are the zones every region has here: REGIONa to REGIONf. This is the one
// source of zones: what balancers accept, the default subnets and DescribeAvailabilityZones.
const zoneLetters = "abcdef"

// Zone is an Availability Zone: its name (us-east-1a) and its id (use1-az1).
type Zone struct{ Name, ID string }

// Zones lists the zones of region, in order.
func Zones(region string) []Zone {
	code := regionCode(region)
	out := make([]Zone, len(zoneLetters))
	for i, c := range zoneLetters {
		out[i] = Zone{Name: region + string(c), ID: code + "-az" + strconv.Itoa(i+1)}
	}
	return out
}

// ValidZone reports whether zone is a zone of region.
func ValidZone(region, zone string) bool {
	return zoneIndex(region, zone) >= 0
}

// zoneIndex is the position of zone among the region's zones, -1 for none.
func zoneIndex(region, zone string) int {
	rest, ok := strings.CutPrefix(zone, region)
	if !ok || len(rest) != 1 {
		return -1
	}
	return strings.IndexByte(zoneLetters, rest[0])
}

// zoneID returns the id of a zone of region.
func zoneID(region, zone string) string {
	if i := zoneIndex(region, zone); i >= 0 {
		return Zones(region)[i].ID
	}
	return ""
}

// regionCode abbreviates a region as zone ids do: us-east-1 is use1, ap-southeast-2 apse2,
// eu-central-1 euc1.
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	var b strings.Builder
	for i, p := range parts {
		if i == 0 || i == len(parts)-1 {
			b.WriteString(p)
			continue
		}
		for _, dir := range []string{"north", "south", "east", "west"} {
			if rest, ok := strings.CutPrefix(p, dir); ok {
				b.WriteByte(dir[0])
				p = rest
			}
		}
		if p != "" {
			b.WriteByte(p[0])
		}
	}
	return b.String()
}

type xmlZone struct {
	ZoneName           string `xml:"zoneName"`
	ZoneID             string `xml:"zoneId"`
	State              string `xml:"zoneState"`
	RegionName         string `xml:"regionName"`
	GroupName          string `xml:"groupName"`
	NetworkBorderGroup string `xml:"networkBorderGroup"`
	OptInStatus        string `xml:"optInStatus"`
	ZoneType           string `xml:"zoneType"`
}

type describeZonesResult struct {
	Zones []xmlZone `xml:"availabilityZoneInfo>item"`
}

var zoneFields = fields[xmlZone]{
	"zone-name":            func(z xmlZone) []string { return one(z.ZoneName) },
	"zone-id":              func(z xmlZone) []string { return one(z.ZoneID) },
	"state":                func(z xmlZone) []string { return one(z.State) },
	"region-name":          func(z xmlZone) []string { return one(z.RegionName) },
	"group-name":           func(z xmlZone) []string { return one(z.GroupName) },
	"opt-in-status":        func(z xmlZone) []string { return one(z.OptInStatus) },
	"zone-type":            func(z xmlZone) []string { return one(z.ZoneType) },
	"network-border-group": func(z xmlZone) []string { return one(z.NetworkBorderGroup) },
}

// describeAvailabilityZones lists the region's zones, all available, by name or id.
func (r *Room) describeAvailabilityZones(c *query.Call) (any, error) {
	names, err := c.Params.EC2List("ZoneName")
	if err != nil {
		return nil, err
	}
	zoneIDs, err := c.Params.EC2List("ZoneId")
	if err != nil {
		return nil, err
	}
	if _, err := boolean(c.Params, "AllAvailabilityZones"); err != nil {
		return nil, err
	}
	fs, err := readFilters(c.Params, zoneFields)
	if err != nil {
		return nil, err
	}
	var res describeZonesResult
	for _, z := range Zones(c.Region) {
		x := xmlZone{ZoneName: z.Name, ZoneID: z.ID, State: "available", RegionName: c.Region, GroupName: c.Region,
			NetworkBorderGroup: c.Region, OptInStatus: "opt-in-not-required", ZoneType: "availability-zone"}
		if (len(names) > 0 || len(zoneIDs) > 0) && !slices.Contains(names, z.Name) && !slices.Contains(zoneIDs, z.ID) {
			continue
		}
		if matches(fs, zoneFields, x, nil) {
			res.Zones = append(res.Zones, x)
		}
	}
	for _, n := range names {
		if !ValidZone(c.Region, n) {
			return nil, invalid("The zone name '%s' does not exist in region %s", n, c.Region)
		}
	}
	for _, id := range zoneIDs {
		if !slices.ContainsFunc(Zones(c.Region), func(z Zone) bool { return z.ID == id }) {
			return nil, invalid("The zone id '%s' does not exist in region %s", id, c.Region)
		}
	}
	return &res, nil
}
