package cli

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// silentEndpoint accepts connections and never answers, like an endpoint behind a stalled
// network path.
func silentEndpoint(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestTimeoutAndInterruptAreReportedPlainly(t *testing.T) {
	testenv.AWSEnv(t)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	url := silentEndpoint(t)

	start := time.Now()
	r := fails(t, ExitFailed, "--endpoint", url, "--timeout", "500ms", "balancers", "list")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("--timeout 500ms took %s", d)
	}
	if r.stderr != "lbctl: timed out during DescribeLoadBalancers\nhint: raise --timeout to wait longer\n" {
		t.Errorf("timeout stderr:\n%s", r.stderr)
	}

	// Cancelling the context is what SIGINT does through signal.NotifyContext in main.
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(300*time.Millisecond, cancel).Stop()
	r = runCtx(t, ctx, "--endpoint", url, "balancers", "get", "web")
	if r.code != ExitFailed || !strings.HasPrefix(r.stderr, "lbctl: interrupted during DescribeLoadBalancers\n") {
		t.Errorf("interrupt: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}
