package dataplane

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

const classicDNS = "web-1234567890.us-east-1.elb.amazonaws.com"

func classicConfig(listeners []Listener, groups ...TargetGroup) Config {
	return Config{Balancers: []Balancer{{Key: "web", Kind: KindClassic, DNSName: classicDNS, CrossZone: true,
		Zones: []string{"us-east-1a", "us-east-1b"}, Listeners: listeners}}, TargetGroups: groups}
}

// classicGroup is how a Classic listener's instances look in the model: one group per instance
// port, with the balancer's health check.
func classicGroup(key string, proto Protocol, targets ...Target) TargetGroup {
	return TargetGroup{Key: key, Protocol: proto, HealthCheck: fastCheck(TCP, ""), Targets: targets}
}

func waitInService(t *testing.T, ev *events, group string, ids ...string) {
	t.Helper()
	for _, id := range ids {
		ev.waitState(t, group, id, StateInService)
	}
}

// TestClassicHTTPAndHTTPS: HTTP and HTTPS listeners proxy HTTP with X-Forwarded-For, -Proto and
// -Port (no trace id on Classic); HTTPS terminates with the certificate SNI selects and talks TLS
// to an HTTPS back end.
func TestClassicHTTPAndHTTPS(t *testing.T) {
	plain := dptest.Echo(t, "plain")
	secure := httptest.NewTLSServer(dptest.EchoHandler("secure"))
	t.Cleanup(secure.Close)
	def, other := selfSigned(t, "default.test"), selfSigned(t, "other.test")
	cfg := classicConfig([]Listener{
		{Port: 80, Protocol: HTTP, Rules: forwardTo("web-80")},
		{Port: 443, Protocol: HTTPS, Certificates: []Certificate{def, other}, Rules: forwardTo("web-8443")},
	}, classicGroup("web-80", HTTP, Target{ID: "i-1", Addr: dptest.HostOf(plain)}),
		classicGroup("web-8443", HTTPS, Target{ID: "i-1", Addr: dptest.HostOf(secure)}))
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	waitInService(t, ev, "web-80", "i-1")
	waitInService(t, ev, "web-8443", "i-1")

	_, body := get(t, e.LocalAddr("web", 80), "/x", func(r *http.Request) { r.Header.Set("X-Forwarded-For", "198.51.100.1") })
	s := dptest.Decode(t, body)
	if s.Header.Get("X-Forwarded-For") != "198.51.100.1, 127.0.0.1" || s.Header.Get("X-Forwarded-Proto") != "http" ||
		s.Header.Get("X-Forwarded-Port") != "80" || s.Header.Get("X-Amzn-Trace-Id") != "" {
		t.Fatalf("HTTP listener headers %v", s.Header)
	}
	for _, name := range []string{"default.test", "other.test", "unknown.test"} {
		want := name
		if name == "unknown.test" {
			want = "default.test"
		}
		client := tlsClient(t, name, map[string]Certificate{"default.test": def, "other.test": other}[want])
		resp, err := client.Get("https://" + e.LocalAddr("web", 443) + "/s")
		if err != nil {
			t.Fatalf("SNI %s: %v", name, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s := dptest.Decode(t, string(b))
		if got := resp.TLS.PeerCertificates[0].DNSNames[0]; got != want || s.Backend != "secure" ||
			s.Header.Get("X-Forwarded-Proto") != "https" || s.Header.Get("X-Forwarded-Port") != "443" {
			t.Fatalf("SNI %s: certificate %s, backend %s, headers %v", name, got, s.Backend, s.Header)
		}
	}
}

// tlsClient trusts one certificate and sends serverName as SNI.
func tlsClient(t *testing.T, serverName string, trust Certificate) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(trust.CertPEM)
	cfg := &tls.Config{RootCAs: pool, ServerName: serverName}
	// The default certificate does not name unknown.test: the test checks which one came instead.
	cfg.InsecureSkipVerify = serverName == "unknown.test" //nolint:gosec // test client
	tr := &http.Transport{TLSClientConfig: cfg, DisableKeepAlives: true}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// TestClassicTCPProxyProtocolAndSSL: a TCP listener whose instance port has the proxy protocol
// policy sends a v1 header naming the client and the listener port, then the bytes; an SSL
// listener terminates TLS and opens TLS to an SSL back end.
func TestClassicTCPProxyProtocolAndSSL(t *testing.T) {
	pp := dptest.ProxyEcho(t)
	cert := selfSigned(t, "backend.test")
	pair, err := tls.X509KeyPair(cert.CertPEM, cert.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	sslBackend := dptest.TCP(t, func(c net.Conn) {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{pair}})
		fmt.Fprintf(tc, "tls %v\n", true)
		_, _ = io.Copy(tc, tc)
	})
	front := selfSigned(t, "front.test")
	ppGroup := classicGroup("web-7000", TCP, Target{ID: "i-1", Addr: pp.Addr().String()})
	ppGroup.ProxyProtocol = ProxyV1
	cfg := classicConfig([]Listener{
		{Port: 7000, Protocol: TCP, Rules: forwardTo("web-7000")},
		{Port: 7443, Protocol: SSL, Certificates: []Certificate{front}, Rules: forwardTo("web-7001")},
	}, ppGroup, classicGroup("web-7001", SSL, Target{ID: "i-1", Addr: sslBackend.Addr().String()}))
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	waitInService(t, ev, "web-7000", "i-1")
	waitInService(t, ev, "web-7001", "i-1")

	c := dial(t, "tcp", e.LocalAddr("web", 7000))
	br := bufio.NewReader(c)
	line, _ := br.ReadString('\n')
	want := fmt.Sprintf("v1 PROXY %s 127.0.0.1:7000\n", c.LocalAddr())
	if line != want {
		t.Fatalf("backend read header %q, want %q", line, want)
	}
	fmt.Fprintf(c, "hello\n")
	if echo, _ := br.ReadString('\n'); echo != "hello\n" {
		t.Fatalf("echo %q", echo)
	}

	tc, err := tls.Dial("tcp", e.LocalAddr("web", 7443), &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // test client
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	if cn := tc.ConnectionState().PeerCertificates[0].Subject.CommonName; cn != "front.test" {
		t.Fatalf("SSL listener presented %q", cn)
	}
	tbr := bufio.NewReader(tc)
	if line, _ := tbr.ReadString('\n'); line != "tls true\n" {
		t.Fatalf("SSL backend said %q", line)
	}
	fmt.Fprintf(tc, "ping\n")
	if echo, _ := tbr.ReadString('\n'); echo != "ping\n" {
		t.Fatalf("SSL echo %q", echo)
	}
}

// TestClassicStickiness: LB-generated AWSELB cookies carry the expiration period and pin the
// client; application-cookie stickiness issues AWSELB when the app sets its cookie and pins only
// while the client still sends the app's cookie.
func TestClassicStickiness(t *testing.T) {
	handler := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				http.SetCookie(w, &http.Cookie{Name: "JSESSIONID", Value: name})
			}
			dptest.EchoHandler(name)(w, r)
		}
	}
	a, b := newServer(t, handler("a")), newServer(t, handler("b"))
	group := classicGroup("web-80", HTTP, Target{ID: "i-a", Addr: dptest.HostOf(a)}, Target{ID: "i-b", Addr: dptest.HostOf(b)})
	group.Stickiness = Stickiness{Type: StickyClassicLB, Duration: 600 * time.Second}
	e, ev := newEngine(t, Options{})
	apply(t, e, classicConfig([]Listener{{Port: 80, Protocol: HTTP, Rules: forwardTo("web-80")}}, group))
	waitInService(t, ev, "web-80", "i-a", "i-b")
	addr := e.LocalAddr("web", 80)
	resp, _ := get(t, addr, "/")
	set := resp.Header.Get("Set-Cookie")
	if !strings.HasPrefix(set, "AWSELB=") || !strings.Contains(set, "Max-Age=600") {
		t.Fatalf("Set-Cookie %q", set)
	}
	elb := resp.Cookies()[0]
	first := resp.Header.Get("X-Backend")
	if c := countBackends(t, addr, 20, func(r *http.Request) { r.AddCookie(elb) }); c[first] != 20 {
		t.Fatalf("LB cookie stickiness to %s: %v", first, c)
	}

	group.Stickiness = Stickiness{Type: StickyClassicApp, CookieName: "JSESSIONID"}
	apply(t, e, classicConfig([]Listener{{Port: 80, Protocol: HTTP, Rules: forwardTo("web-80")}}, group))
	resp, _ = get(t, addr, "/login")
	var appCookie, elbCookie *http.Cookie
	for _, c := range resp.Cookies() {
		switch c.Name {
		case "JSESSIONID":
			appCookie = c
		case "AWSELB":
			elbCookie = c
		}
	}
	if appCookie == nil || elbCookie == nil {
		t.Fatalf("cookies after login: %v", resp.Header.Values("Set-Cookie"))
	}
	first = resp.Header.Get("X-Backend")
	both := func(r *http.Request) { r.AddCookie(appCookie); r.AddCookie(elbCookie) }
	if c := countBackends(t, addr, 20, both); c[first] != 20 {
		t.Fatalf("app cookie stickiness to %s: %v", first, c)
	}
	onlyELB := func(r *http.Request) { r.AddCookie(elbCookie) }
	if c := countBackends(t, addr, 20, onlyELB); c["a"] == 0 || c["b"] == 0 {
		t.Fatalf("without the application cookie the session is not sticky: %v", c)
	}
}

// nameServer is a TCP backend that writes its name and closes.
func nameServer(t *testing.T, name string) net.Listener {
	return dptest.TCP(t, func(c net.Conn) { fmt.Fprint(c, name) })
}

func readAllFrom(t *testing.T, addr string) string {
	t.Helper()
	c := dial(t, "tcp", addr)
	_ = c.SetDeadline(time.Now().Add(5 * time.Second))
	b, _ := io.ReadAll(c)
	return string(b)
}

// TestClassicTCPRoundRobinAndCrossZone: TCP connections alternate between instances; with
// cross-zone off each zone gets half the connections however many instances it has, with it on
// each instance gets an equal share.
func TestClassicTCPRoundRobinAndCrossZone(t *testing.T) {
	var targets []Target
	for i, zone := range []string{"us-east-1a", "us-east-1b", "us-east-1b", "us-east-1b"} {
		targets = append(targets, Target{ID: fmt.Sprintf("i-%d", i), Zone: zone, Addr: nameServer(t, fmt.Sprint(i)).Addr().String()})
	}
	cfg := classicConfig([]Listener{{Port: 9000, Protocol: TCP, Rules: forwardTo("web-9000")}},
		classicGroup("web-9000", TCP, targets...))
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	waitInService(t, ev, "web-9000", "i-0", "i-1", "i-2", "i-3")
	count := func() map[string]int {
		c := map[string]int{}
		for i := 0; i < 24; i++ {
			c[readAllFrom(t, e.LocalAddr("web", 9000))]++
		}
		return c
	}
	if c := count(); c["0"] != 6 || c["1"] != 6 || c["2"] != 6 || c["3"] != 6 {
		t.Fatalf("cross-zone on: %v (events %+v)", c, ev.snapshot())
	}
	cfg.Balancers[0].CrossZone = false
	apply(t, e, cfg)
	if c := count(); c["0"] != 12 || c["1"] != 4 || c["2"] != 4 || c["3"] != 4 {
		t.Fatalf("cross-zone off: %v", c)
	}
}

// TestClassicNoHealthyInstance: until an instance passes its checks, and when all fail, Classic
// answers 503 with an empty body; the events use DescribeInstanceHealth's words.
func TestClassicNoHealthyInstance(t *testing.T) {
	var mu sync.Mutex
	status := 500
	be := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/ping" {
			w.WriteHeader(status)
			return
		}
		dptest.EchoHandler("b")(w, r)
	})
	group := classicGroup("web-80", HTTP, Target{ID: "i-1", Addr: dptest.HostOf(be)})
	group.HealthCheck = fastCheck(HTTP, "/ping")
	e, ev := newEngine(t, Options{})
	apply(t, e, classicConfig([]Listener{{Port: 80, Protocol: HTTP, Rules: forwardTo("web-80")}}, group))
	first := ev.waitState(t, "web-80", "i-1", StateOutOfService)
	if first.ReasonCode != ReasonCodeELB || first.Description != "Instance registration is still in progress." {
		t.Fatalf("first event %+v", first)
	}
	failed := ev.wait(t, "instance failure", func(e HealthEvent) bool { return e.ReasonCode == ReasonCodeInstance })
	if failed.State != StateOutOfService ||
		failed.Description != "Instance has failed at least the UnhealthyThreshold number of health checks consecutively." {
		t.Fatalf("failure event %+v", failed)
	}
	resp, body := get(t, e.LocalAddr("web", 80), "/")
	if resp.StatusCode != 503 || body != "" {
		t.Fatalf("no healthy instance: %d %q", resp.StatusCode, body)
	}
	mu.Lock()
	status = 200
	mu.Unlock()
	if in := ev.waitState(t, "web-80", "i-1", StateInService); in.ReasonCode != ReasonCodeNA || in.Description != "N/A" {
		t.Fatalf("InService event %+v", in)
	}
	if resp, _ := get(t, e.LocalAddr("web", 80), "/"); resp.StatusCode != 200 {
		t.Fatalf("after recovery: %d", resp.StatusCode)
	}
}

// TestClassicLeastOutstandingForHTTP: a Classic group used by an HTTP listener, with no algorithm
// set, spreads requests by least outstanding requests, as Classic does: a target busy with a slow
// request gets no new ones while another is idle.
func TestClassicLeastOutstandingForHTTP(t *testing.T) {
	release := make(chan struct{})
	defer func() {
		select {
		case <-release:
		default:
			close(release)
		}
	}()
	slow, fast := newServer(t, slowHandler("slow", release)), dptest.Echo(t, "fast")
	group := classicGroup("web-80", HTTP, Target{ID: "i-slow", Addr: dptest.HostOf(slow)}, Target{ID: "i-fast", Addr: dptest.HostOf(fast)})
	e, ev := newEngine(t, Options{})
	apply(t, e, classicConfig([]Listener{{Port: 80, Protocol: HTTP, Rules: forwardTo("web-80")}}, group))
	waitInService(t, ev, "web-80", "i-slow", "i-fast")
	addr := e.LocalAddr("web", 80)
	wait := parkRequests(t, e, addr, "web-80", dptest.HostOf(slow), dptest.HostOf(fast), 1)
	if c := countIdle(t, e, addr, "web-80", dptest.HostOf(fast), 10); c["fast"] != 10 {
		t.Fatalf("requests while one instance is busy: %v", c)
	}
	close(release)
	wait()
}
