package ec2_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/loadbalancer"
	elbprovider "github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// In strict mode, Classic takes what the EC2 API created, and nothing else.
func TestStrictClassicUsesCreatedResources(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{Strict: true})
	lbs := elb.NewFromConfig(sdkcheck.Config(srv))
	vpc := mkVPC(t, c, "10.0.0.0/16")
	a := mkSubnet(t, c, vpc, "10.0.1.0/24", "us-east-1a")
	b := mkSubnet(t, c, vpc, "10.0.2.0/24", "us-east-1b")
	sg := mkGroup(t, c, vpc, "web")
	ids := instanceIDs(run(t, c, a, 2))
	other := instanceIDs(run(t, c, "", 1))[0] // in the default VPC

	listeners := []elbtypes.Listener{sdkcheck.HTTPListener(80, 8080)}
	_, err := lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("web"), Listeners: listeners, Subnets: []string{a, b}, SecurityGroups: []string{sg}})
	sdkcheck.NoErr(t, err)
	d := sdkcheck.DescribeOne(t, lbs, "web")
	if aws.ToString(d.VPCId) != vpc || !sameSet(d.AvailabilityZones, []string{"us-east-1a", "us-east-1b"}) || !slices.Equal(d.SecurityGroups, []string{sg}) ||
		aws.ToString(d.SourceSecurityGroup.GroupName) != "web" {
		t.Fatalf("balancer %+v", d)
	}
	_, err = lbs.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("web"), Instances: sdkcheck.Instances(ids...)})
	sdkcheck.NoErr(t, err)
	_, err = lbs.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("web"), Instances: sdkcheck.Instances(other)})
	sdkcheck.WantCode(t, err, "InvalidInstance") // another VPC's

	// Unknown to EC2: refused.
	_, err = lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("x"), Listeners: listeners, Subnets: []string{"subnet-0123456789abcdef0"}})
	sdkcheck.WantCode(t, err, "SubnetNotFound")
	_, err = lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("x"), Listeners: listeners, Subnets: []string{a}, SecurityGroups: []string{"sg-0123456789abcdef0"}})
	sdkcheck.WantCode(t, err, "InvalidSecurityGroup")
	_, err = lbs.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("web"), Instances: sdkcheck.Instances("i-0123456789abcdef0")})
	sdkcheck.WantCode(t, err, "InvalidInstance")

	// What the balancer uses cannot go.
	for _, id := range []string{b, sg} {
		var err error
		if id == sg {
			_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
		} else {
			_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
		}
		sdkcheck.WantCode(t, err, "DependencyViolation")
	}
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
	sdkcheck.WantCode(t, err, "DependencyViolation")

	// A terminated instance is no longer one.
	_, err = c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]})
	sdkcheck.NoErr(t, err)
	_, err = lbs.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: aws.String("web"), Instances: sdkcheck.Instances(ids[0])})
	sdkcheck.WantCode(t, err, "InvalidInstance")
	// Nor is a deleted subnet.
	_, err = lbs.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("web")})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(b)})
	sdkcheck.NoErr(t, err)
	_, err = lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("again"), Listeners: listeners, Subnets: []string{b}})
	sdkcheck.WantCode(t, err, "SubnetNotFound")
}

// The Classic driver resolves a member given by address through DescribeInstances by
// private-ip-address, against instances RunInstances launched.
func TestClassicDriverResolvesLaunchedInstances(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{Strict: true})
	insts := run(t, c, "", 3)
	gone := insts[2]
	_, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{aws.ToString(gone.InstanceId)}})
	sdkcheck.NoErr(t, err)

	d := elbprovider.NewClient(sdkcheck.Config(srv)).Service()
	_, err = d.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "web", Port: 80, Protocol: loadbalancer.HTTP, InstancePort: 8080, Zones: []string{"us-east-1a"}})
	sdkcheck.NoErr(t, err)
	got, err := d.AttachMembers(ctx, "web", []loadbalancer.Member{{IP: aws.ToString(insts[0].PrivateIpAddress)}, {IP: aws.ToString(insts[1].PrivateIpAddress)}})
	sdkcheck.NoErr(t, err)
	if len(got) != 2 || got[0].ID != aws.ToString(insts[0].InstanceId) || got[1].ID != aws.ToString(insts[1].InstanceId) {
		t.Fatalf("members %+v", got)
	}
	ms, err := d.ListMembers(ctx, "web")
	sdkcheck.NoErr(t, err)
	if len(ms) != 2 {
		t.Fatalf("registered %+v", ms)
	}
	// A terminated instance's address resolves to nothing.
	_, err = d.AttachMembers(ctx, "web", []loadbalancer.Member{{IP: aws.ToString(gone.PrivateIpAddress)}})
	if err == nil {
		t.Fatal("the address of a terminated instance resolved")
	}
}
