package sigv4auth

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// verifyingServer verifies every request it receives with v over a real
// socket and records the outcome under the X-Case header (unsigned).
type verifyingServer struct {
	*httptest.Server
	mu      sync.Mutex
	results map[string]error
	last    error
}

func newVerifyingServer(t *testing.T, v *Verifier, okBody string) *verifyingServer {
	s := &verifyingServer{results: map[string]error{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_, verr := v.Verify(r, body)
		s.mu.Lock()
		s.results[r.Header.Get("X-Case")] = verr
		s.last = verr
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		var e *Error
		if errors.As(verr, &e) {
			w.WriteHeader(e.Status)
			io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>`+e.Code+`</Code><Message>`+e.Message+`</Message></Error><RequestId>1</RequestId></ErrorResponse>`)
			return
		}
		io.WriteString(w, okBody)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *verifyingServer) lastResult() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func sdkConfig(key, secret, token string) aws.Config {
	return aws.Config{
		Region:           "us-west-2",
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, token),
		RetryMaxAttempts: 1,
	}
}

const elbOK = `<DescribeLoadBalancersResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">` +
	`<DescribeLoadBalancersResult><LoadBalancerDescriptions/></DescribeLoadBalancersResult>` +
	`<ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`

func TestSDKElasticLoadBalancingClient(t *testing.T) {
	srv := newVerifyingServer(t, NewVerifier(testCreds, "elasticloadbalancing"), elbOK)
	call := func(key, secret, token string) error {
		c := elb.NewFromConfig(sdkConfig(key, secret, token), func(o *elb.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		_, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{
			LoadBalancerNames: []string{"web", "api with space"},
		})
		return err
	}
	if err := call(testCred.AccessKeyID, testCred.SecretAccessKey, ""); err != nil {
		t.Fatalf("signed SDK call refused: %v (verifier: %v)", err, srv.lastResult())
	}
	if err := call(testTempCred.AccessKeyID, testTempCred.SecretAccessKey, testTempCred.SessionToken); err != nil {
		t.Fatalf("SDK call with temporary credentials refused: %v (verifier: %v)", err, srv.lastResult())
	}
	if err := call(testCred.AccessKeyID, testCred.SecretAccessKey, "session-token-value"); err == nil {
		t.Fatal("call with a session token no credential holds succeeded")
	}
	wantCode(t, srv.lastResult(), CodeInvalidClientTokenID, http.StatusForbidden)
	if err := call(testCred.AccessKeyID, "not-the-secret", ""); err == nil {
		t.Fatal("call with a wrong secret succeeded")
	}
	wantCode(t, srv.lastResult(), CodeSignatureDoesNotMatch, http.StatusForbidden)
	if err := call("AKIDUNKNOWN", "x", ""); err == nil {
		t.Fatal("call with an unknown key succeeded")
	}
	wantCode(t, srv.lastResult(), CodeInvalidClientTokenID, http.StatusForbidden)
}

func TestSDKEC2Client(t *testing.T) {
	const ok = `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>1</requestId><reservationSet/></DescribeInstancesResponse>`
	srv := newVerifyingServer(t, NewVerifier(testCreds, "ec2"), ok)
	call := func(secret string) error {
		c := ec2.NewFromConfig(sdkConfig("test", secret, ""), func(o *ec2.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		_, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{InstanceIds: []string{"i-0123456789abcdef0"}})
		return err
	}
	if err := call("test"); err != nil {
		t.Fatalf("signed EC2 call refused: %v (verifier: %v)", err, srv.lastResult())
	}
	if err := call("wrong"); err == nil {
		t.Fatal("EC2 call with a wrong secret succeeded")
	}
	wantCode(t, srv.lastResult(), CodeSignatureDoesNotMatch, http.StatusForbidden)

	// An ELB-only verifier refuses the ec2 scope.
	elbOnly := newVerifyingServer(t, NewVerifier(testCreds, "elasticloadbalancing"), ok)
	c := ec2.NewFromConfig(sdkConfig("test", "test", ""), func(o *ec2.Options) { o.BaseEndpoint = aws.String(elbOnly.URL) })
	if _, err := c.DescribeInstances(context.Background(), &ec2.DescribeInstancesInput{}); err == nil {
		t.Fatal("ec2-scoped call accepted by an elasticloadbalancing-only verifier")
	}
	wantCode(t, elbOnly.lastResult(), CodeSignatureDoesNotMatch, http.StatusForbidden)
}

// botocoreScript signs each case with botocore's SigV4Auth and sends it with
// urllib, so the verifier sees botocore's signature over a real socket.
const botocoreScript = `
import json, sys, urllib.request, urllib.error
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

default_blacklist = list(botocore.auth.SIGNED_HEADERS_BLACKLIST)
for c in json.load(sys.stdin):
    botocore.auth.SIGNED_HEADERS_BLACKLIST = default_blacklist
    if c.get("sign_user_agent"):
        botocore.auth.SIGNED_HEADERS_BLACKLIST = [h for h in default_blacklist if h != "user-agent"]
    body = c["body"].encode() if c["body"] else None
    req = AWSRequest(method=c["method"], url=c["url"], data=body, headers=c["headers"])
    SigV4Auth(Credentials(c["key"], c["secret"], c.get("token") or None), c["service"], c["region"]).add_auth(req)
    prepared = req.prepare()
    headers = dict(prepared.headers.items())
    headers["X-Case"] = c["name"]
    out = urllib.request.Request(prepared.url, data=prepared.body, method=prepared.method, headers=headers)
    try:
        urllib.request.urlopen(out).read()
    except urllib.error.HTTPError as e:
        e.read()
    print(c["name"], "signed", "user-agent" in headers.get("Authorization", ""))
`

func TestBotocoreSigned(t *testing.T) {
	py := testenv.RequirePython(t, "botocore")
	srv := newVerifyingServer(t, NewVerifier(testCreds, "elasticloadbalancing", "ec2"), elbOK)

	type bcase struct {
		Name          string            `json:"name"`
		Method        string            `json:"method"`
		URL           string            `json:"url"`
		Body          string            `json:"body"`
		Headers       map[string]string `json:"headers"`
		Key           string            `json:"key"`
		Secret        string            `json:"secret"`
		Token         string            `json:"token,omitempty"`
		Service       string            `json:"service"`
		Region        string            `json:"region"`
		SignUserAgent bool              `json:"sign_user_agent,omitempty"`
		want          string            // error code, "" for success
	}
	form := map[string]string{"Content-Type": formType}
	base := func(name string) bcase {
		return bcase{Name: name, Method: "POST", URL: srv.URL + "/", Body: formBody, Headers: form,
			Key: testCred.AccessKeyID, Secret: testCred.SecretAccessKey, Service: "elasticloadbalancing", Region: "eu-central-1"}
	}
	var cases []bcase
	c := base("post-form")
	cases = append(cases, c)
	c = base("get-query")
	c.Method, c.URL, c.Body, c.Headers = "GET", srv.URL+"/?"+testQuery, "", map[string]string{}
	cases = append(cases, c)
	c = base("session-token")
	c.Key, c.Secret, c.Token = testTempCred.AccessKeyID, testTempCred.SecretAccessKey, testTempCred.SessionToken
	cases = append(cases, c)
	c = base("unknown-session-token")
	c.Token, c.want = "FwoGZXIvYXdzEXAMPLETOKEN", CodeInvalidClientTokenID
	cases = append(cases, c)
	c = base("user-agent-signed")
	c.SignUserAgent = true
	c.Headers = map[string]string{"Content-Type": formType, "User-Agent": "aws-cli/2 lbcloud-test"}
	cases = append(cases, c)
	c = base("ec2-scope")
	c.Key, c.Secret, c.Service, c.Body = "test", "test", "ec2", "Action=DescribeInstances&Version=2016-11-15"
	cases = append(cases, c)
	c = base("wrong-secret")
	c.Secret, c.want = "not-the-secret", CodeSignatureDoesNotMatch
	cases = append(cases, c)
	c = base("s3-scope")
	c.Service, c.want = "s3", CodeSignatureDoesNotMatch
	cases = append(cases, c)

	in, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(py, "-c", botocoreScript)
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("botocore script: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "user-agent-signed signed True") {
		t.Fatalf("botocore did not sign User-Agent; the case proves nothing:\n%s", out)
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	for _, c := range cases {
		got, seen := srv.results[c.Name]
		switch {
		case !seen:
			t.Errorf("%s: request never reached the server", c.Name)
		case c.want == "" && got != nil:
			t.Errorf("%s: botocore-signed request refused: %v", c.Name, got)
		case c.want != "" && !errors.Is(got, &Error{Code: c.want}):
			t.Errorf("%s: got %v, want %s", c.Name, got, c.want)
		}
	}
}
