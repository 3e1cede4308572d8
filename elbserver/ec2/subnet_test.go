package ec2_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestDefaultSubnets(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	dv := srv.Endpoint.DefaultVPC("", "")
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("default-for-az", "true")}})
	sdkcheck.NoErr(t, err)
	if len(out.Subnets) != 6 {
		t.Fatalf("%d default subnets", len(out.Subnets))
	}
	for _, s := range out.Subnets {
		zone := aws.ToString(s.AvailabilityZone)
		i := int(zone[len(zone)-1] - 'a')
		if aws.ToString(s.SubnetId) != dv.Subnet(zone) || aws.ToString(s.VpcId) != dv.ID || aws.ToString(s.CidrBlock) != fmt.Sprintf("172.31.%d.0/20", 16*i) ||
			aws.ToString(s.AvailabilityZoneId) != fmt.Sprintf("use1-az%d", i+1) || !aws.ToBool(s.DefaultForAz) || !aws.ToBool(s.MapPublicIpOnLaunch) ||
			aws.ToInt32(s.AvailableIpAddressCount) != 4096-5 || s.State != types.SubnetStateAvailable {
			t.Errorf("default subnet %+v", s)
		}
	}
	// The driver's own query: default subnets of some zones.
	out, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("default-for-az", "true"), filter("availability-zone", "us-east-1b", "us-east-1c")}})
	sdkcheck.NoErr(t, err)
	if len(out.Subnets) != 2 {
		t.Fatalf("default subnets of two zones: %+v", out.Subnets)
	}
}

func TestSubnets(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{Limits: map[string]int{"ec2-subnets-per-vpc": 4}})
	vpc := mkVPC(t, c, "10.0.0.0/16")
	a := mkSubnet(t, c, vpc, "10.0.1.0/24", "us-east-1a")
	created, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.2.0/24"), AvailabilityZoneId: aws.String("use1-az2"),
		TagSpecifications: tagSpec(types.ResourceTypeSubnet, "tier", "web")})
	sdkcheck.NoErr(t, err)
	b := created.Subnet
	if aws.ToString(b.AvailabilityZone) != "us-east-1b" || aws.ToString(b.VpcId) != vpc || aws.ToInt32(b.AvailableIpAddressCount) != 251 || aws.ToBool(b.DefaultForAz) || len(b.Tags) != 1 {
		t.Fatalf("subnet by zone id %+v", b)
	}
	// With no zone, the first zone without a subnet of the VPC.
	picked, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.3.0/28")})
	sdkcheck.NoErr(t, err)
	if aws.ToString(picked.Subnet.AvailabilityZone) != "us-east-1c" || aws.ToInt32(picked.Subnet.AvailableIpAddressCount) != 11 {
		t.Fatalf("subnet without a zone %+v", picked.Subnet)
	}
	run(t, c, a, 3)
	out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{a}})
	sdkcheck.NoErr(t, err)
	if got := aws.ToInt32(out.Subnets[0].AvailableIpAddressCount); got != 248 {
		t.Fatalf("after 3 instances, %d addresses left", got)
	}
	for _, tc := range []struct {
		filters []types.Filter
		want    []string
	}{
		{[]types.Filter{filter("vpc-id", vpc), filter("availability-zone", "us-east-1a", "us-east-1b")}, []string{a, aws.ToString(b.SubnetId)}},
		{[]types.Filter{filter("availabilityZone", "us-east-1c"), filter("defaultForAz", "false")}, []string{aws.ToString(picked.Subnet.SubnetId)}},
		{[]types.Filter{filter("cidr-block", "10.0.*")}, []string{a, aws.ToString(b.SubnetId), aws.ToString(picked.Subnet.SubnetId)}},
		{[]types.Filter{filter("tag:tier", "web")}, []string{aws.ToString(b.SubnetId)}},
		{[]types.Filter{filter("available-ip-address-count", "248")}, []string{a}},
		{[]types.Filter{filter("subnet-id", a), filter("availability-zone-id", "use1-az1")}, []string{a}},
	} {
		out, err := c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: tc.filters})
		sdkcheck.NoErr(t, err)
		var got []string
		for _, s := range out.Subnets {
			got = append(got, aws.ToString(s.SubnetId))
		}
		if !sameSet(got, tc.want) {
			t.Errorf("filter %s: %v, want %v", aws.ToString(tc.filters[0].Name), got, tc.want)
		}
	}

	// Paging: 6 default and 3 created subnets, 5 a page.
	var pages, total int
	seen := map[string]bool{}
	p := ec2.NewDescribeSubnetsPaginator(c, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		pages++
		for _, s := range page.Subnets {
			total++
			seen[aws.ToString(s.SubnetId)] = true
		}
	}
	if pages != 2 || total != 9 || len(seen) != 9 {
		t.Fatalf("paging: %d pages, %d subnets, %d distinct", pages, total, len(seen))
	}

	dv := srv.Endpoint.DefaultVPC("", "")
	for _, tc := range []struct {
		in   ec2.CreateSubnetInput
		code string
	}{
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.1.0.0/24")}, "InvalidSubnet.Range"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.0.0/29")}, "InvalidSubnet.Range"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.0.0/15")}, "InvalidSubnet.Range"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.1.128/25")}, "InvalidSubnet.Conflict"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.0.0/16")}, "InvalidSubnet.Conflict"},
		{ec2.CreateSubnetInput{VpcId: aws.String(dv.ID), CidrBlock: aws.String("172.31.8.0/24")}, "InvalidSubnet.Conflict"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.9.1/24")}, "InvalidParameterValue"},
		{ec2.CreateSubnetInput{VpcId: aws.String("vpc-0123456789abcdef0"), CidrBlock: aws.String("10.0.9.0/24")}, "InvalidVpcID.NotFound"},
		{ec2.CreateSubnetInput{VpcId: aws.String("vpc-1"), CidrBlock: aws.String("10.0.9.0/24")}, "InvalidVpcID.Malformed"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.9.0/24"), AvailabilityZone: aws.String("us-east-1z")}, "InvalidParameterValue"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.9.0/24"), AvailabilityZone: aws.String("eu-west-1a")}, "InvalidParameterValue"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.9.0/24"), AvailabilityZoneId: aws.String("use1-az9")}, "InvalidParameterValue"},
		{ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.9.0/24"), AvailabilityZone: aws.String("us-east-1a"), AvailabilityZoneId: aws.String("use1-az2")}, "InvalidParameterCombination"},
	} {
		_, err := c.CreateSubnet(ctx, &tc.in)
		sdkcheck.WantCode(t, err, tc.code)
	}
	mkSubnet(t, c, vpc, "10.0.4.0/24", "us-east-1d")
	_, err = c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String("10.0.5.0/24")})
	sdkcheck.WantCode(t, err, "SubnetLimitExceeded")
	// The default VPC's subnets do not count towards its limit.
	mkSubnet(t, c, dv.ID, "172.31.96.0/20", "us-east-1a")

	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0123456789abcdef0"}})
	sdkcheck.WantCode(t, err, "InvalidSubnetID.NotFound")
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-xyz"}})
	sdkcheck.WantCode(t, err, "InvalidSubnetID.Malformed")
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(4)})
	sdkcheck.WantCode(t, err, "InvalidParameterValue")
	_, err = c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{NextToken: aws.String("not a token!")})
	sdkcheck.WantCode(t, err, "InvalidPaginationToken")
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(dv.Subnet("us-east-1a"))})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String("subnet-0123456789abcdef0")})
	sdkcheck.WantCode(t, err, "InvalidSubnetID.NotFound")
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(a)})
	sdkcheck.WantCode(t, err, "DependencyViolation") // its instances

	// A Classic balancer in a subnet is a dependent too.
	lbs := elb.NewFromConfig(sdkcheck.Config(srv))
	_, err = lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("web"), Subnets: []string{aws.ToString(b.SubnetId)},
		Listeners: []elbtypes.Listener{sdkcheck.HTTPListener(80, 8080)}})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: b.SubnetId})
	sdkcheck.WantCode(t, err, "DependencyViolation")
	_, err = lbs.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("web")})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: b.SubnetId})
	sdkcheck.NoErr(t, err)
}
