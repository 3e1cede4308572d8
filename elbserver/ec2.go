package elbserver

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
)

const (
	ec2APIVersion = "2016-11-15"
	ec2Namespace  = "http://ec2.amazonaws.com/doc/2016-11-15/"
)

type ec2Instance struct {
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

type ec2Reservation struct {
	ReservationID string        `xml:"reservationId"`
	OwnerID       string        `xml:"ownerId"`
	Instances     []ec2Instance `xml:"instancesSet>item"`
}

type ec2DescribeResult struct {
	Reservations []ec2Reservation `xml:"reservationSet>item"`
}

// ec2List reads an EC2-style list NAME.N.
func ec2List(p params, name string) ([]string, error) {
	n, _, err := p.indexed(name, name+".")
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		out = append(out, p[name+"."+strconv.Itoa(i)])
	}
	return out, nil
}

// ec2DescribeInstances serves the subset of EC2 DescribeInstances drivers need
// to map instances to addresses: declared instances only, filtered by id,
// private or public address.
func (s *Server) ec2DescribeInstances(c *call) (any, error) {
	ids, aerr := ec2List(c.p, "InstanceId")
	if aerr != nil {
		return nil, aerr
	}
	filters := map[string][]string{}
	n, _, aerr := c.p.indexed("Filter", "Filter.")
	if aerr != nil {
		return nil, aerr
	}
	for i := 1; i <= n; i++ {
		pre := "Filter." + strconv.Itoa(i)
		name := c.p[pre+".Name"]
		switch name {
		case "instance-id", "private-ip-address", "ip-address":
		default:
			return nil, errf(http.StatusBadRequest, "InvalidParameterValue", "The filter '%s' is invalid", name)
		}
		vals, aerr := ec2List(c.p, pre+".Value")
		if aerr != nil {
			return nil, aerr
		}
		filters[name] = append(filters[name], vals...)
	}
	for _, id := range ids {
		if !instanceRE.MatchString(id) {
			return nil, errf(http.StatusBadRequest, "InvalidInstanceID.Malformed", "Invalid id: \"%s\"", id)
		}
	}
	var all []Instance
	err := s.st.view(c.account, c.region, func(p *part) error {
		b := p.sub(bucketInst)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var inst Instance
			if err := json.Unmarshal(v, &inst); err != nil {
				return err
			}
			all = append(all, inst)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(all, func(i Instance) bool { return i.ID == id }) {
			return nil, errf(http.StatusBadRequest, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
		}
	}
	match := func(name, v string) bool {
		vals, ok := filters[name]
		return !ok || slices.Contains(vals, v)
	}
	var res ec2DescribeResult
	for _, inst := range all {
		if len(ids) > 0 && !slices.Contains(ids, inst.ID) {
			continue
		}
		if !match("instance-id", inst.ID) || !match("private-ip-address", inst.PrivateIP) || !match("ip-address", inst.PublicIP) {
			continue
		}
		x := ec2Instance{InstanceID: inst.ID, PrivateIP: inst.PrivateIP, PublicIP: inst.PublicIP, SubnetID: inst.SubnetID, VPCID: inst.VPCID}
		x.State.Code, x.State.Name = 16, "running"
		x.Placement.AvailabilityZone = inst.AvailabilityZone
		if x.Placement.AvailabilityZone == "" {
			x.Placement.AvailabilityZone = c.region + "a"
		}
		// Every instance is in a VPC since EC2-Classic retired: one declared
		// without a VPC is in the default VPC, in its zone's default subnet.
		if dv := defaultVPCOf(c.account, c.region); x.VPCID == "" || (x.VPCID == dv.ID && x.SubnetID == "") {
			x.VPCID = dv.ID
			if x.SubnetID == "" {
				x.SubnetID = dv.Subnet(x.Placement.AvailabilityZone)
			}
		}
		res.Reservations = append(res.Reservations, ec2Reservation{
			ReservationID: "r-" + stableHex(c.account, c.region, inst.ID), OwnerID: c.account, Instances: []ec2Instance{x},
		})
	}
	return &res, nil
}

type ec2DescribeResponse struct {
	XMLName      xml.Name         `xml:"DescribeInstancesResponse"`
	Xmlns        string           `xml:"xmlns,attr"`
	RequestID    string           `xml:"requestId"`
	Reservations []ec2Reservation `xml:"reservationSet>item"`
}

// writeEC2Result writes the EC2 success envelope, whose request id is a
// lower-case requestId child of the response element.
func writeEC2Result(w http.ResponseWriter, reqID string, result *ec2DescribeResult) {
	var buf bytes.Buffer
	resp := ec2DescribeResponse{Xmlns: ec2Namespace, RequestID: reqID, Reservations: result.Reservations}
	if err := xml.NewEncoder(&buf).Encode(resp); err != nil {
		panic("elbserver: encode DescribeInstances result: " + err.Error())
	}
	send(w, http.StatusOK, buf.Bytes())
}
