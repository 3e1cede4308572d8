package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func vpcIDs(out *ec2.DescribeVpcsOutput) []string {
	var ids []string
	for _, v := range out.Vpcs {
		ids = append(ids, aws.ToString(v.VpcId))
	}
	return ids
}

func TestVPCs(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	dv := srv.Endpoint.DefaultVPC("", "")

	out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	sdkcheck.NoErr(t, err)
	if len(out.Vpcs) != 1 {
		t.Fatalf("a new account has %d VPCs", len(out.Vpcs))
	}
	def := out.Vpcs[0]
	if aws.ToString(def.VpcId) != dv.ID || !aws.ToBool(def.IsDefault) || aws.ToString(def.CidrBlock) != "172.31.0.0/16" || def.State != types.VpcStateAvailable || aws.ToString(def.OwnerId) != "000000000000" {
		t.Fatalf("default VPC %+v", def)
	}

	created, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeVpc, "Name", "lab", "team", "web")})
	sdkcheck.NoErr(t, err)
	v := created.Vpc
	vpc := aws.ToString(v.VpcId)
	if !ec2VPCRE.MatchString(vpc) || v.State != types.VpcStatePending || aws.ToBool(v.IsDefault) || aws.ToString(v.CidrBlock) != "10.0.0.0/16" || len(v.Tags) != 2 ||
		len(v.CidrBlockAssociationSet) != 1 || aws.ToString(v.CidrBlockAssociationSet[0].CidrBlock) != "10.0.0.0/16" {
		t.Fatalf("created VPC %+v", v)
	}
	for _, tc := range []struct {
		filters []types.Filter
		want    []string
	}{
		{[]types.Filter{filter("is-default", "false")}, []string{vpc}},
		{[]types.Filter{filter("isDefault", "true")}, []string{dv.ID}},
		{[]types.Filter{filter("cidr", "10.0.0.0/16")}, []string{vpc}},
		{[]types.Filter{filter("cidr-block-association.cidr-block", "172.31.*")}, []string{dv.ID}},
		{[]types.Filter{filter("tag:Name", "la?")}, []string{vpc}},
		{[]types.Filter{filter("tag-key", "team"), filter("state", "available")}, []string{vpc}},
		{[]types.Filter{filter("tag:Name", "other")}, nil},
		{[]types.Filter{filter("vpc-id", vpc, dv.ID), filter("owner-id", "000000000000")}, []string{dv.ID, vpc}},
	} {
		out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: tc.filters})
		sdkcheck.NoErr(t, err)
		if got := vpcIDs(out); !sameSet(got, tc.want) {
			t.Errorf("filters %v: %v, want %v", tc.filters[0].Name, got, tc.want)
		}
	}
	byID, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	sdkcheck.NoErr(t, err)
	if len(byID.Vpcs) != 1 || byID.Vpcs[0].State != types.VpcStateAvailable {
		t.Fatalf("by id %+v", byID.Vpcs)
	}
	groups, err := c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpc)}})
	sdkcheck.NoErr(t, err)
	if len(groups.SecurityGroups) != 1 || aws.ToString(groups.SecurityGroups[0].GroupName) != "default" {
		t.Fatalf("a new VPC's groups: %+v", groups.SecurityGroups)
	}

	sub := mkSubnet(t, c, vpc, "10.0.1.0/24", "us-east-1a")
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
	sdkcheck.WantCode(t, err, "DependencyViolation")
	_, err = c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(sub)})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(vpc)})
	sdkcheck.NoErr(t, err)
	_, err = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpc}})
	sdkcheck.WantCode(t, err, "InvalidVpcID.NotFound")
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{aws.ToString(groups.SecurityGroups[0].GroupId)}})
	sdkcheck.WantCode(t, err, "InvalidGroup.NotFound")
	tags, err := c.DescribeTags(ctx, &ec2.DescribeTagsInput{})
	sdkcheck.NoErr(t, err)
	if len(tags.Tags) != 0 {
		t.Fatalf("a deleted VPC's tags remain: %+v", tags.Tags)
	}
}

func TestVPCErrors(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{Limits: map[string]int{"ec2-vpcs": 2}})
	for cidr, code := range map[string]string{
		"10.0.0.0/8": "InvalidVpc.Range", "10.0.0.0/29": "InvalidVpc.Range", "10.0.0.1/16": "InvalidParameterValue",
		"banana": "InvalidParameterValue", "fd00::/56": "InvalidParameterValue",
	} {
		_, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
		sdkcheck.WantCode(t, err, code)
	}
	_, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{})
	sdkcheck.WantCode(t, err, "MissingParameter")
	_, err = c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), DryRun: aws.Bool(true)})
	sdkcheck.WantCode(t, err, "DryRunOperation")
	_, err = c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tagSpec(types.ResourceTypeSubnet, "a", "b")})
	sdkcheck.WantCode(t, err, "InvalidParameterValue")
	mkVPC(t, c, "10.0.0.0/28")
	_, err = c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	sdkcheck.WantCode(t, err, "VpcLimitExceeded") // the default VPC counts
	_, err = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-xyz"}})
	sdkcheck.WantCode(t, err, "InvalidVpcID.Malformed")
	_, err = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})
	sdkcheck.WantCode(t, err, "InvalidVpcID.NotFound")
	_, err = c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []types.Filter{filter("no-such-filter", "x")}})
	sdkcheck.WantCode(t, err, "InvalidParameterValue")
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String(srv.Endpoint.DefaultVPC("", "").ID)})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String("vpc-0123456789abcdef0")})
	sdkcheck.WantCode(t, err, "InvalidVpcID.NotFound")
	_, err = c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String("subnet-01234567")})
	sdkcheck.WantCode(t, err, "InvalidVpcID.Malformed")
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		if seen[x]--; seen[x] < 0 {
			return false
		}
	}
	return true
}
