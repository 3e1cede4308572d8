package elbserver_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// rawCall sends a signed form POST and returns status, body and request id header.
func rawCall(t *testing.T, srv *elbtest.Server, service string, form url.Values) (int, string, string) {
	t.Helper()
	body := form.Encode()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	noErr(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	noErr(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, srv.Region, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	noErr(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	noErr(t, err)
	return resp.StatusCode, string(b), resp.Header.Get("x-amzn-RequestId")
}

func elbForm(action string, kv ...string) url.Values {
	v := url.Values{"Action": {action}, "Version": {"2012-06-01"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// golden replaces the request id so a response can be compared byte for byte.
func golden(body, reqID string) string { return strings.ReplaceAll(body, reqID, "REQID") }

func TestGoldenCreateAndError(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	status, body, id := rawCall(t, srv, "elasticloadbalancing", elbForm("CreateLoadBalancer",
		"LoadBalancerName", "gold",
		"Listeners.member.1.Protocol", "http", "Listeners.member.1.LoadBalancerPort", "80", "Listeners.member.1.InstancePort", "80"))
	if status != 200 || !uuidRE.MatchString(id) {
		t.Fatalf("status %d id %q body %s", status, id, body)
	}
	want := `<CreateLoadBalancerResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/">` +
		`<CreateLoadBalancerResult><DNSName>gold-NUM.us-east-1.elb.amazonaws.com</DNSName></CreateLoadBalancerResult>` +
		`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></CreateLoadBalancerResponse>`
	got := regexp.MustCompile(`gold-\d+`).ReplaceAllString(golden(body, id), "gold-NUM")
	if got != want {
		t.Fatalf("golden mismatch:\n got %s\nwant %s", got, want)
	}

	status, body, id = rawCall(t, srv, "elasticloadbalancing", elbForm("DescribeLoadBalancerAttributes", "LoadBalancerName", "nope"))
	want = `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><Error><Type>Sender</Type>` +
		`<Code>LoadBalancerNotFound</Code><Message>There is no ACTIVE Load Balancer named &#39;nope&#39;</Message></Error>` +
		`<RequestId>REQID</RequestId></ErrorResponse>`
	if status != 400 || golden(body, id) != want {
		t.Fatalf("status %d body:\n got %s\nwant %s", status, golden(body, id), want)
	}

	status, body, id = rawCall(t, srv, "elasticloadbalancing", elbForm("DescribeLoadBalancerAttributes", "LoadBalancerName", "gold"))
	want = `<DescribeLoadBalancerAttributesResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><DescribeLoadBalancerAttributesResult>` +
		`<LoadBalancerAttributes><CrossZoneLoadBalancing><Enabled>false</Enabled></CrossZoneLoadBalancing>` +
		`<AccessLog><Enabled>false</Enabled></AccessLog>` +
		`<ConnectionDraining><Enabled>false</Enabled><Timeout>300</Timeout></ConnectionDraining>` +
		`<ConnectionSettings><IdleTimeout>60</IdleTimeout></ConnectionSettings>` +
		`<AdditionalAttributes><member><Key>elb.http.desyncmitigationmode</Key><Value>defensive</Value></member></AdditionalAttributes>` +
		`</LoadBalancerAttributes></DescribeLoadBalancerAttributesResult>` +
		`<ResponseMetadata><RequestId>REQID</RequestId></ResponseMetadata></DescribeLoadBalancerAttributesResponse>`
	if status != 200 || golden(body, id) != want {
		t.Fatalf("status %d body:\n got %s\nwant %s", status, golden(body, id), want)
	}
}

func TestProtocolErrors(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"unknown action", elbForm("FlyToTheMoon"), 400, "InvalidAction"},
		{"wrong version", url.Values{"Action": {"DescribeLoadBalancers"}, "Version": {"2015-12-01"}}, 400, "InvalidAction"},
		{"missing version", url.Values{"Action": {"DescribeLoadBalancers"}}, 400, "MissingParameter"},
		{"missing action", url.Values{"Version": {"2012-06-01"}}, 400, "MissingAction"},
		{"missing name", elbForm("DescribeLoadBalancerAttributes"), 400, "MissingParameter"},
		{"zero index", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.0", "a"), 400, "ValidationError"},
		{"leading zero index", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.01", "a"), 400, "ValidationError"},
		{"gap in indices", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "a", "LoadBalancerNames.member.3", "b"), 400, "ValidationError"},
		{"huge index", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.99999999999", "a"), 400, "ValidationError"},
		{"non-numeric index", elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.x", "a"), 400, "ValidationError"},
		{"page size", elbForm("DescribeLoadBalancers", "PageSize", "401"), 400, "ValidationError"},
		{"bad marker", elbForm("DescribeLoadBalancers", "Marker", "!!!"), 400, "ValidationError"},
		{"ec2 action on elb", elbForm("DescribeInstances"), 400, "InvalidAction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, id := rawCall(t, srv, "elasticloadbalancing", tc.form)
			if status != tc.status || !strings.Contains(body, "<Code>"+tc.code+"</Code>") || !strings.Contains(body, id) {
				t.Fatalf("status %d body %s", status, body)
			}
		})
	}
}

func TestAuthenticationAndLimits(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/", elbForm("DescribeLoadBalancers"))
	noErr(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(b), "MissingAuthenticationToken") || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("unsigned request: %d %s", resp.StatusCode, b)
	}

	// A wrong secret is refused and the secret never appears in the answer.
	bad := *srv
	bad.SecretAccessKey = "not-the-secret-xyz"
	status, body, _ := rawCall(t, &bad, "elasticloadbalancing", elbForm("DescribeLoadBalancers"))
	if status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") || strings.Contains(body, "not-the-secret-xyz") {
		t.Fatalf("bad signature: %d %s", status, body)
	}

	big := elbForm("DescribeLoadBalancers", "Padding", strings.Repeat("x", 2<<20))
	resp, err = http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(big.Encode()))
	noErr(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: status %d", resp.StatusCode)
	}

	many := elbForm("DescribeLoadBalancers")
	for i := range 5000 {
		many.Set("P"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strconv.Itoa(i), "1")
	}
	status, body, _ = rawCall(t, srv, "elasticloadbalancing", many)
	if status != 400 || !strings.Contains(body, "ValidationError") {
		t.Fatalf("too many parameters: %d %s", status, body)
	}
}

func TestPresignedGet(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	q := elbForm("DescribeAccountLimits")
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/?"+q.Encode(), nil)
	noErr(t, err)
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, emptySHA, "elasticloadbalancing", srv.Region, time.Now())
	noErr(t, err)
	resp, err := http.Get(signed)
	noErr(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "<Name>classic-load-balancers</Name><Max>20</Max>") {
		t.Fatalf("presigned GET: %d %s", resp.StatusCode, b)
	}
}

func TestRawListSemantics(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	call := func(form url.Values) (int, string) {
		status, body, _ := rawCall(t, srv, "elasticloadbalancing", form)
		return status, body
	}
	if status, body := call(elbForm("CreateLoadBalancer", "LoadBalancerName", "raw")); status != 400 || !strings.Contains(body, "<Code>MissingParameter</Code>") {
		t.Fatalf("create without listeners: %d %s", status, body)
	}
	if status, body := call(elbForm("CreateLoadBalancer", "LoadBalancerName", "raw",
		"Listeners.member.1.Protocol", "HTTP", "Listeners.member.1.LoadBalancerPort", "80", "Listeners.member.1.InstancePort", "80")); status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, body := call(elbForm("CreateLBCookieStickinessPolicy", "LoadBalancerName", "raw", "PolicyName", "s")); status != 200 {
		t.Fatalf("policy: %d %s", status, body)
	}
	if status, body := call(elbForm("SetLoadBalancerPoliciesOfListener", "LoadBalancerName", "raw", "LoadBalancerPort", "80", "PolicyNames.member.1", "s")); status != 200 {
		t.Fatalf("set: %d %s", status, body)
	}
	// An absent PolicyNames list clears the listener's policies.
	if status, body := call(elbForm("SetLoadBalancerPoliciesOfListener", "LoadBalancerName", "raw", "LoadBalancerPort", "80")); status != 200 {
		t.Fatalf("clear: %d %s", status, body)
	}
	_, body := call(elbForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "raw"))
	if !strings.Contains(body, "<Listener><Protocol>HTTP</Protocol><LoadBalancerPort>80</LoadBalancerPort><InstanceProtocol>HTTP</InstanceProtocol><InstancePort>80</InstancePort></Listener><PolicyNames></PolicyNames></member>") {
		t.Fatalf("listener policies not cleared or listener malformed: %s", body)
	}
	// Empty lists keep their container element, as AWS renders them.
	for _, want := range []string{"<BackendServerDescriptions></BackendServerDescriptions>", "<Instances></Instances>", "<AppCookieStickinessPolicies></AppCookieStickinessPolicies>"} {
		if !strings.Contains(body, want) {
			t.Fatalf("missing %s in %s", want, body)
		}
	}
}
