package ec2

import (
	"cmp"
	"fmt"
	"net/http"
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
	reservation, key string
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
	item := instanceItem{reservation: i.ReservationID, key: "0/" + i.ID}
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

var instanceFields = fields[instanceItem]{
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
	"instance.group-id": func(i instanceItem) []string {
		out := make([]string, len(i.Groups))
		for n, g := range i.Groups {
			out[n] = g.GroupID
		}
		return out
	},
	"instance.group-name": func(i instanceItem) []string {
		out := make([]string, len(i.Groups))
		for n, g := range i.Groups {
			out[n] = g.GroupName
		}
		return out
	},
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
	want, err := ids(c.Params, "InstanceId", InstanceIDRE, "InvalidInstanceID.Malformed")
	if err != nil {
		return nil, err
	}
	fs, err := readFilters(c.Params, instanceFields)
	if err != nil {
		return nil, err
	}
	pg, err := readPage(c.Params)
	if err != nil {
		return nil, err
	}
	if len(want) > 0 && pg.max > 0 {
		return nil, query.Errorf(http.StatusBadRequest, "InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults")
	}
	all, err := r.renderInstances(c)
	if err != nil {
		return nil, err
	}
	found, err := described(all, func(i instanceItem) string { return i.InstanceID }, func(i instanceItem) []xmlTag { return i.Tags }, want, fs, instanceFields)
	if err != nil {
		return nil, err
	}
	items, next := cut(found, func(i instanceItem) string { return i.key }, pg)
	return &describeInstancesResult{Reservations: reservations(c.Account, items), NextToken: next}, nil
}

// renderInstances renders the instances DescribeInstances sees, sorted for paging.
func (r *Room) renderInstances(c *query.Call) ([]instanceItem, error) {
	var out []instanceItem
	err := r.env.Store.View(c.Account, c.Region, func(p *store.Part) error {
		rows, err := allInstances(p, r.env.Now())
		if err != nil {
			return err
		}
		groups, err := groupNames(p)
		if err != nil {
			return err
		}
		for _, i := range rows {
			tags, err := tagsOf(p, i.ID)
			if err != nil {
				return err
			}
			state := stateRunning
			if i.terminated {
				state = stateTerminated
			}
			out = append(out, renderInstance(p, i, state, groups, tags))
		}
		return nil
	})
	slices.SortFunc(out, func(a, b instanceItem) int { return cmp.Compare(a.key, b.key) })
	return out, err
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
