package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func zones(t *testing.T, c *ec2.Client, in *ec2.DescribeAvailabilityZonesInput, region string) []string {
	t.Helper()
	out, err := c.DescribeAvailabilityZones(ctx, in, func(o *ec2.Options) { o.Region = region })
	sdkcheck.NoErr(t, err)
	var got []string
	for _, z := range out.AvailabilityZones {
		if z.State != types.AvailabilityZoneStateAvailable || aws.ToString(z.RegionName) != region || aws.ToString(z.ZoneType) != "availability-zone" {
			t.Errorf("zone %+v", z)
		}
		got = append(got, aws.ToString(z.ZoneName)+" "+aws.ToString(z.ZoneId))
	}
	return got
}

func TestAvailabilityZones(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	for region, want := range map[string][]string{
		"us-east-1":      {"us-east-1a use1-az1", "us-east-1b use1-az2", "us-east-1c use1-az3", "us-east-1d use1-az4", "us-east-1e use1-az5", "us-east-1f use1-az6"},
		"eu-central-1":   {"eu-central-1a euc1-az1", "eu-central-1b euc1-az2", "eu-central-1c euc1-az3", "eu-central-1d euc1-az4", "eu-central-1e euc1-az5", "eu-central-1f euc1-az6"},
		"ap-southeast-2": {"ap-southeast-2a apse2-az1", "ap-southeast-2b apse2-az2", "ap-southeast-2c apse2-az3", "ap-southeast-2d apse2-az4", "ap-southeast-2e apse2-az5", "ap-southeast-2f apse2-az6"},
	} {
		// The Classic driver's query.
		if got := zones(t, c, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{filter("state", "available")}}, region); !sameSet(got, want) {
			t.Errorf("%s: %v", region, got)
		}
	}
	got := zones(t, c, &ec2.DescribeAvailabilityZonesInput{ZoneNames: []string{"us-east-1b"}, ZoneIds: []string{"use1-az6"}}, "us-east-1")
	if !sameSet(got, []string{"us-east-1b use1-az2", "us-east-1f use1-az6"}) {
		t.Errorf("by name and id: %v", got)
	}
	if got := zones(t, c, &ec2.DescribeAvailabilityZonesInput{Filters: []types.Filter{filter("zone-id", "use1-az3")}}, "us-east-1"); len(got) != 1 {
		t.Errorf("by zone-id filter: %v", got)
	}
	for _, in := range []*ec2.DescribeAvailabilityZonesInput{{ZoneNames: []string{"us-east-1g"}}, {ZoneIds: []string{"use1-az7"}}, {Filters: []types.Filter{filter("color", "x")}}} {
		_, err := c.DescribeAvailabilityZones(ctx, in)
		sdkcheck.WantCode(t, err, "InvalidParameterValue")
	}
	// One source of zones: Classic takes the same ones.
	lbs := elb.NewFromConfig(sdkcheck.Config(srv))
	for zone, ok := range map[string]bool{"us-east-1f": true, "us-east-1g": false} {
		_, err := lbs.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("in-" + zone), AvailabilityZones: []string{zone},
			Listeners: []elbtypes.Listener{sdkcheck.HTTPListener(80, 8080)}})
		if ok {
			sdkcheck.NoErr(t, err)
		} else {
			sdkcheck.WantCode(t, err, "ValidationError")
		}
	}
}
