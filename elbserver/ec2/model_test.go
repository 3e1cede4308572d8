package ec2_test

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	ec2room "github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// model is the part of botocore's EC2 model the tests read.
type model struct {
	Operations map[string]struct {
		Output struct {
			Shape string `json:"shape"`
		} `json:"output"`
	} `json:"operations"`
	Shapes map[string]shape `json:"shapes"`
}

type shape struct {
	Type    string            `json:"type"`
	Members map[string]member `json:"members"`
	Member  member            `json:"member"`
}

type member struct {
	Shape        string `json:"shape"`
	LocationName string `json:"locationName"`
}

var modelCache struct {
	sync.Mutex
	m *model
}

// readModel reads the model once for every test: it is large, and botocore is found by
// starting Python.
func readModel(t *testing.T) model {
	t.Helper()
	modelCache.Lock()
	defer modelCache.Unlock()
	if modelCache.m == nil {
		var m model
		sdkcheck.NoErr(t, json.Unmarshal(testenv.Model(t, "ec2", ec2room.APIVersion), &m))
		modelCache.m = &m
	}
	return *modelCache.m
}

// node is an element of a reply.
type node struct {
	name     string
	text     string
	children []*node
}

func parseXML(t *testing.T, body string) *node {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(body))
	var stack []*node
	var root *node
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return root
		}
		sdkcheck.NoErr(t, err)
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{name: tok.Name.Local}
			if len(stack) > 0 {
				stack[len(stack)-1].children = append(stack[len(stack)-1].children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// conform reports every element of n that the model's shape does not have, or whose text is
// not of the shape's type; path names where.
func (m model) conform(n *node, shapeName, path string) []string {
	s := m.Shapes[shapeName]
	var bad []string
	switch s.Type {
	case "structure":
	next:
		for _, c := range n.children {
			for name, mem := range s.Members {
				if c.name == mem.LocationName || (mem.LocationName == "" && c.name == name) {
					bad = append(bad, m.conform(c, mem.Shape, path+"/"+c.name)...)
					continue next
				}
			}
			bad = append(bad, path+"/"+c.name+": not in "+shapeName)
		}
	case "list":
		item := s.Member.LocationName
		if item == "" {
			item = "member"
		}
		for _, c := range n.children {
			if c.name != item {
				bad = append(bad, path+"/"+c.name+": a list of "+shapeName+" has "+item+" elements")
				continue
			}
			bad = append(bad, m.conform(c, s.Member.Shape, path+"/"+c.name)...)
		}
	default:
		if len(n.children) > 0 {
			return []string{path + ": a " + s.Type + " with elements"}
		}
		var err error
		switch s.Type {
		case "boolean":
			_, err = strconv.ParseBool(n.text)
		case "integer", "long":
			_, err = strconv.Atoi(n.text)
		case "timestamp":
			_, err = time.Parse(time.RFC3339, n.text)
		}
		if err != nil {
			bad = append(bad, path+": "+err.Error())
		}
	}
	return bad
}

func ec2Form(action string, kv ...string) url.Values {
	v := url.Values{"Action": {action}, "Version": {ec2room.APIVersion}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// call sends a raw request and returns its reply, which must succeed.
func call(t *testing.T, srv *elbtest.Server, action string, kv ...string) string {
	t.Helper()
	status, body, _ := sdkcheck.RawCall(t, srv, "ec2", ec2Form(action, kv...))
	if status != 200 {
		t.Fatalf("%s: %d %s", action, status, body)
	}
	return body
}

func TestServedActionsAreInTheModel(t *testing.T) {
	m := readModel(t)
	served := ec2room.New(&room.Env{}).Room().Query.Actions
	for action := range served {
		if _, ok := m.Operations[action]; !ok {
			t.Errorf("%s is not an operation of the EC2 model", action)
		}
	}
	if len(served) != 16 {
		t.Errorf("%d actions served", len(served))
	}
}

// Every reply, of every action served, has only the elements of the model's output shape,
// with text of their types.
func TestRepliesFollowTheModel(t *testing.T) {
	m := readModel(t)
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{}))
	t.Cleanup(srv.Close)
	id := func(body, elem string) string {
		return regexp.MustCompile("<" + elem + ">([^<]+)</" + elem + ">").FindStringSubmatch(body)[1]
	}
	tagged := []string{"TagSpecification.1.Tag.1.Key", "Name", "TagSpecification.1.Tag.1.Value", "x"}
	replies := map[string]string{}
	replies["CreateVpc"] = call(t, srv, "CreateVpc", append([]string{"CidrBlock", "10.0.0.0/16", "TagSpecification.1.ResourceType", "vpc"}, tagged...)...)
	vpc := id(replies["CreateVpc"], "vpcId")
	replies["CreateSubnet"] = call(t, srv, "CreateSubnet", append([]string{"VpcId", vpc, "CidrBlock", "10.0.1.0/24", "TagSpecification.1.ResourceType", "subnet"}, tagged...)...)
	sub := id(replies["CreateSubnet"], "subnetId")
	replies["CreateSecurityGroup"] = call(t, srv, "CreateSecurityGroup", append([]string{"VpcId", vpc, "GroupName", "web", "GroupDescription", "web", "TagSpecification.1.ResourceType", "security-group"}, tagged...)...)
	sg := id(replies["CreateSecurityGroup"], "groupId")
	replies["RunInstances"] = call(t, srv, "RunInstances", append([]string{"ImageId", "ami-12345678", "MinCount", "2", "MaxCount", "2", "SubnetId", sub, "SecurityGroupId.1", sg, "TagSpecification.1.ResourceType", "instance"}, tagged...)...)
	inst := id(replies["RunInstances"], "instanceId")
	replies["CreateTags"] = call(t, srv, "CreateTags", "ResourceId.1", inst, "Tag.1.Key", "env", "Tag.1.Value", "test")
	for _, a := range []string{"DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeInstances", "DescribeTags", "DescribeAvailabilityZones"} {
		replies[a] = call(t, srv, a)
	}
	replies["DescribeInstances"] = call(t, srv, "DescribeInstances", "MaxResults", "5") // with a terminated one below, too
	replies["DeleteTags"] = call(t, srv, "DeleteTags", "ResourceId.1", inst, "Tag.1.Key", "env")
	replies["TerminateInstances"] = call(t, srv, "TerminateInstances", "InstanceId.1", inst)
	replies["DescribeInstances terminated"] = call(t, srv, "DescribeInstances", "InstanceId.1", inst)
	replies["DescribeSubnets page"] = call(t, srv, "DescribeSubnets", "MaxResults", "5")
	other := id(call(t, srv, "CreateSecurityGroup", "GroupName", "other", "GroupDescription", "other"), "groupId")
	replies["DeleteSecurityGroup"] = call(t, srv, "DeleteSecurityGroup", "GroupId", other)
	call(t, srv, "TerminateInstances", "InstanceId.1", id(strings.Replace(replies["RunInstances"], inst, "", 1), "instanceId"))
	other = id(call(t, srv, "CreateSubnet", "VpcId", vpc, "CidrBlock", "10.0.2.0/24"), "subnetId")
	replies["DeleteSubnet"] = call(t, srv, "DeleteSubnet", "SubnetId", other)
	other = id(call(t, srv, "CreateVpc", "CidrBlock", "10.1.0.0/16"), "vpcId")
	replies["DeleteVpc"] = call(t, srv, "DeleteVpc", "VpcId", other)

	served := ec2room.New(&room.Env{}).Room().Query.Actions
	for name, body := range replies {
		action, _, _ := strings.Cut(name, " ")
		delete(served, action)
		root := parseXML(t, body)
		if root.name != action+"Response" {
			t.Errorf("%s: root %s", name, root.name)
			continue
		}
		rest := slices.DeleteFunc(root.children, func(c *node) bool { return c.name == "requestId" })
		if len(rest) == len(root.children) {
			t.Errorf("%s: no requestId", name)
		}
		root.children = rest
		out := m.Operations[action].Output.Shape
		if out == "" {
			// No output in the model: EC2 answers <return>true</return>, which SDKs ignore.
			if len(rest) != 1 || rest[0].name != "return" || rest[0].text != "true" {
				t.Errorf("%s: %s", name, body)
			}
			continue
		}
		if bad := m.conform(root, out, action); len(bad) > 0 {
			t.Errorf("%s:\n%s", name, strings.Join(bad, "\n"))
		}
	}
	if len(served) > 0 {
		t.Errorf("replies not checked: %v", served)
	}
}

// Parameters the SDKs check before sending are checked here too, in EC2's error envelope.
func TestMissingParameters(t *testing.T) {
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		action  string
		kv      []string
		missing string
	}{
		{"CreateVpc", nil, "CidrBlock"},
		{"DeleteVpc", nil, "VpcId"},
		{"CreateSubnet", []string{"CidrBlock", "10.0.0.0/24"}, "VpcId"},
		{"CreateSubnet", []string{"VpcId", "vpc-01234567"}, "CidrBlock"},
		{"DeleteSubnet", nil, "SubnetId"},
		{"CreateSecurityGroup", []string{"GroupDescription", "d"}, "GroupName"},
		{"CreateSecurityGroup", []string{"GroupName", "n"}, "GroupDescription"},
		{"RunInstances", []string{"ImageId", "ami-12345678", "MaxCount", "1"}, "MinCount"},
		{"RunInstances", []string{"MinCount", "1", "MaxCount", "1"}, "ImageId"},
		{"TerminateInstances", nil, "InstanceId"},
		{"CreateTags", []string{"Tag.1.Key", "k"}, "ResourceId"},
		{"CreateTags", []string{"ResourceId.1", "vpc-01234567"}, "Tag"},
		{"DeleteTags", nil, "ResourceId"},
		{"CreateVpc", []string{"CidrBlock", "10.0.0.0/16", "TagSpecification.1.Tag.1.Key", "k"}, "TagSpecification.1.ResourceType"},
	} {
		status, body, reqID := sdkcheck.RawCall(t, srv, "ec2", ec2Form(tc.action, tc.kv...))
		want := `<Response><Errors><Error><Code>MissingParameter</Code><Message>The request must contain the parameter ` + tc.missing +
			`</Message></Error></Errors><RequestID>` + reqID + `</RequestID></Response>`
		if status != 400 || body != want {
			t.Errorf("%s without %s: %d %s", tc.action, tc.missing, status, body)
		}
	}
}
