// Command lbctl manages AWS Classic Elastic Load Balancers on AWS, on any ELB-compatible
// endpoint, or on the embedded local endpoint. Run 'lbctl --help'.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lbcloud/lbcloud/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
