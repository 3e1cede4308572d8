package classic_test

import (
	"context"
	"slices"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestZoneBalancerInDefaultVPC(t *testing.T) {
	ctx := context.Background()
	c, srv := sdkcheck.Client(t)
	dv := srv.Endpoint.DefaultVPC("", "")
	sdkcheck.CreateLB(t, c, "web")
	d := sdkcheck.DescribeOne(t, c, "web")
	if aws.ToString(d.VPCId) != dv.ID || !slices.Equal(d.Subnets, []string{dv.Subnet("us-east-1a")}) ||
		!slices.Equal(d.SecurityGroups, []string{dv.ELBSecurityGroupID}) ||
		aws.ToString(d.SourceSecurityGroup.OwnerAlias) != "000000000000" || aws.ToString(d.SourceSecurityGroup.GroupName) != dv.ELBSecurityGroupName {
		t.Fatalf("zone balancer placement: %+v", d)
	}

	en, err := c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("web"), AvailabilityZones: []string{"us-east-1b", "us-east-1a"}})
	sdkcheck.NoErr(t, err)
	d = sdkcheck.DescribeOne(t, c, "web")
	if len(en.AvailabilityZones) != 2 || !sameElems(d.Subnets, dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")) {
		t.Fatalf("after enable: zones %v, subnets %v", en.AvailabilityZones, d.Subnets)
	}
	_, err = c.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("web"), AvailabilityZones: []string{"us-east-1a"}})
	sdkcheck.NoErr(t, err)
	if d = sdkcheck.DescribeOne(t, c, "web"); !slices.Equal(d.Subnets, []string{dv.Subnet("us-east-1b")}) || !slices.Equal(d.AvailabilityZones, []string{"us-east-1b"}) {
		t.Fatalf("after disable: zones %v, subnets %v", d.AvailabilityZones, d.Subnets)
	}
	// The default subnets are ordinary subnets of the balancer's VPC.
	att, err := c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("web"), Subnets: []string{dv.Subnet("us-east-1c")}})
	sdkcheck.NoErr(t, err)
	if d = sdkcheck.DescribeOne(t, c, "web"); len(att.Subnets) != 2 || !sameElems(d.AvailabilityZones, "us-east-1b", "us-east-1c") {
		t.Fatalf("after attach: subnets %v, zones %v", att.Subnets, d.AvailabilityZones)
	}

	// Security groups are Elastic Load Balancing's choice in the default VPC.
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("sg"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
		AvailabilityZones: []string{"us-east-1a"}, SecurityGroups: []string{"sg-12345678"}})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")
}

func TestStrictModeDefaultVPC(t *testing.T) {
	ctx := context.Background()
	c, srv := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Strict: true}))
	ep := srv.Endpoint
	dv := ep.DefaultVPC("", "")
	sdkcheck.NoErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000a", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1a"}))
	sdkcheck.NoErr(t, ep.DeclareSecurityGroupNamed("", "", "sg-0000000a", "vpc-11111111", "web-tier"))
	sdkcheck.NoErr(t, ep.DeclareSecurityGroup("", "", "sg-0000000b", "vpc-11111111"))
	sdkcheck.NoErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", AvailabilityZone: "us-east-1b"}))
	sdkcheck.NoErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000b", VPCID: "vpc-11111111", SubnetID: "subnet-0000000a"}))

	// Zone placement and the default subnets need no declaration.
	sdkcheck.CreateLB(t, c, "zoned")
	_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("bysubnet"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
		Subnets: []string{dv.Subnet("us-east-1b")}, SecurityGroups: []string{dv.SecurityGroupID}})
	sdkcheck.NoErr(t, err)
	if d := sdkcheck.DescribeOne(t, c, "bysubnet"); aws.ToString(d.VPCId) != dv.ID || aws.ToString(d.SourceSecurityGroup.GroupName) != "default" ||
		!slices.Equal(d.AvailabilityZones, []string{"us-east-1b"}) {
		t.Fatalf("balancer in default subnet: %+v", d)
	}
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("zoned"), Instances: sdkcheck.Instances("i-0000000a")})
	sdkcheck.NoErr(t, err)
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("zoned"), Instances: sdkcheck.Instances("i-0000000b")})
	sdkcheck.WantCode(t, err, "InvalidInstance")
	_, err = c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("zoned"), Subnets: []string{"subnet-0000000a"}})
	sdkcheck.WantCode(t, err, "InvalidSubnet")

	// A non-default VPC: the source group is the first group, by name;
	// zones are managed through subnets only.
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("private"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
		Subnets: []string{"subnet-0000000a"}, SecurityGroups: []string{"sg-0000000a", "sg-0000000b"}})
	sdkcheck.NoErr(t, err)
	if g := sdkcheck.DescribeOne(t, c, "private").SourceSecurityGroup; aws.ToString(g.OwnerAlias) != "000000000000" || aws.ToString(g.GroupName) != "web-tier" {
		t.Fatalf("source security group %+v", g)
	}
	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("private"), SecurityGroups: []string{"sg-0000000b"}})
	sdkcheck.NoErr(t, err)
	if g := sdkcheck.DescribeOne(t, c, "private").SourceSecurityGroup; aws.ToString(g.GroupName) != "sg-0000000b" {
		t.Fatalf("source security group after apply %+v", g)
	}
	_, err = c.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: aws.String("private"), AvailabilityZones: []string{"us-east-1b"}})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")
	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("private"), SecurityGroups: []string{dv.ELBSecurityGroupID}})
	sdkcheck.WantCode(t, err, "InvalidSecurityGroup")
}

func sameElems(got []string, want ...string) bool {
	a, b := slices.Clone(got), slices.Clone(want)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
