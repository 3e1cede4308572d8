package bench

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// memoryShape is each of the 10,000 ALBs of BenchmarkELBv2Memory.
var memoryShape = albShape{groups: 3, listeners: 2, tags: inventoryTags}

// BenchmarkELBv2Memory seeds `lbctl serve --no-data-plane` with 10,000 Application Load
// Balancers, each with 3 target groups, 2 listeners and 3 tags (60,000 creates from 128
// concurrent clients), lists them all with tags through the alb provider, and reports the
// endpoint's resident size (VmRSS, and its peak VmHWM): once in the process that took the
// creates, once after a restart on the same state. The data plane is off (apiOnly): it would
// hold 20,000 listening sockets. Run with -benchtime=1x.
func BenchmarkELBv2Memory(b *testing.B) {
	testenv.AWSEnv(b)
	state := filepath.Join(b.TempDir(), "state.db")
	srv := startServe(b, state, apiOnly)
	seedALBs(b, srv.URL, "mem", memoryBalancers, memoryShape, 128)
	ctx := context.Background()
	list := func(b *testing.B, url string) {
		svc, err := elbv2.Open(ctx, elbv2.ALB, driverOptions(url))
		if err != nil {
			b.Fatal(err)
		}
		streamTagged(b, svc, memoryBalancers)
	}
	b.Run("endpoint/after-seeding", func(b *testing.B) {
		for b.Loop() {
			list(b, srv.URL)
			reportMem(b, srv)
		}
	})
	srv.Stop(b)
	srv = startServe(b, state, apiOnly)
	b.Run("endpoint/restarted", func(b *testing.B) {
		for b.Loop() {
			list(b, srv.URL)
			reportMem(b, srv)
		}
	})
}
