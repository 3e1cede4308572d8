package cli

import (
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// serveGCPercent trades memory for CPU in the long-running endpoint: its live heap is small
// (the state is in the memory-mapped file) and its garbage is per request, so collecting
// less often costs little memory and saves a fifth or more of its CPU under load. A GOGC
// set by the user wins.
const serveGCPercent = 400

// defaultMemoryLimit is the heap the endpoint aims to stay under (Go's soft memory limit).
// With GOGC at 400 alone, a burst of large answers leaves the heap's goal, and the memory
// held from the system, at five times the burst's live heap for many minutes; under the
// limit the collector and the scavenger give memory back as soon as the burst is over. The
// endpoint's steady heap is a few MiB: the limit only matters in bursts.
const defaultMemoryLimit = "512MiB"

// tuneMemory sets the endpoint's collector: GOGC 400 unless GOGC is set, and the memory
// limit (bytes; < 0 for none) unless GOMEMLIMIT is set and the flag was not given.
func tuneMemory(limit int64, flagGiven bool) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") != "" && !flagGiven {
		return
	}
	if limit < 0 {
		limit = math.MaxInt64 // the runtime's "no limit"
	}
	debug.SetMemoryLimit(limit)
}

// parseSize reads a byte count as GOMEMLIMIT writes it: a whole number with an optional
// B, KiB, MiB, GiB or TiB suffix; "off" (or "0") is no limit, returned as -1.
func parseSize(s string) (int64, bool) {
	if s == "off" || s == "0" {
		return -1, true
	}
	units := []struct {
		suffix string
		shift  uint
	}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}
	num, shift := s, uint(0)
	for _, u := range units {
		if n, ok := strings.CutSuffix(s, u.suffix); ok {
			num, shift = n, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64>>shift {
		return 0, false
	}
	return n << shift, true
}
