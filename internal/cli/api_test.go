package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

// fastClock is an endpoint clock that moves a minute on every reading, so that ELBv2 targets
// pass their initial health checks after a poll or two rather than minutes.
func fastClock() func() time.Time {
	var mu sync.Mutex
	now := time.Now()
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Minute)
		return now
	}
}

// v2Endpoint is an endpoint with a fast clock and two instances declared, for ELBv2 tests.
func v2Endpoint(t *testing.T) (*elbtest.Server, []string) {
	t.Helper()
	ts, ep := endpoint(t, elbtest.WithOptions(elbserver.Options{Now: fastClock()}))
	declare(t, ts, "i-00000000000000061", "10.0.0.61")
	declare(t, ts, "i-00000000000000062", "10.0.0.62")
	return ts, ep
}

// The portable commands work for every API, each seeing only its own balancers.
func TestPortableCommandsForEveryAPI(t *testing.T) {
	_, ep := v2Endpoint(t)
	for _, tc := range []struct{ api, proto string }{{"alb", "http"}, {"nlb", "tcp"}} {
		t.Run(tc.api, func(t *testing.T) {
			api := args(ep, "--api", tc.api)
			name := "web-" + tc.api
			var lb loadbalancer.LoadBalancer
			okJSON(t, &lb, args(api, "balancers", "create", name, "--port", "80", "--protocol", tc.proto,
				"--member", "10.0.0.61:8080", "--tag", "api="+tc.api)...)
			if lb.Name != name || !strings.Contains(lb.ID, ":loadbalancer/") || len(lb.Listeners) != 1 ||
				lb.Listeners[0].InstancePort != 8080 || len(lb.Members) != 1 || lb.Members[0].ID != "i-00000000000000061" {
				t.Fatalf("created = %+v", lb)
			}
			var listed []loadbalancer.LoadBalancer
			okJSON(t, &listed, args(api, "balancers", "list", "--tags")...)
			if len(listed) != 1 || listed[0].Name != name || listed[0].Tags["api"] != tc.api || len(listed[0].Listeners) != 1 {
				t.Errorf("list = %+v, want this API's balancer alone, with its listener and tags", listed)
			}
			if out := ok(t, args(api, "balancers", "get", lb.ID)...); !strings.Contains(out, "80/"+strings.ToUpper(tc.proto)+"->8080/") {
				t.Errorf("get by ARN:\n%s", out)
			}

			// Members: attach waits until healthy, detach says what was not there.
			var attached []loadbalancer.Member
			okJSON(t, &attached, args(api, "members", "attach", name, "i-00000000000000062", "--wait")...)
			if len(attached) != 1 || attached[0].Health != "healthy" || attached[0].Condition != loadbalancer.MemberEnabled {
				t.Errorf("attach --wait = %+v", attached)
			}
			if got := ok(t, args(api, "members", "detach", name, "10.0.0.62", "10.0.0.99")...); got != "detached "+name+": 10.0.0.62 (not registered: 10.0.0.99)\n" {
				t.Errorf("detach = %q", got)
			}
			if got := ok(t, args(api, "members", "detach", name, "i-00000000000000099")...); got != "nothing to detach "+name+": i-00000000000000099 (not registered with the balancer)\n" {
				t.Errorf("detach of a stranger = %q", got)
			}

			var updated loadbalancer.LoadBalancer
			okJSON(t, &updated, args(api, "balancers", "update", name, "--port", "8081")...)
			if updated.Port != 8081 {
				t.Errorf("update --port: %+v", updated.Listeners)
			}
			ok(t, args(api, "balancers", "delete", name)...)
			if got := ok(t, args(api, "balancers", "delete", name)...); got != "nothing to delete "+name+" (no load balancer of that name)\n" {
				t.Errorf("second delete = %q", got)
			}
		})
	}
	// Classic, the default, sees none of them.
	if out := ok(t, args(ep, "balancers", "list", "-o", "json")...); strings.TrimSpace(out) != "[]" {
		t.Errorf("classic list: %s", out)
	}
}

// An ALB's algorithm is chosen at creation and changed by update; the other APIs refuse the
// ones they cannot honour before connecting.
func TestAlgorithms(t *testing.T) {
	_, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ok(t, args(alb, "balancers", "create", "web", "--port", "80", "--protocol", "http", "--algorithm", "least-connections")...)
	ok(t, args(alb, "balancers", "update", "web", "--algorithm", "RANDOM")...)
	if out := ok(t, "__complete", "--api", "nlb", "balancers", "create", "x", "--algorithm", ""); out != "flow-hash\n:4\n" {
		t.Errorf("nlb algorithms: %q", out)
	}
}

// LBCTL_API sets the default API; --api beats it.
func TestAPIFromTheEnvironment(t *testing.T) {
	_, ep := v2Endpoint(t)
	t.Setenv(apiEnv, "nlb")
	ok(t, args(ep, "balancers", "create", "tcp", "--port", "80", "--protocol", "tcp")...)
	var lbs []loadbalancer.LoadBalancer
	okJSON(t, &lbs, args(ep, "--api", "classic", "balancers", "list")...)
	if len(lbs) != 0 {
		t.Errorf("--api classic under LBCTL_API=nlb lists %+v", lbs)
	}
	okJSON(t, &lbs, args(ep, "balancers", "list")...)
	if len(lbs) != 1 || lbs[0].Name != "tcp" {
		t.Errorf("LBCTL_API=nlb lists %+v", lbs)
	}
	t.Setenv(apiEnv, "gwlb")
	r := fails(t, ExitUsage, args(ep, "balancers", "list")...)
	if !strings.Contains(r.stderr, `LBCTL_API=gwlb: the API must be classic, alb or nlb`) {
		t.Errorf("bad LBCTL_API: %s", r.stderr)
	}
}

// --endpoint aws goes wherever the SDK's own resolution says: here AWS_ENDPOINT_URL; --endpoint
// local is the default.
func TestEndpointKeywords(t *testing.T) {
	ts, _ := v2Endpoint(t)
	t.Setenv("AWS_ENDPOINT_URL", ts.URL)
	ok(t, "--endpoint", "aws", "--api", "alb", "balancers", "create", "remote", "--port", "80", "--protocol", "http")
	var lbs []loadbalancer.LoadBalancer
	okJSON(t, &lbs, "--provider", "elb", "--api", "alb", "balancers", "list")
	if len(lbs) != 1 || lbs[0].Name != "remote" {
		t.Errorf("--provider elb lists %+v", lbs)
	}
	okJSON(t, &lbs, "--endpoint", "local", "--api", "alb", "balancers", "list")
	if len(lbs) != 0 {
		t.Errorf("--endpoint local lists %+v", lbs)
	}
}

// Every mistake about the API or the target is a usage error naming the flag, found before
// anything connects (TestUsageErrors's rules).
func TestAPIUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--api", "elbv2", "balancers", "list"}, "--api elbv2: the API must be classic, alb or nlb"},
		{[]string{"--api", "alb", "policies", "list", "web"}, "'lbctl policies' is for Classic ELB (--api classic) only, not --api alb; with ELBv2, policies are attributes"},
		{[]string{"--api", "nlb", "health-check", "web"}, "'lbctl health-check' is for Classic ELB (--api classic) only, not --api nlb; an ELBv2 target group holds the health check"},
		{[]string{"--api", "alb", "zones", "enable", "web", "us-east-1a"}, "'lbctl zones' is for Classic ELB"},
		{[]string{"--endpoint", "local", "--provider", "elb", "balancers", "list"}, "--endpoint local contradicts --provider elb"},
		{[]string{"--endpoint", "aws", "--provider", "local", "balancers", "list"}, "--endpoint aws contradicts --provider local"},
		{[]string{"--endpoint", "remote", "balancers", "list"}, `--endpoint "remote" must be a URL with its scheme, such as http://127.0.0.1:4580 or https://elasticloadbalancing.eu-west-1.amazonaws.com, or local or aws`},
		{[]string{"--endpoint", "local", "--region", "xx-nowhere-1", "balancers", "list"}, `--region "xx-nowhere-1" is not an AWS region`},
		{[]string{"--api", "nlb", "balancers", "create", "web", "--port", "80", "--protocol", "http"}, `--protocol must be tcp, udp, ssl, tls, tcp_udp, quic or tcp_quic, not "http"`},
		{[]string{"--api", "alb", "balancers", "create", "web", "--port", "80", "--protocol", "tcp"}, `--protocol must be http or https, not "tcp"`},
		{[]string{"--api", "nlb", "balancers", "create", "web", "--port", "443", "--protocol", "tls"}, "--certificate is required with --protocol tls"},
		{[]string{"--api", "alb", "balancers", "create", "web", "--port", "80", "--protocol", "http", "--algorithm", "flow-hash"}, `--algorithm must be round-robin, least-connections or random for Application Load Balancers, not "flow-hash"`},
		{[]string{"balancers", "create", "web", "--port", "80", "--protocol", "http", "--algorithm", "random"}, `--algorithm must be round-robin or least-connections for Classic ELB`},
		{[]string{"--api", "alb", "balancers", "create", "arn:aws:elasticloadbalancing:x", "--port", "80", "--protocol", "http"}, "a new load balancer is given by its name, not an ARN"},
		{[]string{"balancers", "get", "arn:aws:elasticloadbalancing:x"}, `load balancer name "arn:aws:elasticloadbalancing:x"`},
		{[]string{"balancers", "update", "web"}, "give at least one of --port, --protocol and --algorithm"},
		{[]string{"balancers", "update", "web", "--port", "0"}, "--port must be a port in 1-65535"},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			isUsageError(t, tc.want, tc.args...)
		})
	}
}

// isUsageError runs args on a fresh local state and checks that they exit 2 with a usage
// error containing want, before anything touches the state.
func isUsageError(t *testing.T, want string, argv ...string) {
	t.Helper()
	state := localEnv(t)
	r := fails(t, ExitUsage, argv...)
	if !strings.HasPrefix(r.stderr, "lbctl: usage: ") || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "hint: run 'lbctl") {
		t.Errorf("stderr = %q, want a usage error containing %q and the help hint", r.stderr, want)
	}
	if _, err := os.Stat(filepath.Dir(state)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the usage error touched the local state: %v", err)
	}
}

func TestProtocolCompletionFollowsTheAPI(t *testing.T) {
	localEnv(t)
	for api, want := range map[string][]string{"classic": {"http", "https", "tcp", "ssl"}, "alb": {"http", "https"}} {
		out := ok(t, "__complete", "--api", api, "balancers", "create", "web", "--protocol", "")
		if got := strings.Split(strings.TrimSuffix(out, "\n:4\n"), "\n"); !slices.Equal(got, want) {
			t.Errorf("--api %s: %q", api, out)
		}
	}
}
