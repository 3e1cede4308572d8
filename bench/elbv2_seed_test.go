package bench

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec2sdk "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
)

// albShape is what each seeded Application Load Balancer holds.
type albShape struct {
	groups    int // HTTP instance target groups, port 80
	listeners int // HTTP listeners on ports 80, 81, ...; the last forwards to the remaining groups
	tags      int // tags on the balancer
	targets   int // instances registered in each group
	spare     int // instances launched but registered nowhere
}

// albFleet is what seedALBs made, by balancer index.
type albFleet struct {
	names     []string   // balancer names, balancerName(prefix, i)
	arns      []string   // balancer ARNs
	groups    [][]string // each balancer's target group ARNs, in order
	instances []string   // the instances registered as targets
	spare     []string   // the instances registered nowhere
}

// groupName is the g-th target group of the i-th seeded balancer.
func groupName(prefix string, i, g int) string {
	return fmt.Sprintf("%s-%d", balancerName(prefix, i), g)
}

// seedALBs creates n Application Load Balancers of the given shape at url, conc balancers at a
// time, in the default VPC's subnets of two zones, through the SDK (the same calls against
// the endpoint and moto). Each balancer's creates run in sequence: balancer, groups (with
// their targets), listeners.
func seedALBs(b testing.TB, url, prefix string, n int, shape albShape, conc int) albFleet {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	cfg := sdkConfig(url)
	c, ec := lbv2.NewFromConfig(cfg), ec2sdk.NewFromConfig(cfg)
	vpc, subnets := defaultNetwork(b, ec)
	f := albFleet{names: make([]string, n), arns: make([]string, n), groups: make([][]string, n)}
	if k := shape.targets + shape.spare; k > 0 {
		out, err := ec.RunInstances(ctx, &ec2sdk.RunInstancesInput{ImageId: aws.String("ami-12c6146b"),
			InstanceType: ec2types.InstanceTypeT2Micro, SubnetId: aws.String(subnets[0]),
			MinCount: aws.Int32(int32(k)), MaxCount: aws.Int32(int32(k))})
		if err != nil || len(out.Instances) != k {
			b.Fatalf("RunInstances of %d: %v", k, err)
		}
		for j, in := range out.Instances {
			if j < shape.targets {
				f.instances = append(f.instances, aws.ToString(in.InstanceId))
			} else {
				f.spare = append(f.spare, aws.ToString(in.InstanceId))
			}
		}
	}
	var targets []types.TargetDescription
	for _, id := range f.instances {
		targets = append(targets, types.TargetDescription{Id: aws.String(id), Port: aws.Int32(8080)})
	}
	l := Generate(ctx, conc, n, func(ctx context.Context, _, i int) error {
		f.names[i] = balancerName(prefix, i)
		in := &lbv2.CreateLoadBalancerInput{Name: aws.String(f.names[i]), Subnets: subnets}
		for t := range shape.tags {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(fmt.Sprintf("tag%d", t)), Value: aws.String(fmt.Sprintf("value-%d-%d", i, t))})
		}
		lb, err := c.CreateLoadBalancer(ctx, in)
		if err != nil {
			return err
		}
		f.arns[i] = aws.ToString(lb.LoadBalancers[0].LoadBalancerArn)
		for g := range shape.groups {
			tg, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String(groupName(prefix, i, g)),
				Protocol: types.ProtocolEnumHttp, Port: aws.Int32(80), VpcId: aws.String(vpc), TargetType: types.TargetTypeEnumInstance})
			if err != nil {
				return err
			}
			arn := aws.ToString(tg.TargetGroups[0].TargetGroupArn)
			f.groups[i] = append(f.groups[i], arn)
			if len(targets) > 0 {
				if _, err := c.RegisterTargets(ctx, &lbv2.RegisterTargetsInput{TargetGroupArn: aws.String(arn), Targets: targets}); err != nil {
					return err
				}
			}
		}
		for li := range shape.listeners {
			if _, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: aws.String(f.arns[i]),
				Protocol: types.ProtocolEnumHttp, Port: aws.Int32(int32(80 + li)),
				DefaultActions: []types.Action{forwardTo(f.groups[i], li, li == shape.listeners-1)}}); err != nil {
				return err
			}
		}
		return nil
	})
	if l.Errors > 0 {
		b.Fatalf("seeding %d ALBs: %d failed, first: %v", n, l.Errors, l.FirstErr)
	}
	b.Logf("seeded %d ALBs (%d groups, %d listeners, %d tags, %d targets each) in %v", n,
		shape.groups, shape.listeners, shape.tags, shape.targets, time.Since(start).Round(time.Millisecond))
	return f
}

// forwardTo is listener li's default action: forward to group li, or when last to every
// group from li on, weighted alike, so that each group serves one listener.
func forwardTo(groups []string, li int, last bool) types.Action {
	if !last || li >= len(groups)-1 {
		return types.Action{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(groups[min(li, len(groups)-1)])}
	}
	var fw types.ForwardActionConfig
	for _, g := range groups[li:] {
		fw.TargetGroups = append(fw.TargetGroups, types.TargetGroupTuple{TargetGroupArn: aws.String(g), Weight: aws.Int32(1)})
	}
	return types.Action{Type: types.ActionTypeEnumForward, ForwardConfig: &fw}
}

// defaultNetwork returns the default VPC and one default subnet in each of two zones: an ALB
// needs two zones.
func defaultNetwork(b testing.TB, ec *ec2sdk.Client) (vpc string, subnets []string) {
	b.Helper()
	ctx := context.Background()
	vpcs, err := ec.DescribeVpcs(ctx, &ec2sdk.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil || len(vpcs.Vpcs) == 0 {
		b.Fatalf("no default VPC: %v", err)
	}
	vpc = aws.ToString(vpcs.Vpcs[0].VpcId)
	out, err := ec.DescribeSubnets(ctx, &ec2sdk.DescribeSubnetsInput{Filters: []ec2types.Filter{{Name: aws.String("vpc-id"), Values: []string{vpc}}}})
	if err != nil {
		b.Fatalf("DescribeSubnets: %v", err)
	}
	zones := map[string]bool{}
	for _, s := range out.Subnets {
		if z := aws.ToString(s.AvailabilityZone); !zones[z] && len(subnets) < 2 {
			zones[z] = true
			subnets = append(subnets, aws.ToString(s.SubnetId))
		}
	}
	if len(subnets) < 2 {
		b.Fatalf("the default VPC %s has subnets in %d zones, want 2", vpc, len(subnets))
	}
	return vpc, subnets
}
