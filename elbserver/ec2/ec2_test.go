package ec2_test

import (
	"context"
	"regexp"
	"testing"

	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestDefaultVPCIDs(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	dv := srv.Endpoint.DefaultVPC("", "")
	for re, id := range map[string]string{`^vpc-[0-9a-f]{17}$`: dv.ID, `^sg-[0-9a-f]{17}$`: dv.SecurityGroupID,
		`^subnet-[0-9a-f]{17}$`: dv.Subnet("us-east-1a"), `^default_elb_[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`: dv.ELBSecurityGroupName} {
		if !regexp.MustCompile(re).MatchString(id) {
			t.Errorf("%q does not match %s", id, re)
		}
	}
	if dv.ELBSecurityGroupID == dv.SecurityGroupID || dv.Subnet("us-east-1a") == dv.Subnet("us-east-1b") {
		t.Errorf("ids collide: %+v", dv)
	}
	same := srv.Endpoint.DefaultVPC("000000000000", "us-east-1")
	other := srv.Endpoint.DefaultVPC("111122223333", "us-east-1")
	west := srv.Endpoint.DefaultVPC("", "us-west-2")
	if same.ID != dv.ID || same.Subnet("us-east-1c") != dv.Subnet("us-east-1c") {
		t.Errorf("default VPC ids are not stable: %+v vs %+v", same, dv)
	}
	if other.ID == dv.ID || west.ID == dv.ID || other.ELBSecurityGroupName == dv.ELBSecurityGroupName {
		t.Errorf("default VPCs of different accounts or regions share ids")
	}
}

func TestEC2DescribeInstances(t *testing.T) {
	ctx := context.Background()
	_, srv := sdkcheck.Client(t)
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "10.0.0.10", PublicIP: "203.0.113.10", SubnetID: "subnet-0000000a", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1b"}))
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000b", PrivateIP: "10.0.0.11"}))
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "eu-west-1", elbserver.Instance{ID: "i-0000000c", PrivateIP: "10.9.0.1"}))
	cfg := srv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	e := ec2.NewFromConfig(cfg)

	ids := func(out *ec2.DescribeInstancesOutput) []string {
		var r []string
		for _, res := range out.Reservations {
			for _, i := range res.Instances {
				r = append(r, aws.ToString(i.InstanceId))
			}
		}
		return r
	}
	all, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	sdkcheck.NoErr(t, err)
	if got := ids(all); len(got) != 2 {
		t.Fatalf("all instances %v", got)
	}
	out, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("private-ip-address"), Values: []string{"10.0.0.10"}}}})
	sdkcheck.NoErr(t, err)
	if len(out.Reservations) != 1 {
		t.Fatalf("by private ip: %v", ids(out))
	}
	i := out.Reservations[0].Instances[0]
	if aws.ToString(i.InstanceId) != "i-0000000a" || aws.ToString(i.PublicIpAddress) != "203.0.113.10" || aws.ToString(i.SubnetId) != "subnet-0000000a" ||
		aws.ToString(i.VpcId) != "vpc-11111111" || aws.ToString(i.Placement.AvailabilityZone) != "us-east-1b" || i.State.Name != ec2types.InstanceStateNameRunning {
		t.Fatalf("instance %+v", i)
	}
	out, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0000000b"}})
	sdkcheck.NoErr(t, err)
	if got := ids(out); len(got) != 1 || got[0] != "i-0000000b" {
		t.Fatalf("by id %v", got)
	}
	out, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("ip-address"), Values: []string{"198.51.100.1"}}}})
	sdkcheck.NoErr(t, err)
	if len(out.Reservations) != 0 {
		t.Fatalf("unknown public ip matched %v", ids(out))
	}
	_, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0000000c"}})
	sdkcheck.WantCode(t, err, "InvalidInstanceID.NotFound")
	_, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("no-such-filter"), Values: []string{"x"}}}})
	sdkcheck.WantCode(t, err, "InvalidParameterValue")
}

func TestEC2InstancesInDefaultVPC(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	ep := srv.Endpoint
	dv := ep.DefaultVPC("", "")
	sdkcheck.NoErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "172.31.0.10", AvailabilityZone: "us-east-1c"}))
	sdkcheck.NoErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000b", VPCID: "vpc-11111111", SubnetID: "subnet-0000000a"}))
	out, err := ec2.NewFromConfig(srv.AWSConfig()).DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{})
	sdkcheck.NoErr(t, err)
	got := map[string][2]string{}
	for _, r := range out.Reservations {
		for _, i := range r.Instances {
			got[aws.ToString(i.InstanceId)] = [2]string{aws.ToString(i.VpcId), aws.ToString(i.SubnetId)}
		}
	}
	if got["i-0000000a"] != [2]string{dv.ID, dv.Subnet("us-east-1c")} || got["i-0000000b"] != [2]string{"vpc-11111111", "subnet-0000000a"} {
		t.Fatalf("instance placement %v", got)
	}
}
