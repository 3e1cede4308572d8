package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

func TestMain(m *testing.M) {
	code := m.Run()
	testenv.StopMoto()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// apiOnly is the `lbctl serve` flag every benchmark here passes: they measure the APIs (against
// moto, which has no data plane), and a data plane serving every listener of thousands of
// balancers would add its own sockets, memory and rebuilds to the figures. The data plane has
// benchmarks of its own.
const apiOnly = "--no-data-plane"

// clients is the load generator's concurrency in the endpoint-versus-moto runs.
const clients = 8

var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

// lbctlBinary returns the lbctl binary: $LBCTL_BIN when set (run.sh builds it once),
// otherwise one built into a temporary directory for this test binary.
func lbctlBinary(b testing.TB) string {
	b.Helper()
	if p := os.Getenv("LBCTL_BIN"); p != "" {
		return p
	}
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "lbcloud-bench-"); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "lbctl")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/lbcloud/lbcloud/cmd/lbctl").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build lbctl: %v: %s", err, out)
		}
	})
	if binErr != nil {
		b.Fatal(binErr)
	}
	return binPath
}

// serveProc is a running `lbctl serve` on a loopback port.
type serveProc struct {
	URL    string
	Pid    int
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	done   chan error
}

// startServe runs `lbctl serve --listen 127.0.0.1:0 --state state args...`, with the
// balancer and target group limits raised above AWS's defaults (20 Classic, 50 ALBs, 3,000
// groups) to fit the seeded inventories, and waits for it to print its URL. The process is
// stopped at cleanup if the benchmark has not stopped it.
func startServe(b testing.TB, state string, args ...string) *serveProc {
	b.Helper()
	argv := append([]string{"serve", "--listen", "127.0.0.1:0", "--state", state,
		"--limit", "classic-load-balancers=20000", "--limit", "application-load-balancers=20000",
		"--limit", "target-groups=60000"}, args...)
	cmd := exec.Command(lbctlBinary(b), argv...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	p := &serveProc{cmd: cmd, stderr: &bytes.Buffer{}, done: make(chan error, 1)}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	p.Pid = cmd.Process.Pid
	urlc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			// "lbctl: serving the Classic ELB API at http://127.0.0.1:PORT (state ...)"
			if _, rest, ok := strings.Cut(sc.Text(), " at "); ok && strings.HasPrefix(rest, "http://") {
				urlc <- strings.Fields(rest)[0]
				break
			}
		}
		close(urlc)
		for sc.Scan() {
		}
		p.done <- cmd.Wait()
	}()
	select {
	case u, ok := <-urlc:
		if !ok {
			err := <-p.done
			b.Fatalf("lbctl serve exited before serving: %v: %s", err, p.stderr)
		}
		p.URL = u
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		b.Fatalf("lbctl serve did not report its URL: %s", p.stderr)
	}
	b.Cleanup(func() { p.Stop(b) })
	return p
}

// Stop interrupts the server (it drains and closes its state) and waits for it; it is safe
// to call twice.
func (p *serveProc) Stop(b testing.TB) {
	b.Helper()
	if p.cmd == nil {
		return
	}
	cmd := p.cmd
	p.cmd = nil
	_ = cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-p.done:
		if err != nil {
			b.Errorf("lbctl serve: %v: %s", err, p.stderr)
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		<-p.done
		b.Errorf("lbctl serve did not stop on SIGINT")
	}
}

// sdkConfig is an SDK configuration for url with the test key pair and no retries, so every
// failure shows up in the figures instead of being hidden by a retry.
func sdkConfig(url string) aws.Config {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 256 // keep one connection per worker alive
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(url),
		HTTPClient:   &http.Client{Transport: tr},
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}
}

// driverOptions are the loadbalancer options of a provider for the endpoint at url, with the
// test key pair.
func driverOptions(url string) loadbalancer.Options {
	return loadbalancer.Options{Endpoint: url, Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test"}
}

// newClient is a Classic ELB SDK client for url (sdkConfig).
func newClient(url string) *elbsdk.Client { return elbsdk.NewFromConfig(sdkConfig(url)) }

// balancerName is the i-th seeded balancer's name; names sort in creation order.
func balancerName(prefix string, i int) string { return fmt.Sprintf("%s-%05d", prefix, i) }

// seed creates n balancers named balancerName(prefix, i) with the given number of tags
// each, conc at a time.
func seed(b testing.TB, c *elbsdk.Client, prefix string, n, tags, conc int) {
	b.Helper()
	start := time.Now()
	l := Generate(context.Background(), conc, n, func(ctx context.Context, _, i int) error {
		in := &elbsdk.CreateLoadBalancerInput{
			LoadBalancerName:  aws.String(balancerName(prefix, i)),
			Listeners:         []types.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)}},
			AvailabilityZones: []string{"us-east-1a"},
		}
		for t := range tags {
			in.Tags = append(in.Tags, types.Tag{Key: aws.String(fmt.Sprintf("tag%d", t)), Value: aws.String(fmt.Sprintf("value-%d-%d", i, t))})
		}
		_, err := c.CreateLoadBalancer(ctx, in)
		return err
	})
	if l.Errors > 0 {
		b.Fatalf("seeding %d balancers: %d failed, first: %v", n, l.Errors, l.FirstErr)
	}
	b.Logf("seeded %d balancers with %d tags each in %v", n, tags, time.Since(start).Round(time.Millisecond))
}

// runCmd runs a command to completion and returns its stdout; a failure is an error that
// carries the end of stderr.
func runCmd(ctx context.Context, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 500 {
			msg = msg[len(msg)-500:]
		}
		return out, errors.Join(fmt.Errorf("%s %s: %w", name, args[0], err), errors.New(msg))
	}
	return out, nil
}
