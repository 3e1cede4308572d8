package bench

import (
	"strings"
	"testing"
	"time"
)

const wrkSample = `Running 10s test @ http://127.0.0.1:41234/
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.63ms    2.34ms  45.12ms   92.31%
    Req/Sec    21.04k     1.93k   24.37k    77.00%
  Latency Distribution
     50%  812.00us
     75%    1.52ms
     90%    3.40ms
     99%    1.02s
  209412 requests in 10.00s, 28.16MB read
Requests/sec:  20937.41
Transfer/sec:      2.82MB
`

func TestParseWrk(t *testing.T) {
	r, err := ParseWrk(wrkSample)
	if err != nil {
		t.Fatal(err)
	}
	want := WrkResult{Requests: 20937.41, P50: 812 * time.Microsecond, P99: 1020 * time.Millisecond}
	if r != want {
		t.Fatalf("ParseWrk = %+v, want %+v", r, want)
	}
}

func TestParseWrkRefusesIncomparableRuns(t *testing.T) {
	for name, out := range map[string]string{
		"socket errors": strings.Replace(wrkSample, "Requests/sec:", "  Socket errors: connect 0, read 3, write 0, timeout 0\nRequests/sec:", 1),
		"non-2xx":       strings.Replace(wrkSample, "Requests/sec:", "  Non-2xx or 3xx responses: 17\nRequests/sec:", 1),
		"no --latency":  strings.Replace(wrkSample, "     99%    1.02s\n", "", 1),
		"bad figure":    strings.Replace(wrkSample, "20937.41", "many", 1),
	} {
		if _, err := ParseWrk(out); err == nil {
			t.Errorf("%s: ParseWrk accepted the output", name)
		}
	}
}

func TestParseWrkDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"280.00us": 280 * time.Microsecond, "1.20ms": 1200 * time.Microsecond, "1.05s": 1050 * time.Millisecond, "2.00m": 2 * time.Minute,
	} {
		if got, err := parseWrkDuration(in); err != nil || got != want {
			t.Errorf("parseWrkDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestHAProxyConfig(t *testing.T) {
	cfg := HAProxyConfig("127.0.0.1:1000", []string{"127.0.0.1:1001", "127.0.0.1:1002"}, "127.0.0.1:2000", []string{"127.0.0.1:2001"})
	for _, line := range []string{
		"bind 127.0.0.1:1000", "bind 127.0.0.1:2000", "balance roundrobin", "option http-keep-alive", "option forwardfor",
		"option httpchk GET /", "server h1 127.0.0.1:1001 check inter 1s", "server h2 127.0.0.1:1002 check inter 1s",
		"server t1 127.0.0.1:2001 check inter 1s",
	} {
		if !strings.Contains(cfg, "\t"+line+"\n") {
			t.Errorf("configuration lacks %q:\n%s", line, cfg)
		}
	}
	if strings.Count(cfg, "mode tcp") != 2 || strings.Count(cfg, "mode http") != 2 {
		t.Errorf("want the TCP front and back end in mode tcp and the HTTP ones in mode http:\n%s", cfg)
	}
}
