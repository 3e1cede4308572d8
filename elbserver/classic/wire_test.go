package classic_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// golden replaces the request id so a response can be compared byte for byte.
func golden(body, reqID string) string { return strings.ReplaceAll(body, reqID, "REQID") }

func TestGoldenCreateAndError(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	status, body, id := sdkcheck.RawCall(t, srv, "elasticloadbalancing", sdkcheck.ELBForm("CreateLoadBalancer",
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

	status, body, id = sdkcheck.RawCall(t, srv, "elasticloadbalancing", sdkcheck.ELBForm("DescribeLoadBalancerAttributes", "LoadBalancerName", "nope"))
	want = `<ErrorResponse xmlns="http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"><Error><Type>Sender</Type>` +
		`<Code>LoadBalancerNotFound</Code><Message>There is no ACTIVE Load Balancer named &#39;nope&#39;</Message></Error>` +
		`<RequestId>REQID</RequestId></ErrorResponse>`
	if status != 400 || golden(body, id) != want {
		t.Fatalf("status %d body:\n got %s\nwant %s", status, golden(body, id), want)
	}

	status, body, id = sdkcheck.RawCall(t, srv, "elasticloadbalancing", sdkcheck.ELBForm("DescribeLoadBalancerAttributes", "LoadBalancerName", "gold"))
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

func TestRawListSemantics(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	call := func(form url.Values) (int, string) {
		status, body, _ := sdkcheck.RawCall(t, srv, "elasticloadbalancing", form)
		return status, body
	}
	if status, body := call(sdkcheck.ELBForm("CreateLoadBalancer", "LoadBalancerName", "raw")); status != 400 || !strings.Contains(body, "<Code>MissingParameter</Code>") {
		t.Fatalf("create without listeners: %d %s", status, body)
	}
	if status, body := call(sdkcheck.ELBForm("CreateLoadBalancer", "LoadBalancerName", "raw",
		"Listeners.member.1.Protocol", "HTTP", "Listeners.member.1.LoadBalancerPort", "80", "Listeners.member.1.InstancePort", "80")); status != 200 {
		t.Fatalf("create: %d %s", status, body)
	}
	if status, body := call(sdkcheck.ELBForm("CreateLBCookieStickinessPolicy", "LoadBalancerName", "raw", "PolicyName", "s")); status != 200 {
		t.Fatalf("policy: %d %s", status, body)
	}
	if status, body := call(sdkcheck.ELBForm("SetLoadBalancerPoliciesOfListener", "LoadBalancerName", "raw", "LoadBalancerPort", "80", "PolicyNames.member.1", "s")); status != 200 {
		t.Fatalf("set: %d %s", status, body)
	}
	// An absent PolicyNames list clears the listener's policies.
	if status, body := call(sdkcheck.ELBForm("SetLoadBalancerPoliciesOfListener", "LoadBalancerName", "raw", "LoadBalancerPort", "80")); status != 200 {
		t.Fatalf("clear: %d %s", status, body)
	}
	_, body := call(sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "raw"))
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
