package elbserver_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

func insts(ids ...string) []types.Instance {
	out := make([]types.Instance, len(ids))
	for i, id := range ids {
		out[i] = types.Instance{InstanceId: aws.String(id)}
	}
	return out
}

func TestInstancesAndHealth(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t)
	createLB(t, c, "pool")
	a, b := "i-0123456789abcdef0", "i-12345678"
	reg, err := c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("pool"), Instances: insts(a, b, a)})
	noErr(t, err)
	if len(reg.Instances) != 2 {
		t.Fatalf("registered %+v", reg.Instances)
	}
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("pool"), Instances: insts("i-xyz")})
	wantCode(t, err, "InvalidInstance")
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("none"), Instances: insts(a)})
	wantCode(t, err, "LoadBalancerNotFound")

	noErr(t, srv.Endpoint.SetInstanceHealth("", "", "pool", b, "OutOfService", "Instance", "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."))
	if err := srv.Endpoint.SetInstanceHealth("", "", "pool", "i-99999999", "InService", "", ""); err == nil {
		t.Fatal("SetInstanceHealth accepted an unregistered instance")
	}
	h, err := c.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("pool")})
	noErr(t, err)
	states := map[string]string{}
	for _, s := range h.InstanceStates {
		states[aws.ToString(s.InstanceId)] = aws.ToString(s.State)
	}
	if states[a] != "InService" || states[b] != "OutOfService" || len(states) != 2 {
		t.Fatalf("health %v", states)
	}
	_, err = c.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("pool"), Instances: insts("i-99999999")})
	wantCode(t, err, "InvalidInstance")

	dereg, err := c.DeregisterInstancesFromLoadBalancer(ctx, &elb.DeregisterInstancesFromLoadBalancerInput{LoadBalancerName: aws.String("pool"), Instances: insts(b, "i-99999999")})
	noErr(t, err)
	if len(dereg.Instances) != 1 || aws.ToString(dereg.Instances[0].InstanceId) != a {
		t.Fatalf("after deregister %+v", dereg.Instances)
	}
	d := describeOne(t, c, "pool")
	if len(d.Instances) != 1 {
		t.Fatalf("description instances %+v", d.Instances)
	}
}

func TestRegisteredInstanceLimit(t *testing.T) {
	c, _ := newClient(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-registered-instances": 2}}))
	createLB(t, c, "small")
	_, err := c.RegisterInstancesWithLoadBalancer(context.Background(), &elb.RegisterInstancesWithLoadBalancerInput{
		LoadBalancerName: aws.String("small"), Instances: insts("i-00000001", "i-00000002", "i-00000003")})
	wantCode(t, err, "InvalidConfigurationRequest")
}

func TestStrictMode(t *testing.T) {
	ctx := context.Background()
	c, srv := newClient(t, elbtest.WithOptions(elbserver.Options{Strict: true}))
	ep := srv.Endpoint
	noErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000a", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1a"}))
	noErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000b", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1b"}))
	noErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000c", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1a"}))
	noErr(t, ep.DeclareSecurityGroup("", "", "sg-0000000a", "vpc-11111111"))
	noErr(t, ep.DeclareSecurityGroup("", "", "sg-0000000f", "vpc-22222222"))
	noErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "10.0.0.10", VPCID: "vpc-11111111", SubnetID: "subnet-0000000a", AvailabilityZone: "us-east-1a"}))
	if err := ep.DeclareInstance("", "", elbserver.Instance{ID: "bogus"}); err == nil {
		t.Fatal("DeclareInstance accepted a malformed id")
	}

	create := func(name string, subnets, sgs []string) error {
		_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name), Listeners: []types.Listener{httpListener(80, 80)},
			Subnets: subnets, SecurityGroups: sgs, Scheme: aws.String("internal")})
		return err
	}
	wantCode(t, create("s1", []string{"subnet-99999999"}, nil), "SubnetNotFound")
	wantCode(t, create("s1", []string{"subnet-0000000a"}, []string{"sg-99999999"}), "InvalidSecurityGroup")
	wantCode(t, create("s1", []string{"subnet-0000000a"}, []string{"sg-0000000f"}), "InvalidSecurityGroup")
	wantCode(t, create("s1", []string{"subnet-0000000a", "subnet-0000000c"}, nil), "InvalidConfigurationRequest")
	noErr(t, create("s1", []string{"subnet-0000000a"}, []string{"sg-0000000a"}))

	d := describeOne(t, c, "s1")
	if aws.ToString(d.VPCId) != "vpc-11111111" || aws.ToString(d.Scheme) != "internal" || d.AvailabilityZones[0] != "us-east-1a" ||
		d.CanonicalHostedZoneName != nil || aws.ToString(d.DNSName)[:9] != "internal-" {
		t.Fatalf("vpc balancer: %+v", d)
	}

	_, err := c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("s1"), Instances: insts("i-0000000b")})
	wantCode(t, err, "InvalidInstance")
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("s1"), Instances: insts("i-0000000a")})
	noErr(t, err)

	att, err := c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-0000000b"}})
	noErr(t, err)
	if len(att.Subnets) != 2 {
		t.Fatalf("subnets after attach %v", att.Subnets)
	}
	if d = describeOne(t, c, "s1"); len(d.AvailabilityZones) != 2 {
		t.Fatalf("zones after attach %v", d.AvailabilityZones)
	}
	_, err = c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-99999999"}})
	wantCode(t, err, "SubnetNotFound")
	det, err := c.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-0000000a"}})
	noErr(t, err)
	if len(det.Subnets) != 1 || det.Subnets[0] != "subnet-0000000b" {
		t.Fatalf("subnets after detach %v", det.Subnets)
	}
	_, err = c.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-0000000b"}})
	wantCode(t, err, "InvalidConfigurationRequest")

	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("s1"), SecurityGroups: []string{"sg-99999999"}})
	wantCode(t, err, "InvalidSecurityGroup")
	sg, err := c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("s1"), SecurityGroups: []string{"sg-0000000a"}})
	noErr(t, err)
	if len(sg.SecurityGroups) != 1 {
		t.Fatalf("security groups %v", sg.SecurityGroups)
	}
}

func TestEC2DescribeInstances(t *testing.T) {
	ctx := context.Background()
	_, srv := newClient(t)
	noErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "10.0.0.10", PublicIP: "203.0.113.10", SubnetID: "subnet-0000000a", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1b"}))
	noErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000b", PrivateIP: "10.0.0.11"}))
	noErr(t, srv.Endpoint.DeclareInstance("", "eu-west-1", elbserver.Instance{ID: "i-0000000c", PrivateIP: "10.9.0.1"}))
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
	noErr(t, err)
	if got := ids(all); len(got) != 2 {
		t.Fatalf("all instances %v", got)
	}
	out, err := e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("private-ip-address"), Values: []string{"10.0.0.10"}}}})
	noErr(t, err)
	if len(out.Reservations) != 1 {
		t.Fatalf("by private ip: %v", ids(out))
	}
	i := out.Reservations[0].Instances[0]
	if aws.ToString(i.InstanceId) != "i-0000000a" || aws.ToString(i.PublicIpAddress) != "203.0.113.10" || aws.ToString(i.SubnetId) != "subnet-0000000a" ||
		aws.ToString(i.VpcId) != "vpc-11111111" || aws.ToString(i.Placement.AvailabilityZone) != "us-east-1b" || i.State.Name != ec2types.InstanceStateNameRunning {
		t.Fatalf("instance %+v", i)
	}
	out, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0000000b"}})
	noErr(t, err)
	if got := ids(out); len(got) != 1 || got[0] != "i-0000000b" {
		t.Fatalf("by id %v", got)
	}
	out, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("ip-address"), Values: []string{"198.51.100.1"}}}})
	noErr(t, err)
	if len(out.Reservations) != 0 {
		t.Fatalf("unknown public ip matched %v", ids(out))
	}
	_, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0000000c"}})
	wantCode(t, err, "InvalidInstanceID.NotFound")
	_, err = e.DescribeInstances(ctx, &ec2.DescribeInstancesInput{Filters: []ec2types.Filter{{Name: aws.String("tag:Name"), Values: []string{"x"}}}})
	wantCode(t, err, "InvalidParameterValue")
}
