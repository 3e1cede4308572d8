package dataplane

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

// TestALBKeepsTargetConnectionsAlive: requests one after another share one target connection,
// GET and HEAD alike, unless the target answers with Connection: close.
func TestALBKeepsTargetConnectionsAlive(t *testing.T) {
	var conns atomic.Int32
	be := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/close" {
			w.Header().Set("Connection", "close")
		}
		w.Header().Set("Content-Length", "2")
		_, _ = io.WriteString(w, "ok")
	}))
	be.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	be.Start()
	t.Cleanup(be.Close)
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: HealthCheck{Disabled: true},
		Targets: targetsOf(be)}))
	addr := e.LocalAddr("alb", 80)

	for i := range 10 {
		method := http.MethodGet
		if i%2 == 1 {
			method = http.MethodHead
		}
		req, _ := http.NewRequest(method, "http://"+addr+"/", nil)
		resp, body := do(t, req)
		if want := map[bool]string{true: "ok", false: ""}[method == http.MethodGet]; resp.StatusCode != 200 || body != want ||
			resp.ContentLength != 2 {
			t.Fatalf("%s: %d %q (length %d)", method, resp.StatusCode, body, resp.ContentLength)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("10 requests opened %d target connections, want 1", n)
	}
	for range 3 {
		if resp, _ := get(t, addr, "/close"); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	// The first goes on the kept-alive connection, which then closes; each other needs a new one.
	if n := conns.Load(); n != 3 {
		t.Fatalf("3 answers with Connection: close after a kept-alive connection: %d connections, want 3", n)
	}
}

// TestALBRetriesAConnectionTheTargetClosed: a target that closes each connection after one
// answer, without saying so, still gets every request: the one sent on the closed connection
// goes again on a new one instead of failing with a 502.
func TestALBRetriesAConnectionTheTargetClosed(t *testing.T) {
	var conns atomic.Int32
	ln := dptest.TCP(t, func(c net.Conn) {
		conns.Add(1)
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP,
		Targets: []Target{{ID: "1", Addr: ln.Addr().String()}}}))
	addr := e.LocalAddr("alb", 80)
	for i := range 4 {
		if i > 0 {
			time.Sleep(20 * time.Millisecond) // the target's close reaches the proxy's socket
		}
		if resp, body := get(t, addr, "/"); resp.StatusCode != 200 || body != "ok" {
			t.Fatalf("request %d: %d %q", i+1, resp.StatusCode, body)
		}
	}
	if n := conns.Load(); n < 4 {
		t.Fatalf("%d target connections for 4 answers on closing connections", n)
	}
}

// TestALBClosesTheTargetConnectionWhenTheClientLeaves: a client that leaves in the middle of an
// answer gets the target's connection closed, not drained nor kept.
func TestALBClosesTheTargetConnectionWhenTheClientLeaves(t *testing.T) {
	closed := make(chan bool, 1)
	ln := dptest.TCP(t, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello")
		_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, err := c.Read(make([]byte, 1))
		closed <- err == io.EOF
	})
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP,
		Targets: []Target{{ID: "1", Addr: ln.Addr().String()}}}))

	resp, err := plainClient.Get("http://" + e.LocalAddr("alb", 80) + "/")
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != "hello" {
		t.Fatalf("first part: %q, %v", first, err)
	}
	resp.Body.Close() // before the end: the client's connection closes
	if !<-closed {
		t.Fatal("the target's connection stayed open after the client left")
	}
}

// TestALBPassesOnInformationalAnswers: a 103 Early Hints before the answer reaches the client.
func TestALBPassesOnInformationalAnswers(t *testing.T) {
	ln := dptest.TCP(t, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"+
			"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
	})
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP,
		Targets: []Target{{ID: "1", Addr: ln.Addr().String()}}}))

	var hints []string
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, h textproto.MIMEHeader) error {
		hints = append(hints, h.Get("Link"))
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace),
		http.MethodGet, "http://"+e.LocalAddr("alb", 80)+"/", nil)
	resp, body := do(t, req)
	if resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("%d %q", resp.StatusCode, body)
	}
	if len(hints) != 1 || hints[0] != "</style.css>; rel=preload" {
		t.Fatalf("informational answers seen by the client: %q", hints)
	}
}

// TestALBRefusesAnOversizedAnswerHead: a target whose answer head exceeds 64 KiB gets the
// client a 502, and the proxy does not read it all.
func TestALBRefusesAnOversizedAnswerHead(t *testing.T) {
	ln := dptest.TCP(t, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n")
		line := "X-Filler: " + strings.Repeat("x", 1000) + "\r\n"
		for range 1000 { // 1 MB of head: the write fails once the proxy has closed
			if _, err := io.WriteString(c, line); err != nil {
				return
			}
		}
		_, _ = io.WriteString(c, "Content-Length: 2\r\n\r\nok")
	})
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP,
		Targets: []Target{{ID: "1", Addr: ln.Addr().String()}}}))
	if resp, _ := get(t, e.LocalAddr("alb", 80), "/"); resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("status %d, want 502", resp.StatusCode)
	}
}
