package elbv2

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// fakeAWS is a scripted Query API endpoint for ELBv2 and EC2: reply decides each answer
// from the action and the form sent. Every request is recorded.
type fakeAWS struct {
	*httptest.Server
	mu    sync.Mutex
	calls []url.Values
	reply func(action string, form url.Values) (status int, body string)
}

func newFake(t testing.TB, reply func(action string, form url.Values) (int, string)) *fakeAWS {
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

// actions lists the actions received, in order.
func (f *fakeAWS) actions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.calls))
	for i, c := range f.calls {
		out[i] = c.Get("Action")
	}
	return out
}

func (f *fakeAWS) count(action string) int {
	n := 0
	for _, a := range f.actions() {
		if a == action {
			n++
		}
	}
	return n
}

// sent returns every form of action, in order.
func (f *fakeAWS) sent(action string) []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []url.Values
	for _, c := range f.calls {
		if c.Get("Action") == action {
			out = append(out, c)
		}
	}
	return out
}

func (f *fakeAWS) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

const ns = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

func elbError(code, msg string) string {
	return `<ErrorResponse xmlns="` + ns + `"><Error><Type>Sender</Type><Code>` + code +
		`</Code><Message>` + msg + `</Message></Error><RequestId>req-1234</RequestId></ErrorResponse>`
}

func elbOK(action, result string) string {
	return `<` + action + `Response xmlns="` + ns + `"><` + action + `Result>` + result + `</` + action +
		`Result><ResponseMetadata><RequestId>req-1234</RequestId></ResponseMetadata></` + action + `Response>`
}

func ec2OK(action, body string) string {
	return `<` + action + `Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>req-1234</requestId>` +
		body + `</` + action + `Response>`
}

// members renders items as the members of a list element.
func members(list string, items ...string) string {
	return "<" + list + "><member>" + strings.Join(items, "</member><member>") + "</member></" + list + ">"
}

const (
	lbARN  = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
	tgARN  = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-1a2b3c4d/73e2d6bc24d8a067"
	lisARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
)

// lbXML is a DescribeLoadBalancers entry.
func lbXML(name, arn, typ, state string) string {
	return `<LoadBalancerArn>` + arn + `</LoadBalancerArn><LoadBalancerName>` + name + `</LoadBalancerName><Type>` + typ +
		`</Type><State><Code>` + state + `</Code></State><DNSName>` + name + `-1.eu-west-1.elb.amazonaws.com</DNSName>` +
		`<Scheme>internet-facing</Scheme><VpcId>vpc-1</VpcId><CreatedTime>2024-01-02T03:04:05.000Z</CreatedTime>` +
		`<AvailabilityZones><member><ZoneName>eu-west-1a</ZoneName><SubnetId>subnet-a</SubnetId></member>` +
		`<member><ZoneName>eu-west-1b</ZoneName><SubnetId>subnet-b</SubnetId></member></AvailabilityZones>`
}

// fakeDriver opens the provider typ on f with isolated credentials, as Open does, and
// returns the driver behind the Service.
func fakeDriver(t testing.TB, f *fakeAWS, typ Type, attempts int, more ...Option) *lbDriver {
	t.Helper()
	testenv.AWSEnv(t)
	c, err := openClient(context.Background(), typ, driver.Options{Region: "eu-west-1", AccessKeyID: "AKIDTEST",
		SecretAccessKey: "s3cr3t-never-shown", Endpoint: f.URL, MaxAttempts: attempts}, more...)
	if err != nil {
		t.Fatal(err)
	}
	return newDriver(c)
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// service is the portable Service over d, as users hold it.
func service(d *lbDriver) *loadbalancer.Service { return loadbalancer.NewService(d) }
