package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkEndpointVsMoto
    endpoint_test.go:41: seeded 100 balancers with 1 tags each in 305ms
BenchmarkEndpointVsMoto/reads/endpoint-2         	     600	    364617 ns/op	         2.328 p50-ms	        15.10 p99-ms	      2743 req/s	100 server-cpu-us/req	100 client-cpu-us/req
BenchmarkEndpointVsMoto/reads/moto-2             	     600	   3709429 ns/op	        28.91 p50-ms	        61.57 p99-ms	       27.43 req/s
BenchmarkEndpointVsMoto/mixed/endpoint-2         	     600	   1179634 ns/op	         7.514 p50-ms	        57.52 p99-ms	       847.8 req/s	300 server-cpu-us/req	200 client-cpu-us/req
BenchmarkEndpointVsMoto/mixed/moto-2             	     600	   3519438 ns/op	        26.84 p50-ms	        53.54 p99-ms	       284.1 req/s
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
	for _, want := range []string{"2743 req/s (100.0× moto)", "≥ 50× moto", "moto 27 req/s", "848 req/s (3.0× moto)", "**no**", "2.33 / 15.10 ms", "100 / 100 µs", "10000 req/s would use"} {
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
