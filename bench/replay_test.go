package bench

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// prepare signs one DescribeLoadBalancers per name with c.
func prepare(t *testing.T, c *RawClient, names ...string) []Prepared {
	t.Helper()
	var reqs []Prepared
	for _, n := range names {
		p, err := c.Prepare(context.Background(), "DescribeLoadBalancers", form("LoadBalancerNames.member.1", n), "<LoadBalancerName>"+n+"</LoadBalancerName>")
		if err != nil {
			t.Fatal(err)
		}
		reqs = append(reqs, p)
	}
	return reqs
}

// The script wrk runs sends the prepared requests byte for byte, each in its turn: over one
// connection the server sees them in order, over and over, each with a signature that verifies.
func TestReplayCyclesThroughEveryRequest(t *testing.T) {
	wrk := testenv.RequireTool(t, "wrk")
	v := sigv4auth.NewVerifier(nil, "elasticloadbalancing")
	var (
		mu   sync.Mutex
		seen []string // bodies, in the order they arrived
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := v.Verify(r, body); err != nil {
			t.Errorf("a replayed request does not verify: %v", err)
			w.WriteHeader(http.StatusForbidden)
			return
		}
		mu.Lock()
		seen = append(seen, string(body))
		mu.Unlock()
		io.WriteString(w, "<DescribeLoadBalancersResponse/>")
	}))
	defer ts.Close()
	c, err := NewRawClient(ts.URL, ClassicVersion, "us-east-1", "test", "test", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	reqs := prepare(t, c, "a", "b b", "c&d", "é")
	want := make([]string, len(reqs))
	for i, p := range reqs {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(p.Raw)))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		want[i] = string(b)
	}

	res, err := RunReplay(context.Background(), wrk, ts.URL, reqs, 1, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if res.Total < int64(2*len(reqs)) || int64(len(seen)) < res.Total {
		t.Fatalf("wrk counted %d answers, the server saw %d requests; want at least %d", res.Total, len(seen), 2*len(reqs))
	}
	// wrk calls request() once before the run to check what it returns: the walk starts
	// wherever that left it.
	start := slices.Index(want, seen[0])
	if start < 0 {
		t.Fatalf("the first request carried %q, none of the prepared", seen[0])
	}
	for i, got := range seen {
		if w := want[(start+i)%len(want)]; got != w {
			t.Fatalf("request %d carried %q, want %q", i, got, w)
		}
	}
	if res.CPU <= 0 || res.Requests <= 0 {
		t.Errorf("no wrk CPU time or rate: %+v", res)
	}
}

// Against the endpoint, prepared requests are answered as signed and checked like Call's:
// a body changed after signing is refused, an answer without the wanted name is an error, and
// a replay of them is answered 2xx throughout.
func TestReplayAgainstEndpoint(t *testing.T) {
	wrk := testenv.RequireTool(t, "wrk")
	srv := elbtest.NewServer()
	defer srv.Close()
	c, err := NewRawClient(srv.URL, ClassicVersion, srv.Region, srv.AccessKeyID, srv.SecretAccessKey, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	for _, n := range []string{"rep-1", "rep-2"} {
		if _, err := c.Call(ctx, "CreateLoadBalancer", form("LoadBalancerName", n,
			"Listeners.member.1.Protocol", "HTTP", "Listeners.member.1.LoadBalancerPort", "80",
			"Listeners.member.1.InstancePort", "8080", "AvailabilityZones.member.1", "us-east-1a"), "<DNSName>"); err != nil {
			t.Fatal(err)
		}
	}
	reqs := prepare(t, c, "rep-1", "rep-2")
	if err := c.Check(ctx, reqs); err != nil {
		t.Fatalf("prepared requests: %v", err)
	}

	tampered := reqs[0]
	tampered.Raw = bytes.Replace(tampered.Raw, []byte("rep-1"), []byte("rep-2"), 1)
	tampered.Want = "<LoadBalancerName>rep-2</LoadBalancerName>"
	if err := c.Check(ctx, []Prepared{tampered}); err == nil || !strings.Contains(err.Error(), "HTTP 403 (SignatureDoesNotMatch)") {
		t.Errorf("a body changed after signing: %v", err)
	}
	wrong := reqs[0]
	wrong.Want = "<LoadBalancerName>rep-2</LoadBalancerName>"
	if err := c.Check(ctx, []Prepared{wrong}); err == nil || !strings.Contains(err.Error(), "answer lacks") {
		t.Errorf("an answer without the wanted name: %v", err)
	}

	res, err := RunReplay(ctx, wrk, srv.URL, reqs, 2, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if res.Total == 0 {
		t.Error("wrk counted no answers")
	}
	// Any refusal fails the run, as the benchmark needs.
	if _, err := RunReplay(ctx, wrk, srv.URL, []Prepared{tampered}, 1, time.Second); err == nil || !strings.Contains(err.Error(), "Non-2xx") {
		t.Errorf("replaying a refused request: %v", err)
	}
}

func TestWrkTotal(t *testing.T) {
	if n, err := wrkTotal(wrkSample); err != nil || n != 209412 {
		t.Errorf("wrkTotal = %d, %v; want 209412", n, err)
	}
	if _, err := wrkTotal("Requests/sec: 10\n"); err == nil {
		t.Error("no request count: want an error")
	}
}
