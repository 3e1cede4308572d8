package bench

import (
	"context"
	"flag"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
)

// inprocessProfile, when set, is a directory where BenchmarkInProcess writes one CPU profile
// per load (inprocess-reads.prof, ...), covering only the measured requests: seeding and
// set-up stay out of it, unlike with go test -cpuprofile.
var inprocessProfile = flag.String("inprocess.profile", "", "directory for BenchmarkInProcess's per-load CPU profiles")

// profileLoad starts a CPU profile of one load when -inprocess.profile is set and returns
// the function that stops it. Each run of a sub-benchmark overwrites the profile, so the
// last (the measured b.N) run is the one kept.
func profileLoad(b *testing.B, name string) (stop func()) {
	b.Helper()
	if *inprocessProfile == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(*inprocessProfile, "inprocess-"+name+".prof"))
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.Fatalf("%v (-inprocess.profile cannot be combined with -cpuprofile)", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Error(err)
		}
	}
}

// BenchmarkInProcess runs the endpoint-versus-moto loads (Classic, then ELBv2 as
// elbv2-reads and elbv2-mixed), and single 400-balancer
// DescribeLoadBalancers pages, against the endpoint served in this process over a loopback
// http.Server, with the same raw load generator, so that a CPU profile (-inprocess.profile)
// shows the endpoint's own hot spots: its frames are those under net/http.(*conn).serve
// or a bbolt batch (pprof -focus), the generator's those under bench.Generate. Its figures
// are not comparable with moto's: client and server share one Go runtime here.
func BenchmarkInProcess(b *testing.B) {
	ep, err := elbserver.New(elbserver.Options{StatePath: filepath.Join(b.TempDir(), "state.db"),
		Limits: map[string]int{"classic-load-balancers": 20000, "application-load-balancers": 20000, "target-groups": 60000}})
	if err != nil {
		b.Fatal(err)
	}
	defer ep.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	hs := &http.Server{Handler: ep, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	url := "http://" + ln.Addr().String()
	seed(b, newClient(url), "bal", pageSize, inventoryTags, clients)
	fleet := seedALBs(b, url, "bal", endpointBalancers, v2Shape, clients)
	c, err := NewRawClient(url, ClassicVersion, "us-east-1", "test", "test", clients)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	v2, err := NewRawClient(url, ELBv2Version, "us-east-1", "test", "test", clients)
	if err != nil {
		b.Fatal(err)
	}
	defer v2.Close()
	names := make([]string, endpointBalancers)
	for i := range names {
		names[i] = balancerName("bal", i)
	}
	type load struct {
		endpointOp
		c *RawClient
	}
	var loads []load
	for _, op := range classicLoads(names).ops() {
		loads = append(loads, load{op, c})
	}
	for _, op := range v2Loads(fleet).ops() {
		op.name = "elbv2-" + op.name
		loads = append(loads, load{op, v2})
	}
	for _, op := range loads {
		c := op.c
		b.Run(op.name, func(b *testing.B) {
			stop := profileLoad(b, op.name)
			l := Generate(context.Background(), clients, b.N, func(ctx context.Context, w, i int) error {
				return op.send(ctx, c, w, i)
			})
			stop()
			if l.Errors > 0 {
				b.Fatalf("%d of %d requests failed, first: %v", l.Errors, b.N, l.FirstErr)
			}
			b.ReportMetric(l.RPS(), "req/s")
		})
	}
	b.Run("page-400", func(b *testing.B) {
		// Balancers are listed in name order, so a full first page ends with the 400th.
		last := "<LoadBalancerName>" + balancerName("bal", pageSize-1) + "</LoadBalancerName>"
		params := form("PageSize", strconv.Itoa(pageSize))
		var size int
		stop := profileLoad(b, "page-400")
		defer stop()
		for b.Loop() {
			n, err := c.Call(context.Background(), "DescribeLoadBalancers", params, last)
			if err != nil {
				b.Fatal(err)
			}
			size = n
		}
		b.ReportMetric(float64(size)/1024, "KiB/page")
	})
}
