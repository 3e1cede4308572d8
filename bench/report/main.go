// Command report turns `go test -bench` output of the lbcloud benchmarks (on stdin) into
// one markdown table: each figure beside its target and its anchor, and whether the target
// is met. bench/run.sh calls it once per benchmark. With -per-request N it instead turns
// `go tool pprof -top` output into the same rows with CPU microseconds per request.
//
//	go test -run '^$' -bench EndpointVsMoto -benchtime 3000x ./bench | report -table endpoint -cmd '...'
//	go tool pprof -top -cum bench.test cpu.prof | report -per-request 20000
//	go tool pprof -top -nodecount=100000 -focus F bench.test cpu.prof | report -per-request 20000 -summary server
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
)

func main() {
	table := flag.String("table", "", "which table: endpoint, inventory, cli, memory, elbv2-endpoint, elbv2-inventory, elbv2-memory or dataplane")
	cmd := flag.String("cmd", "", "the command that produced the input, printed under the table")
	load := flag.String("load", "", "the machine's load average during the run, printed under the table")
	perRequest := flag.Int("per-request", 0, "read pprof -top output and print it per request of a run of this many requests")
	summary := flag.String("summary", "", "with -per-request: print only the summary line, with this label")
	flag.Parse()
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if *perRequest > 0 {
		top, err := ParseTop(string(in))
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		if *summary != "" {
			fmt.Print(top.SummaryText(*summary, *perRequest))
		} else {
			fmt.Print(HotSpotText(top.Rows, *perRequest))
		}
		return
	}
	res := Parse(string(in))
	render, ok := tables[*table]
	if !ok {
		fmt.Fprintf(os.Stderr, "report: unknown table %q (endpoint, inventory, cli, memory, elbv2-endpoint, elbv2-inventory, elbv2-memory, dataplane)\n", *table)
		os.Exit(2)
	}
	t, err := render(res)
	if err != nil {
		fmt.Fprintf(os.Stderr, "report: %s: %v\n", *table, err)
		os.Exit(1)
	}
	t.Machine = fmt.Sprintf("%d cores (runtime.NumCPU)", runtime.NumCPU())
	t.Command, t.Load = *cmd, *load
	fmt.Print(t.Markdown())
}
