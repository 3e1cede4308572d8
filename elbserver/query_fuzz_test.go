package elbserver_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// fuzzEndpoint is an in-memory endpoint whose error log is kept, so that a panic the
// handler recovered from still fails the fuzz target.
type fuzzEndpoint struct {
	srv *elbserver.Server
	mu  sync.Mutex
	log bytes.Buffer
}

func (e *fuzzEndpoint) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.log.Write(p)
}

func (e *fuzzEndpoint) panicked() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if s := e.log.String(); strings.Contains(s, "panic") {
		return s
	}
	return ""
}

func newFuzzEndpoint(tb testing.TB) *fuzzEndpoint {
	e := &fuzzEndpoint{}
	srv, err := elbserver.New(elbserver.Options{
		Logger: slog.New(slog.NewTextHandler(e, &slog.HandlerOptions{Level: slog.LevelError})),
		Limits: map[string]int{"classic-load-balancers": 1 << 20},
	})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { srv.Close() })
	e.srv = srv
	return e
}

// signedForm builds body as a POST form signed with the default credential, as an SDK would.
func signedForm(tb testing.TB, body string) *http.Request {
	tb.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://elb.local/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	c := sigv4auth.DefaultCredential
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey},
		r, hex.EncodeToString(sum[:]), "elasticloadbalancing", "us-east-1", time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// do signs body and serves it.
func (e *fuzzEndpoint) do(tb testing.TB, body string) (*httptest.ResponseRecorder, []byte) {
	tb.Helper()
	r := signedForm(tb, body)
	w := httptest.NewRecorder()
	e.srv.ServeHTTP(w, r)
	return w, w.Body.Bytes()
}

// checkResponse asserts the invariants every answer keeps, whatever the input.
func checkResponse(tb testing.TB, e *fuzzEndpoint, w *httptest.ResponseRecorder, body []byte) {
	tb.Helper()
	if p := e.panicked(); p != "" {
		tb.Fatalf("the handler panicked: %s", p)
	}
	switch w.Code {
	case 200, 400, 403, 404, 405, 409, 413, 500, 503:
	default:
		tb.Fatalf("unexpected status %d: %q", w.Code, body)
	}
	id := w.Header().Get("x-amzn-RequestId")
	if id == "" {
		tb.Fatalf("status %d without a request id header", w.Code)
	}
	if err := testenv.WellFormedXML(body); err != nil {
		tb.Fatalf("status %d: malformed XML (%v): %q", w.Code, err, truncate(body))
	}
	if w.Code != http.StatusOK {
		var env struct {
			Error     struct{ Code, Message string }
			RequestID string `xml:"RequestId"`
		}
		if err := xml.Unmarshal(body, &env); err != nil || env.Error.Code == "" || env.RequestID != id {
			tb.Fatalf("status %d: no error envelope with code and request id: %q", w.Code, truncate(body))
		}
		if w.Code == http.StatusInternalServerError && env.Error.Code != "InternalFailure" {
			tb.Fatalf("500 with code %s", env.Error.Code)
		}
	}
}

func truncate(b []byte) []byte {
	if len(b) > 600 {
		return b[:600]
	}
	return b
}

const fuzzCreate = "Version=2012-06-01&Action=CreateLoadBalancer&LoadBalancerName=web&AvailabilityZones.member.1=us-east-1a" +
	"&Listeners.member.1.Protocol=HTTP&Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=8080"

// FuzzQueryDispatch sends arbitrary signed form bodies through ServeHTTP: hostile names,
// repeated, missing and out-of-order list members, XML metacharacters, unicode and huge
// values. Every answer must be a well-formed response with a request id, never a panic.
func FuzzQueryDispatch(f *testing.F) {
	seeds := []string{
		fuzzCreate,
		fuzzCreate + "&Tags.member.3.Key=c&Tags.member.1.Key=a&Tags.member.2.Key=b",
		fuzzCreate + "&Tags.member.2.Key=b&Tags.member.2.Value=x",
		fuzzCreate + "&Tags.member.1.Key=%3C%26%3E%22%27&Tags.member.1.Value=%3Cx%3E",
		fuzzCreate + "&Tags.member.1.Key=k&Tags.member.1.Key=k",
		fuzzCreate + "&Tags.member.01.Key=k",
		fuzzCreate + "&Tags.member.0.Key=k",
		fuzzCreate + "&Tags.member.4096.Key=k",
		fuzzCreate + "&Tags.member.99999999999999999999.Key=k",
		fuzzCreate + "&Tags.member.1.Key=%E6%97%A5%E6%9C%AC&Tags.member.1.Value=%F0%9F%98%80",
		fuzzCreate + "&Tags.member.1.Key=k&Tags.member.1.Value=%FF%FE",
		strings.Replace(fuzzCreate, "LoadBalancerName=web", "LoadBalancerName=%3Cscript%3E%26amp;", 1),
		strings.Replace(fuzzCreate, "LoadBalancerName=web", "LoadBalancerName="+strings.Repeat("a", 70000), 1),
		strings.Replace(fuzzCreate, "Listeners.member.1.", "Listeners.member.2.", -1),
		strings.Replace(fuzzCreate, "LoadBalancerPort=80", "LoadBalancerPort=-1", 1),
		strings.Replace(fuzzCreate, "LoadBalancerPort=80", "LoadBalancerPort=99999999999999999999", 1),
		"Version=2012-06-01&Action=DescribeLoadBalancers&LoadBalancerNames.member.1=web&LoadBalancerNames.member.1=api",
		"Version=2012-06-01&Action=DescribeLoadBalancers&Marker=%00%01&PageSize=0",
		"Version=2012-06-01&Action=DescribeLoadBalancers&Marker=bGIxOjx4Pg",
		"Version=2012-06-01&Action=DescribeTags&LoadBalancerNames.member.1=%3C%26%3E",
		"Version=2012-06-01&Action=AddTags&LoadBalancerNames.member.1=web&Tags.member.1.Key=k&Tags.member.1.Value=" + strings.Repeat("%C3%A9", 300),
		"Version=2012-06-01&Action=CreateAppCookieStickinessPolicy&LoadBalancerName=web&PolicyName=p&CookieName=%3C%26%3E%22%27%00",
		"Version=2012-06-01&Action=CreateLoadBalancerPolicy&LoadBalancerName=web&PolicyName=p&PolicyTypeName=SSLNegotiationPolicyType&PolicyAttributes.member.1.AttributeName=Reference-Security-Policy&PolicyAttributes.member.1.AttributeValue=%3C",
		"Version=2012-06-01&Action=ModifyLoadBalancerAttributes&LoadBalancerName=web&LoadBalancerAttributes.AdditionalAttributes.member.1.Key=%3C&LoadBalancerAttributes.AdditionalAttributes.member.1.Value=%26",
		"Version=2012-06-01&Action=ConfigureHealthCheck&LoadBalancerName=web&HealthCheck.Target=HTTP:80/%3C%3E&HealthCheck.Interval=30&HealthCheck.Timeout=5&HealthCheck.HealthyThreshold=2&HealthCheck.UnhealthyThreshold=2",
		"Version=2012-06-01&Action=RegisterInstancesWithLoadBalancer&LoadBalancerName=web&Instances.member.2.InstanceId=i-12345678",
		"Version=2012-06-01&Action=SetLoadBalancerPoliciesOfListener&LoadBalancerName=web&LoadBalancerPort=80&PolicyNames=",
		"Version=2012-06-01&Action=DescribeAccountLimits&Marker=%%%",
		"Version=2016-11-15&Action=DescribeInstances&InstanceId.1=i-12345678&Filter.1.Name=%3C&Filter.1.Value.1=%26",
		"Version=2012-06-01&Action=%3CNope%3E",
		"Version=%3C&Action=DescribeLoadBalancers",
		"Action=DescribeLoadBalancers",
		"",
		"%zz",
		"a=1&a=2&a=3",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	e := newFuzzEndpoint(f)
	// A balancer to act on, so that actions reach their deeper branches.
	if w, body := e.do(f, fuzzCreate); w.Code != http.StatusOK {
		f.Fatalf("setup create: %d %s", w.Code, body)
	}
	f.Fuzz(func(t *testing.T, form string) {
		w, body := e.do(t, form)
		checkResponse(t, e, w, body)
	})
}

// FuzzValueRoundTrip: a value the endpoint accepts comes back byte for byte. Tag keys and
// values (unicode letters, spaces, _.:/=+-@ by the API model) go through AddTags and
// DescribeTags; free-text values with XML metacharacters (<&>"') through an application
// cookie name and DescribeLoadBalancerPolicies.
func FuzzValueRoundTrip(f *testing.F) {
	f.Add("k", "v", `<&>"'`)
	f.Add("日本 語", "välue @ x.y:z/w=+-_", "]]><![CDATA[")
	f.Add("key", strings.Repeat("é", 256), "&amp;&#x41;")
	f.Add("a", "", "\u00a0\u2028\u3000")
	f.Add("k", "v", "\t\n\r x")
	f.Add("0", "0", "\xfa")       // invalid UTF-8
	f.Add("0", "0", "a\x01\x7fb") // characters XML 1.0 cannot carry
	e := newFuzzEndpoint(f)
	if w, body := e.do(f, fuzzCreate); w.Code != http.StatusOK {
		f.Fatalf("setup create: %d %s", w.Code, body)
	}
	var n int
	var mu sync.Mutex
	f.Fuzz(func(t *testing.T, key, value, cookie string) {
		form := url.Values{"Version": {"2012-06-01"}, "Action": {"AddTags"}, "LoadBalancerNames.member.1": {"web"},
			"Tags.member.1.Key": {key}, "Tags.member.1.Value": {value}}
		w, body := e.do(t, form.Encode())
		checkResponse(t, e, w, body)
		if w.Code == http.StatusOK {
			got, ok := describeTag(t, e, key)
			if !ok || got != value {
				t.Fatalf("tag %q=%q came back as %q (found %v)", key, value, got, ok)
			}
			// Keep the balancer under its tag limit for the next input.
			w, body = e.do(t, url.Values{"Version": {"2012-06-01"}, "Action": {"RemoveTags"},
				"LoadBalancerNames.member.1": {"web"}, "Tags.member.1.Key": {key}}.Encode())
			checkResponse(t, e, w, body)
		}
		mu.Lock()
		n++
		policy := "p" + strconv.Itoa(n)
		mu.Unlock()
		w, body = e.do(t, url.Values{"Version": {"2012-06-01"}, "Action": {"CreateAppCookieStickinessPolicy"},
			"LoadBalancerName": {"web"}, "PolicyName": {policy}, "CookieName": {cookie}}.Encode())
		checkResponse(t, e, w, body)
		if w.Code == http.StatusOK {
			if !xmlSafe(cookie) {
				t.Fatalf("cookie name %q, which XML cannot carry, was accepted", cookie)
			}
			if got := describeCookie(t, e, policy); got != cookie {
				t.Fatalf("cookie name %q came back as %q", cookie, got)
			}
		}
		w, body = e.do(t, url.Values{"Version": {"2012-06-01"}, "Action": {"DeleteLoadBalancerPolicy"},
			"LoadBalancerName": {"web"}, "PolicyName": {policy}}.Encode())
		checkResponse(t, e, w, body)
	})
}

// xmlSafe reports whether s is valid UTF-8 made only of characters XML 1.0 can carry.
func xmlSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		ok := r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
		if !ok {
			return false
		}
	}
	return true
}

func describeTag(t *testing.T, e *fuzzEndpoint, key string) (string, bool) {
	w, body := e.do(t, "Version=2012-06-01&Action=DescribeTags&LoadBalancerNames.member.1=web")
	checkResponse(t, e, w, body)
	var res struct {
		Tags []struct{ Key, Value string } `xml:"DescribeTagsResult>TagDescriptions>member>Tags>member"`
	}
	if err := xml.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	for _, tg := range res.Tags {
		if tg.Key == key {
			return tg.Value, true
		}
	}
	return "", false
}

func describeCookie(t *testing.T, e *fuzzEndpoint, policy string) string {
	w, body := e.do(t, "Version=2012-06-01&Action=DescribeLoadBalancerPolicies&LoadBalancerName=web&PolicyNames.member.1="+policy)
	checkResponse(t, e, w, body)
	var res struct {
		Attrs []struct{ AttributeName, AttributeValue string } `xml:"DescribeLoadBalancerPoliciesResult>PolicyDescriptions>member>PolicyAttributeDescriptions>member"`
	}
	if err := xml.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	for _, a := range res.Attrs {
		if a.AttributeName == "CookieName" {
			return a.AttributeValue
		}
	}
	t.Fatalf("policy %s has no CookieName: %s", policy, body)
	return ""
}

// TestQueryLimits: bodies over 1 MiB and requests with more than 4096 parameters are
// refused with a well-formed error, and one under each limit is served.
func TestQueryLimits(t *testing.T) {
	e := newFuzzEndpoint(t)
	pad := func(n int) string { return "&Pad=" + strings.Repeat("a", n) }
	base := "Version=2012-06-01&Action=DescribeLoadBalancers"
	w, body := e.do(t, base+pad(1<<20))
	checkResponse(t, e, w, body)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("body over 1 MiB: status %d, want 413", w.Code)
	}
	var b strings.Builder
	b.WriteString(base)
	for i := range 4095 {
		b.WriteString("&P" + strconv.Itoa(i) + "=x")
	}
	w, body = e.do(t, b.String()+"&Extra=x")
	checkResponse(t, e, w, body)
	if w.Code != http.StatusBadRequest || !bytes.Contains(body, []byte("Too many parameters")) {
		t.Errorf("4098 parameters: status %d %s, want 400 ValidationError", w.Code, truncate(body))
	}
	// Unknown parameters are ignored, so at the limit the request is served.
	w, body = e.do(t, b.String()[:strings.LastIndex(b.String(), "&")])
	checkResponse(t, e, w, body)
	if w.Code != http.StatusOK {
		t.Errorf("4096 parameters: status %d %s, want 200", w.Code, truncate(body))
	}
}
