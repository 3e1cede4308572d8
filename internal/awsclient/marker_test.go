package awsclient

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
)

func TestFindNextMarker(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{`<R><LoadBalancers/><NextMarker>abc==</NextMarker></R>`, "abc=="},
		{`<R><NextMarker>a&amp;b&lt;c</NextMarker><LoadBalancers><member><Name>x</Name></member></LoadBalancers></R>`, "a&b<c"},
		{`<R><LoadBalancers/></R>`, ""},                                     // the last page
		{`<R><NextMarker></NextMarker></R>`, ""},                            // empty
		{`<R><NextMarker>a</NextMarker><NextMarker>b</NextMarker></R>`, ""}, // which one?
		{`<R><NextMarker><Inner>a</Inner></NextMarker></R>`, ""},            // not text
		{`<R><NextMarker>abc</R>`, ""},                                      // unclosed
		{`<R><Name>&lt;NextMarker&gt;x&lt;/NextMarker&gt;</Name></R>`, ""},  // escaped text is no element
		{`<R><NextMarker>abc</NextMarker></R><NextMarker>`, ""},             // a second start
		{`<R><NextMarker>a<!-- why -->b</NextMarker></R>`, ""},              // left to the SDK
		{"<R><NextMarker>\n  abc\n</NextMarker></R>", "\n  abc\n"},          // text as written
		{`<R><NextMarker>abc</NextMarker ></R>`, ""},                        // no exact end tag
		{`<R><NextMarker>x</NextMarker>`, "x"},                              // the rest is the SDK's
		{`<R><NextMarker>` + strings.Repeat("m", 1000) + `</NextMarker></R>`, strings.Repeat("m", 1000)},
	} {
		if got := findNextMarker([]byte(c.body)); got != c.want {
			t.Errorf("findNextMarker(%q) = %q, want %q", c.body, got, c.want)
		}
	}
}

// canned is an HTTP client answering every request with status and body; with cut set, the
// body fails with io.ErrUnexpectedEOF after its bytes.
type canned struct {
	status int
	body   string
	cut    bool
}

func (c canned) Do(r *http.Request) (*http.Response, error) {
	body := io.Reader(strings.NewReader(c.body))
	if c.cut {
		body = io.MultiReader(body, failedRead{io.ErrUnexpectedEOF})
	}
	return &http.Response{StatusCode: c.status, Header: http.Header{"Content-Type": {"text/xml"}},
		ContentLength: int64(len(c.body)), Body: io.NopCloser(body), Request: r}, nil
}

const v2NS = `xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"`

func describePage(balancers, tail string) string {
	return `<DescribeLoadBalancersResponse ` + v2NS + `><DescribeLoadBalancersResult><LoadBalancers>` + balancers +
		`</LoadBalancers>` + tail + `</DescribeLoadBalancersResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></DescribeLoadBalancersResponse>`
}

// describe calls DescribeLoadBalancers through an SDK client answered by hc, with the
// NextMarker interceptor, and returns what it found, in order.
func describe(t *testing.T, hc canned) (*elbv2sdk.DescribeLoadBalancersOutput, []string, error) {
	t.Helper()
	c := elbv2sdk.NewFromConfig(aws.Config{Region: "eu-west-1", HTTPClient: hc,
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		Retryer:     func() aws.Retryer { return aws.NopRetryer{} }})
	var found []string
	out, err := c.DescribeLoadBalancers(context.Background(), &elbv2sdk.DescribeLoadBalancersInput{}, func(o *elbv2sdk.Options) {
		o.Interceptors.AddBeforeDeserialization(NextMarker{Found: func(m string) { found = append(found, m) }})
	})
	return out, found, err
}

// The marker is found in the raw answer, and the SDK still decodes the whole of it.
func TestNextMarkerFindsTheMarkerAndLeavesTheAnswer(t *testing.T) {
	lbs := strings.Repeat(`<member><LoadBalancerName>web</LoadBalancerName><Type>application</Type></member>`, 3)
	out, found, err := describe(t, canned{status: 200, body: describePage(lbs, `<NextMarker>bmV4dA==</NextMarker>`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 || found[0] != "bmV4dA==" || aws.ToString(out.NextMarker) != found[0] || len(out.LoadBalancers) != 3 {
		t.Fatalf("found %q; the SDK decoded marker %q and %d balancers", found, aws.ToString(out.NextMarker), len(out.LoadBalancers))
	}
	out, found, err = describe(t, canned{status: 200, body: describePage(lbs, "")})
	if err != nil || len(found) != 0 || out.NextMarker != nil || len(out.LoadBalancers) != 3 {
		t.Fatalf("last page: found %q, err %v, decoded %+v", found, err, out)
	}
}

// The marker comes from the raw bytes, not the decoding: an answer the SDK cannot decode still
// reports it (the listing then fails with the SDK's error, and drops what it started).
func TestNextMarkerDoesNotWaitForTheDecoding(t *testing.T) {
	body := describePage(`<member><LoadBalancerName>web</LoadBalancerName></member>`, `<NextMarker>m</NextMarker>`)
	body = strings.Replace(body, "</LoadBalancerName>", "</Oops>", 1)
	_, found, err := describe(t, canned{status: 200, body: body})
	if err == nil {
		t.Fatal("a malformed answer decoded")
	}
	if len(found) != 1 || found[0] != "m" {
		t.Fatalf("found %q, want the marker of the raw answer", found)
	}
}

// Errors reach the caller as they would without the interceptor, and report no marker.
func TestNextMarkerLeavesErrorsAlone(t *testing.T) {
	refusal := `<ErrorResponse ` + v2NS + `><Error><Type>Sender</Type><Code>Throttling</Code><Message>slow down</Message>` +
		`<NextMarker>m</NextMarker></Error><RequestId>r-2</RequestId></ErrorResponse>`
	_, found, err := describe(t, canned{status: 400, body: refusal})
	if !HasCode(err, "Throttling") || len(found) != 0 {
		t.Fatalf("error answer: found %q, err %v; want Throttling and no marker", found, err)
	}
	_, found, err = describe(t, canned{status: 200, body: describePage("", `<NextMarker>m</NextMarker>`), cut: true})
	if !errors.Is(err, io.ErrUnexpectedEOF) || len(found) != 0 {
		t.Fatalf("cut answer: found %q, err %v; want io.ErrUnexpectedEOF and no marker", found, err)
	}
}
