package storesync_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
	"github.com/lbcloud/lbcloud/tutorial"
)

// uploadServerCertificate uploads an IAM server certificate through the endpoint's IAM API.
func uploadServerCertificate(t *testing.T, srv *elbtest.Server, name string, cert, key []byte) {
	t.Helper()
	form := url.Values{"Action": {"UploadServerCertificate"}, "Version": {"2010-05-08"}, "ServerCertificateName": {name},
		"CertificateBody": {string(cert)}, "PrivateKey": {string(key)}}
	signedCall(t, srv, "iam", "application/x-www-form-urlencoded; charset=utf-8", "", form.Encode())
}

// TestTutorialByEffect: the tutorial's steps, made with lbcloud's library against the endpoint of
// the tutorial's account, each checked by what it does to traffic: the balancer forwards to its
// members; the ProxyProtocol policy on back-end port 80 starts each connection to it with a
// PROXY header; the HTTPS listener on 1024 terminates TLS with the tutorial's certificate; the
// LB cookie stickiness policy sets its cookie. Disabling each, as the tutorial does, undoes it.
func TestTutorialByEffect(t *testing.T) {
	cred := sigv4auth.Credential{AccessKeyID: "AKIDTUTORIAL0000001", SecretAccessKey: "tutorial-secret", AccountID: "123456789012"}
	e := newEnv(t, elbtest.WithOptions(elbserver.Options{Credentials: []sigv4auth.Credential{cred}}))
	e.account = cred.AccountID
	ctx := context.Background()
	for i, m := range tutorial.DefaultMembers {
		id := fmt.Sprintf("i-0000000000000000%d", i+1)
		must(t, e.srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: id, PrivateIP: m.IP}))
		must(t, e.srv.Endpoint.DeclareTags("", "", id, map[string]string{"lbcloud:address": dptest.ProxyAware(t, id)}))
	}
	certPEM, keyPEM := certificate(t, "tutorial.example.test")
	uploadServerCertificate(t, e.srv, "servercert", certPEM, keyPEM)

	svc := elb.NewClient(e.srv.AWSConfig()).Service()
	var c *elb.Client
	svc.As(&c)
	name := tutorial.DefaultName
	_, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: name, Algorithm: loadbalancer.RoundRobin, Port: 80,
		Protocol: loadbalancer.HTTP, InstancePort: 80, Members: []loadbalancer.Member{{IP: "192.168.88.1"}, {IP: "192.168.88.2"}}})
	must(t, err)
	_, err = c.ConfigureHealthCheck(ctx, name, loadbalancer.HealthCheck{Target: "HTTP:80/", Interval: 5 * time.Second,
		Timeout: 2 * time.Second, HealthyThreshold: 2, UnhealthyThreshold: 2})
	must(t, err)
	e.waitHealth(t, name, "InService", "i-00000000000000001", "i-00000000000000002")
	addr := e.addr(t, name, 80)
	proxyOf := func() string { resp, _ := get(t, addr, "/"); return resp.Header.Get("X-Proxy") }
	if got := proxyOf(); got != "-" {
		t.Fatalf("PROXY header %q before any policy", got)
	}

	must(t, c.CreateBalancerPolicy(ctx, name, "EnableProxyProtocol", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"}))
	must(t, c.SetBalancerPoliciesBackendServer(ctx, name, 80, []string{"EnableProxyProtocol"}))
	eventually(t, "a PROXY header on each connection to back-end port 80", func() error {
		for range 3 {
			if got := proxyOf(); !strings.HasPrefix(got, "v1 127.0.0.1:") || !strings.HasSuffix(got, " 127.0.0.1:80") {
				return fmt.Errorf("back end saw %q", got)
			}
		}
		return nil
	})
	must(t, c.SetBalancerPoliciesBackendServer(ctx, name, 80, []string{""}))
	eventually(t, "no PROXY header once disabled", func() error {
		if got := proxyOf(); got != "-" {
			return fmt.Errorf("back end saw %q", got)
		}
		return nil
	})

	l, err := elb.ParseListenerTuple(1024, 65533, "HTTPS", tutorial.Certificate)
	must(t, err)
	must(t, c.CreateBalancerListeners(ctx, name, []elb.ListenerSpec{l}))
	eventually(t, "TLS on port 1024 with the tutorial's certificate", func() error {
		ls := e.listeners(t)
		https, ok := ls[name+":1024"]
		if !ok {
			return fmt.Errorf("no listener on 1024 in %v", ls)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(certPEM)
		conn, err := tls.Dial("tcp", https.LocalAddress, &tls.Config{RootCAs: pool, ServerName: "tutorial.example.test"})
		if err != nil {
			return err
		}
		return conn.Close()
	})

	must(t, c.CreateLBCookieStickinessPolicy(ctx, name, "MyDurationStickyPolicy", 60*time.Second))
	must(t, c.SetBalancerPoliciesOfListener(ctx, name, 80, []string{"MyDurationStickyPolicy"}))
	cookie := func() string { resp, _ := get(t, addr, "/"); return resp.Header.Get("Set-Cookie") }
	eventually(t, "the stickiness cookie", func() error {
		if got := cookie(); !strings.HasPrefix(got, "AWSELB=") || !strings.Contains(got, "Max-Age=60") {
			return fmt.Errorf("Set-Cookie %q", got)
		}
		return nil
	})
	must(t, c.SetBalancerPoliciesOfListener(ctx, name, 80, []string{""}))
	eventually(t, "no cookie once disabled", func() error {
		if got := cookie(); got != "" {
			return fmt.Errorf("Set-Cookie %q", got)
		}
		return nil
	})
}
