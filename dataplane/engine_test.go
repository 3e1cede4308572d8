package dataplane

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"go.uber.org/goleak"
)

// TestApplyRefusesInvalidConfig: targets off loopback (or named by host name) and other mistakes
// are refused with errors naming them, and the running configuration stays in force.
func TestApplyRefusesInvalidConfig(t *testing.T) {
	be := dptest.Echo(t, "b")
	good := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)})
	e, _ := newEngine(t, Options{})
	apply(t, e, good)
	addr := e.LocalAddr("alb", 80)

	bad := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP,
		Targets: []Target{{ID: "far", Addr: "10.1.2.3:80"}, {ID: "named", Addr: "localhost:80"}}})
	err := e.Apply(context.Background(), bad)
	if !errors.Is(err, ErrInvalidConfig) || !errors.Is(err, ErrNonLoopbackTarget) ||
		!strings.Contains(err.Error(), "10.1.2.3:80") || !strings.Contains(err.Error(), "localhost:80") {
		t.Fatalf("non-loopback targets: %v", err)
	}
	for name, cfg := range map[string]Config{
		"unknown group": albConfig(forwardTo("nope"), TargetGroup{Key: "tg", Protocol: HTTP}),
		"bad regex": albConfig([]Rule{{Priority: 1, Conditions: []Condition{{Field: FieldPathPattern, RegexValues: []string{"("}}},
			Actions: fixed("x")}, {Actions: fixed("d")}}),
		"bad matcher":   albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: HealthCheck{Matcher: "abc"}}),
		"no default":    albConfig([]Rule{{Priority: 1, Actions: fixed("x")}}),
		"no cert":       {Balancers: []Balancer{{Key: "n", Kind: KindNetwork, Listeners: []Listener{{Port: 1, Protocol: TLS, Rules: forwardTo("tg")}}}}, TargetGroups: good.TargetGroups},
		"bad algorithm": albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Algorithm: "fastest"}),
	} {
		if err := e.Apply(context.Background(), cfg); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if e.LocalAddr("alb", 80) != addr {
		t.Fatal("a refused Apply changed the listener")
	}
	if resp, _ := get(t, addr, "/"); resp.Header.Get("X-Backend") != "b" {
		t.Fatalf("a refused Apply broke forwarding: %d", resp.StatusCode)
	}
}

// TestApplyInPlace: changing rules, group settings and even the protocol keeps each listener's
// address and its open connections; the change applies to the next request at once.
func TestApplyInPlace(t *testing.T) {
	be := dptest.Echo(t, "b")
	tcp := echoServer(t, "tcp")
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)})
	cfg.Balancers = append(cfg.Balancers, Balancer{Key: "nlb", Kind: KindNetwork,
		Listeners: []Listener{{Port: 9000, Protocol: TCP, Rules: forwardTo("tcp")}}})
	cfg.TargetGroups = append(cfg.TargetGroups, TargetGroup{Key: "tcp", Protocol: TCP, Targets: []Target{{ID: "t", Addr: tcp.Addr().String()}}})
	e, _ := newEngine(t, Options{})
	apply(t, e, cfg)
	addr, tcpAddr := e.LocalAddr("alb", 80), e.LocalAddr("nlb", 9000)

	stream := dial(t, "tcp", tcpAddr)
	sr := bufio.NewReader(stream)
	_, _ = sr.ReadString('\n')
	client := &http.Client{Transport: &http.Transport{}}
	defer client.CloseIdleConnections()
	reused := func(path string) (bool, string) {
		var r bool
		ctx := httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{GotConn: func(i httptrace.GotConnInfo) { r = i.Reused }})
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return r, string(b)
	}
	reused("/")

	cfg.Balancers[0].Listeners[0].Rules = append([]Rule{{Priority: 1,
		Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/new"}}}, Actions: fixed("new rule")}}, forwardTo("tg")...)
	cfg.TargetGroups[0].Algorithm = LeastOutstandingRequests
	cfg.Balancers[1].Listeners[0].Protocol = TLS
	cfg.Balancers[1].Listeners[0].Certificates = []Certificate{selfSigned(t, "x.test")}
	apply(t, e, cfg)
	if e.LocalAddr("alb", 80) != addr || e.LocalAddr("nlb", 9000) != tcpAddr {
		t.Fatal("an in-place update moved a listener")
	}
	if r, body := reused("/new"); !r || body != "new rule" {
		t.Fatalf("after Apply: connection reused %v, body %q", r, body)
	}
	fmt.Fprintf(stream, "still\n")
	if line, _ := sr.ReadString('\n'); line != "still\n" {
		t.Fatalf("open stream after Apply: %q", line)
	}
}

// TestRemovedBalancerClosesConnections: removing a balancer closes its sockets and its open
// connections (a FIN, seen as EOF).
func TestRemovedBalancerClosesConnections(t *testing.T) {
	tcp := echoServer(t, "tcp")
	cfg := Config{Balancers: []Balancer{{Key: "nlb", Kind: KindNetwork, Listeners: []Listener{{Port: 9000, Protocol: TCP, Rules: forwardTo("tcp")}}}},
		TargetGroups: []TargetGroup{{Key: "tcp", Protocol: TCP, Targets: []Target{{ID: "t", Addr: tcp.Addr().String()}}}}}
	e, _ := newEngine(t, Options{})
	apply(t, e, cfg)
	addr := e.LocalAddr("nlb", 9000)
	c := dial(t, "tcp", addr)
	br := bufio.NewReader(c)
	_, _ = br.ReadString('\n')
	apply(t, e, Config{})
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := br.ReadByte(); err != io.EOF {
		t.Fatalf("open connection after removal: %v, want EOF", err)
	}
	if e.LocalAddr("nlb", 9000) != "" {
		t.Fatal("removed listener still has an address")
	}
	if c2, err := net.Dial("tcp", addr); err == nil {
		c2.Close()
		t.Fatal("removed listener still accepts")
	}
}

// TestBindListenerPorts: with BindListenerPorts a listener takes its own port when free and
// falls back to an ephemeral one, saying why, when not.
func TestBindListenerPorts(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	free := probe.Addr().(*net.TCPAddr).Port
	probe.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port
	be := dptest.Echo(t, "b")
	cfg := albConfig(nil, TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)})
	cfg.Balancers[0].Listeners = []Listener{{Port: free, Protocol: HTTP, Rules: forwardTo("tg")}, {Port: busyPort, Protocol: HTTP, Rules: forwardTo("tg")}}
	e, _ := newEngine(t, Options{BindListenerPorts: true})
	apply(t, e, cfg)
	if got := e.LocalAddr("alb", free); got != "127.0.0.1:"+strconv.Itoa(free) {
		t.Fatalf("free port: listening on %s", got)
	}
	var info ListenerInfo
	for _, li := range e.Listeners() {
		if li.Port == busyPort {
			info = li
		}
	}
	if info.Addr == "" || info.Addr == busy.Addr().String() || !strings.Contains(info.Reason, "address already in use") {
		t.Fatalf("busy port: %+v", info)
	}
	if resp, _ := get(t, info.Addr, "/"); resp.Header.Get("X-Backend") != "b" {
		t.Fatalf("fallback listener does not forward: %d", resp.StatusCode)
	}
}

// TestVirtualHosts: a request whose Host is a balancer's DNS name (with or without a port) is
// served by that balancer's HTTP listener; anything else falls through.
func TestVirtualHosts(t *testing.T) {
	be := dptest.Echo(t, "b")
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)})
	cfg.Balancers[0].Listeners = append(cfg.Balancers[0].Listeners, Listener{Port: 8080, Protocol: HTTP, Rules: []Rule{{Actions: fixed("eight")}}})
	e, _ := newEngine(t, Options{})
	apply(t, e, cfg)
	front := httptest.NewServer(e.VirtualHosts(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "api")
	})))
	defer front.Close()
	addr := dptest.HostOf(front)
	for host, want := range map[string]string{"ALB-1.elb.test": "b", "alb-1.elb.test:80": "b", "alb-1.elb.test:8080": "eight",
		"alb-1.elb.test:81": "api", "other.test": "api"} {
		resp, body := get(t, addr, "/", func(r *http.Request) { r.Host = host })
		got := resp.Header.Get("X-Backend")
		if got == "" {
			got = body
		}
		if got != want {
			t.Errorf("Host %s: served by %q, want %q", host, got, want)
		}
	}
}

// TestClientLimits: a client that sends half a header or a stalled body is dropped after the
// idle timeout; oversized headers get 431.
func TestClientLimits(t *testing.T) {
	be := dptest.Echo(t, "b")
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)})
	cfg.Balancers[0].IdleTimeout = 300 * time.Millisecond
	e, _ := newEngine(t, Options{})
	apply(t, e, cfg)
	addr := e.LocalAddr("alb", 80)
	for name, send := range map[string]string{
		"half header":  "GET / HTTP/1.1\r\nHost: x\r\n",
		"stalled body": "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc",
	} {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(c, send)
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		start := time.Now()
		_, err = io.ReadAll(c)
		c.Close()
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%s: connection still open after %v", name, time.Since(start))
		}
	}
	resp, _ := get(t, addr, "/", func(r *http.Request) { r.Header.Set("X-Big", strings.Repeat("a", 100<<10)) })
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("oversized header: %d", resp.StatusCode)
	}
}

// TestCloseLeavesNoGoroutine: after Close nothing the engine started is still running, even with
// listeners of every kind, connections open and health checks going.
func TestCloseLeavesNoGoroutine(t *testing.T) {
	be := dptest.Echo(t, "b")
	tcp := echoServer(t, "tcp")
	udp := udpEcho(t, "u")
	before := goleak.IgnoreCurrent() // the backends' own goroutines
	e := New(Options{})
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: fastCheck(HTTP, "/"), Targets: targetsOf(be)})
	cfg.Balancers = append(cfg.Balancers, Balancer{Key: "nlb", Kind: KindNetwork, Listeners: []Listener{
		{Port: 1, Protocol: TCP, Rules: forwardTo("tcp")}, {Port: 2, Protocol: UDP, Rules: forwardTo("udp")}}})
	cfg.TargetGroups = append(cfg.TargetGroups,
		TargetGroup{Key: "tcp", Protocol: TCP, HealthCheck: fastCheck(TCP, ""), Targets: []Target{{ID: "t", Addr: tcp.Addr().String()}}},
		TargetGroup{Key: "udp", Protocol: UDP, HealthCheck: HealthCheck{Disabled: true}, Targets: []Target{{ID: "u", Addr: udp}}})
	if err := e.Apply(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	get(t, e.LocalAddr("alb", 80), "/")
	c := dial(t, "tcp", e.LocalAddr("nlb", 1))
	_, _ = bufio.NewReader(c).ReadString('\n')
	u := dial(t, "udp", e.LocalAddr("nlb", 2))
	udpAsk(t, u, "x")
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	goleak.VerifyNone(t, before, lingering)
	if err := e.Apply(context.Background(), cfg); !errors.Is(err, ErrClosed) {
		t.Fatalf("Apply after Close: %v", err)
	}
}

// TestGatewayBalancer: a gateway balancer's GENEVE listener opens no socket, while its group's
// targets are still health checked and reported.
func TestGatewayBalancer(t *testing.T) {
	appliance := echoServer(t, "appliance")
	cfg := Config{Balancers: []Balancer{{Key: "gwlb", Kind: KindGateway, Listeners: []Listener{{Port: 6081, Protocol: GENEVE, Rules: forwardTo("gw")}}}},
		TargetGroups: []TargetGroup{{Key: "gw", Protocol: GENEVE, HealthCheck: fastCheck(TCP, ""), Targets: []Target{{ID: "i-gw", Addr: appliance.Addr().String()}}}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	ev.waitState(t, "gw", "i-gw", StateHealthy)
	if addr := e.LocalAddr("gwlb", 6081); addr != "" || len(e.Listeners()) != 0 {
		t.Fatalf("gateway listener on %q, listeners %v", addr, e.Listeners())
	}
}

// TestRemovedHTTPListenerFinishesRequests: a removed HTTP listener stops accepting at once but
// lets a request in flight finish (its group stays: a removed group drains like its targets).
func TestRemovedHTTPListenerFinishesRequests(t *testing.T) {
	release := make(chan struct{})
	slow, fast := newServer(t, slowHandler("slow", release)), dptest.Echo(t, "fast")
	e, _ := newEngine(t, Options{})
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(slow, fast)})
	apply(t, e, cfg)
	addr := e.LocalAddr("alb", 80)
	answer := make(chan []int, 1)
	wait := parkRequests(t, e, addr, "tg", dptest.HostOf(slow), dptest.HostOf(fast), 1)
	go func() { answer <- wait() }()
	apply(t, e, Config{TargetGroups: cfg.TargetGroups})
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("removed listener still accepts")
	}
	close(release)
	select {
	case codes := <-answer:
		for _, c := range codes {
			if c != 200 {
				t.Fatalf("requests during removal answered %v", codes)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the request in flight did not finish")
	}
}
