package dataplane

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

// TestHealthCheckReasons drives one target through AWS's ELBv2 states and reason codes with real
// probes: initial, healthy, unhealthy for a wrong code, a timeout and a refused connection, and
// healthy again. The matcher forms "200-299" and "200,302" are honoured.
func TestHealthCheckReasons(t *testing.T) {
	var code atomic.Int32
	var hang atomic.Bool
	code.Store(200)
	be := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			if hang.Load() {
				time.Sleep(300 * time.Millisecond)
			}
			w.WriteHeader(int(code.Load()))
			return
		}
		dptest.EchoHandler("b")(w, r)
	})
	hc := fastCheck(HTTP, "/health")
	hc.Timeout = 100 * time.Millisecond
	hc.Matcher = "200,302"
	group := TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: hc, Targets: []Target{{ID: "i-1", Addr: dptest.HostOf(be)}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), group))

	first := ev.waitState(t, "tg", "i-1", StateInitial)
	if first.ReasonCode != ReasonRegistrationInProgress || first.Description != "Target registration is in progress" {
		t.Fatalf("first event %+v", first)
	}
	if e := ev.waitState(t, "tg", "i-1", StateHealthy); e.ReasonCode != "" || e.Description != "" {
		t.Fatalf("healthy event %+v", e)
	}
	code.Store(302)
	time.Sleep(100 * time.Millisecond) // still healthy: 302 is in the matcher
	code.Store(404)
	got := ev.wait(t, "code mismatch", func(e HealthEvent) bool { return e.ReasonCode == ReasonResponseCodeMismatch })
	if got.State != StateUnhealthy || got.Description != "Health checks failed with these codes: [404]" {
		t.Fatalf("mismatch event %+v", got)
	}
	hang.Store(true)
	got = ev.wait(t, "timeout", func(e HealthEvent) bool { return e.ReasonCode == ReasonTimeout })
	if got.State != StateUnhealthy || got.Description != "Request timed out" {
		t.Fatalf("timeout event %+v", got)
	}
	hang.Store(false)
	code.Store(200)
	n := len(ev.snapshot())
	ev.wait(t, "healthy again", func(e HealthEvent) bool { return e.State == StateHealthy && len(ev.all) > n })

	group.HealthCheck.Matcher = "200-299"
	apply(t, e, albConfig(forwardTo("tg"), group))
	be.Close() // refused
	got = ev.wait(t, "refused", func(e HealthEvent) bool { return e.ReasonCode == ReasonFailedHealthChecks })
	if got.State != StateUnhealthy || got.Description != "Health checks failed" {
		t.Fatalf("refused event %+v", got)
	}
}

// TestHealthCheckTCPAndTLS: TCP checks connect, SSL/TLS checks complete a handshake; a plain
// listener fails a TLS check.
func TestHealthCheckTCPAndTLS(t *testing.T) {
	plain := dptest.Echo(t, "plain")
	secure := httptest.NewTLSServer(dptest.EchoHandler("secure"))
	t.Cleanup(secure.Close)
	hc := fastCheck(TLS, "")
	group := func(key string, hc HealthCheck, srv *httptest.Server) TargetGroup {
		return TargetGroup{Key: key, Protocol: TCP, HealthCheck: hc, Targets: []Target{{ID: key, Addr: dptest.HostOf(srv)}}}
	}
	cfg := Config{
		Balancers: []Balancer{{Key: "nlb", Kind: KindNetwork, Listeners: []Listener{
			{Port: 1, Protocol: TCP, Rules: forwardTo("tcp")},
			{Port: 2, Protocol: TCP, Rules: forwardTo("tls-ok")},
			{Port: 3, Protocol: TCP, Rules: forwardTo("tls-bad")},
		}}},
		TargetGroups: []TargetGroup{group("tcp", fastCheck(TCP, ""), plain), group("tls-ok", hc, secure), group("tls-bad", hc, plain)},
	}
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	ev.waitState(t, "tcp", "tcp", StateHealthy)
	ev.waitState(t, "tls-ok", "tls-ok", StateHealthy)
	if got := ev.waitState(t, "tls-bad", "tls-bad", StateUnhealthy); got.ReasonCode != ReasonFailedHealthChecks {
		t.Fatalf("network balancer failure reason %+v", got)
	}
}

// TestHealthDisabledAndUnused: a group with checks disabled reports unavailable and takes
// traffic; a group no listener uses reports unused (Target.NotInUse) and is not probed.
func TestHealthDisabledAndUnused(t *testing.T) {
	var probes atomic.Int32
	be := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "ELB-HealthChecker/2.0" {
			probes.Add(1)
		}
		dptest.EchoHandler("b")(w, r)
	})
	hc := fastCheck(HTTP, "/")
	hc.Disabled = true
	cfg := albConfig(forwardTo("on"),
		TargetGroup{Key: "on", Protocol: HTTP, HealthCheck: hc, Targets: []Target{{ID: "x", Addr: dptest.HostOf(be)}}},
		TargetGroup{Key: "idle", Protocol: HTTP, HealthCheck: fastCheck(HTTP, "/"), Targets: []Target{{ID: "y", Addr: dptest.HostOf(be)}}})
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	if got := ev.waitState(t, "on", "x", StateUnavailable); got.ReasonCode != ReasonHealthCheckDisabled {
		t.Fatalf("disabled: %+v", got)
	}
	if got := ev.waitState(t, "idle", "y", StateUnused); got.ReasonCode != ReasonNotInUse {
		t.Fatalf("unused: %+v", got)
	}
	if resp, _ := get(t, e.LocalAddr("alb", 80), "/"); resp.Header.Get("X-Backend") != "b" {
		t.Fatalf("unavailable target got no traffic: %d", resp.StatusCode)
	}
	time.Sleep(100 * time.Millisecond)
	if n := probes.Load(); n != 0 {
		t.Fatalf("%d probes reached a target without checks", n)
	}
}

// TestALBFailOpenAndNoTargets: with every target unhealthy an ELBv2 group still routes to all of
// them (fail open); a group without targets answers 503 with ALB's page.
func TestALBFailOpenAndNoTargets(t *testing.T) {
	be := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			w.WriteHeader(500)
			return
		}
		dptest.EchoHandler("b")(w, r)
	})
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: fastCheck(HTTP, "/health"),
		Targets: []Target{{ID: "i", Addr: dptest.HostOf(be)}}})
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	ev.waitState(t, "tg", "i", StateUnhealthy)
	if resp, _ := get(t, e.LocalAddr("alb", 80), "/"); resp.StatusCode != 200 || resp.Header.Get("X-Backend") != "b" {
		t.Fatalf("fail open: %d", resp.StatusCode)
	}
	cfg.TargetGroups[0].Targets = nil
	apply(t, e, cfg)
	resp, body := get(t, e.LocalAddr("alb", 80), "/")
	if resp.StatusCode != 503 || body != albPage(503) || resp.Header.Get("Server") != "awselb/2.0" {
		t.Fatalf("no targets: %d %q", resp.StatusCode, body)
	}
}

func albPage(code int) string {
	text := http.StatusText(code)
	c := string(rune('0'+code/100)) + string(rune('0'+code/10%10)) + string(rune('0'+code%10))
	return "<html>\r\n<head><title>" + c + " " + text + "</title></head>\r\n<body>\r\n<center><h1>" + c + " " + text +
		"</h1></center>\r\n</body>\r\n</html>\r\n"
}

// TestALBSlowStart: a target that becomes healthy beside a healthy one ramps up: right after, it
// gets a small share; once the slow start period is over, an even one.
func TestALBSlowStart(t *testing.T) {
	a, b := dptest.Echo(t, "a"), dptest.Echo(t, "b")
	group := TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: fastCheck(HTTP, "/"), SlowStart: 1500 * time.Millisecond,
		Targets: []Target{{ID: "a", Addr: dptest.HostOf(a)}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), group))
	ev.waitState(t, "tg", "a", StateHealthy)
	group.Targets = append(group.Targets, Target{ID: "b", Addr: dptest.HostOf(b)})
	apply(t, e, albConfig(forwardTo("tg"), group))
	healthy := ev.waitState(t, "tg", "b", StateHealthy).Time
	addr := e.LocalAddr("alb", 80)
	c := countBackends(t, addr, 100)
	// b's weight is the share of the ramp gone by, so its share of requests stays below
	// f/(1+f) for f reached when counting ended: bounded by how long counting took, not by a
	// deadline a loaded machine could miss. 12 covers the random draw's spread.
	f := min(float64(time.Since(healthy))/float64(group.SlowStart), 1)
	if limit := int(100*f/(1+f)) + 12; c["b"] > limit {
		t.Fatalf("slow start: the new target got %d of 100 within %.0f%% of its ramp, want at most %d", c["b"], 100*f, limit)
	}
	waitFor(t, "slow start end", func() bool { return !e.groups["tg"].view.Load().slowStart })
	if c := countBackends(t, addr, 100); c["b"] != 50 {
		t.Fatalf("after slow start: %v", c)
	}
}

// TestALBDeregistrationDelay: a deregistered target reports draining, gets no new requests,
// finishes the one in flight, then is reported removed.
func TestALBDeregistrationDelay(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	slow := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			entered <- struct{}{}
			<-release
		}
		dptest.EchoHandler("slow")(w, r)
	})
	other := dptest.Echo(t, "other")
	group := TargetGroup{Key: "tg", Protocol: HTTP, DeregistrationDelay: 5 * time.Second,
		Targets: []Target{{ID: "slow", Addr: dptest.HostOf(slow)}, {ID: "other", Addr: dptest.HostOf(other)}}}
	e, ev := newEngine(t, Options{})
	group.HealthCheck = fastCheck(HTTP, "/")
	apply(t, e, albConfig(forwardTo("tg"), group))
	ev.waitState(t, "tg", "slow", StateHealthy)
	ev.waitState(t, "tg", "other", StateHealthy)
	addr := e.LocalAddr("alb", 80)
	done := make(chan string)
	go func() {
		var resp *http.Response
		for resp == nil || resp.Header.Get("X-Backend") != "slow" {
			resp, _ = get(t, addr, "/slow")
		}
		done <- resp.Header.Get("X-Backend")
	}()
	<-entered
	group.Targets = group.Targets[1:]
	apply(t, e, albConfig(forwardTo("tg"), group))
	if got := ev.waitState(t, "tg", "slow", StateDraining); got.ReasonCode != ReasonDeregistrationInProgress {
		t.Fatalf("draining event %+v", got)
	}
	if c := countBackends(t, addr, 10); c["other"] != 10 {
		t.Fatalf("draining target got new requests: %v", c)
	}
	close(release)
	if got := <-done; got != "slow" {
		t.Fatalf("in-flight request answered by %q", got)
	}
	start := time.Now()
	removed := ev.wait(t, "removed", func(e HealthEvent) bool { return e.TargetID == "slow" && e.Removed })
	if removed.ReasonCode != ReasonNotRegistered || time.Since(start) > 4*time.Second {
		t.Fatalf("removed event %+v after %v", removed, time.Since(start))
	}
}

// TestBackendFailures: a refused connection, a reset, a garbage answer give 502; a backend
// that does not answer within the idle timeout gives 504; the engine keeps serving.
func TestBackendFailures(t *testing.T) {
	refused := func() string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		return addr
	}()
	reset := dptest.TCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 512))
		c.(*net.TCPConn).SetLinger(0)
	})
	garbage := dptest.TCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 512))
		_, _ = c.Write([]byte("SSH-2.0-not-http\r\n\r\n"))
	})
	hang := dptest.TCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 512))
		time.Sleep(time.Second)
	})
	cases := []struct {
		name, addr string
		want       int
	}{{"refused", refused, 502}, {"reset", reset.Addr().String(), 502},
		{"garbage", garbage.Addr().String(), 502}, {"hang", hang.Addr().String(), 504}}
	// Classic always checks: its checks go to a healthy port beside the broken ones.
	classicCheck := fastCheck(TCP, "")
	classicCheck.Port = strconv.Itoa(echoServer(t, "hc").Addr().(*net.TCPAddr).Port)
	for _, kind := range []Kind{KindApplication, KindClassic} {
		hc := HealthCheck{Disabled: true}
		if kind == KindClassic {
			hc = classicCheck
		}
		cfg := Config{Balancers: []Balancer{{Key: "lb", Kind: kind, IdleTimeout: 300 * time.Millisecond, CrossZone: true}}}
		for i, c := range cases {
			cfg.Balancers[0].Listeners = append(cfg.Balancers[0].Listeners, Listener{Port: 8000 + i, Protocol: HTTP, Rules: forwardTo(c.name)})
			cfg.TargetGroups = append(cfg.TargetGroups, TargetGroup{Key: c.name, Protocol: HTTP, HealthCheck: hc,
				Targets: []Target{{ID: c.name, Addr: c.addr}}})
		}
		e, ev := newEngine(t, Options{})
		apply(t, e, cfg)
		for _, c := range cases {
			if kind == KindClassic {
				waitInService(t, ev, c.name, c.name)
			}
		}
		for i, c := range cases {
			want := albPage(c.want)
			if kind == KindClassic {
				want = "" // Classic's own answers have no body
			}
			resp, body := get(t, e.LocalAddr("lb", 8000+i), "/")
			if resp.StatusCode != c.want || body != want {
				t.Errorf("%s %s: %d %q, want %d", kind, c.name, resp.StatusCode, body, c.want)
			}
		}
	}
}
