package ec2_test

import (
	"context"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// clock is a settable time source for the endpoint.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// ec2Client starts an endpoint with o for the test and returns an EC2 client of it.
func ec2Client(t *testing.T, o elbserver.Options) (*ec2.Client, *elbtest.Server) {
	t.Helper()
	srv := elbtest.NewServer(elbtest.WithOptions(o))
	t.Cleanup(srv.Close)
	return ec2.NewFromConfig(sdkcheck.Config(srv)), srv
}

var (
	ctx        = context.Background()
	ec2VPCRE   = regexp.MustCompile(`^vpc-0[0-9a-f]{16}$`)
	regexpMust = regexp.MustCompile
)

func tagSpec(kind types.ResourceType, kv ...string) []types.TagSpecification {
	spec := types.TagSpecification{ResourceType: kind}
	for i := 0; i+1 < len(kv); i += 2 {
		spec.Tags = append(spec.Tags, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return []types.TagSpecification{spec}
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

func mkVPC(t *testing.T, c *ec2.Client, cidr string) string {
	t.Helper()
	out, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)})
	sdkcheck.NoErr(t, err)
	return aws.ToString(out.Vpc.VpcId)
}

func mkSubnet(t *testing.T, c *ec2.Client, vpc, cidr, zone string) string {
	t.Helper()
	out, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpc), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(zone)})
	sdkcheck.NoErr(t, err)
	return aws.ToString(out.Subnet.SubnetId)
}

func mkGroup(t *testing.T, c *ec2.Client, vpc, name string) string {
	t.Helper()
	out, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(name), Description: aws.String(name + " servers"), VpcId: aws.String(vpc)})
	sdkcheck.NoErr(t, err)
	return aws.ToString(out.GroupId)
}

// run launches count instances in subnet (the default subnet of us-east-1a when "").
func run(t *testing.T, c *ec2.Client, subnet string, count int32, tags ...string) []types.Instance {
	t.Helper()
	in := &ec2.RunInstancesInput{ImageId: aws.String("ami-0123456789abcdef0"), MinCount: aws.Int32(count), MaxCount: aws.Int32(count)}
	if subnet != "" {
		in.SubnetId = aws.String(subnet)
	}
	if len(tags) > 0 {
		in.TagSpecifications = tagSpec(types.ResourceTypeInstance, tags...)
	}
	out, err := c.RunInstances(ctx, in)
	sdkcheck.NoErr(t, err)
	return out.Instances
}

func instanceIDs(insts []types.Instance) []string {
	var out []string
	for _, i := range insts {
		out = append(out, aws.ToString(i.InstanceId))
	}
	return out
}

// described lists the instances a describe returns, in order.
func described(t *testing.T, c *ec2.Client, in *ec2.DescribeInstancesInput) []types.Instance {
	t.Helper()
	var out []types.Instance
	p := ec2.NewDescribeInstancesPaginator(c, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		for _, r := range page.Reservations {
			out = append(out, r.Instances...)
		}
	}
	return out
}
