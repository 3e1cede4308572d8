package bench

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// dpBackend is one running bench/dpbackend process.
type dpBackend struct {
	HTTP, TCP string // host:port on loopback
	Pid       int
}

// startBackends builds bench/dpbackend and runs n of them, each a process of its own, stopped
// at cleanup.
func startBackends(b *testing.B, n int) []dpBackend {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "dpbackend")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/lbcloud/lbcloud/bench/dpbackend").CombinedOutput(); err != nil {
		b.Fatalf("go build dpbackend: %v: %s", err, out)
	}
	var bs []dpBackend
	for range n {
		cmd := exec.Command(bin)
		cmd.Stderr = os.Stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil {
			b.Fatalf("dpbackend printed no addresses: %v", err)
		}
		var d dpBackend
		f := strings.Fields(line)
		if len(f) != 2 || !strings.HasPrefix(f[0], "http=") || !strings.HasPrefix(f[1], "tcp=") {
			b.Fatalf("dpbackend: unexpected first line %q", line)
		}
		d.HTTP, d.TCP = strings.TrimPrefix(f[0], "http="), strings.TrimPrefix(f[1], "tcp=")
		d.Pid = cmd.Process.Pid
		bs = append(bs, d)
	}
	return bs
}

// freeLoopbackAddr is a loopback address no socket holds right now, for HAProxy to bind.
func freeLoopbackAddr(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startHAProxy runs haproxy in the foreground with cfg until cleanup, waits until every address
// in addrs accepts connections and returns its process id.
func startHAProxy(b *testing.B, bin, cfg string, addrs ...string) int {
	b.Helper()
	path := filepath.Join(b.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		b.Fatal(err)
	}
	if out, err := exec.Command(bin, "-c", "-f", path).CombinedOutput(); err != nil {
		b.Fatalf("haproxy refuses the configuration: %v: %s\n%s", err, out, cfg)
	}
	cmd := exec.Command(bin, "-db", "-f", path)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Signal(syscall.SIGTERM); _ = cmd.Wait() })
	for _, a := range addrs {
		waitDial(b, a)
	}
	return cmd.Process.Pid
}

// waitDial waits up to 10 s for addr to accept a connection.
func waitDial(b *testing.B, addr string) {
	b.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			b.Fatalf("%s does not accept connections: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// runWrk runs wrk against url and parses its figures.
func runWrk(ctx context.Context, bin, url string, threads, conns int, d time.Duration) (WrkResult, error) {
	out, err := runCmd(ctx, bin, fmt.Sprintf("-t%d", threads), fmt.Sprintf("-c%d", conns),
		fmt.Sprintf("-d%ds", int(d.Seconds())), "--latency", url)
	if err != nil {
		return WrkResult{}, err
	}
	return ParseWrk(string(out))
}
