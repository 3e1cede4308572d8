package ec2

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlState struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

// Instance states and their codes.
var (
	statePending      = xmlState{0, "pending"}
	stateRunning      = xmlState{16, "running"}
	stateShuttingDown = xmlState{32, "shutting-down"}
	stateTerminated   = xmlState{48, "terminated"}
)

type xmlStateReason struct {
	Code    string `xml:"code"`
	Message string `xml:"message"`
}

type xmlGroupID struct {
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName"`
}

// xmlInstance keeps the element order of the releases that served declared instances only,
// which render as they did; the fields RunInstances records come in between.
type xmlInstance struct {
	InstanceID     string   `xml:"instanceId"`
	ImageID        string   `xml:"imageId,omitempty"`
	State          xmlState `xml:"instanceState"`
	PrivateDNSName string   `xml:"privateDnsName,omitempty"`
	Reason         string   `xml:"reason,omitempty"`
	KeyName        string   `xml:"keyName,omitempty"`
	LaunchIndex    *int     `xml:"amiLaunchIndex"`
	InstanceType   string   `xml:"instanceType,omitempty"`
	LaunchTime     string   `xml:"launchTime,omitempty"`
	PrivateIP      string   `xml:"privateIpAddress,omitempty"`
	PublicIP       string   `xml:"ipAddress,omitempty"`
	SubnetID       string   `xml:"subnetId,omitempty"`
	VPCID          string   `xml:"vpcId,omitempty"`
	Placement      struct {
		AvailabilityZone string `xml:"availabilityZone"`
	} `xml:"placement"`
	Monitoring *struct {
		State string `xml:"state"`
	} `xml:"monitoring"`
	Groups       set[xmlGroupID] `xml:"groupSet,omitempty"`
	StateReason  *xmlStateReason `xml:"stateReason"`
	Architecture string          `xml:"architecture,omitempty"`
	RootDevice   string          `xml:"rootDeviceType,omitempty"`
	Tags         set[xmlTag]     `xml:"tagSet,omitempty"`
}

type xmlReservation struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Instances     []xmlInstance `xml:"instancesSet>item"`
}

// instanceItem is a rendered instance with what filters and pages need.
type instanceItem struct {
	xmlInstance
	reservation, owner, key string
}

// renderInstance renders i in state (the state it is in unless an action's reply says
// otherwise); groups names the security groups.
func renderInstance(p *store.Part, i instanceRow, state xmlState, groups map[string]string, tags []store.Tag) instanceItem {
	x := xmlInstance{InstanceID: i.ID, State: state, Tags: xmlTags(tags)}
	vpc, subnet, zone := where(p, i.Instance)
	x.Placement.AvailabilityZone = zone
	// A terminated instance has no network interface left, hence no address, subnet or VPC.
	if !i.terminated {
		x.PrivateIP, x.PublicIP, x.SubnetID, x.VPCID = i.PrivateIP, i.PublicIP, subnet, vpc
	}
	item := instanceItem{reservation: i.ReservationID, owner: p.Account, key: "0/" + i.ID}
	if i.ReservationID == "" {
		item.reservation = "r-" + StableHex(p.Account, p.Region, i.ID)
	}
	if !i.Launched.IsZero() {
		// Launched instances sort after declared ones, by launch, reservation and index.
		item.key = fmt.Sprintf("1/%019d/%s/%04d", i.Launched.UnixNano(), i.ReservationID, i.LaunchIndex)
		x.ImageID, x.KeyName, x.InstanceType = i.ImageID, i.KeyName, i.Type
		x.LaunchIndex = &i.LaunchIndex
		x.LaunchTime = i.Launched.UTC().Format("2006-01-02T15:04:05.000Z")
		x.Monitoring = &struct {
			State string `xml:"state"`
		}{"disabled"}
		x.Architecture, x.RootDevice = "x86_64", "ebs"
		if !i.terminated {
			x.PrivateDNSName = privateDNSName(p.Region, i.PrivateIP)
		}
		for _, g := range i.SecurityGroups {
			x.Groups = append(x.Groups, xmlGroupID{GroupID: g, GroupName: groups[g]})
		}
	}
	if i.terminated {
		x.Reason = "User initiated (" + i.Terminated.UTC().Format("2006-01-02 15:04:05 GMT") + ")"
		x.StateReason = &xmlStateReason{Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown"}
	}
	item.xmlInstance = x
	return item
}

// privateDNSName is the name EC2 gives a private address in region.
func privateDNSName(region, ip string) string {
	host := "ip-" + strings.ReplaceAll(ip, ".", "-")
	if region == "us-east-1" {
		return host + ".ec2.internal"
	}
	return host + "." + region + ".compute.internal"
}

// groupsOf lists one field of an instance's groups.
func groupsOf(field func(xmlGroupID) string) func(instanceItem) []string {
	return func(i instanceItem) []string {
		out := make([]string, len(i.Groups))
		for n, g := range i.Groups {
			out[n] = field(g)
		}
		return out
	}
}

var instanceListing = listing[instanceItem]{
	idParam: "InstanceId", idRE: InstanceIDRE, malformed: "InvalidInstanceID.Malformed",
	fields: fields[instanceItem]{
		"instance-id":         func(i instanceItem) []string { return one(i.InstanceID) },
		"instance-state-name": func(i instanceItem) []string { return one(i.State.Name) },
		"instance-state-code": func(i instanceItem) []string { return one(strconv.Itoa(i.State.Code)) },
		"private-ip-address":  func(i instanceItem) []string { return one(i.PrivateIP) },
		"ip-address":          func(i instanceItem) []string { return one(i.PublicIP) },
		"private-dns-name":    func(i instanceItem) []string { return one(i.PrivateDNSName) },
		"subnet-id":           func(i instanceItem) []string { return one(i.SubnetID) },
		"vpc-id":              func(i instanceItem) []string { return one(i.VPCID) },
		"availability-zone":   func(i instanceItem) []string { return one(i.Placement.AvailabilityZone) },
		"image-id":            func(i instanceItem) []string { return one(i.ImageID) },
		"instance-type":       func(i instanceItem) []string { return one(i.InstanceType) },
		"key-name":            func(i instanceItem) []string { return one(i.KeyName) },
		"reservation-id":      func(i instanceItem) []string { return one(i.reservation) },
		"owner-id":            func(i instanceItem) []string { return one(i.owner) },
		"instance.group-id":   groupsOf(func(g xmlGroupID) string { return g.GroupID }),
		"instance.group-name": groupsOf(func(g xmlGroupID) string { return g.GroupName }),
	},
	id:   func(i instanceItem) string { return i.InstanceID },
	key:  func(i instanceItem) string { return i.key },
	tags: func(i instanceItem) []xmlTag { return i.Tags },
}

type describeInstancesResult struct {
	Reservations []xmlReservation `xml:"reservationSet>item"`
	NextToken    string           `xml:"nextToken,omitempty"`
}

// reservations groups instances, in order, into the reservations they were launched in.
func reservations(account string, items []instanceItem) []xmlReservation {
	var out []xmlReservation
	for _, i := range items {
		if n := len(out); n > 0 && out[n-1].ReservationID == i.reservation {
			out[n-1].Instances = append(out[n-1].Instances, i.xmlInstance)
			continue
		}
		out = append(out, xmlReservation{ReservationID: i.reservation, OwnerID: account, Instances: []xmlInstance{i.xmlInstance}})
	}
	return out
}

// describeInstances serves the live instances and those terminated within the last hour.
func (r *Room) describeInstances(c *query.Call) (any, error) {
	items, next, err := describe(r, c, instanceListing, func(p *store.Part, q *describeRequest) ([]instanceItem, error) {
		if len(q.want) > 0 && q.page.max > 0 {
			return nil, fail("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
		}
		rows, err := allInstances(p, r.env.Now())
		if err != nil {
			return nil, err
		}
		groups, err := groupNames(p)
		if err != nil {
			return nil, err
		}
		all, err := rendered(p, rows, func(i instanceRow) string { return i.ID }, func(i instanceRow, tags []store.Tag) instanceItem {
			return renderInstance(p, i, i.state(), groups, tags)
		})
		slices.SortFunc(all, func(a, b instanceItem) int { return cmp.Compare(a.key, b.key) })
		return all, err
	})
	return &describeInstancesResult{Reservations: reservations(c.Account, items), NextToken: next}, err
}

// groupNames maps every security group's id to its name.
func groupNames(p *store.Part) (map[string]string, error) {
	groups, err := allGroups(p)
	out := make(map[string]string, len(groups))
	for _, g := range groups {
		out[g.ID] = g.Name
	}
	return out, err
}
