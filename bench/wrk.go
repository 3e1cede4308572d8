package bench

import (
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// Tool finds a program the data-plane benchmark needs on PATH, or says which Debian package
// provides it.
func Tool(name string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s is not on PATH; install it (apt-get install %s) to run the data-plane benchmark", name, name)
	}
	return p, nil
}

// WrkResult is what one wrk run measured.
type WrkResult struct {
	Requests float64 // requests per second
	P50, P99 time.Duration
}

// ParseWrk reads the output of `wrk --latency`. A run with socket errors or answers other
// than 2xx and 3xx is an error: its figures would not be comparable.
func ParseWrk(out string) (WrkResult, error) {
	var r WrkResult
	var err error
	for line := range strings.Lines(out) {
		f := strings.Fields(line)
		switch {
		case len(f) == 2 && f[0] == "Requests/sec:":
			r.Requests, err = strconv.ParseFloat(f[1], 64)
		case len(f) == 2 && f[0] == "50%":
			r.P50, err = parseWrkDuration(f[1])
		case len(f) == 2 && f[0] == "99%":
			r.P99, err = parseWrkDuration(f[1])
		case strings.HasPrefix(strings.TrimSpace(line), "Socket errors:"),
			strings.HasPrefix(strings.TrimSpace(line), "Non-2xx or 3xx responses:"):
			return r, fmt.Errorf("wrk: %s", strings.TrimSpace(line))
		}
		if err != nil {
			return r, fmt.Errorf("wrk: %q: %w", strings.TrimSpace(line), err)
		}
	}
	if r.Requests == 0 || r.P50 == 0 || r.P99 == 0 {
		return r, errors.New("wrk: no requests/s or latency distribution in the output (was --latency given?)")
	}
	return r, nil
}

// parseWrkDuration reads wrk's latencies: "280.00us", "1.20ms", "1.05s", "2.00m".
func parseWrkDuration(s string) (time.Duration, error) {
	if strings.HasSuffix(s, "m") && !strings.HasSuffix(s, "ms") {
		s += "0s" // minutes: "2.00m" is "2.00m0s" to time.ParseDuration
	}
	return time.ParseDuration(s)
}
