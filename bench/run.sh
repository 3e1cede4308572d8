#!/usr/bin/env bash
# Runs the lbcloud benchmarks (Classic, then ELBv2, then the data plane) and prints one markdown
# table each, to stdout and to bench/out/results.md, with CPU profiles of where the endpoint's
# time goes.
#
#   bench/run.sh            # about 10 minutes on 2 cores; needs python3 with moto, aws,
#                           # and Debian's haproxy and wrk (apt-get install haproxy wrk)
#
# Raw `go test -bench` output and profiles are kept in bench/out (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
: >"$out/results.md"

go build -o "$out/lbctl" ./cmd/lbctl
go build -o "$out/report" ./bench/report
export LBCTL_BIN="$PWD/$out/lbctl"

emit() { tee -a "$out/results.md"; }

{
	echo "## lbcloud benchmarks"
	echo
	echo "$(nproc) cores, $(go version | cut -d' ' -f3-), $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	echo
} | emit

# bench NAME PATTERN BENCHTIME [go test flags...]: runs one benchmark and renders its table.
bench() {
	local name=$1 pattern=$2 benchtime=$3
	shift 3
	local cmd="go test -run '^\$' -bench '$pattern' -benchtime $benchtime -timeout 10m $* ./bench"
	local load
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "running: LBCTL_BIN=$LBCTL_BIN $cmd" >&2
	if ! go test -run '^$' -bench "$pattern" -benchtime "$benchtime" -timeout 10m "$@" ./bench >"$out/$name.txt" 2>&1; then
		cat "$out/$name.txt" >&2
		echo "benchmark $name failed" >&2
		return 1
	fi
	"$out/report" -table "$name" -cmd "$cmd" -load "$load" <"$out/$name.txt" | emit
}

bench endpoint '^BenchmarkEndpointVsMoto$' 6000x
bench inventory '^BenchmarkInventory$' 1x
bench cli '^BenchmarkCLIStart$' 15x
bench memory '^BenchmarkMemory$' 1x
bench elbv2-endpoint '^BenchmarkELBv2VsMoto$' 6000x
bench elbv2-inventory '^BenchmarkELBv2Inventory$' 1x
bench elbv2-memory '^BenchmarkELBv2Memory$' 1x

# Where the time goes: the same loads, all from the raw Go client (the reads too, which the
# versus-moto benchmarks replay with wrk), with the endpoint served in-process, one CPU profile
# per load covering only the measured requests. The endpoint's
# own frames are those under net/http.(*conn).serve or a bbolt batch (-focus); the rows
# shown are its code, bbolt, the encoders, crypto and system calls (-show), in CPU µs per
# request.
server_focus='net/http\.\(\*conn\)\.serve|go\.etcd\.io/bbolt\.\(\*batch\)'
client_focus='bench\.Generate|bench\.\(\*RawClient\)\.Call|net/http\.\(\*persistConn\)'
server_show='lbcloud/elbserver|lbcloud/sigv4auth|go\.etcd\.io/bbolt|encoding/|crypto/|syscall\.|net/http\.\(\*conn\)\.serve|runtime\.mallocgc$'
profile() { # SUB COUNT TITLE
	local sub=$1 count=$2 title=$3 prof="$out/inprocess-$1.prof"
	go test -run '^$' -bench "^BenchmarkInProcess\$/^$sub\$" -benchtime "${count}x" -o "$out/bench.test" \
		./bench -args -inprocess.profile "$PWD/$out" >"$out/inprocess-$sub.txt" 2>&1 || {
		cat "$out/inprocess-$sub.txt" >&2
		return 1
	}
	echo "### Where the endpoint's time goes: $title"
	echo
	echo "\`go test -run '^\$' -bench '^BenchmarkInProcess\$/^$sub\$' -benchtime ${count}x -o $out/bench.test ./bench -args -inprocess.profile $out\`"
	echo "then \`go tool pprof -top -cum -nodecount=15 -focus '$server_focus' -show '$server_show' $out/bench.test $prof\`, per request:"
	echo
	echo '```'
	grep -E '^Benchmark' "$out/inprocess-$sub.txt"
	go tool pprof -top "$out/bench.test" "$prof" 2>/dev/null | grep -E '^Duration:'
	go tool pprof -top -nodecount=100000 -nodefraction=0 -focus "$server_focus" "$out/bench.test" "$prof" 2>/dev/null |
		"$out/report" -per-request "$count" -summary "endpoint (server side)"
	go tool pprof -top -nodecount=100000 -nodefraction=0 -focus "$client_focus" "$out/bench.test" "$prof" 2>/dev/null |
		"$out/report" -per-request "$count" -summary "load generator"
	go tool pprof -top -nodecount=100000 -nodefraction=0 -focus 'runtime\.gcBgMarkWorker' "$out/bench.test" "$prof" 2>/dev/null |
		"$out/report" -per-request "$count" -summary "GC workers (both sides)"
	echo
	go tool pprof -top -cum -nodecount=15 -focus "$server_focus" -show "$server_show" "$out/bench.test" "$prof" 2>/dev/null |
		"$out/report" -per-request "$count"
	echo
	echo "by own (flat) time: the same -focus, without -cum and -show"
	go tool pprof -top -nodecount=15 -focus "$server_focus" "$out/bench.test" "$prof" 2>/dev/null |
		"$out/report" -per-request "$count"
	echo '```'
	echo
}
{
	profile reads 20000 "reads (DescribeLoadBalancers by name)"
	profile mixed 6000 "mixed durable writes (AddTags, ConfigureHealthCheck, DescribeLoadBalancers)"
	profile page-400 300 "one 400-balancer DescribeLoadBalancers page"
	profile elbv2-reads 20000 "ELBv2 reads (DescribeLoadBalancers, DescribeTargetGroups, DescribeTargetHealth)"
	profile elbv2-mixed 6000 "ELBv2 mixed durable writes (AddTags, ModifyTargetGroup, Register/DeregisterTargets, describes)"
} | emit

# The data plane: `lbctl serve`'s ALB (HTTP) and NLB (TCP) against HAProxy and a direct
# connection, driven by wrk, then the memory of 1,000 serving listeners (about 4 minutes;
# needs haproxy and wrk on PATH).
bench dataplane '^BenchmarkDataPlane(Memory)?$' 1x
