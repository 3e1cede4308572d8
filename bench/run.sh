#!/usr/bin/env bash
# Runs the four lbcloud benchmarks and prints one markdown table each, to stdout and to
# bench/out/results.md, followed by CPU profiles of where the time goes.
#
#   bench/run.sh            # about 3-5 minutes on 2 cores; needs python3 with moto, and aws
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

bench endpoint '^BenchmarkEndpointVsMoto$' 3000x
bench inventory '^BenchmarkInventory$' 1x
bench cli '^BenchmarkCLIStart$' 15x
bench memory '^BenchmarkMemory$' 1x

# Where the time goes: the same loads with the endpoint in-process, so one profile holds the
# client (aws-sdk-go-v2) and the server (elbserver) side of every request.
profile() { # NAME PATTERN BENCHTIME TITLE
	local name=$1 pattern=$2 benchtime=$3 title=$4
	go test -run '^$' -bench "$pattern" -benchtime "$benchtime" -cpuprofile "$PWD/$out/$name.prof" \
		-o "$out/bench.test" ./bench >"$out/$name.txt" 2>&1 || { cat "$out/$name.txt" >&2; return 1; }
	echo "### Where the time goes: $title"
	echo
	echo "\`go test -run '^\$' -bench '$pattern' -benchtime $benchtime -cpuprofile $out/$name.prof ./bench\`"
	echo "then \`go tool pprof -top -cum $out/bench.test $out/$name.prof\` (selected frames):"
	echo
	echo '```'
	grep -E '^Benchmark' "$out/$name.txt"
	go tool pprof -top -cum -nodecount=400 "$out/bench.test" "$out/$name.prof" 2>/dev/null |
		grep -E 'flat%|bench\.Generate\.func|elasticloadbalancing\.\(\*Client\)\.invokeOperation$|smithy-go\.ReadStruct$|ComputePayloadSHA256|signRequestMiddleware|elbserver\.\(\*Server\)\.(ServeHTTP|dispatch|describeLoadBalancers|addTags|configureHealthCheck)$|sigv4auth\.\(\*Verifier\)\.Verify$|store\)\.(view|update)$|Fdatasync|json\.(Unmarshal|Marshal)$|elbserver\.writeResult$|runtime\.gcBgMarkWorker$|runtime\.mallocgc$|syscall\.Syscall6?$' |
		head -30
	echo '```'
	echo
}
{
	profile inprocess-load '^BenchmarkInProcess$/^(reads|mixed)$' 3000x "reads and mixed writes, endpoint in-process"
	profile inprocess-page '^BenchmarkInProcess$/^page-400$' 40x "one 400-balancer DescribeLoadBalancers page, endpoint in-process"
} | emit
