package main

import (
	"fmt"
	"strings"
)

// Targets, as agreed for the project.
const (
	readsTarget     = 50.0 // endpoint / moto requests per second, reads
	mixedTarget     = 10.0 // endpoint / moto requests per second, mixed writes
	inventoryMaxS   = 2.0  // seconds for 5,000 tagged balancers at 25 ms
	lowerBoundX     = 2.0  // ... and within this many times the round-trip floor
	libcloudTarget  = 50.0 // driver at least this many times faster than the libcloud pattern
	cliTarget       = 30.0 // lbctl at least this many times faster than awscli to an answer
	endpointMaxMiB  = 200.0
	lowerBoundS     = 13 * 0.025 // ceil(5000/400) sequential pages × 25 ms
	inventoryPrefix = "BenchmarkInventory/"
)

// Table is one benchmark's markdown table.
type Table struct {
	Title                  string
	Rows                   [][5]string // figure, measured, target, anchor, met?
	Notes                  []string
	Machine, Command, Load string
}

// Markdown renders the table with its provenance below it.
func (t Table) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### %s\n\n", t.Title)
	b.WriteString("| figure | measured | target | anchor | met? |\n|---|---|---|---|---|\n")
	for _, r := range t.Rows {
		fmt.Fprintf(&b, "| %s |\n", strings.Join(r[:], " | "))
	}
	b.WriteString("\n")
	for _, n := range t.Notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	fmt.Fprintf(&b, "- machine: %s", t.Machine)
	if t.Load != "" {
		fmt.Fprintf(&b, "; load average before the run: %s", t.Load)
	}
	b.WriteString("\n")
	if t.Command != "" {
		fmt.Fprintf(&b, "- command: `%s`\n", t.Command)
	}
	b.WriteString("\n")
	return b.String()
}

var tables = map[string]func(Results) (Table, error){
	"endpoint":        endpointTable,
	"inventory":       inventoryTable,
	"cli":             cliTable,
	"memory":          memoryTable,
	"elbv2-endpoint":  elbv2EndpointTable,
	"elbv2-inventory": elbv2InventoryTable,
	"elbv2-memory":    elbv2MemoryTable,
	"dataplane":       dataplaneTable,
}

func met(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

func endpointTable(r Results) (Table, error) {
	return vsMotoTable(r, "BenchmarkEndpointVsMoto",
		"1. Endpoint (`lbctl serve --no-data-plane`, durable bbolt state) vs moto, 8 concurrent connections of SigV4-signed Query requests",
		[]motoLoad{
			{"reads", "reads: DescribeLoadBalancers by name over 100 balancers", readsTarget},
			{"mixed", "mixed: AddTags, ConfigureHealthCheck, DescribeLoadBalancers in turn", mixedTarget},
		})
}

// motoLoad is one load of a versus-moto benchmark: its sub-benchmark name, its label in the
// table and the ratio to moto it must reach.
type motoLoad struct {
	name, label string
	target      float64
}

// vsMotoTable renders the loads of the versus-moto benchmark bench (sub-benchmarks
// LOAD/endpoint and LOAD/moto; the loads are reads, replayed by wrk, and mixed, from the raw
// client): rates against the target ratio, latencies, CPU per request.
func vsMotoTable(r Results, bench, title string, loads []motoLoad) (Table, error) {
	g := &getter{r: r}
	t := Table{Title: title}
	for _, load := range loads {
		ep, mo := bench+"/"+load.name+"/endpoint", bench+"/"+load.name+"/moto"
		epRPS, moRPS := g.get(ep, "req/s"), g.get(mo, "req/s")
		ratio := epRPS / moRPS
		epSrv, epGen := g.get(ep, "server-cpu-us/req"), g.get(ep, "client-cpu-us/req")
		moSrv, moGen := g.get(mo, "server-cpu-us/req"), g.get(mo, "client-cpu-us/req")
		t.Rows = append(t.Rows,
			[5]string{load.label + ": requests/s", fmt.Sprintf("%.0f req/s (%.1f× moto)", epRPS, ratio),
				fmt.Sprintf("≥ %.0f× moto", load.target), fmt.Sprintf("moto %.0f req/s", moRPS), met(ratio >= load.target)},
			[5]string{load.label + ": latency p50 / p99", fmt.Sprintf("%.2f / %.2f ms", g.get(ep, "p50-ms"), g.get(ep, "p99-ms")),
				"—", fmt.Sprintf("moto %.2f / %.2f ms", g.get(mo, "p50-ms"), g.get(mo, "p99-ms")), "—"},
			[5]string{load.label + ": CPU per request, server / load generator",
				fmt.Sprintf("%.0f / %.0f µs (%.1f× less server CPU than moto; both cores full at %.0f req/s)", epSrv, epGen, moSrv/epSrv, 2e6/(epSrv+epGen)), "—",
				fmt.Sprintf("moto %.0f / %.0f µs", moSrv, moGen), "—"})
	}
	t.Notes = append(t.Notes,
		"load generators and both servers share the machine's cores; the endpoint and moto are measured one after the other in the same run, with the same generators",
		"reads: the requests are SigV4-signed once before the run and each answer is checked, then wrk (one thread, 8 keep-alive connections) replays them in turn for 10 s; the server verifies every signature. Generator CPU is wrk's; moto closes the connection after every answer, so wrk reconnects for each request there",
		fmt.Sprintf("mixed: 8 workers of a Go client building, signing and checking every request; connections it opened: endpoint %.0f, moto %.0f", g.get(bench+"/mixed/endpoint", "conns"), g.get(bench+"/mixed/moto", "conns")),
		"CPU per request: user+system time of the server process (from /proc) and of the generator, divided by the requests; 10 ms clock ticks")
	return t, g.err
}

func inventoryTable(r Results) (Table, error) {
	g := &getter{r: r}
	t := Table{Title: "2. Inventory of 5,000 balancers × 3 tags at `lbctl serve --latency 25ms`"}
	best := 0.0
	for _, run := range []string{"driver/default", "driver/tag-concurrency=32"} {
		label, s, x := listingRun(g, inventoryPrefix+run)
		t.Rows = append(t.Rows, [5]string{label, fmt.Sprintf("%.3f s (%.2f× lower bound)", s, x),
			fmt.Sprintf("≤ %.0f s and ≤ %.0f× lower bound (%.3f s)", inventoryMaxS, lowerBoundX, lowerBoundX*lowerBoundS),
			fmt.Sprintf("lower bound 13 × 25 ms = %.3f s", lowerBoundS),
			fmt.Sprintf("≤ 2 s: %s; ≤ 2×: %s", met(s <= inventoryMaxS), met(x <= lowerBoundX))})
		if best == 0 || s < best {
			best = s
		}
	}
	lc := inventoryPrefix + "libcloud-pattern/sample=200"
	lcS := g.get(lc, "extrapolated-s")
	def := g.get(inventoryPrefix+"driver/default", "s/list")
	t.Rows = append(t.Rows,
		[5]string{"libcloud pattern: 13 pages, then one DescribeTags per balancer, sequential",
			fmt.Sprintf("%.1f s (extrapolated: pages %.2f s + 5,000 × %.2f ms, per-call cost sampled on 200)", lcS, g.get(lc, "pages-s"), g.get(lc, "ms/DescribeTags")),
			"driver ≥ 50× faster", "≈ 5,000 × 25 ms = 125 s",
			fmt.Sprintf("default %.0f×: %s; best %.0f×: %s", lcS/def, met(lcS/def >= libcloudTarget), lcS/best, met(lcS/best >= libcloudTarget))})
	aw := inventoryPrefix + "awscli/sample=5"
	desc, call := g.get(aw, "describe-s"), g.get(aw, "s/describe-tags")
	t.Rows = append(t.Rows,
		[5]string{"`aws elb describe-load-balancers` + `aws elb describe-tags` 20 names a call (250 calls)",
			fmt.Sprintf("%.0f s (extrapolated: describe %.2f s measured + 250 × %.2f s, per-call cost sampled on 5 runs)", g.get(aw, "extrapolated-batched-s"), desc, call),
			"—", "—", "—"},
		[5]string{"same, one `describe-tags` run per balancer (5,000 calls)",
			fmt.Sprintf("%.0f s (extrapolated from the same sample)", g.get(aw, "extrapolated-per-balancer-s")), "—", "—", "—"})
	return t, g.err
}

// listingRun reads one driver listing sub-benchmark (driver/default or
// driver/tag-concurrency=N): its label, seconds a listing and ratio to the lower bound.
func listingRun(g *getter, name string) (label string, s, x float64) {
	s, x, conc := g.get(name, "s/list"), g.get(name, "x-lower-bound"), g.get(name, "tag-concurrency")
	label = fmt.Sprintf("driver `ListBalancers(IncludeTags)`, `WithTagConcurrency(%.0f)`", conc)
	if strings.HasSuffix(name, "/driver/default") {
		label += " (default)"
	}
	return label, s, x
}

func cliTable(r Results) (Table, error) {
	g := &getter{r: r}
	l, a := g.get("BenchmarkCLIStart/lbctl", "median-ms"), g.get("BenchmarkCLIStart/awscli", "median-ms")
	t := Table{Title: "3. CLI start-to-answer, 10 balancers, same `lbctl serve`"}
	t.Rows = append(t.Rows, [5]string{"`lbctl --endpoint URL balancers list` (median)",
		fmt.Sprintf("%.1f ms (%.0f× faster)", l, a/l), fmt.Sprintf("≥ %.0f× faster", cliTarget),
		fmt.Sprintf("`aws elb describe-load-balancers` %.0f ms", a), met(a/l >= cliTarget)})
	t.Notes = append(t.Notes, "each run is one process, exec to exit, timed by a Go loop")
	return t, g.err
}

func memoryTable(r Results) (Table, error) {
	g := &getter{r: r}
	t := Table{Title: "4. Memory with 10,000 balancers × 3 tags"}
	t.Rows = append(t.Rows,
		residentRow(g, "BenchmarkMemory/endpoint/after-seeding", "endpoint that took the 10,000 creates and served two tagged listings: VmRSS / VmHWM", endpointMaxMiB),
		residentRow(g, "BenchmarkMemory/endpoint/restarted", "endpoint restarted on that state, after one tagged listing: VmRSS / VmHWM", endpointMaxMiB),
		[5]string{"driver peak heap, streaming `svc.Balancers` with tags",
			fmt.Sprintf("%.1f MiB (%.1f MiB over idle)", g.get("BenchmarkMemory/driver/stream", "peak-heap-MiB"), g.get("BenchmarkMemory/driver/stream", "peak-over-idle-MiB")),
			"flat (no target)", fmt.Sprintf("`svc.ListBalancers` into a slice: %.1f MiB", g.get("BenchmarkMemory/driver/slice", "peak-heap-MiB")), "—"})
	t.Notes = append(t.Notes, "endpoint: `lbctl serve --no-data-plane`, as in every benchmark here",
		"driver heap: runtime/metrics heap objects, sampled every 0.5 ms during the listing")
	return t, g.err
}

// residentRow is the row of one resident-size sub-benchmark (rss-MiB, hwm-MiB) against a
// ceiling on the peak.
func residentRow(g *getter, name, label string, maxMiB float64) [5]string {
	hwm := g.get(name, "hwm-MiB")
	return [5]string{label, fmt.Sprintf("%.1f / %.1f MiB", g.get(name, "rss-MiB"), hwm),
		fmt.Sprintf("≤ %.0f MiB", maxMiB), "—", met(hwm <= maxMiB)}
}
