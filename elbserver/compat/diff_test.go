package compat

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// motoSide makes two instances, a VPC with subnets in two zones and two
// security groups in moto's EC2, and returns an ELB client on moto.
func motoSide(ctx context.Context, t *testing.T) *side {
	t.Helper()
	url := testenv.Moto(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url), RetryMaxAttempts: 1}
	e := ec2.NewFromConfig(cfg)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("moto EC2 set-up: %v", err)
		}
	}
	imgs, err := e.DescribeImages(ctx, &ec2.DescribeImagesInput{})
	must(err)
	if len(imgs.Images) == 0 {
		t.Fatal("moto has no AMI to start instances from")
	}
	run, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: imgs.Images[0].ImageId, MinCount: aws.Int32(2), MaxCount: aws.Int32(2),
		InstanceType: ec2types.InstanceTypeT3Micro})
	must(err)
	s := &side{name: "moto", elb: elb.NewFromConfig(cfg), account: "123456789012"} // moto's default account
	for i := range 2 {
		s.inst[i] = aws.ToString(run.Instances[i].InstanceId)
	}
	vpc, err := e.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	must(err)
	s.vpc = aws.ToString(vpc.Vpc.VpcId)
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		sub, err := e.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.1.1.0/24", "10.1.2.0/24"}[i]), AvailabilityZone: aws.String(zone)})
		must(err)
		s.subnets[i] = aws.ToString(sub.Subnet.SubnetId)
		sg, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: vpc.Vpc.VpcId, GroupName: aws.String([]string{"web", "db"}[i]), Description: aws.String("compat")})
		must(err)
		s.sgs[i] = aws.ToString(sg.GroupId)
	}
	motoDefaultVPC(ctx, t, e, s)
	return s
}

// motoDefaultVPC finds moto's default VPC, its default subnets in the two
// zones and its "default" security group.
func motoDefaultVPC(ctx context.Context, t *testing.T, e *ec2.Client, s *side) {
	t.Helper()
	filter := func(name string, vals ...string) ec2types.Filter {
		return ec2types.Filter{Name: aws.String(name), Values: vals}
	}
	vpcs, err := e.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("is-default", "true")}})
	if err != nil || len(vpcs.Vpcs) != 1 {
		t.Fatalf("moto default VPC: %v (%d found)", err, len(vpcs.Vpcs))
	}
	s.defVPC = aws.ToString(vpcs.Vpcs[0].VpcId)
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		subs, err := e.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{
			filter("vpc-id", s.defVPC), filter("availability-zone", zone), filter("default-for-az", "true")}})
		if err != nil || len(subs.Subnets) != 1 {
			t.Fatalf("moto default subnet in %s: %v", zone, err)
		}
		s.defSubnets[i] = aws.ToString(subs.Subnets[0].SubnetId)
	}
	sgs, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		filter("vpc-id", s.defVPC), filter("group-name", "default")}})
	if err != nil || len(sgs.SecurityGroups) != 1 {
		t.Fatalf("moto default security group: %v", err)
	}
	s.defSG = aws.ToString(sgs.SecurityGroups[0].GroupId)
	s.findELBSG = func(ctx context.Context) error {
		out, err := e.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
			filter("vpc-id", s.defVPC), filter("group-name", "default_elb_*")}})
		if err != nil {
			return err
		}
		if len(out.SecurityGroups) > 0 {
			s.elbSG, s.elbSGName = aws.ToString(out.SecurityGroups[0].GroupId), aws.ToString(out.SecurityGroups[0].GroupName)
		}
		return nil
	}
}

// oursSide starts the endpoint and declares the same resources to it.
func oursSide(t *testing.T) *side {
	t.Helper()
	srv := startServer(t)
	cfg := srv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	s := &side{name: "ours", elb: elb.NewFromConfig(cfg), inst: [2]string{instA, instB},
		subnets: [2]string{subnetA, subnetB}, sgs: [2]string{sgOne, sgTwo}, vpc: vpcID, account: "000000000000"}
	ep := srv.Endpoint
	for i, zone := range []string{"us-east-1a", "us-east-1b"} {
		if err := ep.DeclareInstance("", "", elbserver.Instance{ID: s.inst[i], PrivateIP: "10.0.0.1", AvailabilityZone: zone}); err != nil {
			t.Fatal(err)
		}
		if err := ep.DeclareSubnet("", "", elbserver.Subnet{ID: s.subnets[i], VPCID: vpcID, AvailabilityZone: zone}); err != nil {
			t.Fatal(err)
		}
		// Named as on the moto side, for the source security group.
		if err := ep.DeclareSecurityGroupNamed("", "", s.sgs[i], vpcID, []string{"web", "db"}[i]); err != nil {
			t.Fatal(err)
		}
	}
	dv := ep.DefaultVPC("", "")
	s.defVPC, s.defSG, s.elbSG, s.elbSGName = dv.ID, dv.SecurityGroupID, dv.ELBSecurityGroupID, dv.ELBSecurityGroupName
	s.defSubnets = [2]string{dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")}
	return s
}

// TestDifferentialMoto runs one scenario with aws-sdk-go-v2 against moto and
// against the endpoint, and fails on any difference in the normalised
// responses that the table of intended differences does not list, and on any
// table entry that no longer matches a difference.
func TestDifferentialMoto(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	moto := motoSide(ctx, t)
	ours := oursSide(t)
	motoIDs, ourIDs := moto.placeholders(), ours.placeholders()
	run := classicDifferences.tally()
	for i, st := range scenario {
		mo, merr := st.call(ctx, moto)
		oo, oerr := st.call(ctx, ours)
		if moto.elbSG == "" && moto.findELBSG != nil {
			if err := moto.findELBSG(ctx); err != nil {
				t.Fatalf("moto security groups: %v", err)
			}
			motoIDs = moto.placeholders()
		}
		run.note(t, compareOutcomes(i+1, st.action, normalise(mo, merr, motoIDs, classicRules), normalise(oo, oerr, ourIDs, classicRules)))
	}
	run.done(t)
}
