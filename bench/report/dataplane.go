package main

import "fmt"

// The data plane's targets, against HAProxy in the same run (issue 12).
const (
	dpRequestsShare = 0.80 // lbcloud's requests/s at least this share of HAProxy's
	dpAddedP99X     = 1.5  // lbcloud's p99 over direct at most this many times HAProxy's
)

func dataplaneTable(r Results) (Table, error) {
	g := &getter{r: r}
	const h, fr, tcp = "BenchmarkDataPlane/http", "BenchmarkDataPlane/fixed-rate", "BenchmarkDataPlane/tcp"
	mem, noDP := "BenchmarkDataPlaneMemory/data-plane", "BenchmarkDataPlaneMemory/no-data-plane"
	t := Table{Title: "8. Data plane: an ALB (HTTP) and an NLB (TCP) of `lbctl serve` vs HAProxy vs direct, two back ends on loopback"}
	rps := func(who string) float64 { return g.get(h, who+"-req/s") }
	p50 := func(who string) float64 { return g.get(h, who+"-p50-ms") }
	p99 := func(who string) float64 { return g.get(h, who+"-p99-ms") }
	share := rps("lbcloud") / rps("haproxy")
	t.Rows = append(t.Rows,
		[5]string{"HTTP requests/s through one listener to two back ends",
			fmt.Sprintf("%.0f req/s, %.0f%% of HAProxy (rounds: %.0f–%.0f%%)", rps("lbcloud"), 100*share, 100*g.get(h, "ratio-min"), 100*g.get(h, "ratio-max")),
			fmt.Sprintf("≥ %.0f%% of HAProxy", 100*dpRequestsShare),
			fmt.Sprintf("HAProxy %.0f req/s; direct to one back end %.0f req/s", rps("haproxy"), rps("direct")), met(share >= dpRequestsShare)},
		[5]string{"HTTP latency p50 / p99",
			fmt.Sprintf("%.2f / %.2f ms", p50("lbcloud"), p99("lbcloud")), "—",
			fmt.Sprintf("HAProxy %.2f / %.2f ms; direct %.2f / %.2f ms", p50("haproxy"), p99("haproxy"), p50("direct"), p99("direct")), "—"})
	added, hAdded := g.get(h, "lbcloud-added-p99-ms"), g.get(h, "haproxy-added-p99-ms")
	addedRow := [5]string{"HTTP p99 added over direct (each round against its own direct run; median)", fmt.Sprintf("%+.2f ms", added),
		fmt.Sprintf("≤ %.1f× HAProxy's", dpAddedP99X), fmt.Sprintf("HAProxy %+.2f ms", hAdded), "—"}
	if hAdded > 0 { // else HAProxy added nothing measurable this run, and there is no bound
		addedRow[1] = fmt.Sprintf("%+.2f ms (%.1f× HAProxy's)", added, added/hAdded)
		addedRow[4] = met(added <= dpAddedP99X*hAdded)
	}
	// At a fixed rate every contender keeps up, so the added latency is the proxy's own, not
	// its queue: the closed-loop p99 above mostly mirrors requests/s.
	fAdded, fHAdded := g.get(fr, "lbcloud-added-p99-ms"), g.get(fr, "haproxy-added-p99-ms")
	fixedRow := [5]string{"HTTP latency added over direct at a fixed 500 req/s (open loop): p50 / p99",
		fmt.Sprintf("%+.2f / %+.2f ms", g.get(fr, "lbcloud-added-p50-ms"), fAdded),
		fmt.Sprintf("p99 ≤ %.1f× HAProxy's", dpAddedP99X),
		fmt.Sprintf("HAProxy %+.2f / %+.2f ms; the generator's own lateness p99 %.2f ms", g.get(fr, "haproxy-added-p50-ms"), fHAdded, g.get(fr, "generator-late-p99-ms")), "—"}
	if fHAdded > 0 {
		fixedRow[4] = met(fAdded <= dpAddedP99X*fHAdded)
	}
	t.Rows = append(t.Rows, addedRow, fixedRow,
		[5]string{"proxy CPU per HTTP request (user + system, from /proc)",
			fmt.Sprintf("%.0f µs (%.1f× HAProxy's)", g.get(h, "lbcloud-cpu-us/req"), g.get(h, "lbcloud-cpu-us/req")/g.get(h, "haproxy-cpu-us/req")), "—",
			fmt.Sprintf("HAProxy %.0f µs; a Go back end answering directly %.0f µs", g.get(h, "haproxy-cpu-us/req"), g.get(h, "direct-cpu-us/req")), "—"},
		[5]string{"TCP bulk transfer, 4 streams × 256 MiB at once",
			fmt.Sprintf("%.0f MB/s (%.0f%% of HAProxy)", g.get(tcp, "lbcloud-MB/s"), 100*g.get(tcp, "lbcloud-MB/s")/g.get(tcp, "haproxy-MB/s")), "—",
			fmt.Sprintf("HAProxy %.0f MB/s; direct %.0f MB/s", g.get(tcp, "haproxy-MB/s"), g.get(tcp, "direct-MB/s")), "—"},
		[5]string{"`lbctl serve` memory with 1,000 listeners serving (1,000 Classic balancers): VmRSS / VmHWM",
			fmt.Sprintf("%.1f / %.1f MiB (%.0f KiB a listener over `--no-data-plane`)", g.get(mem, "rss-MiB"), g.get(mem, "hwm-MiB"),
				(g.get(mem, "rss-MiB")-g.get(noDP, "rss-MiB"))*1024/1000), "—",
			fmt.Sprintf("same balancers with `--no-data-plane`: %.1f / %.1f MiB", g.get(noDP, "rss-MiB"), g.get(noDP, "hwm-MiB")), "—"})
	t.Notes = append(t.Notes,
		"HTTP: wrk -t1 -c32 -d10s --latency against each, 3 rounds in rotating order, medians; the ALB's target group and HAProxy both round robin over keep-alive connections to the same two back-end processes, with health checks",
		"fixed rate: 500 requests/s for 8 s against each, open loop (latency counts from when each request was due), 3 rounds, medians of each round's difference from direct",
		"nothing is pinned: wrk, the proxy and the back ends share the machine's cores, so the proxy's CPU per request decides its requests/s")
	return t, g.err
}
