package ec2_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func groupsBy(t *testing.T, c *ec2.Client, in *ec2.DescribeSecurityGroupsInput) map[string]types.SecurityGroup {
	t.Helper()
	out, err := c.DescribeSecurityGroups(ctx, in)
	sdkcheck.NoErr(t, err)
	m := map[string]types.SecurityGroup{}
	for _, g := range out.SecurityGroups {
		m[aws.ToString(g.GroupId)] = g
	}
	return m
}

func TestSecurityGroups(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{Limits: map[string]int{"ec2-security-groups-per-vpc": 3}})
	dv := srv.Endpoint.DefaultVPC("", "")
	all := groupsBy(t, c, &ec2.DescribeSecurityGroupsInput{})
	if len(all) != 2 || aws.ToString(all[dv.SecurityGroupID].GroupName) != "default" || aws.ToString(all[dv.ELBSecurityGroupID].GroupName) != dv.ELBSecurityGroupName ||
		aws.ToString(all[dv.SecurityGroupID].VpcId) != dv.ID {
		t.Fatalf("a new account's groups: %+v", all)
	}
	def := all[dv.SecurityGroupID]
	if len(def.IpPermissionsEgress) != 1 || aws.ToString(def.IpPermissionsEgress[0].IpProtocol) != "-1" || len(def.IpPermissions) != 1 ||
		aws.ToString(def.IpPermissions[0].UserIdGroupPairs[0].GroupId) != dv.SecurityGroupID {
		t.Fatalf("default group's rules %+v", def)
	}

	vpc := mkVPC(t, c, "10.0.0.0/16")
	created, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web servers: 80, 443"), VpcId: aws.String(vpc),
		TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, "Name", "web")})
	sdkcheck.NoErr(t, err)
	web := aws.ToString(created.GroupId)
	if !strings.HasPrefix(web, "sg-0") || len(web) != 20 || len(created.Tags) != 1 || aws.ToString(created.SecurityGroupArn) != "arn:aws:ec2:us-east-1:000000000000:security-group/"+web {
		t.Fatalf("created group %+v", created)
	}
	inDefault, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web in the default VPC")})
	sdkcheck.NoErr(t, err) // names are unique per VPC only

	got := groupsBy(t, c, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("group-name", "web")}})
	if len(got) != 2 || aws.ToString(got[web].VpcId) != vpc || aws.ToString(got[aws.ToString(inDefault.GroupId)].VpcId) != dv.ID ||
		aws.ToString(got[web].Description) != "web servers: 80, 443" {
		t.Fatalf("by group-name %+v", got)
	}
	got = groupsBy(t, c, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpc), filter("tag:Name", "web")}})
	if len(got) != 1 || got[web].GroupName == nil {
		t.Fatalf("by vpc-id and tag %+v", got)
	}
	// Names alone name groups of the default VPC.
	got = groupsBy(t, c, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"web", "default"}})
	if len(got) != 2 || got[dv.SecurityGroupID].GroupName == nil || got[aws.ToString(inDefault.GroupId)].GroupName == nil {
		t.Fatalf("by names %+v", got)
	}
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupNames: []string{"nope"}})
	sdkcheck.WantCode(t, err, "InvalidGroup.NotFound")
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}})
	sdkcheck.WantCode(t, err, "InvalidGroup.NotFound")
	_, err = c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"web"}})
	sdkcheck.WantCode(t, err, "InvalidGroupId.Malformed")

	for _, tc := range []struct {
		name, desc, vpc, code string
	}{
		{"web", "again", vpc, "InvalidGroup.Duplicate"},
		{"default", "again", vpc, "InvalidGroup.Duplicate"},
		{"sg-web", "looks like an id", vpc, "InvalidParameterValue"},
		{"wéb", "accented", vpc, "InvalidParameterValue"},
		{strings.Repeat("n", 256), "long name", vpc, "InvalidParameterValue"},
		{"long", strings.Repeat("d", 256), vpc, "InvalidParameterValue"},
		{"elsewhere", "unknown VPC", "vpc-0123456789abcdef0", "InvalidVpcID.NotFound"},
		{"elsewhere", "bad VPC", "vpc-x", "InvalidVpcID.Malformed"},
	} {
		_, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(tc.name), Description: aws.String(tc.desc), VpcId: aws.String(tc.vpc)})
		sdkcheck.WantCode(t, err, tc.code)
	}
	mkGroup(t, c, vpc, "db")
	_, err = c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("cache"), Description: aws.String("over the limit"), VpcId: aws.String(vpc)})
	sdkcheck.WantCode(t, err, "SecurityGroupLimitExceeded") // default, web and db

	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(dv.SecurityGroupID)})
	sdkcheck.WantCode(t, err, "CannotDelete")
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("default")})
	sdkcheck.WantCode(t, err, "CannotDelete")
	vpcDefault := groupsBy(t, c, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpc), filter("group-name", "default")}})
	for id := range vpcDefault {
		_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)})
		sdkcheck.WantCode(t, err, "CannotDelete")
	}
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String("sg-0123456789abcdef0")})
	sdkcheck.WantCode(t, err, "InvalidGroup.NotFound")
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{})
	sdkcheck.WantCode(t, err, "MissingParameter")

	sub := mkSubnet(t, c, vpc, "10.0.1.0/24", "us-east-1a")
	out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String(sub), SecurityGroupIds: []string{web}})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(web)})
	sdkcheck.WantCode(t, err, "DependencyViolation")
	_, err = c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: instanceIDs(out.Instances)})
	sdkcheck.NoErr(t, err)
	deleted, err := c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(web)})
	sdkcheck.NoErr(t, err)
	if !aws.ToBool(deleted.Return) || aws.ToString(deleted.GroupId) != web {
		t.Fatalf("delete reply %+v", deleted)
	}
	// By name, in the default VPC.
	_, err = c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupName: aws.String("web")})
	sdkcheck.NoErr(t, err)
	if got := groupsBy(t, c, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("group-name", "web")}}); len(got) != 0 {
		t.Fatalf("deleted groups remain: %+v", got)
	}
}
