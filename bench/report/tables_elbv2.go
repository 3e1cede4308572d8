package main

import "fmt"

// Targets of the ELBv2 benchmarks, as agreed for the project.
const (
	v2MemoryMaxMiB = 300.0
	// v2LowerBoundS is 13 sequential DescribeLoadBalancers pages plus the last page's round
	// of DescribeTags batches, × 25 ms.
	v2LowerBoundS = 14 * 0.025
)

func elbv2EndpointTable(r Results) (Table, error) {
	return vsMotoTable(r, "BenchmarkELBv2VsMoto",
		"5. ELBv2 endpoint (`lbctl serve --no-data-plane`, durable bbolt state) vs moto's ELBv2, 8 concurrent connections of SigV4-signed Query requests",
		[]motoLoad{
			{"reads", "reads: DescribeLoadBalancers, DescribeTargetGroups by name, DescribeTargetHealth by ARN in turn over 100 ALBs", readsTarget},
			{"mixed", "mixed: AddTags, ModifyTargetGroup, RegisterTargets or DeregisterTargets, DescribeTargetGroups, RegisterTargets or DeregisterTargets, DescribeLoadBalancers in turn", mixedTarget},
		})
}

func elbv2InventoryTable(r Results) (Table, error) {
	g := &getter{r: r}
	t := Table{Title: "6. Inventory of 5,000 ALBs × 3 tags through the alb provider at `lbctl serve --latency 25ms`"}
	for _, run := range []string{"driver/default", "driver/tag-concurrency=32"} {
		label, s, x := listingRun(g, "BenchmarkELBv2Inventory/"+run)
		t.Rows = append(t.Rows, [5]string{label, fmt.Sprintf("%.3f s (%.2f× lower bound)", s, x),
			fmt.Sprintf("≤ %.0f× lower bound (%.3f s)", lowerBoundX, lowerBoundX*v2LowerBoundS),
			fmt.Sprintf("lower bound (13 pages + 1 round of tag batches) × 25 ms = %.3f s", v2LowerBoundS), met(x <= lowerBoundX)})
	}
	t.Notes = append(t.Notes, "the pages are the critical path: each needs the previous page's marker, which the driver finds in the answer's raw bytes before the SDK decodes the page")
	return t, g.err
}

func elbv2MemoryTable(r Results) (Table, error) {
	g := &getter{r: r}
	t := Table{Title: "7. Memory with 10,000 ALBs × (3 target groups, 2 listeners, 3 tags)"}
	t.Rows = append(t.Rows,
		residentRow(g, "BenchmarkELBv2Memory/endpoint/after-seeding", "endpoint (`--no-data-plane`) that took the 60,000 creates and served one tagged listing: VmRSS / VmHWM", v2MemoryMaxMiB),
		residentRow(g, "BenchmarkELBv2Memory/endpoint/restarted", "endpoint restarted on that state, after one tagged listing: VmRSS / VmHWM", v2MemoryMaxMiB))
	t.Notes = append(t.Notes, "the data plane is off, as in every benchmark here: it would hold 20,000 listening sockets")
	return t, g.err
}
