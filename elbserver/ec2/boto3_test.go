package ec2_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// boto3 builds a VPC, subnets in two zones, a group and instances, puts a strict Classic
// balancer over them, pages and filters, hits the errors, and takes everything down.
func TestBoto3BuildsANetworkForClassic(t *testing.T) {
	t.Parallel()
	py := testenv.RequirePython(t, "boto3")
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Strict: true}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "boto3_ec2.py"))
	cmd.Env = append(testenv.ChildEnv(t), "ENDPOINT_URL="+srv.URL)
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("boto3_ec2.py: %v\n%s", err, stderrOf(err))
	}
	var out struct {
		VPC struct {
			VpcId, CidrBlock, State string
			IsDefault               bool
			Tags                    []struct{ Key, Value string }
		}
		Subnets []string
		Group   string
		Run     struct {
			ReservationId string
			Instances     []struct {
				InstanceId, PrivateIpAddress, SubnetId, InstanceType string
				State                                                struct{ Name string }
				Tags                                                 []struct{ Key, Value string }
			}
		}
		InstancePages  []int    `json:"instance_pages"`
		ByIP           []string `json:"by_ip"`
		ByTag          []string `json:"by_tag"`
		InB            []string `json:"in_b"`
		DefaultSubnets [][]any  `json:"default_subnets"`
		DefaultVPC     []struct {
			VpcId     string
			IsDefault bool
		} `json:"default_vpc"`
		TagPages []int    `json:"tag_pages"`
		Groups   []string `json:"groups"`
		Zones    []string `json:"zones"`
		Errors   map[string]string
		LB       struct {
			VPCId                      string
			Subnets, AvailabilityZones []string
			SecurityGroups             []string
			Instances                  []struct{ InstanceId string }
		}
		Terminate []struct {
			InstanceId   string
			CurrentState struct{ Name string }
		}
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("boto3_ec2.py printed %q: %v", raw, err)
	}

	if v := out.VPC; v.CidrBlock != "10.30.0.0/16" || v.State != "pending" || v.IsDefault || len(v.Tags) != 1 || v.Tags[0].Value != "boto3" {
		t.Errorf("created VPC %+v", v)
	}
	var ids []string
	for k, i := range out.Run.Instances {
		ids = append(ids, i.InstanceId)
		if i.State.Name != "pending" || i.SubnetId != out.Subnets[0] || i.InstanceType != "t3.micro" || i.PrivateIpAddress != []string{"10.30.1.4", "10.30.1.5"}[k] || len(i.Tags) != 2 {
			t.Errorf("launched %+v", i)
		}
	}
	if len(ids) != 2 {
		t.Fatalf("launched %+v", out.Run)
	}
	if !slices.Equal(out.InstancePages, []int{5, 4}) {
		t.Errorf("9 instances in pages of 5: %v", out.InstancePages)
	}
	if !slices.Equal(out.ByIP, ids[1:]) || !sameSet(out.ByTag, ids) || len(out.InB) != 7 {
		t.Errorf("filters: by address %v, by tag %v, in us-east-1b %d", out.ByIP, out.ByTag, len(out.InB))
	}
	if len(out.DefaultSubnets) != 6 || len(out.DefaultVPC) != 1 || !out.DefaultVPC[0].IsDefault || out.DefaultVPC[0].VpcId != srv.Endpoint.DefaultVPC("", "").ID {
		t.Errorf("default network: %v %+v", out.DefaultSubnets, out.DefaultVPC)
	}
	// Tags: the VPC's Name, two on each of the two web instances: 5, in one page of 5.
	if !slices.Equal(out.TagPages, []int{5}) {
		t.Errorf("tag pages %v", out.TagPages)
	}
	if !sameSet(out.Groups, []string{"default", "web"}) || len(out.Zones) != 6 {
		t.Errorf("groups %v, zones %v", out.Groups, out.Zones)
	}
	for name, code := range map[string]string{
		"in_use": "InvalidIPAddress.InUse", "malformed": "InvalidInstanceID.Malformed", "not_found": "InvalidInstanceID.NotFound",
		"subnet_in_use": "DependencyViolation", "reserved_key": "InvalidParameterValue", "bad_address": "InvalidParameterValue",
		"duplicate_group": "InvalidGroup.Duplicate", "range": "InvalidSubnet.Range", "conflict": "InvalidSubnet.Conflict",
		"vpc_not_found": "InvalidVpcID.NotFound", "group_not_found": "InvalidGroup.NotFound", "bad_token": "InvalidPaginationToken",
		"small_page": "InvalidParameterValue", "dry_run": "DryRunOperation", "vpc_in_use": "DependencyViolation",
		"unknown_subnet": "SubnetNotFound", "register_terminated": "InvalidInstance", "deleted": "InvalidVpcID.NotFound",
	} {
		if out.Errors[name] != code {
			t.Errorf("%s: %s, want %s", name, out.Errors[name], code)
		}
	}
	lb := out.LB
	if lb.VPCId != out.VPC.VpcId || !sameSet(lb.Subnets, out.Subnets) || !sameSet(lb.AvailabilityZones, []string{"us-east-1a", "us-east-1b"}) ||
		!slices.Equal(lb.SecurityGroups, []string{out.Group}) || len(lb.Instances) != 2 {
		t.Errorf("balancer %+v", lb)
	}
	if len(out.Terminate) != 9 || strings.Count(string(raw), `"shutting-down"`) != 9 {
		t.Errorf("terminated %+v", out.Terminate)
	}
}
