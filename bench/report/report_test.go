package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkEndpointVsMoto
    endpoint_test.go:41: seeded 100 balancers with 1 tags each in 305ms
BenchmarkEndpointVsMoto/reads/endpoint-2         	     600	    364617 ns/op	         2.328 p50-ms	        15.10 p99-ms	      2743 req/s	100 server-cpu-us/req	100 client-cpu-us/req	8 conns
BenchmarkEndpointVsMoto/reads/moto-2             	     600	   3709429 ns/op	        28.91 p50-ms	        61.57 p99-ms	       27.43 req/s	2500 server-cpu-us/req	300 client-cpu-us/req	600 conns
BenchmarkEndpointVsMoto/mixed/endpoint-2         	     600	   1179634 ns/op	         7.514 p50-ms	        57.52 p99-ms	       847.8 req/s	300 server-cpu-us/req	200 client-cpu-us/req	0 conns
BenchmarkEndpointVsMoto/mixed/moto-2             	     600	   3519438 ns/op	        26.84 p50-ms	        53.54 p99-ms	       284.1 req/s	2400 server-cpu-us/req	350 client-cpu-us/req	600 conns
PASS
`

func TestParse(t *testing.T) {
	r := Parse(sample)
	if len(r) != 4 {
		t.Fatalf("parsed %d benchmarks, want 4: %v", len(r), r)
	}
	if v, err := r.get("BenchmarkEndpointVsMoto/reads/endpoint", "req/s"); err != nil || v != 2743 {
		t.Errorf("reads/endpoint req/s = %v, %v; want 2743", v, err)
	}
	if _, err := r.get("BenchmarkEndpointVsMoto/reads/endpoint", "MB/s"); err == nil {
		t.Error("a missing unit gave no error")
	}
	if _, err := r.get("BenchmarkCLIStart/lbctl", "median-ms"); err == nil {
		t.Error("a missing benchmark gave no error")
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkX/a-b-2": "BenchmarkX/a-b",
		"BenchmarkX/a-b":   "BenchmarkX/a-b",
		"BenchmarkX":       "BenchmarkX",
		"BenchmarkX/c=8-4": "BenchmarkX/c=8",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEndpointTable(t *testing.T) {
	tb, err := endpointTable(Parse(sample))
	if err != nil {
		t.Fatal(err)
	}
	md := tb.Markdown()
	// Reads are 100× moto here (met); mixed are 3× (missed).
	for _, want := range []string{"2743 req/s (100.0× moto)", "≥ 50× moto", "moto 27 req/s", "848 req/s (3.0× moto)", "**no**", "2.33 / 15.10 ms", "100 / 100 µs (25.0× less server CPU than moto; both cores full at 10000 req/s)", "moto 2500 / 300 µs", "connections it opened: endpoint 0, moto 600"} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
	if strings.Count(md, "| yes |") != 1 {
		t.Errorf("want exactly one met target:\n%s", md)
	}
}

func TestMissingResultIsAnError(t *testing.T) {
	for name, render := range tables {
		if _, err := render(Parse("")); err == nil {
			t.Errorf("%s table rendered from no results", name)
		}
	}
}

const topSample = `File: bench.test
Showing nodes accounting for 320ms, 32.00% of 1000ms total
      flat  flat%   sum%        cum   cum%
      50ms  5.00%  5.00%      1.24s 53.68%  net/http.(*conn).serve
         0     0%  5.00%      440ms 44.00%  github.com/lbcloud/lbcloud/elbserver.(*Server).describeLoadBalancers.(*store).view.func2
     500us  0.05%  5.05%        2ms  0.20%  sigv4auth.(*Verifier).Verify (inline)
`

func TestParseTop(t *testing.T) {
	top, err := ParseTop(topSample)
	if err != nil {
		t.Fatal(err)
	}
	rows := top.Rows
	if top.Shown.Milliseconds() != 320 || top.Total.Milliseconds() != 1000 {
		t.Errorf("summary %v of %v, want 320ms of 1s", top.Shown, top.Total)
	}
	if got := top.SummaryText("server", 1000); got != "server: 320.0 µs/req (32% of the 1000.0 µs/req profiled)\n" {
		t.Errorf("summary text %q", got)
	}
	if len(rows) != 3 {
		t.Fatalf("parsed %d rows, want 3: %+v", len(rows), rows)
	}
	if r := rows[0]; r.Cum.Milliseconds() != 1240 || r.Flat.Milliseconds() != 50 || r.CumPct != "53.68%" || r.Func != "net/http.(*conn).serve" {
		t.Errorf("row 0 = %+v", r)
	}
	if r := rows[2]; r.Flat.Microseconds() != 500 || r.Func != "sigv4auth.(*Verifier).Verify (inline)" {
		t.Errorf("row 2 = %+v", r)
	}
	txt := HotSpotText(rows, 1000)
	// 1.24 s over 1,000 requests is 1,240 µs each; 440 ms is 440 µs.
	for _, want := range []string{"1240.0", "440.0", "50.0", "0.5  sigv4auth"} {
		if !strings.Contains(txt, want) {
			t.Errorf("text lacks %q:\n%s", want, txt)
		}
	}
	if _, err := ParseTop("no header here\n"); err == nil {
		t.Error("input without a header parsed")
	}
	if _, err := ParseTop("flat  flat%   sum%        cum   cum%\n 1parsec 1% 1% 1s 1% f\n"); err == nil {
		t.Error("an unknown unit parsed")
	}
}

func TestInventoryTableNamesTheDefault(t *testing.T) {
	out := `BenchmarkInventory/driver/default-2 1 1 ns/op 1.017 s/list 3.129 x-lower-bound 20 tag-concurrency
BenchmarkInventory/driver/tag-concurrency=32-2 1 1 ns/op 0.9815 s/list 3.020 x-lower-bound 32 tag-concurrency
BenchmarkInventory/libcloud-pattern/sample=200-2 1 1 ns/op 131.8 extrapolated-s 26.19 ms/DescribeTags 0.8054 pages-s
BenchmarkInventory/awscli/sample=5-2 1 1 ns/op 3.043 describe-s 196.3 extrapolated-batched-s 3868 extrapolated-per-balancer-s 0.7730 s/describe-tags
`
	tb, err := inventoryTable(Parse(out))
	if err != nil {
		t.Fatal(err)
	}
	md := tb.Markdown()
	// 131.8 s against the default's 1.017 s is 130×.
	for _, want := range []string{"`WithTagConcurrency(20)` (default)", "`WithTagConcurrency(32)` |", "default 130×: yes"} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
}

func TestELBv2Tables(t *testing.T) {
	out := `BenchmarkELBv2VsMoto/reads/endpoint-2 3000 1 ns/op 100 client-cpu-us/req 7 conns 1.3 p50-ms 5.4 p99-ms 6000 req/s 120 server-cpu-us/req
BenchmarkELBv2VsMoto/reads/moto-2 3000 1 ns/op 900 client-cpu-us/req 3000 conns 59 p50-ms 191 p99-ms 100 req/s 6400 server-cpu-us/req
BenchmarkELBv2VsMoto/mixed/endpoint-2 3000 1 ns/op 360 client-cpu-us/req 0 conns 11 p50-ms 150 p99-ms 900 req/s 800 server-cpu-us/req
BenchmarkELBv2VsMoto/mixed/moto-2 3000 1 ns/op 950 client-cpu-us/req 3000 conns 51 p50-ms 226 p99-ms 100 req/s 5790 server-cpu-us/req
BenchmarkELBv2Inventory/driver/default-2 1 1 ns/op 0.63 s/list 20 tag-concurrency 1.8 x-lower-bound
BenchmarkELBv2Inventory/driver/tag-concurrency=32-2 1 1 ns/op 0.80 s/list 32 tag-concurrency 2.286 x-lower-bound
BenchmarkELBv2Memory/endpoint/after-seeding-2 1 1 ns/op 201.1 hwm-MiB 200 rss-MiB
BenchmarkELBv2Memory/endpoint/restarted-2 1 1 ns/op 310 hwm-MiB 190.3 rss-MiB
`
	res := Parse(out)
	for _, c := range []struct {
		table string
		want  []string
		met   int
	}{
		// Reads are 60× moto (met), mixed 9× (missed).
		{"elbv2-endpoint", []string{"6000 req/s (60.0× moto)", "900 req/s (9.0× moto)", "ModifyTargetGroup", "connections it opened: endpoint 0, moto 3000"}, 1},
		// 1.8× the 0.350 s bound is met, 2.29× is not.
		{"elbv2-inventory", []string{"`WithTagConcurrency(20)` (default)", "0.630 s (1.80× lower bound)", "≤ 2× lower bound (0.700 s)", "= 0.350 s"}, 1},
		// A peak of 201.1 MiB is within 300, 310 is not.
		{"elbv2-memory", []string{"200.0 / 201.1 MiB", "190.3 / 310.0 MiB", "≤ 300 MiB"}, 1},
	} {
		tb, err := tables[c.table](res)
		if err != nil {
			t.Fatalf("%s: %v", c.table, err)
		}
		md := tb.Markdown()
		for _, want := range c.want {
			if !strings.Contains(md, want) {
				t.Errorf("%s table lacks %q:\n%s", c.table, want, md)
			}
		}
		if n := strings.Count(md, "| yes |"); n != c.met {
			t.Errorf("%s table: %d targets met, want %d:\n%s", c.table, n, c.met, md)
		}
	}
}
