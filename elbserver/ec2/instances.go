package ec2

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlInstance struct {
	InstanceID string `xml:"instanceId"`
	State      struct {
		Code int    `xml:"code"`
		Name string `xml:"name"`
	} `xml:"instanceState"`
	PrivateIP string `xml:"privateIpAddress,omitempty"`
	PublicIP  string `xml:"ipAddress,omitempty"`
	SubnetID  string `xml:"subnetId,omitempty"`
	VPCID     string `xml:"vpcId,omitempty"`
	Placement struct {
		AvailabilityZone string `xml:"availabilityZone"`
	} `xml:"placement"`
}

type xmlReservation struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Instances     []xmlInstance `xml:"instancesSet>item"`
}

type describeInstancesResult struct {
	Reservations []xmlReservation `xml:"reservationSet>item"`
}

// describeInstances serves the subset of DescribeInstances drivers need to map instances to
// addresses: declared instances only, filtered by id, private or public address.
func (r *Room) describeInstances(c *query.Call) (any, error) {
	ids, err := c.Params.EC2List("InstanceId")
	if err != nil {
		return nil, err
	}
	filters := map[string][]string{}
	n, _, err := c.Params.Indexed("Filter", "Filter.")
	if err != nil {
		return nil, err
	}
	for i := 1; i <= n; i++ {
		pre := "Filter." + strconv.Itoa(i)
		name := c.Params[pre+".Name"]
		switch name {
		case "instance-id", "private-ip-address", "ip-address":
		default:
			return nil, query.Errorf(http.StatusBadRequest, "InvalidParameterValue", "The filter '%s' is invalid", name)
		}
		vals, err := c.Params.EC2List(pre + ".Value")
		if err != nil {
			return nil, err
		}
		filters[name] = append(filters[name], vals...)
	}
	for _, id := range ids {
		if !InstanceIDRE.MatchString(id) {
			return nil, query.Errorf(http.StatusBadRequest, "InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
		}
	}
	var all []store.Instance
	err = r.env.Store.View(c.Account, c.Region, func(p *store.Part) error {
		return store.Instances.ForEach(p, func(_ string, inst *store.Instance) error {
			all = append(all, *inst)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(all, func(i store.Instance) bool { return i.ID == id }) {
			return nil, query.Errorf(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
		}
	}
	match := func(name, v string) bool {
		vals, ok := filters[name]
		return !ok || slices.Contains(vals, v)
	}
	var res describeInstancesResult
	dv := DefaultVPCOf(c.Account, c.Region)
	for _, inst := range all {
		if len(ids) > 0 && !slices.Contains(ids, inst.ID) {
			continue
		}
		if !match("instance-id", inst.ID) || !match("private-ip-address", inst.PrivateIP) || !match("ip-address", inst.PublicIP) {
			continue
		}
		x := xmlInstance{InstanceID: inst.ID, PrivateIP: inst.PrivateIP, PublicIP: inst.PublicIP, SubnetID: inst.SubnetID, VPCID: inst.VPCID}
		x.State.Code, x.State.Name = 16, "running"
		x.Placement.AvailabilityZone = inst.AvailabilityZone
		if x.Placement.AvailabilityZone == "" {
			x.Placement.AvailabilityZone = c.Region + "a"
		}
		// Every instance is in a VPC since EC2-Classic retired: one declared without a VPC is
		// in the default VPC, in its zone's default subnet.
		if x.VPCID == "" || (x.VPCID == dv.ID && x.SubnetID == "") {
			x.VPCID = dv.ID
			if x.SubnetID == "" {
				x.SubnetID = dv.Subnet(x.Placement.AvailabilityZone)
			}
		}
		res.Reservations = append(res.Reservations, xmlReservation{
			ReservationID: "r-" + StableHex(c.Account, c.Region, inst.ID), OwnerID: c.Account, Instances: []xmlInstance{x},
		})
	}
	return &res, nil
}
