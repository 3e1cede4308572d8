package storesync_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"go.uber.org/goleak"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
	"github.com/lbcloud/lbcloud/dataplane/storesync"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

func TestMain(m *testing.M) {
	// net/http's short wait after answering an error on a connection ends by itself.
	goleak.VerifyTestMain(m, goleak.IgnoreAnyFunction("net/http.(*conn).closeWriteAndWait"))
}

// region is the region the tests' clients sign for.
const region = "us-east-1"

// fastChecks brings targets into service within a few tens of milliseconds: the APIs accept no
// interval under 5 s.
const fastChecks = 20 * time.Millisecond

// env is an endpoint with the data plane on, and SDK clients of its APIs.
type env struct {
	account string // of the clients' credentials
	srv     *elbtest.Server
	classic *elb.Client
	v2      *elbv2.Client
	ec2     *ec2.Client
}

func newEnv(t testing.TB, opts ...elbtest.Option) *env {
	t.Helper()
	opts = append([]elbtest.Option{elbtest.WithDataPlane(storesync.Options{MaxCheckInterval: fastChecks})}, opts...)
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	cfg := srv.AWSConfig()
	return &env{account: "000000000000", srv: srv, classic: elb.NewFromConfig(cfg), v2: elbv2.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg)}
}

// withState keeps the endpoint's state in a file, for restarts.
func withState(path string) elbtest.Option {
	return elbtest.WithOptions(elbserver.Options{StatePath: path})
}

// instance runs an EC2 instance whose lbcloud:address tag is addr ("" for none).
func (e *env) instance(t *testing.T, addr string) string {
	t.Helper()
	in := &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}
	if addr != "" {
		in.TagSpecifications = []ec2types.TagSpecification{{ResourceType: ec2types.ResourceTypeInstance,
			Tags: []ec2types.Tag{{Key: aws.String("lbcloud:address"), Value: aws.String(addr)}}}}
	}
	out, err := e.ec2.RunInstances(context.Background(), in)
	must(t, err)
	return aws.ToString(out.Instances[0].InstanceId)
}

// listeners are the data plane's listeners of the default account and region, by balancer name
// and port, read through localaddr as lbctl reads them.
func (e *env) listeners(t testing.TB) map[string]localaddr.Listener {
	t.Helper()
	ls, err := localaddr.Fetch(context.Background(), e.srv.AWSConfig(), e.srv.URL)
	must(t, err)
	out := map[string]localaddr.Listener{}
	for _, l := range ls {
		out[fmt.Sprintf("%s:%d", l.LoadBalancerName, l.Port)] = l
	}
	return out
}

// addr is where a balancer's listener is served; it fails the test when it is not.
func (e *env) addr(t testing.TB, name string, port int) string {
	t.Helper()
	l, ok := e.listeners(t)[fmt.Sprintf("%s:%d", name, port)]
	if !ok {
		t.Fatalf("no local listener for %s:%d", name, port)
	}
	return l.LocalAddress
}

// eventually retries check until it succeeds, failing the test after 15 s with its last error.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// get sends a GET to addr+path, with mod applied to the request, and returns the answer and its body.
func get(t testing.TB, addr, path string, mod ...func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+addr+path, nil)
	must(t, err)
	for _, m := range mod {
		m(req)
	}
	resp, err := client.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	return resp, string(b)
}

// backendOf is which echo backend answered a GET, "" for an answer from the balancer itself.
func backendOf(t *testing.T, addr, path string, mod ...func(*http.Request)) string {
	t.Helper()
	resp, _ := get(t, addr, path, mod...)
	return resp.Header.Get("X-Backend")
}

// certificate is a self-signed ECDSA certificate for name and its key, PEM encoded.
func certificate(t *testing.T, name string) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	must(t, err)
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	must(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})
}

// peerCertificate is the leaf certificate a TLS listener presents for a server name.
func peerCertificate(t *testing.T, addr, serverName string) *x509.Certificate {
	t.Helper()
	c, err := tls.Dial("tcp", addr, &tls.Config{ServerName: serverName, InsecureSkipVerify: true}) //nolint:gosec // the test reads the certificate
	must(t, err)
	defer c.Close()
	return c.ConnectionState().PeerCertificates[0]
}

// signedCall sends body to the endpoint as a signed POST for service (target: the X-Amz-Target of
// a JSON API) and returns the answer's body, failing the test unless it is a 200.
func signedCall(t *testing.T, srv *elbtest.Server, service, contentType, target, body string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	must(t, err)
	req.Header.Set("Content-Type", contentType)
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	must(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, region, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", service, target, resp.StatusCode, b)
	}
	return string(b)
}

// importCertificate imports a certificate into ACM through the endpoint's ACM API and returns its ARN.
func importCertificate(t *testing.T, srv *elbtest.Server, cert, key []byte) string {
	t.Helper()
	in, err := json.Marshal(map[string][]byte{"Certificate": cert, "PrivateKey": key})
	must(t, err)
	var out struct{ CertificateArn string }
	must(t, json.Unmarshal([]byte(signedCall(t, srv, "acm", "application/x-amz-json-1.1", "CertificateManager.ImportCertificate", string(in))), &out))
	return out.CertificateArn
}

// hold keeps requests waiting until released: a request in flight for draining tests.
type hold struct {
	started chan struct{}
	wait    chan struct{}
	release func()
}

// newHold makes a hold. Register t.Cleanup(h.release) after the cleanup of the server whose
// handler waits on it, so that a failing test releases it before that server's Close waits.
func newHold() *hold {
	h := &hold{started: make(chan struct{}, 1), wait: make(chan struct{})}
	var once sync.Once
	h.release = func() { once.Do(func() { close(h.wait) }) }
	return h
}

// block is called by a handler: it says the request started, and waits for release.
func (h *hold) block() {
	h.started <- struct{}{}
	<-h.wait
}

// inFlight sends GET addr+path and returns where its status arrives (0 for no answer), once the
// back end has the request.
func (h *hold) inFlight(addr, path string) <-chan int {
	done := make(chan int, 1)
	go func() {
		resp, err := client.Get("http://" + addr + path)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	<-h.started
	return done
}
