package storesync_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

// udpEcho answers each datagram with "NAME: payload".
func udpEcho(t *testing.T, name string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	must(t, err)
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 2048)
		for {
			n, from, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			_, _ = pc.WriteTo([]byte(name+": "+string(buf[:n])), from)
		}
	}()
	t.Cleanup(func() { pc.Close(); <-done })
	return pc.LocalAddr().String()
}

func portOf(addr string) string { _, p, _ := net.SplitHostPort(addr); return p }

// TestNLB: a TCP listener to a group with proxy_protocol_v2 sends a v2 header naming the client;
// a TLS listener terminates with its ACM certificate (another by SNI from the listener's
// certificate list) under its security policy, and with a self-signed certificate for the
// balancer's DNS name when its certificate ARN is unknown; a UDP listener relays datagrams.
func TestNLB(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	pp := dptest.ProxyEcho(t)
	plain := dptest.TCP(t, func(c net.Conn) { _, _ = io.Copy(c, c) })
	udp := udpEcho(t, "udp")
	tgPP := e.targetGroup(t, "pp", v2types.ProtocolEnumTcp, v2types.TargetTypeEnumIp, "", "127.0.0.1|"+portOf(pp.Addr().String()))
	e.setGroupAttrs(t, tgPP, "proxy_protocol_v2.enabled", "true")
	tgPlain := e.targetGroup(t, "plain", v2types.ProtocolEnumTcp, v2types.TargetTypeEnumInstance, "", e.instance(t, plain.Addr().String()))
	tgUDP := e.targetGroup(t, "udp", v2types.ProtocolEnumUdp, v2types.TargetTypeEnumIp, "", "127.0.0.1|"+portOf(udp))
	lb, dns := e.v2Balancer(t, "nlb", v2types.LoadBalancerTypeEnumNetwork)

	wwwCert, wwwKey := certificate(t, "www.example.test")
	apiCert, apiKey := certificate(t, "api.example.test")
	www, api := importCertificate(t, e.srv, wwwCert, wwwKey), importCertificate(t, e.srv, apiCert, apiKey)
	e.listenerV2(t, lb, v2types.ProtocolEnumTcp, 7000, forward(tgPP))
	tlsListener := e.listenerV2(t, lb, v2types.ProtocolEnumTls, 7443, forward(tgPlain), www)
	_, err := e.v2.AddListenerCertificates(ctx, &elbv2.AddListenerCertificatesInput{ListenerArn: aws.String(tlsListener),
		Certificates: []v2types.Certificate{{CertificateArn: aws.String(api)}}})
	must(t, err)
	_, err = e.v2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(tlsListener), SslPolicy: aws.String("ELBSecurityPolicy-TLS13-1-3-2021-06")})
	must(t, err)
	e.listenerV2(t, lb, v2types.ProtocolEnumTls, 7444, forward(tgPlain), "arn:aws:acm:us-east-1:000000000000:certificate/00000000-0000-4000-8000-000000000000")
	e.listenerV2(t, lb, v2types.ProtocolEnumUdp, 7053, forward(tgUDP))

	c, err := net.Dial("tcp", e.addr(t, "nlb", 7000))
	must(t, err)
	fmt.Fprintf(c, "hi\n")
	br := bufio.NewReader(c)
	head, _ := br.ReadString('\n')
	if !strings.HasPrefix(head, "v2 PROXY 127.0.0.1:") || !strings.HasSuffix(head, " 127.0.0.1:7000\n") {
		t.Fatalf("PROXY v2: the back end read %q", head)
	}
	if echoed, _ := br.ReadString('\n'); echoed != "hi\n" {
		t.Fatalf("echo %q", echoed)
	}
	c.Close()

	tlsAddr := e.addr(t, "nlb", 7443)
	for name, pem := range map[string][]byte{"www.example.test": wwwCert, "api.example.test": apiCert} {
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tc, err := tls.Dial("tcp", tlsAddr, &tls.Config{RootCAs: pool, ServerName: name})
		if err != nil {
			t.Fatalf("TLS for %s: %v", name, err)
		}
		fmt.Fprintf(tc, "over tls\n")
		if line, _ := bufio.NewReader(tc).ReadString('\n'); line != "over tls\n" || tc.ConnectionState().Version != tls.VersionTLS13 {
			t.Fatalf("TLS for %s: echo %q, version %x", name, line, tc.ConnectionState().Version)
		}
		tc.Close()
	}
	if tc, err := tls.Dial("tcp", tlsAddr, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12}); err == nil { //nolint:gosec // the handshake must fail
		tc.Close()
		t.Fatal("a TLS 1.3-only security policy accepted TLS 1.2")
	}
	if cert := peerCertificate(t, e.addr(t, "nlb", 7444), dns); cert.Subject.CommonName != dns || cert.Issuer.CommonName != dns {
		t.Fatalf("unknown certificate ARN: served %q issued by %q, want a self-signed one for %s", cert.Subject.CommonName, cert.Issuer.CommonName, dns)
	}

	u, err := net.Dial("udp", e.addr(t, "nlb", 7053))
	must(t, err)
	defer u.Close()
	eventually(t, "a UDP answer", func() error {
		_, _ = u.Write([]byte("ping"))
		_ = u.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		buf := make([]byte, 64)
		n, err := u.Read(buf)
		if err != nil {
			return err
		}
		if string(buf[:n]) != "udp: ping" {
			return fmt.Errorf("answer %q", buf[:n])
		}
		return nil
	})
}
