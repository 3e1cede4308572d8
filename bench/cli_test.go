package bench

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

const cliBalancers = 10

// BenchmarkCLIStart times start-to-answer of `lbctl balancers list` and `aws elb
// describe-load-balancers` against the same `lbctl serve` holding 10 balancers: each
// iteration is one process, from exec to exit. b.N is the number of runs (-benchtime=15x);
// the median is reported because process start-up has a long tail.
func BenchmarkCLIStart(b *testing.B) {
	testenv.AWSEnv(b)
	srv := startServe(b, filepath.Join(b.TempDir(), "state.db"), apiOnly)
	seed(b, newClient(srv.URL), "cli", cliBalancers, 1, cliBalancers)
	commands := []struct {
		name string
		argv func(b *testing.B) []string
	}{
		{"lbctl", func(b *testing.B) []string {
			return []string{lbctlBinary(b), "--endpoint", srv.URL, "balancers", "list"}
		}},
		{"awscli", func(b *testing.B) []string {
			return []string{testenv.RequireAWSCLI(b), "--endpoint-url", srv.URL, "--region", "us-east-1",
				"elb", "describe-load-balancers"}
		}},
	}
	for _, c := range commands {
		b.Run(c.name, func(b *testing.B) {
			argv := c.argv(b)
			var runs []time.Duration
			for b.Loop() {
				t0 := time.Now()
				out, err := runCmd(context.Background(), argv[0], argv[1:]...)
				runs = append(runs, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				for i := range cliBalancers {
					if name := balancerName("cli", i); !strings.Contains(string(out), name) {
						b.Fatalf("%s: output lacks %s:\n%s", c.name, name, out)
					}
				}
			}
			b.ReportMetric(float64(Median(runs).Microseconds())/1000, "median-ms")
		})
	}
}
