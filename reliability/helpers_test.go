package reliability

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

const region = "us-east-1"

// endpoint is an elbserver served over loopback HTTP for one test.
type endpoint struct {
	URL    string
	Server *elbserver.Server
}

// serve starts the endpoint on 127.0.0.1 (httptest binds loopback only); h, when given,
// wraps the endpoint's handler (to record requests, say).
func serve(t testing.TB, opts elbserver.Options, wrap ...func(http.Handler) http.Handler) *endpoint {
	t.Helper()
	srv, err := elbserver.New(opts)
	if err != nil {
		t.Fatalf("elbserver.New: %v", err)
	}
	var h http.Handler = srv
	for _, w := range wrap {
		h = w(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(func() {
		hs.Close()
		if err := srv.Close(); err != nil {
			t.Errorf("close endpoint: %v", err)
		}
	})
	return &endpoint{URL: hs.URL, Server: srv}
}

// openClient opens the ELB provider on url with cred, isolated from the machine's AWS
// setup, and returns its Client (whose Service is the portable API).
func openClient(t testing.TB, url string, cred sigv4auth.Credential, maxAttempts int, more ...elb.Option) *elb.Client {
	t.Helper()
	svc, err := elb.Open(context.Background(), driver.Options{
		Endpoint: url, Region: region, AccessKeyID: cred.AccessKeyID,
		SecretAccessKey: cred.SecretAccessKey, MaxAttempts: maxAttempts,
	}, more...)
	if err != nil {
		t.Fatalf("elb.Open: %v", err)
	}
	var c *elb.Client
	if !svc.As(&c) {
		t.Fatal("As(**elb.Client) = false")
	}
	return c
}

// isolate keeps the SDK away from the machine's AWS configuration.
func isolate(t *testing.T) { testenv.AWSEnv(t) }

// testCtx bounds a test's calls so that a hang fails instead of stalling the run.
func testCtx(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func httpListenerReq(name string, port int) driver.CreateRequest {
	return driver.CreateRequest{Name: name, Port: port, Protocol: driver.HTTP, InstancePort: 8080, Zones: []string{region + "a"}}
}
