package classic_test

import (
	"context"
	"maps"
	"testing"
	"time"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func TestInstancesAndHealth(t *testing.T) {
	ctx := context.Background()
	c, srv := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "pool")
	a, b := "i-0123456789abcdef0", "i-12345678"
	reg, err := c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("pool"), Instances: sdkcheck.Instances(a, b, a)})
	sdkcheck.NoErr(t, err)
	if len(reg.Instances) != 2 {
		t.Fatalf("registered %+v", reg.Instances)
	}
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("pool"), Instances: sdkcheck.Instances("i-xyz")})
	sdkcheck.WantCode(t, err, "InvalidInstance")
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("none"), Instances: sdkcheck.Instances(a)})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")

	sdkcheck.NoErr(t, srv.Endpoint.SetInstanceHealth("", "", "pool", b, "OutOfService", "Instance", "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."))
	if err := srv.Endpoint.SetInstanceHealth("", "", "pool", "i-99999999", "InService", "", ""); err == nil {
		t.Fatal("SetInstanceHealth accepted an unregistered instance")
	}
	h, err := c.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("pool")})
	sdkcheck.NoErr(t, err)
	states := map[string]string{}
	for _, s := range h.InstanceStates {
		states[aws.ToString(s.InstanceId)] = aws.ToString(s.State)
	}
	if states[a] != "InService" || states[b] != "OutOfService" || len(states) != 2 {
		t.Fatalf("health %v", states)
	}
	_, err = c.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("pool"), Instances: sdkcheck.Instances("i-99999999")})
	sdkcheck.WantCode(t, err, "InvalidInstance")

	dereg, err := c.DeregisterInstancesFromLoadBalancer(ctx, &elb.DeregisterInstancesFromLoadBalancerInput{LoadBalancerName: aws.String("pool"), Instances: sdkcheck.Instances(b, "i-99999999")})
	sdkcheck.NoErr(t, err)
	if len(dereg.Instances) != 1 || aws.ToString(dereg.Instances[0].InstanceId) != a {
		t.Fatalf("after deregister %+v", dereg.Instances)
	}
	d := sdkcheck.DescribeOne(t, c, "pool")
	if len(d.Instances) != 1 {
		t.Fatalf("description instances %+v", d.Instances)
	}
}

func TestRegisteredInstanceLimit(t *testing.T) {
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-registered-instances": 2}}))
	sdkcheck.CreateLB(t, c, "small")
	_, err := c.RegisterInstancesWithLoadBalancer(context.Background(), &elb.RegisterInstancesWithLoadBalancerInput{
		LoadBalancerName: aws.String("small"), Instances: sdkcheck.Instances("i-00000001", "i-00000002", "i-00000003")})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")
}

func TestStrictMode(t *testing.T) {
	ctx := context.Background()
	c, srv := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Strict: true}))
	ep := srv.Endpoint
	sdkcheck.NoErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000a", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1a"}))
	sdkcheck.NoErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000b", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1b"}))
	sdkcheck.NoErr(t, ep.DeclareSubnet("", "", elbserver.Subnet{ID: "subnet-0000000c", VPCID: "vpc-11111111", AvailabilityZone: "us-east-1a"}))
	sdkcheck.NoErr(t, ep.DeclareSecurityGroup("", "", "sg-0000000a", "vpc-11111111"))
	sdkcheck.NoErr(t, ep.DeclareSecurityGroup("", "", "sg-0000000f", "vpc-22222222"))
	sdkcheck.NoErr(t, ep.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", PrivateIP: "10.0.0.10", VPCID: "vpc-11111111", SubnetID: "subnet-0000000a", AvailabilityZone: "us-east-1a"}))
	if err := ep.DeclareInstance("", "", elbserver.Instance{ID: "bogus"}); err == nil {
		t.Fatal("DeclareInstance accepted a malformed id")
	}

	create := func(name string, subnets, sgs []string) error {
		_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(name), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
			Subnets: subnets, SecurityGroups: sgs, Scheme: aws.String("internal")})
		return err
	}
	sdkcheck.WantCode(t, create("s1", []string{"subnet-99999999"}, nil), "SubnetNotFound")
	sdkcheck.WantCode(t, create("s1", []string{"subnet-0000000a"}, []string{"sg-99999999"}), "InvalidSecurityGroup")
	sdkcheck.WantCode(t, create("s1", []string{"subnet-0000000a"}, []string{"sg-0000000f"}), "InvalidSecurityGroup")
	sdkcheck.WantCode(t, create("s1", []string{"subnet-0000000a", "subnet-0000000c"}, nil), "InvalidConfigurationRequest")
	sdkcheck.NoErr(t, create("s1", []string{"subnet-0000000a"}, []string{"sg-0000000a"}))

	d := sdkcheck.DescribeOne(t, c, "s1")
	if aws.ToString(d.VPCId) != "vpc-11111111" || aws.ToString(d.Scheme) != "internal" || d.AvailabilityZones[0] != "us-east-1a" ||
		d.CanonicalHostedZoneName != nil || aws.ToString(d.DNSName)[:9] != "internal-" {
		t.Fatalf("vpc balancer: %+v", d)
	}

	_, err := c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("s1"), Instances: sdkcheck.Instances("i-0000000b")})
	sdkcheck.WantCode(t, err, "InvalidInstance")
	_, err = c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("s1"), Instances: sdkcheck.Instances("i-0000000a")})
	sdkcheck.NoErr(t, err)

	att, err := c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-0000000b"}})
	sdkcheck.NoErr(t, err)
	if len(att.Subnets) != 2 {
		t.Fatalf("subnets after attach %v", att.Subnets)
	}
	if d = sdkcheck.DescribeOne(t, c, "s1"); len(d.AvailabilityZones) != 2 {
		t.Fatalf("zones after attach %v", d.AvailabilityZones)
	}
	_, err = c.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-99999999"}})
	sdkcheck.WantCode(t, err, "SubnetNotFound")
	det, err := c.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-0000000a"}})
	sdkcheck.NoErr(t, err)
	if len(det.Subnets) != 1 || det.Subnets[0] != "subnet-0000000b" {
		t.Fatalf("subnets after detach %v", det.Subnets)
	}
	_, err = c.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("s1"), Subnets: []string{"subnet-0000000b"}})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")

	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("s1"), SecurityGroups: []string{"sg-99999999"}})
	sdkcheck.WantCode(t, err, "InvalidSecurityGroup")
	sg, err := c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("s1"), SecurityGroups: []string{"sg-0000000a"}})
	sdkcheck.NoErr(t, err)
	if len(sg.SecurityGroups) != 1 {
		t.Fatalf("security groups %v", sg.SecurityGroups)
	}
}

// DescribeInstanceHealth reports the data plane's record (store.ClassicProbes) when it is not
// older than the balancer, SetInstanceHealth's state above it, and InService without either.
func TestInstanceHealthFromTheDataPlane(t *testing.T) {
	ctx := context.Background()
	c, srv := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "probed")
	a, b, old := "i-0000000a", "i-0000000b", "i-0000000c"
	_, err := c.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("probed"), Instances: sdkcheck.Instances(a, b, old)})
	sdkcheck.NoErr(t, err)
	down := store.ClassicHealth{State: "OutOfService", ReasonCode: "Instance", Description: "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."}
	sdkcheck.NoErr(t, srv.Endpoint.Store().Update("000000000000", "us-east-1", func(p *store.Part) error {
		for id, when := range map[string]time.Time{a: time.Now(), b: time.Now(), old: time.Now().Add(-time.Hour)} {
			if err := store.ClassicProbes.Put(p, store.ClassicProbeKey("probed", id), &store.ClassicProbe{ClassicHealth: down, Updated: when}); err != nil {
				return err
			}
		}
		return nil
	}))
	sdkcheck.NoErr(t, srv.Endpoint.SetInstanceHealth("", "", "probed", b, "InService", "N/A", "N/A"))
	h, err := c.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: aws.String("probed")})
	sdkcheck.NoErr(t, err)
	got := map[string]string{}
	for _, s := range h.InstanceStates {
		got[aws.ToString(s.InstanceId)] = aws.ToString(s.State) + "/" + aws.ToString(s.ReasonCode) + "/" + aws.ToString(s.Description)
	}
	want := map[string]string{a: "OutOfService/Instance/" + down.Description, b: "InService/N/A/N/A", old: "InService/N/A/N/A"}
	if !maps.Equal(got, want) {
		t.Fatalf("health %v, want %v", got, want)
	}
}
