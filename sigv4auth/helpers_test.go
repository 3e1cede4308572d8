package sigv4auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

var (
	testNow  = time.Date(2024, 5, 17, 12, 30, 0, 0, time.UTC)
	testCred = Credential{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", AccountID: "123456789012"}
	// testTempCred is temporary credentials: good only with their session token.
	testTempCred = Credential{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", AccountID: "123456789012",
		SessionToken: "FwoGZXIvYXdzEXAMPLETOKEN"}
	testCreds = []Credential{testCred, DefaultCredential, testTempCred}
)

const (
	testHost  = "elb.local:4566"
	formBody  = "Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=web"
	formType  = "application/x-www-form-urlencoded; charset=utf-8"
	testQuery = "Action=DescribeLoadBalancers&Version=2012-06-01&LoadBalancerNames.member.1=a%20b&Marker=x%2Fy~z"
)

func hashHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func newTestVerifier(t testing.TB) *Verifier {
	t.Helper()
	v := NewVerifier(testCreds, "elasticloadbalancing", "ec2")
	v.SetClock(func() time.Time { return testNow })
	return v
}

// spec describes a request to sign; zero fields take test defaults.
type spec struct {
	method, query, body string
	cred                Credential
	service, region     string
	at                  time.Time
	token               string
}

func (s spec) defaults() spec {
	if s.method == "" {
		s.method = http.MethodPost
	}
	if s.cred == (Credential{}) {
		s.cred = testCred
	}
	if s.service == "" {
		s.service = "elasticloadbalancing"
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.at.IsZero() {
		s.at = testNow.Add(-time.Minute)
	}
	return s
}

func (s spec) newRequest() *http.Request {
	u := "http://" + testHost + "/"
	if s.query != "" {
		u += "?" + s.query
	}
	r := httptest.NewRequest(s.method, u, strings.NewReader(s.body))
	r.Header.Set("User-Agent", "lbcloud-test/1.0")
	if s.body != "" {
		r.Header.Set("Content-Type", formType)
	}
	return r
}

// signHeader signs s in the Authorization header form, as the SDK does.
func signHeader(t testing.TB, s spec) *http.Request {
	t.Helper()
	s = s.defaults()
	r := s.newRequest()
	creds := aws.Credentials{AccessKeyID: s.cred.AccessKeyID, SecretAccessKey: s.cred.SecretAccessKey, SessionToken: s.token}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hashHex([]byte(s.body)), s.service, s.region, s.at); err != nil {
		t.Fatal(err)
	}
	return r
}

// signQuery presigns s (query-string form); expires is X-Amz-Expires or "".
func signQuery(t testing.TB, s spec, expires string) *http.Request {
	t.Helper()
	if s.method == "" {
		s.method = http.MethodGet
	}
	s = s.defaults()
	if expires != "" {
		if s.query != "" {
			s.query += "&"
		}
		s.query += "X-Amz-Expires=" + expires
	}
	r := s.newRequest()
	creds := aws.Credentials{AccessKeyID: s.cred.AccessKeyID, SecretAccessKey: s.cred.SecretAccessKey, SessionToken: s.token}
	signed, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), creds, r, hashHex([]byte(s.body)), s.service, s.region, s.at)
	if err != nil {
		t.Fatal(err)
	}
	out := httptest.NewRequest(s.method, signed, strings.NewReader(s.body))
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return out
}

func wantCode(t *testing.T, err error, code string, status int) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not *Error", err, err)
	}
	if e.Code != code || e.Status != status {
		t.Fatalf("got %s/%d (%q), want %s/%d", e.Code, e.Status, e.Message, code, status)
	}
	return e
}

// signatureOf extracts the signature a request carries, to check it never
// leaks into messages.
func signatureOf(r *http.Request) string {
	if s := r.URL.Query().Get("X-Amz-Signature"); s != "" {
		return s
	}
	_, sig, _ := strings.Cut(r.Header.Get("Authorization"), "Signature=")
	return sig
}
