package bench

import (
	"context"
	"strconv"
	"testing"
)

// v2Shape is each balancer of the ELBv2 endpoint-versus-moto runs: one group with two
// registered instances, one listener forwarding to it; and a spare instance for each worker of
// the mixed load.
var v2Shape = albShape{groups: 1, listeners: 1, tags: 1, targets: 2, spare: clients}

// BenchmarkELBv2VsMoto is BenchmarkEndpointVsMoto for the ELBv2 API (2015-12-01): `lbctl
// serve` (durable bbolt state, apiOnly) and moto's ELBv2 in the same
// run, 100 ALBs seeded alike in each, the same load generators (see there). Run with a fixed
// count (-benchtime=6000x) for the mixed load.
//
//	reads: DescribeLoadBalancers by name, DescribeTargetGroups by name and
//	       DescribeTargetHealth by group ARN in turn, over the 100 balancers
//	mixed: AddTags, ModifyTargetGroup, a target change, DescribeTargetGroups, a target change,
//	       DescribeLoadBalancers in turn (four durable writes in six requests); a target change
//	       registers a target of the worker's own, or deregisters the one it registered
func BenchmarkELBv2VsMoto(b *testing.B) {
	targets := startVsMoto(b, ELBv2Version, apiOnly)
	fleets := make([]albFleet, len(targets))
	for i, t := range targets {
		fleets[i] = seedALBs(b, t.url, "bal", endpointBalancers, v2Shape, clients)
	}
	runVsMoto(b, targets, func(ti int) vsMotoLoads { return v2Loads(fleets[ti]) })
}

// v2Loads are the ELBv2 reads and mixed writes over the balancers of f. Every answer must name
// what was asked for; ModifyTargetGroup must echo the interval it set.
func v2Loads(f albFleet) vsMotoLoads {
	n := len(f.names)
	lbs, tgs := make([]ask, n), make([]ask, n)
	reads := make([]ask, 0, 3*n)
	for i := range n {
		lbs[i] = ask{"DescribeLoadBalancers", form("Names.member.1", f.names[i]), "<LoadBalancerName>" + f.names[i] + "</LoadBalancerName>"}
		tgs[i] = ask{"DescribeTargetGroups", form("Names.member.1", groupName("bal", i, 0)), "<TargetGroupName>" + groupName("bal", i, 0) + "</TargetGroupName>"}
		health := ask{"DescribeTargetHealth", form("TargetGroupArn", f.groups[i][0]), "<Id>" + f.instances[len(f.instances)-1] + "</Id>"}
		reads = append(reads, lbs[i], tgs[i], health)
	}
	return vsMotoLoads{reads: reads, mixed: mixedV2(f, lbs, tgs)}
}

// mixedV2 is the mixed load's send function. Each worker owns one target (its spare instance,
// on port 9000) and alternately registers it in the group of the request's balancer and
// deregisters it from where it registered it, so no two workers race on a registration. (moto
// keys a group's targets by id alone: workers sharing an instance would collide there.)
func mixedV2(f albFleet, lbs, tgs []ask) func(context.Context, *RawClient, int, int) error {
	n := len(f.names)
	registeredIn := make([]string, clients) // by worker: the group holding its target, or ""
	change := func(ctx context.Context, c *RawClient, w, b int) error {
		target := []string{"Targets.member.1.Id", f.spare[w], "Targets.member.1.Port", "9000"}
		if g := registeredIn[w]; g != "" {
			registeredIn[w] = ""
			_, err := c.Call(ctx, "DeregisterTargets", form(append([]string{"TargetGroupArn", g}, target...)...), "")
			return err
		}
		registeredIn[w] = f.groups[b][0]
		_, err := c.Call(ctx, "RegisterTargets", form(append([]string{"TargetGroupArn", f.groups[b][0]}, target...)...), "")
		return err
	}
	return func(ctx context.Context, c *RawClient, w, i int) error {
		b := (i / 6) % n
		var err error
		switch i % 6 {
		case 0:
			// Five rotating keys keep every balancer well under the tag limit.
			_, err = c.Call(ctx, "AddTags", form("ResourceArns.member.1", f.arns[b],
				"Tags.member.1.Key", "k"+strconv.Itoa(i%5), "Tags.member.1.Value", strconv.Itoa(i)), "")
		case 1:
			interval := strconv.Itoa(10 + i%20)
			_, err = c.Call(ctx, "ModifyTargetGroup", form("TargetGroupArn", f.groups[b][0], "HealthCheckIntervalSeconds", interval),
				"<HealthCheckIntervalSeconds>"+interval+"</HealthCheckIntervalSeconds>")
		case 2, 4:
			err = change(ctx, c, w, b)
		case 3:
			err = c.ask(ctx, tgs[b])
		default:
			err = c.ask(ctx, lbs[b])
		}
		return err
	}
}
