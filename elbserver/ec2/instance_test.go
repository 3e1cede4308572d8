package ec2_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestRunInstances(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	vpc := mkVPC(t, c, "10.0.0.0/16")
	sub := mkSubnet(t, c, vpc, "10.0.1.0/24", "us-east-1b")
	sg := mkGroup(t, c, vpc, "web")
	out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{
		ImageId: aws.String("ami-0123456789abcdef0"), InstanceType: types.InstanceTypeT3Micro, MinCount: aws.Int32(1), MaxCount: aws.Int32(3),
		SubnetId: aws.String(sub), SecurityGroupIds: []string{sg}, KeyName: aws.String("ops"),
		TagSpecifications: tagSpec(types.ResourceTypeInstance, "Name", "web", "lbcloud:address", "127.0.0.2:8080"),
	})
	sdkcheck.NoErr(t, err)
	if !regexpMatch(`^r-0[0-9a-f]{16}$`, aws.ToString(out.ReservationId)) || aws.ToString(out.OwnerId) != "000000000000" || len(out.Instances) != 3 {
		t.Fatalf("reservation %+v", out)
	}
	for k, i := range out.Instances {
		if !regexpMatch(`^i-0[0-9a-f]{16}$`, aws.ToString(i.InstanceId)) || i.State.Name != types.InstanceStateNamePending || aws.ToInt32(i.State.Code) != 0 ||
			aws.ToString(i.PrivateIpAddress) != fmt.Sprintf("10.0.1.%d", 4+k) || aws.ToInt32(i.AmiLaunchIndex) != int32(k) ||
			aws.ToString(i.SubnetId) != sub || aws.ToString(i.VpcId) != vpc || aws.ToString(i.Placement.AvailabilityZone) != "us-east-1b" ||
			i.InstanceType != types.InstanceTypeT3Micro || aws.ToString(i.ImageId) != "ami-0123456789abcdef0" || aws.ToString(i.KeyName) != "ops" ||
			len(i.SecurityGroups) != 1 || aws.ToString(i.SecurityGroups[0].GroupName) != "web" || len(i.Tags) != 2 || i.LaunchTime == nil ||
			aws.ToString(i.PrivateDnsName) != fmt.Sprintf("ip-10-0-1-%d.ec2.internal", 4+k) {
			t.Errorf("instance %d: %+v", k, i)
		}
	}
	ids := instanceIDs(out.Instances)
	// Running at once: the waiter's first look succeeds.
	sdkcheck.NoErr(t, ec2.NewInstanceRunningWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids}, 5*time.Second))

	// Into the default VPC: the default subnet of the zone asked for, its default group.
	dv := srv.Endpoint.DefaultVPC("", "")
	def, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		Placement: &types.Placement{AvailabilityZone: aws.String("us-east-1c")}, SecurityGroups: []string{"default"}})
	sdkcheck.NoErr(t, err)
	d := def.Instances[0]
	if aws.ToString(d.SubnetId) != dv.Subnet("us-east-1c") || aws.ToString(d.VpcId) != dv.ID || aws.ToString(d.PrivateIpAddress) != "172.31.32.4" ||
		aws.ToString(d.SecurityGroups[0].GroupId) != dv.SecurityGroupID || d.InstanceType != "m1.small" {
		t.Fatalf("instance in the default VPC %+v", d)
	}
	given, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		SubnetId: aws.String(sub), PrivateIpAddress: aws.String("10.0.1.200")})
	sdkcheck.NoErr(t, err)
	if g := given.Instances[0]; aws.ToString(g.PrivateIpAddress) != "10.0.1.200" || aws.ToString(g.SecurityGroups[0].GroupName) != "default" {
		t.Fatalf("instance with its address %+v", g)
	}

	for _, tc := range []struct {
		filters []types.Filter
		want    []string
	}{
		{[]types.Filter{filter("instance-state-name", "running"), filter("tag:Name", "we*")}, ids},
		{[]types.Filter{filter("private-ip-address", "10.0.1.5", "172.31.32.4")}, []string{ids[1], aws.ToString(d.InstanceId)}},
		{[]types.Filter{filter("subnet-id", sub)}, append(slices.Clone(ids), aws.ToString(given.Instances[0].InstanceId))},
		{[]types.Filter{filter("vpc-id", dv.ID), filter("availability-zone", "us-east-1c")}, []string{aws.ToString(d.InstanceId)}},
		{[]types.Filter{filter("instance.group-id", sg)}, ids},
		{[]types.Filter{filter("instance.group-name", "default"), filter("instance-type", "m1.small")}, []string{aws.ToString(d.InstanceId), aws.ToString(given.Instances[0].InstanceId)}},
		{[]types.Filter{filter("reservation-id", aws.ToString(out.ReservationId)), filter("instance-id", ids[0], ids[2])}, []string{ids[0], ids[2]}},
		{[]types.Filter{filter("tag-key", "lbcloud:address"), filter("key-name", "ops"), filter("image-id", "ami-0123456789abcdef0")}, ids},
		{[]types.Filter{filter("tag-value", `127.0.0.2\:8080`)}, ids},
		{[]types.Filter{filter("instance-state-code", "16"), filter("ip-address", "198.51.100.1")}, nil},
		{[]types.Filter{filter("private-dns-name", "ip-10-0-1-4.ec2.internal")}, ids[:1]},
	} {
		got := instanceIDs(described(t, c, &ec2.DescribeInstancesInput{Filters: tc.filters}))
		if !sameSet(got, tc.want) {
			t.Errorf("filter %s: %v, want %v", aws.ToString(tc.filters[0].Name), got, tc.want)
		}
	}
	// Reservations keep their instances together, in launch order.
	all, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{})
	sdkcheck.NoErr(t, err)
	if len(all.Reservations) != 3 || aws.ToString(all.Reservations[0].ReservationId) != aws.ToString(out.ReservationId) ||
		!slices.Equal(instanceIDs(all.Reservations[0].Instances), ids) || all.Reservations[0].Instances[0].State.Name != types.InstanceStateNameRunning {
		t.Fatalf("reservations %+v", all.Reservations)
	}
}

func TestRunInstancesErrors(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{Limits: map[string]int{"ec2-instances": 20}})
	vpc := mkVPC(t, c, "10.0.0.0/16")
	sub := mkSubnet(t, c, vpc, "10.0.1.0/28", "us-east-1a")
	sg := mkGroup(t, c, vpc, "web")
	other := mkGroup(t, c, srv.Endpoint.DefaultVPC("", "").ID, "elsewhere")
	run(t, c, sub, 2)
	base := func(change func(*ec2.RunInstancesInput)) *ec2.RunInstancesInput {
		in := &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), SubnetId: aws.String(sub)}
		change(in)
		return in
	}
	for name, tc := range map[string]struct {
		in   *ec2.RunInstancesInput
		code string
	}{
		"address in use":    {base(func(in *ec2.RunInstancesInput) { in.PrivateIpAddress = aws.String("10.0.1.4") }), "InvalidIPAddress.InUse"},
		"address outside":   {base(func(in *ec2.RunInstancesInput) { in.PrivateIpAddress = aws.String("10.0.2.4") }), "InvalidParameterValue"},
		"address reserved":  {base(func(in *ec2.RunInstancesInput) { in.PrivateIpAddress = aws.String("10.0.1.1") }), "InvalidParameterValue"},
		"address broadcast": {base(func(in *ec2.RunInstancesInput) { in.PrivateIpAddress = aws.String("10.0.1.15") }), "InvalidParameterValue"},
		"address not IPv4":  {base(func(in *ec2.RunInstancesInput) { in.PrivateIpAddress = aws.String("fd00::4") }), "InvalidParameterValue"},
		"address for two": {base(func(in *ec2.RunInstancesInput) {
			in.PrivateIpAddress, in.MaxCount = aws.String("10.0.1.9"), aws.Int32(2)
		}), "InvalidParameterCombination"},
		"full subnet":        {base(func(in *ec2.RunInstancesInput) { in.MinCount, in.MaxCount = aws.Int32(10), aws.Int32(10) }), "InsufficientFreeAddressesInSubnet"},
		"unknown subnet":     {base(func(in *ec2.RunInstancesInput) { in.SubnetId = aws.String("subnet-0123456789abcdef0") }), "InvalidSubnetID.NotFound"},
		"malformed subnet":   {base(func(in *ec2.RunInstancesInput) { in.SubnetId = aws.String("sub-1") }), "InvalidSubnetID.Malformed"},
		"unknown group":      {base(func(in *ec2.RunInstancesInput) { in.SecurityGroupIds = []string{"sg-0123456789abcdef0"} }), "InvalidGroup.NotFound"},
		"group elsewhere":    {base(func(in *ec2.RunInstancesInput) { in.SecurityGroupIds = []string{sg, other} }), "InvalidParameter"},
		"group names in VPC": {base(func(in *ec2.RunInstancesInput) { in.SecurityGroups = []string{"web"} }), "InvalidParameterCombination"},
		"unknown group name": {base(func(in *ec2.RunInstancesInput) { in.SubnetId, in.SecurityGroups = nil, []string{"nope"} }), "InvalidGroup.NotFound"},
		"malformed image":    {base(func(in *ec2.RunInstancesInput) { in.ImageId = aws.String("ubuntu") }), "InvalidAMIID.Malformed"},
		"no image":           {base(func(in *ec2.RunInstancesInput) { in.ImageId = nil }), "MissingParameter"},
		"min over max":       {base(func(in *ec2.RunInstancesInput) { in.MinCount = aws.Int32(2) }), "InvalidParameterValue"},
		"zero":               {base(func(in *ec2.RunInstancesInput) { in.MinCount, in.MaxCount = aws.Int32(0), aws.Int32(0) }), "InvalidParameterValue"},
		"over a launch":      {base(func(in *ec2.RunInstancesInput) { in.MaxCount = aws.Int32(1001) }), "InvalidParameterValue"},
		"over the limit": {base(func(in *ec2.RunInstancesInput) {
			in.SubnetId, in.MinCount, in.MaxCount = nil, aws.Int32(19), aws.Int32(19)
		}), "InstanceLimitExceeded"},
		"bad type": {base(func(in *ec2.RunInstancesInput) { in.InstanceType = "huge" }), "InvalidParameterValue"},
		"zone and subnet": {base(func(in *ec2.RunInstancesInput) {
			in.Placement = &types.Placement{AvailabilityZone: aws.String("us-east-1b")}
		}), "InvalidParameterValue"},
		"unknown zone": {base(func(in *ec2.RunInstancesInput) {
			in.SubnetId, in.Placement = nil, &types.Placement{AvailabilityZone: aws.String("us-east-1q")}
		}), "InvalidParameterValue"},
		"network interfaces": {base(func(in *ec2.RunInstancesInput) {
			in.SubnetId, in.NetworkInterfaces = nil, []types.InstanceNetworkInterfaceSpecification{{DeviceIndex: aws.Int32(0), SubnetId: aws.String(sub)}}
		}), "InvalidParameterValue"},
		"tags of another kind": {base(func(in *ec2.RunInstancesInput) { in.TagSpecifications = tagSpec(types.ResourceTypeVpc, "a", "b") }), "InvalidParameterValue"},
		"bad address tag": {base(func(in *ec2.RunInstancesInput) {
			in.TagSpecifications = tagSpec(types.ResourceTypeInstance, "lbcloud:address", "10.0.0.1:80")
		}), "InvalidParameterValue"},
		"dry run": {base(func(in *ec2.RunInstancesInput) { in.DryRun = aws.Bool(true) }), "DryRunOperation"},
	} {
		_, err := c.RunInstances(ctx, tc.in)
		if err == nil {
			t.Errorf("%s: launched", name)
			continue
		}
		t.Run(name, func(t *testing.T) { sdkcheck.WantCode(t, err, tc.code) })
	}
	// Up to MaxCount, as many as the subnet has addresses (a /28 has 11, 2 are taken) and the
	// limit leaves (20, 11 are then live), when MinCount fits.
	out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(30), SubnetId: aws.String(sub)})
	sdkcheck.NoErr(t, err)
	if len(out.Instances) != 9 {
		t.Fatalf("launched %d in a subnet with 9 free addresses", len(out.Instances))
	}
	out, err = c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(30)})
	sdkcheck.NoErr(t, err)
	if len(out.Instances) != 9 {
		t.Fatalf("launched %d with 9 left under the limit", len(out.Instances))
	}
	_, err = c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	sdkcheck.WantCode(t, err, "InstanceLimitExceeded")
}

func regexpMatch(re, s string) bool { return regexpMust(re).MatchString(s) }
