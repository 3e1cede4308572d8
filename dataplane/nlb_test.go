package dataplane

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

func nlbConfig(listeners []Listener, groups ...TargetGroup) Config {
	return Config{Balancers: []Balancer{{Key: "nlb", Kind: KindNetwork, DNSName: "nlb-1.elb.test", CrossZone: true,
		Listeners: listeners}}, TargetGroups: groups}
}

// TestNLBProxyProtocolV2: proxy_protocol_v2 sends the binary header; go-proxyproto, an
// independent parser, reads the client's address as source and the listener's port as destination.
func TestNLBProxyProtocolV2(t *testing.T) {
	pp := dptest.ProxyEcho(t)
	group := TargetGroup{Key: "tg", Protocol: TCP, ProxyProtocol: ProxyV2, HealthCheck: fastCheck(TCP, ""),
		Targets: []Target{{ID: "i-1", Addr: pp.Addr().String()}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, nlbConfig([]Listener{{Port: 5432, Protocol: TCP, Rules: forwardTo("tg")}}, group))
	ev.waitState(t, "tg", "i-1", StateHealthy)
	c := dial(t, "tcp", e.LocalAddr("nlb", 5432))
	br := bufio.NewReader(c)
	line, _ := br.ReadString('\n')
	if want := fmt.Sprintf("v2 PROXY %s 127.0.0.1:5432\n", c.LocalAddr()); line != want {
		t.Fatalf("header %q, want %q", line, want)
	}
	fmt.Fprintf(c, "data\n")
	if echo, _ := br.ReadString('\n'); echo != "data\n" {
		t.Fatalf("echo %q", echo)
	}
}

// TestNLBTLSListener: a TLS listener terminates with the certificate SNI selects, negotiates ALPN
// by its policy, enforces the security policy's minimum version, and re-encrypts to a TLS group.
func TestNLBTLSListener(t *testing.T) {
	cert := selfSigned(t, "backend.test")
	pair, err := tls.X509KeyPair(cert.CertPEM, cert.KeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	be := dptest.TCP(t, func(c net.Conn) {
		tc := tls.Server(c, &tls.Config{Certificates: []tls.Certificate{pair}})
		_, _ = io.Copy(tc, tc)
	})
	def, api := selfSigned(t, "www.test"), selfSigned(t, "api.test")
	listener := func(port int, alpn, policy string) Listener {
		return Listener{Port: port, Protocol: TLS, Certificates: []Certificate{def, api}, ALPNPolicy: alpn,
			SecurityPolicy: policy, Rules: forwardTo("tg")}
	}
	group := TargetGroup{Key: "tg", Protocol: TLS, HealthCheck: fastCheck(TLS, ""), Targets: []Target{{ID: "i", Addr: be.Addr().String()}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, nlbConfig([]Listener{listener(443, "HTTP2Preferred", ""), listener(444, "HTTP1Only", "ELBSecurityPolicy-TLS13-1-3-2021-06")}, group))
	ev.waitState(t, "tg", "i", StateHealthy)

	dial := func(port int, sni string, maxVersion uint16) (*tls.Conn, error) {
		return tls.Dial("tcp", e.LocalAddr("nlb", port), &tls.Config{ServerName: sni, InsecureSkipVerify: true, //nolint:gosec // test
			NextProtos: []string{"http/1.1", "h2"}, MaxVersion: maxVersion})
	}
	c, err := dial(443, "api.test", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	st := c.ConnectionState()
	if st.PeerCertificates[0].Subject.CommonName != "api.test" || st.NegotiatedProtocol != "h2" {
		t.Fatalf("certificate %q, ALPN %q", st.PeerCertificates[0].Subject.CommonName, st.NegotiatedProtocol)
	}
	fmt.Fprintf(c, "through tls\n")
	if line, _ := bufio.NewReader(c).ReadString('\n'); line != "through tls\n" {
		t.Fatalf("echo %q", line)
	}
	c2, err := dial(444, "www.test", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if p := c2.ConnectionState().NegotiatedProtocol; p != "http/1.1" {
		t.Fatalf("HTTP1Only negotiated %q", p)
	}
	if c3, err := dial(444, "www.test", tls.VersionTLS12); err == nil {
		c3.Close()
		t.Fatal("a TLS 1.3-only policy accepted TLS 1.2")
	}
}

// udpEcho is a UDP backend that answers each datagram with its name and the payload.
func udpEcho(t *testing.T, name string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return serveUDPEcho(t, pc, name)
}

func udpAsk(t *testing.T, c net.Conn, msg string) string {
	t.Helper()
	if _, err := c.Write([]byte(msg)); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 2048)
	n, err := c.Read(buf)
	if err != nil {
		t.Fatalf("no UDP answer to %q: %v", msg, err)
	}
	return string(buf[:n])
}

// TestNLBUDPFlows: each client address is one flow, kept on one target and answered on its own
// address; a flow idle for the timeout ends, and the client's next datagram starts a new flow.
func TestNLBUDPFlows(t *testing.T) {
	hcPort := strconv.Itoa(echoServer(t, "hc").Addr().(*net.TCPAddr).Port)
	hc := fastCheck(TCP, "")
	hc.Port = hcPort
	a, b := udpEcho(t, "a"), udpEcho(t, "b")
	group := TargetGroup{Key: "udp", Protocol: UDP, HealthCheck: hc,
		Targets: []Target{{ID: "a", Addr: a}, {ID: "b", Addr: b}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, nlbConfig([]Listener{{Port: 53, Protocol: UDP, IdleTimeout: 300 * time.Millisecond, Rules: forwardTo("udp")}}, group))
	ev.waitState(t, "udp", "a", StateHealthy)
	ev.waitState(t, "udp", "b", StateHealthy)

	c1 := dial(t, "udp", e.LocalAddr("nlb", 53))
	c2 := dial(t, "udp", e.LocalAddr("nlb", 53))
	first := udpAsk(t, c1, "one")
	for i := 0; i < 5; i++ {
		if got := udpAsk(t, c1, "one"); got != first {
			t.Fatalf("flow moved from %q to %q", first, got)
		}
	}
	second := udpAsk(t, c2, "two")
	if second[:1] == first[:1] || !strings.HasSuffix(second, ":two") {
		t.Fatalf("two flows: %q and %q, want different targets", first, second)
	}
	waitFor(t, "flows to idle out", func() bool { return flowCount(e, "nlb", 53) == 0 })
	if got := udpAsk(t, c1, "again"); !strings.HasSuffix(got, ":again") {
		t.Fatalf("new flow after idle: %q", got)
	}
}

func flowCount(e *Engine, key string, port int) int {
	e.mu.Lock()
	l := e.balancers[key][port]
	e.mu.Unlock()
	l.udp.mu.Lock()
	defer l.udp.mu.Unlock()
	return len(l.udp.flows)
}

// TestNLBTCPUDP: a TCP_UDP listener serves both protocols on one address.
func TestNLBTCPUDP(t *testing.T) {
	// The target answers TCP and UDP on one port number; another process may hold the UDP
	// side of a fresh TCP port, so try a few rather than give up.
	var tcp net.Listener
	var pc net.PacketConn
	for i := 0; pc == nil; i++ {
		if i == 20 {
			t.Fatal("no port number free for both TCP and UDP")
		}
		tcp = echoServer(t, "tcp")
		pc, _ = net.ListenPacket("udp", tcp.Addr().String())
	}
	udp := serveUDPEcho(t, pc, "udp")
	group := TargetGroup{Key: "dns", Protocol: TCPUDP, HealthCheck: fastCheck(TCP, ""), Targets: []Target{{ID: "i", Addr: udp}}}
	e, ev := newEngine(t, Options{})
	apply(t, e, nlbConfig([]Listener{{Port: 53, Protocol: TCPUDP, Rules: forwardTo("dns")}}, group))
	ev.waitState(t, "dns", "i", StateHealthy)
	addr := e.LocalAddr("nlb", 53)
	c := dial(t, "tcp", addr)
	if line, _ := bufio.NewReader(c).ReadString('\n'); line != "tcp\n" {
		t.Fatalf("TCP side: %q", line)
	}
	u := dial(t, "udp", addr)
	if got := udpAsk(t, u, "q"); got != "udp:q" {
		t.Fatalf("UDP side: %q", got)
	}
}

// serveUDPEcho answers each datagram on pc with "NAME:payload" until the test ends.
func serveUDPEcho(t *testing.T, pc net.PacketConn, name string) string {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo([]byte(name+":"+string(buf[:n])), from)
		}
	}()
	t.Cleanup(func() { pc.Close(); <-done })
	return pc.LocalAddr().String()
}

// TestNLBSourceIPStickiness: with source_ip stickiness every connection from one client address
// reaches the same target, and different addresses spread over the targets.
func TestNLBSourceIPStickiness(t *testing.T) {
	var targets []Target
	for i := 0; i < 3; i++ {
		targets = append(targets, Target{ID: fmt.Sprint(i), Addr: nameServer(t, fmt.Sprint(i)).Addr().String()})
	}
	group := TargetGroup{Key: "tg", Protocol: TCP, HealthCheck: fastCheck(TCP, ""), Stickiness: Stickiness{Type: StickySourceIP}, Targets: targets}
	e, ev := newEngine(t, Options{})
	apply(t, e, nlbConfig([]Listener{{Port: 80, Protocol: TCP, Rules: forwardTo("tg")}}, group))
	for _, tg := range targets {
		ev.waitState(t, "tg", tg.ID, StateHealthy)
	}
	used := map[string]bool{}
	for ip := 2; ip < 18; ip++ {
		d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, byte(ip))}}
		var first string
		for i := 0; i < 4; i++ {
			c, err := d.Dial("tcp", e.LocalAddr("nlb", 80))
			if err != nil {
				t.Fatal(err)
			}
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			b, _ := io.ReadAll(c)
			c.Close()
			if i == 0 {
				first = string(b)
			} else if string(b) != first {
				t.Fatalf("client 127.0.0.%d moved from %q to %q", ip, first, b)
			}
		}
		used[first] = true
	}
	if len(used) < 2 {
		t.Fatalf("16 client addresses all went to %v", used)
	}
}
