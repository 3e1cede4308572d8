package bench

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// The raw client's requests must be what the real endpoint accepts: signed, well-formed
// Query API calls whose answers pass the cheap checks, and a refusal must be an error.
func TestRawClientAgainstEndpoint(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	c, err := NewRawClient(srv.URL, ClassicVersion, srv.Region, srv.AccessKeyID, srv.SecretAccessKey, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	if _, err := c.Call(ctx, "CreateLoadBalancer", form("LoadBalancerName", "raw-1",
		"Listeners.member.1.Protocol", "HTTP", "Listeners.member.1.LoadBalancerPort", "80",
		"Listeners.member.1.InstancePort", "8080", "AvailabilityZones.member.1", "us-east-1a"), "<DNSName>"); err != nil {
		t.Fatal(err)
	}
	ops := classicLoads([]string{"raw-1"}).ops()
	for _, op := range ops {
		for i := range 6 {
			if err := op.send(ctx, c, 0, i); err != nil {
				t.Fatalf("%s request %d: %v", op.name, i, err)
			}
		}
	}
	// Twelve sequential requests after the create reuse the one connection.
	if n := c.Dials(); n != 1 {
		t.Errorf("opened %d connections for sequential requests, want 1", n)
	}
	if _, err := c.Call(ctx, "DescribeLoadBalancers", form("LoadBalancerNames.member.1", "raw-1"), "<LoadBalancerName>other</LoadBalancerName>"); err == nil || !strings.Contains(err.Error(), "answer lacks") {
		t.Errorf("an answer without the wanted name: %v", err)
	}
	if _, err := c.Call(ctx, "DescribeLoadBalancers", form("LoadBalancerNames.member.1", "missing"), ""); err == nil || !strings.Contains(err.Error(), "HTTP 400 (LoadBalancerNotFound)") {
		t.Errorf("describing a missing balancer: %v", err)
	}

	bad, err := NewRawClient(srv.URL, ClassicVersion, srv.Region, srv.AccessKeyID, "not-the-secret", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	_, err = bad.Call(ctx, "DescribeLoadBalancers", "", "")
	if err == nil || !strings.Contains(err.Error(), "HTTP 403 (SignatureDoesNotMatch)") {
		t.Errorf("a wrong secret: %v", err)
	}
	if err != nil && strings.Contains(err.Error(), "not-the-secret") {
		t.Error("the error quotes the secret")
	}
}

// The signature covers the exact body sent, checked by the project's own verifier, and the
// body is the form the Query API expects.
func TestRawClientRequestShape(t *testing.T) {
	v := sigv4auth.NewVerifier(nil, "elasticloadbalancing")
	var got url.Values
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := v.Verify(r, body); err != nil {
			t.Errorf("signature refused: %v", err)
		}
		got, _ = url.ParseQuery(string(body))
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
			t.Errorf("content type %q", ct)
		}
		io.WriteString(w, "<AddTagsResponse><AddTagsResult/></AddTagsResponse>")
	}))
	defer ts.Close()
	c, err := NewRawClient(ts.URL, ClassicVersion, "us-east-1", "test", "test", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n, err := c.Call(context.Background(), "AddTags", form("LoadBalancerNames.member.1", "a b", "Tags.member.1.Value", "x&y=z"), "")
	if err != nil {
		t.Fatal(err)
	}
	if n != len("<AddTagsResponse><AddTagsResult/></AddTagsResponse>") {
		t.Errorf("body length %d", n)
	}
	want := url.Values{"Action": {"AddTags"}, "Version": {"2012-06-01"}, "LoadBalancerNames.member.1": {"a b"}, "Tags.member.1.Value": {"x&y=z"}}
	if got.Encode() != want.Encode() {
		t.Errorf("form %v, want %v", got, want)
	}
}

func TestCheckAnswer(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
		err    string // "" for success
	}{
		{200, `<DescribeLoadBalancersResponse xmlns="x"><LoadBalancerName>a</LoadBalancerName>`, "<LoadBalancerName>a</LoadBalancerName>", ""},
		{200, `<DescribeLoadBalancersResponse>`, "", ""},
		{200, `<AddTagsResponse>`, "", "without a <DescribeLoadBalancersResponse> element"},
		{200, `<DescribeLoadBalancersResponse>`, "zz", `lacks "zz"`},
		{500, `oops`, "", "HTTP 500 (no error code)"},
		{400, `<Error><Code>Throttling</Code><Message>slow down</Message></Error>`, "", "HTTP 400 (Throttling)"},
	} {
		err := checkAnswer("DescribeLoadBalancers", tc.status, []byte(tc.body), tc.want)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%d %q: %v", tc.status, tc.body, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%d %q: got %v, want an error with %q", tc.status, tc.body, err, tc.err)
		}
	}
}

func TestNewRawClientRefusesBadURL(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:80", "ftp://h/", "http://"} {
		if _, err := NewRawClient(u, ClassicVersion, "us-east-1", "a", "b", 1); err == nil {
			t.Errorf("NewRawClient(%q) accepted", u)
		}
	}
}

func TestForm(t *testing.T) {
	if got := form("A", "1", "B.member.1", "x y/z"); got != "A=1&B.member.1=x+y%2Fz" {
		t.Errorf("form = %q", got)
	}
}

func TestListenInodes(t *testing.T) {
	table := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C000 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0 100 0 0 10 0
   2: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0 100 0 0 10 0
`
	got, err := listenInodes(strings.NewReader(table), 0x1F90)
	if err != nil || len(got) != 1 || got[0] != "111" {
		t.Errorf("listenInodes = %v, %v; want [111] (the established socket is not a listener)", got, err)
	}
	if _, err := listenInodes(strings.NewReader("header\n0: short\n"), 80); err == nil {
		t.Error("a malformed table parsed")
	}
}

func TestListenerPIDSelf(t *testing.T) {
	if _, err := os.Stat("/proc/net/tcp"); err != nil {
		t.Skip("no /proc/net/tcp on this system")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	pid, err := ListenerPID(ln.Addr().(*net.TCPAddr).Port)
	if err != nil {
		t.Fatal(err)
	}
	if pid != os.Getpid() {
		t.Errorf("ListenerPID = %d, want this process %d", pid, os.Getpid())
	}
}
