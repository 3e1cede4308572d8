package dataplane

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"go.uber.org/goleak"
)

// lingering is net/http's own short wait after answering an error on a connection (to avoid a
// reset losing the answer): it ends by itself within half a second.
var lingering = goleak.IgnoreAnyFunction("net/http.(*conn).closeWriteAndWait")

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m, lingering)
}

// events records health events and lets a test wait for one.
type events struct {
	mu   sync.Mutex
	cond *sync.Cond
	all  []HealthEvent
}

func newEvents() *events {
	ev := &events{}
	ev.cond = sync.NewCond(&ev.mu)
	return ev
}

func (ev *events) add(e HealthEvent) {
	ev.mu.Lock()
	ev.all = append(ev.all, e)
	ev.cond.Broadcast()
	ev.mu.Unlock()
}

// wait returns the first event (from the start) that satisfies ok, failing after 10 s.
func (ev *events) wait(t *testing.T, what string, ok func(HealthEvent) bool) HealthEvent {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	timer := time.AfterFunc(10*time.Second, func() { ev.mu.Lock(); ev.cond.Broadcast(); ev.mu.Unlock() })
	defer timer.Stop()
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for {
		for _, e := range ev.all {
			if ok(e) {
				return e
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no health event %s; got %+v", what, ev.all)
		}
		ev.cond.Wait()
	}
}

func (ev *events) waitState(t *testing.T, group, id, state string) HealthEvent {
	t.Helper()
	return ev.wait(t, group+"/"+id+" "+state, func(e HealthEvent) bool {
		return e.GroupKey == group && e.TargetID == id && e.State == state
	})
}

func (ev *events) snapshot() []HealthEvent {
	ev.mu.Lock()
	defer ev.mu.Unlock()
	return append([]HealthEvent(nil), ev.all...)
}

// newEngine starts an engine recording its health events, closed at the end of the test.
func newEngine(t *testing.T, opts Options) (*Engine, *events) {
	t.Helper()
	ev := newEvents()
	opts.OnHealth = ev.add
	e := New(opts)
	t.Cleanup(func() { e.Close() })
	return e, ev
}

func apply(t *testing.T, e *Engine, cfg Config) {
	t.Helper()
	if err := e.Apply(context.Background(), cfg); err != nil {
		t.Fatalf("Apply: %v", err)
	}
}

// fastCheck is a health check quick enough for tests.
func fastCheck(proto Protocol, path string) HealthCheck {
	return HealthCheck{Protocol: proto, Path: path, Interval: 20 * time.Millisecond,
		Timeout: 500 * time.Millisecond, HealthyThreshold: 2, UnhealthyThreshold: 2}
}

func forwardTo(keys ...string) []Rule {
	fw := &Forward{}
	for _, k := range keys {
		fw.TargetGroups = append(fw.TargetGroups, WeightedGroup{Key: k, Weight: 1})
	}
	return []Rule{{Actions: []Action{{Type: ActionForward, Forward: fw}}}}
}

func targetsOf(srvs ...*httptest.Server) []Target {
	var out []Target
	for i, s := range srvs {
		out = append(out, Target{ID: "t" + string(rune('0'+i)), Addr: dptest.HostOf(s)})
	}
	return out
}

// albConfig is one application balancer with an HTTP listener on port 80 and the given rules.
func albConfig(rules []Rule, groups ...TargetGroup) Config {
	return Config{
		Balancers: []Balancer{{Key: "alb", Kind: KindApplication, DNSName: "alb-1.elb.test", CrossZone: true,
			Listeners: []Listener{{Port: 80, Protocol: HTTP, Rules: rules}}}},
		TargetGroups: groups,
	}
}

var plainClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second}

// get sends a request through a listener and returns the response with its body read.
func do(t *testing.T, req *http.Request) (*http.Response, string) {
	t.Helper()
	resp, err := plainClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return resp, string(body)
}

func get(t *testing.T, addr, path string, mod ...func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range mod {
		m(req)
	}
	return do(t, req)
}

// selfSigned makes a certificate for the names, PEM encoded.
func selfSigned(t *testing.T, names ...string) Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: names[0]},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return Certificate{CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM: pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})}
}

// countBackends tallies which backend answered n GET requests.
func countBackends(t *testing.T, addr string, n int, mod ...func(*http.Request)) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		resp, _ := get(t, addr, "/", mod...)
		counts[resp.Header.Get("X-Backend")]++
	}
	return counts
}

// newServer is an HTTP backend on 127.0.0.1 with its own handler.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// dial connects to addr, closing the connection when the test ends.
func dial(t *testing.T, network, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial(network, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
