package dataplane

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestALBRequestBodiesAndUpgrades: requests with a body stream through to the target, and a
// protocol upgrade (as WebSocket uses) becomes a two-way byte stream through the balancer.
func TestALBRequestBodiesAndUpgrades(t *testing.T) {
	be := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Upgrade") == "echo" {
			conn, brw, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			defer conn.Close()
			fmt.Fprint(brw, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
			brw.Flush()
			line, _ := brw.ReadString('\n')
			fmt.Fprint(brw, "echo: "+line)
			brw.Flush()
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s %d %s", r.Method, len(b), b[:8])
	})
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)}))
	addr := e.LocalAddr("alb", 80)

	body := strings.Repeat("payload-", 1<<15) // 256 KiB
	req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/upload", strings.NewReader(body))
	if resp, got := do(t, req); resp.StatusCode != 200 || got != "POST 262144 payload-" {
		t.Fatalf("POST through the balancer: %d %q", resp.StatusCode, got)
	}

	c := dial(t, "tcp", addr)
	fmt.Fprint(c, "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade: %v %v", resp, err)
	}
	fmt.Fprint(c, "hello\n")
	if line, _ := br.ReadString('\n'); line != "echo: hello\n" {
		t.Fatalf("upgraded stream: %q", line)
	}
}
