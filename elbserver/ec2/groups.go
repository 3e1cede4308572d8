package ec2

import (
	"regexp"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlGroup struct {
	OwnerID     string             `xml:"ownerId"`
	GroupID     string             `xml:"groupId"`
	GroupName   string             `xml:"groupName"`
	Description string             `xml:"groupDescription"`
	VPCID       string             `xml:"vpcId,omitempty"`
	ARN         string             `xml:"securityGroupArn"`
	Ingress     set[xmlPermission] `xml:"ipPermissions,omitempty"`
	Egress      set[xmlPermission] `xml:"ipPermissionsEgress,omitempty"`
	Tags        set[xmlTag]        `xml:"tagSet,omitempty"`
}

type xmlPermission struct {
	Protocol string           `xml:"ipProtocol"`
	Groups   set[xmlUserPair] `xml:"groups,omitempty"`
	Ranges   set[xmlRange]    `xml:"ipRanges,omitempty"`
}

type xmlUserPair struct {
	UserID  string `xml:"userId"`
	GroupID string `xml:"groupId"`
}

type xmlRange struct {
	CIDR string `xml:"cidrIp"`
}

// renderGroup renders a group with the rules AWS gives a new one (all traffic out; a default
// group also lets in its own members). Rules cannot be changed here.
func renderGroup(p *store.Part, g groupRow, tags []store.Tag) xmlGroup {
	x := xmlGroup{
		OwnerID: p.Account, GroupID: g.ID, GroupName: g.Name, Description: g.Description, VPCID: g.VPCID,
		ARN:    "arn:aws:ec2:" + p.Region + ":" + p.Account + ":security-group/" + g.ID,
		Egress: []xmlPermission{{Protocol: "-1", Ranges: []xmlRange{{CIDR: "0.0.0.0/0"}}}},
		Tags:   xmlTags(tags),
	}
	if g.Name == "default" {
		x.Ingress = []xmlPermission{{Protocol: "-1", Groups: []xmlUserPair{{UserID: p.Account, GroupID: g.ID}}}}
	}
	return x
}

// groupTextRE is what names and descriptions of groups in a VPC may hold.
var groupTextRE = regexp.MustCompile(`^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$`)

// groupText reads a group's name or description.
func groupText(p query.Params, name string) (string, error) {
	v, err := required(p, name, maxGroupName)
	if err == nil && !groupTextRE.MatchString(v) {
		return "", invalid("Value (%s) for parameter %s is invalid. Character sets beyond a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* are not allowed.", v, name)
	}
	return v, err
}

type createGroupResult struct {
	GroupID string      `xml:"groupId"`
	Tags    set[xmlTag] `xml:"tagSet,omitempty"`
	ARN     string      `xml:"securityGroupArn"`
}

func (r *Room) createSecurityGroup(c *query.Call) (any, error) {
	name, err := groupText(c.Params, "GroupName")
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(strings.ToLower(name), "sg-") {
		return nil, invalid("Group names may not be in the format sg-*.")
	}
	desc, err := groupText(c.Params, "GroupDescription")
	if err != nil {
		return nil, err
	}
	vpcID := c.Params["VpcId"]
	if vpcID != "" && !VPCIDRE.MatchString(vpcID) {
		return nil, fail("InvalidVpcID.Malformed", "Invalid id: \"%s\"", vpcID)
	}
	tags, err := tagSpecs(c.Params, "security-group")
	if err != nil {
		return nil, err
	}
	var res createGroupResult
	return &res, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		vpc := vpcID
		if vpc == "" {
			vpc = DefaultVPCOf(p.Account, p.Region).ID
		}
		if err := r.checkExists(p, vpc); err != nil {
			return err
		}
		groups, err := allGroups(p)
		if err != nil {
			return err
		}
		count := 0
		for _, g := range groups {
			if g.VPCID != vpc {
				continue
			}
			if g.Name == name {
				return fail("InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, vpc)
			}
			count++
		}
		if count >= r.env.Limits.Get(limitGroups) {
			return fail("SecurityGroupLimitExceeded", "The maximum number of security groups for VPC '%s' has been reached.", vpc)
		}
		g := groupRow{ID: newID("sg"), SecurityGroup: store.SecurityGroup{VPCID: vpc, Name: name, Description: desc}}
		if err := store.SecurityGroups.Put(p, g.ID, &g.SecurityGroup); err != nil {
			return err
		}
		if err := addTags(p, g.ID, tags); err != nil {
			return err
		}
		x := renderGroup(p, g, tags)
		res = createGroupResult{GroupID: x.GroupID, Tags: x.Tags, ARN: x.ARN}
		return nil
	})
}

type describeGroupsResult struct {
	Groups    []xmlGroup `xml:"securityGroupInfo>item"`
	NextToken string     `xml:"nextToken,omitempty"`
}

var groupListing = listing[xmlGroup]{
	idParam: "GroupId", idRE: SecurityGroupIDRE, malformed: "InvalidGroupId.Malformed",
	fields: fields[xmlGroup]{
		"group-id":    func(g xmlGroup) []string { return one(g.GroupID) },
		"group-name":  func(g xmlGroup) []string { return one(g.GroupName) },
		"vpc-id":      func(g xmlGroup) []string { return one(g.VPCID) },
		"description": func(g xmlGroup) []string { return one(g.Description) },
		"owner-id":    func(g xmlGroup) []string { return one(g.OwnerID) },
	},
	id:   func(g xmlGroup) string { return g.GroupID },
	tags: func(g xmlGroup) []xmlTag { return g.Tags },
}

// defaultVPCGroup finds a group of the default VPC by name: names alone name groups there.
func defaultVPCGroup(groups []groupRow, dv DefaultVPC, name string) (string, error) {
	for _, g := range groups {
		if g.VPCID == dv.ID && g.Name == name {
			return g.ID, nil
		}
	}
	return "", fail("InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", name, dv.ID)
}

func (r *Room) describeSecurityGroups(c *query.Call) (any, error) {
	names, err := c.Params.EC2List("GroupName")
	if err != nil {
		return nil, err
	}
	var res describeGroupsResult
	res.Groups, res.NextToken, err = describe(r, c, groupListing, func(p *store.Part, q *describeRequest) ([]xmlGroup, error) {
		groups, err := allGroups(p)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			id, err := defaultVPCGroup(groups, DefaultVPCOf(p.Account, p.Region), name)
			if err != nil {
				return nil, err
			}
			q.want = append(q.want, id)
		}
		return rendered(p, groups, func(g groupRow) string { return g.ID }, func(g groupRow, tags []store.Tag) xmlGroup {
			return renderGroup(p, g, tags)
		})
	})
	return &res, err
}

type deleteGroupResult struct {
	Return  bool   `xml:"return"`
	GroupID string `xml:"groupId"`
}

func (r *Room) deleteSecurityGroup(c *query.Call) (any, error) {
	id, name := c.Params["GroupId"], c.Params["GroupName"]
	switch {
	case id == "" && name == "":
		return nil, fail("MissingParameter", "The request must contain the parameter groupName or groupId")
	case id != "" && !SecurityGroupIDRE.MatchString(id):
		return nil, fail("InvalidGroupId.Malformed", "Invalid id: \"%s\"", id)
	}
	res := deleteGroupResult{Return: true}
	return &res, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		dv := DefaultVPCOf(p.Account, p.Region)
		id := id
		if id == "" {
			groups, err := allGroups(p)
			if err != nil {
				return err
			}
			if id, err = defaultVPCGroup(groups, dv, name); err != nil {
				return err
			}
		}
		g, err := findGroup(p, id)
		if err != nil {
			return err
		}
		if g == nil {
			return notFound(id)
		}
		if _, derived := dv.groups()[id]; derived || g.Name == "default" {
			return fail("CannotDelete", "the specified group: \"%s\" name: \"%s\" cannot be deleted by a user", id, g.Name)
		}
		res.GroupID = id
		return deleteUnused(r, p, store.SecurityGroups, id, "resource "+id+" has a dependent object")
	})
}
