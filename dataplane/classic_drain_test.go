package dataplane

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

func echoServer(t *testing.T, name string) net.Listener {
	return dptest.TCP(t, func(c net.Conn) {
		fmt.Fprintf(c, "%s\n", name)
		_, _ = io.Copy(c, c)
	})
}

// TestClassicConnectionDraining: a deregistered instance keeps its open connection for the
// draining timeout while new connections go elsewhere; then the connection is closed and the
// instance is gone. Events use Classic's words.
func TestClassicConnectionDraining(t *testing.T) {
	a, b := echoServer(t, "a"), echoServer(t, "b")
	group := classicGroup("web-9000", TCP, Target{ID: "i-a", Addr: a.Addr().String()}, Target{ID: "i-b", Addr: b.Addr().String()})
	group.DeregistrationDelay = 400 * time.Millisecond
	cfg := classicConfig([]Listener{{Port: 9000, Protocol: TCP, Rules: forwardTo("web-9000")}}, group)
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	waitInService(t, ev, "web-9000", "i-a", "i-b")
	addr := e.LocalAddr("web", 9000)

	var conn net.Conn
	var br *bufio.Reader
	for { // an open connection to i-a
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		br = bufio.NewReader(c)
		if name, _ := br.ReadString('\n'); name == "a\n" {
			conn = c
			break
		}
		c.Close()
	}
	defer conn.Close()
	cfg.TargetGroups[0].Targets = cfg.TargetGroups[0].Targets[1:]
	apply(t, e, cfg)
	drain := ev.wait(t, "draining", func(e HealthEvent) bool {
		return e.TargetID == "i-a" && e.Description == "Instance deregistration currently in progress."
	})
	if drain.State != StateInService || drain.ReasonCode != ReasonCodeNA {
		t.Fatalf("draining event %+v", drain)
	}
	fmt.Fprintf(conn, "still there\n")
	if line, _ := br.ReadString('\n'); line != "still there\n" {
		t.Fatalf("draining connection: %q", line)
	}
	for i := 0; i < 4; i++ {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if name, _ := bufio.NewReader(c).ReadString('\n'); name != "b\n" {
			t.Fatalf("new connection to a draining instance: %q", name)
		}
		c.Close()
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadString('\n'); err == nil {
		t.Fatal("connection still open after the draining timeout")
	}
	gone := ev.wait(t, "removed", func(e HealthEvent) bool { return e.TargetID == "i-a" && e.Removed })
	if gone.State != StateOutOfService {
		t.Fatalf("removed event %+v", gone)
	}
}

// TestIdleTimeout: a TCP connection silent in both directions is closed after the idle timeout,
// one with traffic in either direction is not; an HTTP keep-alive connection is closed too.
func TestIdleTimeout(t *testing.T) {
	be := echoServer(t, "a")
	web := dptest.Echo(t, "web")
	cfg := classicConfig([]Listener{
		{Port: 9000, Protocol: TCP, Rules: forwardTo("tcp")},
		{Port: 80, Protocol: HTTP, Rules: forwardTo("http")},
	}, classicGroup("tcp", TCP, Target{ID: "i-a", Addr: be.Addr().String()}),
		classicGroup("http", HTTP, Target{ID: "i-w", Addr: dptest.HostOf(web)}))
	cfg.Balancers[0].IdleTimeout = 300 * time.Millisecond
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	waitInService(t, ev, "tcp", "i-a")
	waitInService(t, ev, "http", "i-w")

	idle := dial(t, "tcp", e.LocalAddr("web", 9000))
	busy := dial(t, "tcp", e.LocalAddr("web", 9000))
	busyR := bufio.NewReader(busy)
	idleR := bufio.NewReader(idle)
	_, _ = idleR.ReadString('\n')
	_, _ = busyR.ReadString('\n')
	start := time.Now()
	for time.Since(start) < 900*time.Millisecond {
		fmt.Fprintf(busy, "x\n")
		if line, err := busyR.ReadString('\n'); err != nil || line != "x\n" {
			t.Fatalf("busy connection broke after %v: %q %v", time.Since(start), line, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = idle.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := idleR.ReadString('\n'); err != io.EOF {
		t.Fatalf("idle connection: %v, want EOF", err)
	}

	hc := dial(t, "tcp", e.LocalAddr("web", 80))
	fmt.Fprintf(hc, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	hr := bufio.NewReader(hc)
	resp, err := http.ReadResponse(hr, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("keep-alive request: %v", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = hc.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := hr.ReadByte(); err != io.EOF {
		t.Fatalf("idle keep-alive connection: %v, want EOF", err)
	}
}
