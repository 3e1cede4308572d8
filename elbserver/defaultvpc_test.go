package elbserver_test

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
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

func TestZoneBalancerInDefaultVPC(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t)
	dv := srv.Endpoint.DefaultVPC("", "")
	createLB(t, c, "web")
	d := describeOne(t, c, "web")
	if aws.ToString(d.VPCId) != dv.ID || !slices.Equal(d.Subnets, []string{dv.Subnet("us-east-1a")}) ||
		!slices.Equal(d.SecurityGroups, []string{dv.ELBSecurityGroupID}) ||
		aws.ToString(d.SourceSecurityGroup.OwnerAlias) != "000000000000" || aws.ToString(d.SourceSecurityGroup.GroupName) != dv.ELBSecurityGroupName {
		t.Fatalf("zone balancer placement: %+v", d)
	}

	en, err := c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("web"), AvailabilityZones: []string{"us-east-1b", "us-east-1a"}})
	noErr(t, err)
	d = describeOne(t, c, "web")
	if len(en.AvailabilityZones) != 2 || !sameElems(d.Subnets, dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")) {
		t.Fatalf("after enable: zones %v, subnets %v", en.AvailabilityZones, d.Subnets)
	}
	_, err = c.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("web"), AvailabilityZones: []string{"us-east-1a"}})
	noErr(t, err)
	if d = describeOne(t, c, "web"); !slices.Equal(d.Subnets, []string{dv.Subnet("us-east-1b")}) || !slices.Equal(d.AvailabilityZones, []string{"us-east-1b"}) {
		t.Fatalf("after disable: zones %v, subnets %v", d.AvailabilityZones, d.Subnets)
	}
	// The default subnets are ordinary subnets of the balancer's VPC.
	att, err := c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("web"), Subnets: []string{dv.Subnet("us-east-1c")}})
	noErr(t, err)
	if d = describeOne(t, c, "web"); len(att.Subnets) != 2 || !sameElems(d.AvailabilityZones, "us-east-1b", "us-east-1c") {
		t.Fatalf("after attach: subnets %v, zones %v", att.Subnets, d.AvailabilityZones)
	}

	// Security groups are Elastic Load Balancing's choice in the default VPC.
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("sg"), Listeners: []types.Listener{httpListener(80, 80)},
		AvailabilityZones: []string{"us-east-1a"}, SecurityGroups: []string{"sg-12345678"}})
	wantCode(t, err, "InvalidConfigurationRequest")
}

func TestStrictModeDefaultVPC(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, elbtest.WithOptions(elbserver.Options{Strict: true}))
	ep := srv.Endpoint
	dv := ep.DefaultVPC("", "")
	noErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000a", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1a"}))
	noErr(t, ep.DeclareSecurityGroupNamed("", "", "sg-0000000a", "vpc-11111111", "web-tier"))
	noErr(t, ep.DeclareSecurityGroup("", "", "sg-0000000b", "vpc-11111111"))
	noErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", AvailabilityZone: "us-east-1b"}))
	noErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000b", VPCID: "vpc-11111111", SubnetID: "subnet-0000000a"}))

	// Zone placement and the default subnets need no declaration.
	createLB(t, c, "zoned")
	_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("bysubnet"), Listeners: []types.Listener{httpListener(80, 80)},
		Subnets: []string{dv.Subnet("us-east-1b")}, SecurityGroups: []string{dv.SecurityGroupID}})
	noErr(t, err)
	if d := describeOne(t, c, "bysubnet"); aws.ToString(d.VPCId) != dv.ID || aws.ToString(d.SourceSecurityGroup.GroupName) != "default" ||
		!slices.Equal(d.AvailabilityZones, []string{"us-east-1b"}) {
		t.Fatalf("balancer in default subnet: %+v", d)
	}
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("zoned"), Instances: insts("i-0000000a")})
	noErr(t, err)
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("zoned"), Instances: insts("i-0000000b")})
	wantCode(t, err, "InvalidInstance")
	_, err = c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("zoned"), Subnets: []string{"subnet-0000000a"}})
	wantCode(t, err, "InvalidSubnet")

	// A non-default VPC: the source group is the first group, by name;
	// zones are managed through subnets only.
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("private"), Listeners: []types.Listener{httpListener(80, 80)},
		Subnets: []string{"subnet-0000000a"}, SecurityGroups: []string{"sg-0000000a", "sg-0000000b"}})
	noErr(t, err)
	if g := describeOne(t, c, "private").SourceSecurityGroup; aws.ToString(g.OwnerAlias) != "000000000000" || aws.ToString(g.GroupName) != "web-tier" {
		t.Fatalf("source security group %+v", g)
	}
	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("private"), SecurityGroups: []string{"sg-0000000b"}})
	noErr(t, err)
	if g := describeOne(t, c, "private").SourceSecurityGroup; aws.ToString(g.GroupName) != "sg-0000000b" {
		t.Fatalf("source security group after apply %+v", g)
	}
	_, err = c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("private"), AvailabilityZones: []string{"us-east-1b"}})
	wantCode(t, err, "InvalidConfigurationRequest")
	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("private"), SecurityGroups: []string{dv.ELBSecurityGroupID}})
	wantCode(t, err, "InvalidSecurityGroup")
}

func TestEC2InstancesInDefaultVPC(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	ep := srv.Endpoint
	dv := ep.DefaultVPC("", "")
	noErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "172.31.0.10", AvailabilityZone: "us-east-1c"}))
	noErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000b", VPCID: "vpc-11111111", SubnetID: "subnet-0000000a"}))
	out, err := ec2.NewFromConfig(srv.AWSConfig()).DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{})
	noErr(t, err)
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

func sameElems(got []string, want ...string) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
