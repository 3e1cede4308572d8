package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// HotSpot is one row of `go tool pprof -top` output.
type HotSpot struct {
	Flat, Cum time.Duration
	CumPct    string // as pprof printed it, e.g. "40.26%"
	Func      string
}

// Top is what ParseTop read: the rows, and from the "Showing nodes accounting for 1.2s,
// 52% of 2.31s total" line the flat time of the nodes pprof kept (all of them, with a large
// -nodecount and no -show: the samples that passed -focus) and the profile's total.
type Top struct {
	Rows         []HotSpot
	Shown, Total time.Duration
}

// ParseTop reads `go tool pprof -top` output: the summary line and the rows after the
// "flat  flat%   sum%        cum   cum%" header; it ignores everything else.
func ParseTop(out string) (Top, error) {
	var t Top
	inRows := false
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Showing nodes accounting for "); ok {
			// "1.2s, 52.00% of 2.31s total"
			var shown, pct, total string
			if n, _ := fmt.Sscanf(rest, "%s %s of %s total", &shown, &pct, &total); n != 3 {
				return t, fmt.Errorf("unexpected pprof summary %q", line)
			}
			var err error
			if t.Shown, err = pprofDuration(strings.TrimSuffix(shown, ",")); err != nil {
				return t, err
			}
			if t.Total, err = pprofDuration(total); err != nil {
				return t, err
			}
			continue
		}
		if !inRows {
			inRows = len(f) == 5 && f[0] == "flat" && f[4] == "cum%"
			continue
		}
		if len(f) < 6 {
			continue
		}
		flat, err := pprofDuration(f[0])
		if err != nil {
			return t, err
		}
		cum, err := pprofDuration(f[3])
		if err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, HotSpot{Flat: flat, Cum: cum, CumPct: f[4], Func: strings.Join(f[5:], " ")})
	}
	if !inRows {
		return t, fmt.Errorf("no pprof -top header in the input")
	}
	return t, nil
}

// pprofDuration parses pprof's sample values: "0", "10ms", "1.24s", "500us", "2mins".
func pprofDuration(s string) (time.Duration, error) {
	if s == "0" {
		return 0, nil
	}
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"mins", time.Minute}, {"hrs", time.Hour}, {"ms", time.Millisecond}, {"us", time.Microsecond},
		{"µs", time.Microsecond}, {"ns", time.Nanosecond}, {"s", time.Second}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			v, err := strconv.ParseFloat(num, 64)
			if err != nil {
				break
			}
			return time.Duration(v * float64(u.unit)), nil
		}
	}
	return 0, fmt.Errorf("unexpected pprof value %q", s)
}

// SummaryText is one line: the CPU time per request of the samples pprof kept, and of the
// whole profile.
func (t Top) SummaryText(label string, requests int) string {
	pct := 0.0
	if t.Total > 0 {
		pct = 100 * float64(t.Shown) / float64(t.Total)
	}
	return fmt.Sprintf("%s: %.1f µs/req (%.0f%% of the %.1f µs/req profiled)\n", label,
		perReq(t.Shown, requests), pct, perReq(t.Total, requests))
}

// HotSpotText renders rows with their CPU time per request (the profile's samples divided
// by the requests the profiled run sent), cumulative first as pprof -top -cum orders them.
func HotSpotText(rows []HotSpot, requests int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%12s %8s %12s  %s\n", "cum µs/req", "cum%", "flat µs/req", "function")
	for _, r := range rows {
		fmt.Fprintf(&b, "%12.1f %8s %12.1f  %s\n", perReq(r.Cum, requests), r.CumPct, perReq(r.Flat, requests), r.Func)
	}
	return b.String()
}

func perReq(d time.Duration, requests int) float64 {
	if requests <= 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(requests)
}
