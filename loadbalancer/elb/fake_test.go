package elb

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// fakeAWS is a scripted Query API endpoint: reply decides each answer from the action.
type fakeAWS struct {
	*httptest.Server
	mu    sync.Mutex
	calls []url.Values
	reply func(action string, form url.Values) (status int, body string)
}

func newFake(t *testing.T, reply func(action string, form url.Values) (int, string)) *fakeAWS {
	t.Helper()
	f := &fakeAWS{reply: reply}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		f.calls = append(f.calls, r.PostForm)
		f.mu.Unlock()
		status, body := f.reply(r.PostForm.Get("Action"), r.PostForm)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Amzn-Requestid", "req-1234")
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAWS) count(action string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c.Get("Action") == action {
			n++
		}
	}
	return n
}

func (f *fakeAWS) last(action string) url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.calls) - 1; i >= 0; i-- {
		if f.calls[i].Get("Action") == action {
			return f.calls[i]
		}
	}
	return nil
}

const elbNS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

func elbError(code, msg string) string {
	return `<ErrorResponse xmlns="` + elbNS + `"><Error><Type>Sender</Type><Code>` + code +
		`</Code><Message>` + msg + `</Message></Error><RequestId>req-1234</RequestId></ErrorResponse>`
}

func elbOK(action, result string) string {
	return `<` + action + `Response xmlns="` + elbNS + `"><` + action + `Result>` + result + `</` + action +
		`Result><ResponseMetadata><RequestId>req-1234</RequestId></ResponseMetadata></` + action + `Response>`
}

// fakeClient opens a client on f with isolated credentials, the way Open does.
func fakeClient(t *testing.T, f *fakeAWS, attempts int, more ...Option) *Client {
	t.Helper()
	testenv.AWSEnv(t)
	c, err := openClient(context.Background(), driver.Options{Region: "eu-west-1", AccessKeyID: "AKIDTEST",
		SecretAccessKey: "s3cr3t-never-shown", Endpoint: f.URL, MaxAttempts: attempts}, more...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// listEach lists through the portable layer, as users do, calling fn for each balancer; the
// first error of fn or of the listing is returned.
func listEach(ctx context.Context, c *Client, opts driver.ListOptions, fn func(*driver.LoadBalancer) error) error {
	for lb, err := range c.Service().Balancers(ctx, opts) {
		if err != nil {
			return err
		}
		if err := fn(lb); err != nil {
			return err
		}
	}
	return nil
}
