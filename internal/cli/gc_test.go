package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

func TestServeTunesGCUnlessGOGCIsSet(t *testing.T) {
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))

	t.Setenv("GOGC", "")
	tuneMemory(-1, false)
	if got := debug.SetGCPercent(100); got != serveGCPercent {
		t.Errorf("GC percent after tuneMemory = %d, want %d", got, serveGCPercent)
	}
	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	tuneMemory(-1, false)
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("GC percent with GOGC=50 set = %d, want it left at 50", got)
	}
}

// The endpoint runs under a memory limit, so that memory taken in a burst goes back to the
// system when the burst is over; GOMEMLIMIT wins over the default, an explicit flag over both.
func TestServeSetsAMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	def, ok := parseSize(defaultMemoryLimit)
	if !ok || def != 512<<20 {
		t.Fatalf("default %q = %d, %v", defaultMemoryLimit, def, ok)
	}
	t.Setenv("GOMEMLIMIT", "")
	debug.SetMemoryLimit(math.MaxInt64)
	tuneMemory(def, false)
	if got := debug.SetMemoryLimit(-1); got != def {
		t.Errorf("limit = %d, want the default %d", got, def)
	}
	tuneMemory(-1, true)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limit with --memory-limit off = %d, want none", got)
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(1 << 30)
	tuneMemory(def, false)
	if got := debug.SetMemoryLimit(-1); got != 1<<30 {
		t.Errorf("limit with GOMEMLIMIT set = %d, want it left at 1GiB", got)
	}
	tuneMemory(2<<30, true)
	if got := debug.SetMemoryLimit(-1); got != 2<<30 {
		t.Errorf("limit with --memory-limit 2GiB = %d", got)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "2GiB": 2 << 30, "1048576": 1 << 20, "64KiB": 64 << 10, "100B": 100, "1TiB": 1 << 40, "off": -1, "0": -1} {
		if got, ok := parseSize(in); !ok || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "512M", "-1MiB", "1.5GiB", "MiB", "9999999999TiB", "lots"} {
		if got, ok := parseSize(bad); ok {
			t.Errorf("parseSize(%q) = %d, accepted", bad, got)
		}
	}
}
