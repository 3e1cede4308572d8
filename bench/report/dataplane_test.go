package main

import (
	"strings"
	"testing"
)

const dataplaneSample = `BenchmarkDataPlane/http-2         	       1	91754929593 ns/op	        29.00 direct-cpu-us/req	         1.000 direct-p50-ms	        5.00 direct-p99-ms	     20000 direct-req/s	        38.00 haproxy-cpu-us/req	         2.000 haproxy-p50-ms	        7.00 haproxy-p99-ms	     10000 haproxy-req/s	       76.00 lbcloud-cpu-us/req	         4.000 lbcloud-p50-ms	        9.00 lbcloud-p99-ms	      8500 lbcloud-req/s	         0.9000 ratio-max	         0.8000 ratio-min	2.00 haproxy-added-p99-ms	4.00 lbcloud-added-p99-ms
BenchmarkDataPlane/fixed-rate-2   	       1	72000000000 ns/op	0.30 direct-p50-ms	0.90 direct-p99-ms	0.50 haproxy-p50-ms	1.20 haproxy-p99-ms	0.70 lbcloud-p50-ms	1.50 lbcloud-p99-ms	0.20 haproxy-added-p50-ms	0.30 haproxy-added-p99-ms	0.40 lbcloud-added-p50-ms	0.60 lbcloud-added-p99-ms	0.05 generator-late-p99-ms
BenchmarkDataPlane/tcp-2          	       1	9829973051 ns/op	      2300 direct-MB/s	       800.0 haproxy-MB/s	       720.0 lbcloud-MB/s
BenchmarkDataPlaneMemory/data-plane-2 	       1	      1000 ns/op	        60.00 rss-MiB	        62.00 hwm-MiB
BenchmarkDataPlaneMemory/no-data-plane-2 	       1	      1000 ns/op	        40.00 rss-MiB	        41.00 hwm-MiB
`

func TestDataplaneTable(t *testing.T) {
	tb, err := dataplaneTable(Parse(dataplaneSample))
	if err != nil {
		t.Fatal(err)
	}
	md := tb.Markdown()
	for _, want := range []string{
		"8500 req/s, 85% of HAProxy (rounds: 80–90%)", "HAProxy 10000 req/s; direct to one back end 20000 req/s",
		"4.00 / 9.00 ms", "HAProxy 2.00 / 7.00 ms; direct 1.00 / 5.00 ms",
		"+4.00 ms (2.0× HAProxy's)", "HAProxy +2.00 ms", "76 µs (2.0× HAProxy's)",
		"+0.40 / +0.60 ms", "HAProxy +0.20 / +0.30 ms; the generator's own lateness p99 0.05 ms",
		"720 MB/s (90% of HAProxy)", "60.0 / 62.0 MiB (20 KiB a listener over `--no-data-plane`)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("table lacks %q:\n%s", want, md)
		}
	}
	// Requests/s meet their target (85% ≥ 80%); the added p99s (2× HAProxy's, closed loop and
	// at a fixed rate) miss theirs.
	if strings.Count(md, "| yes |") != 1 || strings.Count(md, "| **no** |") != 2 {
		t.Errorf("want one met and two missed targets:\n%s", md)
	}
	// HAProxy adding nothing measurable leaves the p99 target without a bound: not judged.
	noAdded := strings.Replace(dataplaneSample, "2.00 haproxy-added-p99-ms", "-1.00 haproxy-added-p99-ms", 1)
	noAdded = strings.Replace(noAdded, "0.30 haproxy-added-p99-ms", "-0.10 haproxy-added-p99-ms", 1)
	if tb, err := dataplaneTable(Parse(noAdded)); err != nil || strings.Contains(tb.Markdown(), "**no**") {
		t.Errorf("with HAProxy adding no p99, want the target unjudged: %v\n%s", err, tb.Markdown())
	}
	if _, err := dataplaneTable(Parse(strings.Split(dataplaneSample, "\n")[0])); err == nil {
		t.Error("a run without the TCP and memory results gave no error")
	}
}
