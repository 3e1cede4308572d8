package dataplane

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	proxyproto "github.com/pires/go-proxyproto"
)

// TestTLSPolicyVersionsAndSuites: a listener's TLSPolicy sets the versions and cipher suites it
// accepts, over the name in SecurityPolicy; a policy with nothing crypto/tls implements is refused.
func TestTLSPolicyVersionsAndSuites(t *testing.T) {
	be := dptest.Echo(t, "b")
	cert := selfSigned(t, "www.test")
	policy := &TLSPolicy{Protocols: []string{"SSLv3", "TLSv1.1", "TLSv1.2"},
		Ciphers: []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES128-SHA", "DHE-RSA-AES128-SHA"}}
	cfg := classicConfig([]Listener{{Port: 443, Protocol: HTTPS, Certificates: []Certificate{cert},
		SecurityPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06", TLSPolicy: policy, Rules: forwardTo("g")}},
		classicGroup("g", HTTP, Target{ID: "i-1", Addr: dptest.HostOf(be)}))
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	waitInService(t, ev, "g", "i-1")
	handshake := func(c *tls.Config) (tls.ConnectionState, error) {
		c.InsecureSkipVerify = true //nolint:gosec // test
		conn, err := tls.Dial("tcp", e.LocalAddr("web", 443), c)
		if err != nil {
			return tls.ConnectionState{}, err
		}
		defer conn.Close()
		return conn.ConnectionState(), nil
	}
	st, err := handshake(&tls.Config{MinVersion: tls.VersionTLS11})
	if err != nil || st.Version != tls.VersionTLS12 || st.CipherSuite != tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 {
		t.Fatalf("handshake: %v, version %x, suite %s", err, st.Version, tls.CipherSuiteName(st.CipherSuite))
	}
	if st, err := handshake(&tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}); err != nil || st.Version != tls.VersionTLS11 {
		t.Fatalf("TLS 1.1, which the policy allows: %v, version %x", err, st.Version)
	}
	if _, err := handshake(&tls.Config{MinVersion: tls.VersionTLS13}); err == nil {
		t.Fatal("TLS 1.3 accepted by a policy that stops at TLS 1.2")
	}
	if _, err := handshake(&tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}}); err == nil {
		t.Fatal("a suite outside the policy was accepted")
	}
	if err := Validate(cfg); err != nil {
		t.Fatalf("Validate of an applied config: %v", err)
	}
	bad := cfg // shares the listener: cfg is not used after this
	bad.Balancers[0].Listeners[0].TLSPolicy = &TLSPolicy{Protocols: []string{"TLSv1.2"}, Ciphers: []string{"DHE-RSA-AES128-SHA"}}
	if err := e.Apply(t.Context(), bad); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("a policy without an implemented suite: %v", err)
	}
	if err := Validate(bad); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "no cipher suite") {
		t.Fatalf("Validate: %v", err)
	}
}

// TestCheckAddr: a target's CheckAddr takes its health checks whatever the check's port, and must
// be on loopback like its address.
func TestCheckAddr(t *testing.T) {
	be := dptest.Echo(t, "b")
	hc := fastCheck(HTTP, "/")
	hc.Port = "1" // nothing answers there: only CheckAddr makes the target healthy
	cfg := albConfig(forwardTo("g"), TargetGroup{Key: "g", Protocol: HTTP, HealthCheck: hc,
		Targets: []Target{{ID: "t", Addr: dptest.HostOf(be), CheckAddr: dptest.HostOf(be)}}})
	e, ev := newEngine(t, Options{})
	apply(t, e, cfg)
	ev.waitState(t, "g", "t", StateHealthy)
	cfg.TargetGroups[0].Targets[0].CheckAddr = "192.0.2.1:80"
	if err := Validate(cfg); !errors.Is(err, ErrNonLoopbackTarget) {
		t.Fatalf("a check address off loopback: %v", err)
	}
}

// TestHTTPProxyProtocol: behind an HTTP listener a PROXY group gets a v1 header naming each
// request's client and the listener's port on a connection of its own; checks send UNKNOWN.
func TestHTTPProxyProtocol(t *testing.T) {
	headers := make(chan string, 16)
	be := dptest.TCP(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		h, err := proxyproto.Read(br)
		if err != nil {
			return
		}
		req, err := http.ReadRequest(br)
		if err != nil {
			return // a health check's LOCAL connection ends after its request
		}
		if h.Command == proxyproto.PROXY {
			headers <- fmt.Sprintf("%s %s", h.SourceAddr, h.DestinationAddr)
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n%s", req.URL.Path[1:3])
	})
	group := classicGroup("g", HTTP, Target{ID: "i-1", Addr: be.Addr().String()})
	group.ProxyProtocol = ProxyV1
	group.HealthCheck = fastCheck(HTTP, "/ok")
	e, ev := newEngine(t, Options{})
	apply(t, e, classicConfig([]Listener{{Port: 80, Protocol: HTTP, Rules: forwardTo("g")}}, group))
	waitInService(t, ev, "g", "i-1")
	client := &http.Client{} // keep-alive on the client side: the back end still sees one header a request
	defer client.CloseIdleConnections()
	for range 2 {
		resp, err := client.Get("http://" + e.LocalAddr("web", 80) + "/ab")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := <-headers
		if !strings.HasPrefix(got, "127.0.0.1:") || !strings.HasSuffix(got, " 127.0.0.1:80") || resp.StatusCode != 200 {
			t.Fatalf("status %d, PROXY header %q", resp.StatusCode, got)
		}
	}
}
