package reliability

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

const formType = "application/x-www-form-urlencoded; charset=utf-8"

// rawReq is one hand-signed Query API request.
type rawReq struct {
	method, query, body string
	cred                sigv4auth.Credential
	service, region     string
	at                  time.Time
}

// sign builds and signs the request with aws-sdk-go-v2's signer, as any SDK would.
func (q rawReq) sign(t testing.TB, base string) *http.Request {
	t.Helper()
	if q.method == "" {
		q.method = http.MethodPost
	}
	if q.service == "" {
		q.service = "elasticloadbalancing"
	}
	if q.region == "" {
		q.region = region
	}
	if q.at.IsZero() {
		q.at = time.Now()
	}
	u := base + "/"
	if q.query != "" {
		u += "?" + q.query
	}
	r, err := http.NewRequest(q.method, u, strings.NewReader(q.body))
	if err != nil {
		t.Fatal(err)
	}
	if q.body != "" {
		r.Header.Set("Content-Type", formType)
	}
	sum := sha256.Sum256([]byte(q.body))
	creds := aws.Credentials{AccessKeyID: q.cred.AccessKeyID, SecretAccessKey: q.cred.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), q.service, q.region, q.at); err != nil {
		t.Fatal(err)
	}
	return r
}

var sigRE = regexp.MustCompile(`Signature=([0-9a-f]{64})`)

func signatureOf(r *http.Request) string {
	if m := sigRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		return m[1]
	}
	return ""
}

// queryError is the Query-protocol error envelope.
type queryError struct {
	Error struct {
		Type, Code, Message string
	}
	RequestID string `xml:"RequestId"`
}

// send performs r and returns the status and body, failing on malformed XML.
func send(t testing.TB, r *http.Request) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		t.Fatal(err)
	}
	if err := testenv.WellFormedXML(body); err != nil {
		t.Fatalf("status %d: body is not well-formed XML (%v): %q", resp.StatusCode, err, body)
	}
	return resp.StatusCode, body
}

func errorCode(t testing.TB, body []byte) queryError {
	t.Helper()
	var e queryError
	if err := xml.Unmarshal(body, &e); err != nil {
		t.Fatalf("decode error envelope: %v: %q", err, body)
	}
	return e
}

const describeBody = "Action=DescribeLoadBalancers&Version=2012-06-01"

func createBody(name string) string {
	return url.Values{
		"Action": {"CreateLoadBalancer"}, "Version": {"2012-06-01"}, "LoadBalancerName": {name},
		"Listeners.member.1.Protocol": {"HTTP"}, "Listeners.member.1.LoadBalancerPort": {"80"},
		"Listeners.member.1.InstancePort": {"8080"}, "AvailabilityZones.member.1": {"us-east-1a"},
	}.Encode()
}

// TestSigV4Tampering: every change to a signed request after signing, a clock outside the
// 15-minute window, a foreign region or service in the scope and a wrong key are refused
// with the AWS code, and a refused write changes nothing.
func TestSigV4Tampering(t *testing.T) {
	ep := serve(t, elbserver.Options{})
	good := sigv4auth.DefaultCredential
	now := time.Now()

	if st, body := send(t, rawReq{body: describeBody, cred: good}.sign(t, ep.URL)); st != http.StatusOK {
		t.Fatalf("untampered request: status %d %s", st, body)
	}
	if st, body := send(t, rawReq{method: http.MethodGet, query: describeBody, cred: good}.sign(t, ep.URL)); st != http.StatusOK {
		t.Fatalf("untampered GET: status %d %s", st, body)
	}
	if st, body := send(t, rawReq{body: describeBody, cred: good, at: now.Add(-14 * time.Minute)}.sign(t, ep.URL)); st != http.StatusOK {
		t.Fatalf("14 minutes of skew is within the window: status %d %s", st, body)
	}

	cases := []struct {
		name   string
		req    rawReq
		tamper func(r *http.Request)
		status int
		code   string
	}{
		{"body same length", rawReq{body: createBody("tampera"), cred: good}, func(r *http.Request) {
			setBody(r, createBody("tamperb"))
		}, 403, "SignatureDoesNotMatch"},
		{"body extended", rawReq{body: createBody("tampera"), cred: good}, func(r *http.Request) {
			setBody(r, createBody("tampera")+"&Scheme=internal")
		}, 403, "SignatureDoesNotMatch"},
		{"signed header", rawReq{body: describeBody, cred: good}, func(r *http.Request) {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}, 403, "SignatureDoesNotMatch"},
		{"date header", rawReq{body: describeBody, cred: good}, func(r *http.Request) {
			d, _ := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
			r.Header.Set("X-Amz-Date", d.Add(time.Second).Format("20060102T150405Z"))
		}, 403, "SignatureDoesNotMatch"},
		{"host", rawReq{body: describeBody, cred: good}, func(r *http.Request) {
			r.Host = "elasticloadbalancing.us-east-1.amazonaws.com"
		}, 403, "SignatureDoesNotMatch"},
		{"query value", rawReq{method: http.MethodGet, query: createBody("tampera"), cred: good}, func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "tampera", "tamperb", 1)
		}, 403, "SignatureDoesNotMatch"},
		{"query added", rawReq{method: http.MethodGet, query: createBody("tampera"), cred: good}, func(r *http.Request) {
			r.URL.RawQuery += "&Scheme=internal"
		}, 403, "SignatureDoesNotMatch"},
		{"skew past", rawReq{body: describeBody, cred: good, at: now.Add(-16 * time.Minute)}, nil, 403, "SignatureDoesNotMatch"},
		{"skew future", rawReq{body: describeBody, cred: good, at: now.Add(16 * time.Minute)}, nil, 403, "SignatureDoesNotMatch"},
		{"region edited in scope", rawReq{body: describeBody, cred: good}, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/us-east-1/", "/us-west-2/", 1))
		}, 403, "SignatureDoesNotMatch"},
		{"region malformed", rawReq{body: describeBody, cred: good, region: "us east 1"}, nil, 400, "IncompleteSignature"},
		{"service foreign", rawReq{body: describeBody, cred: good, service: "sts"}, nil, 403, "SignatureDoesNotMatch"},
		{"service edited in scope", rawReq{body: describeBody, cred: good}, func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/elasticloadbalancing/", "/ec2/", 1))
		}, 403, "SignatureDoesNotMatch"},
		{"wrong secret", rawReq{body: describeBody, cred: sigv4auth.Credential{AccessKeyID: "test", SecretAccessKey: "nottest"}}, nil, 403, "SignatureDoesNotMatch"},
		{"unknown key", rawReq{body: describeBody, cred: sigv4auth.Credential{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "x"}}, nil, 403, "InvalidClientTokenId"},
		{"unsigned", rawReq{body: describeBody, cred: good}, func(r *http.Request) { r.Header.Del("Authorization") }, 403, "MissingAuthenticationToken"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.req.sign(t, ep.URL)
			sig := signatureOf(r)
			if c.tamper != nil {
				c.tamper(r)
			}
			st, body := send(t, r)
			e := errorCode(t, body)
			if st != c.status || e.Error.Code != c.code {
				t.Fatalf("got %d %s (%s), want %d %s", st, e.Error.Code, e.Error.Message, c.status, c.code)
			}
			if e.RequestID == "" {
				t.Error("error without a request id")
			}
			if sig != "" && bytes.Contains(body, []byte(sig)) {
				t.Error("the error echoes the request signature")
			}
		})
	}
	// None of the refused creates may have taken effect.
	st, body := send(t, rawReq{body: describeBody, cred: good}.sign(t, ep.URL))
	if st != http.StatusOK || bytes.Contains(body, []byte("tamper")) {
		t.Fatalf("a refused request changed state: %d %s", st, body)
	}
}

func setBody(r *http.Request, s string) {
	r.Body = io.NopCloser(strings.NewReader(s))
	r.ContentLength = int64(len(s))
}
