package cli

import (
	"context"
	"errors"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

// localEnv isolates the default local provider: a fresh XDG_STATE_HOME and no AWS settings.
func localEnv(t *testing.T) string {
	t.Helper()
	testenv.AWSEnv(t)
	t.Setenv(apiEnv, "") // the default API, whatever the caller's environment says
	dir := t.TempDir()
	t.Setenv("XDG_STATE_HOME", dir)
	return filepath.Join(dir, "lbcloud", "state.db")
}

func TestLocalProviderKeepsStateBetweenCommands(t *testing.T) {
	state := localEnv(t)
	// The local endpoint needs no credentials of the user's: an unusable profile is ignored.
	t.Setenv("AWS_PROFILE", "no-such-profile")
	ok(t, "balancers", "create", "web", "--port", "80", "--protocol", "http", "--member", "i-00000000000000041")
	var lbs []loadbalancer.LoadBalancer
	okJSON(t, &lbs, "balancers", "list")
	if len(lbs) != 1 || lbs[0].Name != "web" || len(lbs[0].Members) != 1 {
		t.Fatalf("second command sees %+v", lbs)
	}
	if fi, err := os.Stat(state); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	if fi, err := os.Stat(filepath.Dir(state)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("state directory: %v, mode %v; want 0700", err, fi.Mode().Perm())
	}
	// Another region is another partition of the same file.
	okJSON(t, &lbs, "balancers", "list", "--region", "eu-west-1")
	if len(lbs) != 0 {
		t.Errorf("eu-west-1 sees %+v", lbs)
	}
}

// startServe runs 'lbctl serve' in-process and returns its URL and a stop function that
// returns the exit code and stderr.
func startServe(t *testing.T, extra ...string) (string, func() (int, string)) {
	t.Helper()
	url, _, stop := startServeOut(t, extra...)
	return url, stop
}

// startServeOut is startServe that also returns what serve prints on stdout.
func startServeOut(t *testing.T, extra ...string) (string, *testenv.Buffer, func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut testenv.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, extra...), &out, &errOut)
	}()
	urlRE := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+) `)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			stopped := false
			stop := func() (int, string) {
				if !stopped {
					stopped = true
					cancel()
				}
				return <-done, errOut.String()
			}
			t.Cleanup(func() { cancel() })
			return m[1], &out, stop
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before listening:\n%s%s", code, out.String(), errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve printed no URL:\n%s", out.String())
		}
	}
}

func TestServeHoldsTheStateAndStopsCleanly(t *testing.T) {
	state := localEnv(t)
	url, stop := startServe(t)

	// While serve holds the state file, plain commands go through it.
	if b, err := os.ReadFile(state + ".serve"); err != nil || strings.TrimSpace(string(b)) != url {
		t.Fatalf("discovery file: %q, %v; want %s", b, err, url)
	}
	ok(t, "balancers", "create", "served", "--port", "80", "--protocol", "tcp")
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	var lbs []loadbalancer.LoadBalancer
	okJSON(t, &lbs, "--endpoint", url, "balancers", "list")
	if len(lbs) != 1 || lbs[0].Name != "served" {
		t.Fatalf("through --endpoint after a plain create: %+v", lbs)
	}

	code, stderr := stop()
	if code != ExitOK || !strings.Contains(stderr, "endpoint stopped") {
		t.Fatalf("serve: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(state + ".serve"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("discovery file left after serve stopped: %v", err)
	}
	// The state is released and holds what was done through the endpoint.
	okJSON(t, &lbs, "balancers", "list")
	if len(lbs) != 1 || lbs[0].Name != "served" {
		t.Errorf("after serve: %+v", lbs)
	}
}

// A discovery file left by a serve that was killed names a port nobody answers on: plain
// commands use the state file as if it were not there.
func TestStaleDiscoveryFileIsIgnored(t *testing.T) {
	state := localEnv(t)
	ok(t, "balancers", "create", "web", "--port", "80", "--protocol", "http")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "http://" + ln.Addr().String()
	ln.Close()
	if err := os.WriteFile(state+".serve", []byte(dead+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := ok(t, "balancers", "list"); !strings.Contains(out, "web") {
		t.Errorf("list with a stale discovery file:\n%s", out)
	}
}

// A serve that plain commands cannot sign for (its own credentials) announces nothing: they
// are told the state is held and how to reach it.
func TestServeWithCredentialsIsReachedByEndpoint(t *testing.T) {
	state := localEnv(t)
	creds := filepath.Join(t.TempDir(), "creds")
	if err := os.WriteFile(creds, []byte("AKIDSERVE0001 servesecret0001 123456789012\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stop := startServe(t, "--credentials", creds)
	defer stop()
	if _, err := os.Stat(state + ".serve"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("serve with --credentials announced itself: %v", err)
	}
	r := fails(t, ExitFailed, "balancers", "list")
	if !strings.Contains(r.stderr, "in use by another process") || !strings.Contains(r.stderr, "hint: another process holds "+state) ||
		!strings.Contains(r.stderr, "--endpoint URL") {
		t.Errorf("busy state file: %s", r.stderr)
	}
}

func TestServeOptions(t *testing.T) {
	localEnv(t)
	dir := t.TempDir()
	creds := filepath.Join(dir, "creds")
	if err := os.WriteFile(creds, []byte("AKIDSERVE0001 servesecret0001 123456789012\nASIASERVE0002 servesecret0002 123456789012 servetoken0002\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	url, stop := startServe(t, "--state", filepath.Join(dir, "s.db"), "--credentials", creds,
		"--limit", "classic-load-balancers=3", "--latency", "1ms")

	// The default key pair is refused; the file's is accepted.
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	r := fails(t, ExitFailed, "--endpoint", url, "limits")
	if !strings.Contains(r.stderr, "InvalidClientTokenId") || !strings.Contains(r.stderr, "hint: check the credentials") {
		t.Errorf("unknown key: %s", r.stderr)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDSERVE0001")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong")
	r = fails(t, ExitFailed, "--endpoint", url, "limits")
	if !strings.Contains(r.stderr, "SignatureDoesNotMatch") || strings.Contains(r.stderr, "servesecret0001") {
		t.Errorf("wrong secret: %s", r.stderr)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "servesecret0001")
	var limits []limitJSON
	okJSON(t, &limits, "--endpoint", url, "limits")
	if len(limits) == 0 || limits[0] != (limitJSON{Name: "classic-load-balancers", Max: "3"}) {
		t.Errorf("limits = %+v", limits)
	}
	if out := ok(t, "--endpoint", url, "limits"); !regexp.MustCompile(`(?m)^classic-load-balancers\s+3$`).MatchString(out) {
		t.Errorf("limits table:\n%s", out)
	}
	// Temporary credentials (a fourth column) need their session token, and only that one.
	t.Setenv("AWS_ACCESS_KEY_ID", "ASIASERVE0002")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "servesecret0002")
	for _, token := range []string{"", "someothertoken"} {
		t.Setenv("AWS_SESSION_TOKEN", token)
		if r := fails(t, ExitFailed, "--endpoint", url, "limits"); !strings.Contains(r.stderr, "InvalidClientTokenId") || strings.Contains(r.stderr, "servetoken0002") {
			t.Errorf("temporary key with token %q: %s", token, r.stderr)
		}
	}
	t.Setenv("AWS_SESSION_TOKEN", "servetoken0002")
	ok(t, "--endpoint", url, "limits")
	if code, stderr := stop(); code != ExitOK {
		t.Fatalf("serve: exit %d\n%s", code, stderr)
	}

	for _, bad := range [][]string{
		{"serve", "--listen", "nonsense"},
		{"serve", "--listen", "127.0.0.1:0", "--limit", "x=-1"},
		{"serve", "--listen", "127.0.0.1:0", "--error-rate", "2"},
	} {
		fails(t, ExitUsage, bad...)
	}
	r = fails(t, ExitFailed, "serve", "--listen", "127.0.0.1:0", "--credentials", filepath.Join(dir, "missing"))
	if !strings.Contains(r.stderr, "credentials file") {
		t.Errorf("missing credentials file: %s", r.stderr)
	}
}

func TestServeAnswersTheAWSCLI(t *testing.T) {
	aws := testenv.RequireAWSCLI(t)
	localEnv(t)
	url, stop := startServe(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	ok(t, "--endpoint", url, "balancers", "create", "fromcli", "--port", "80", "--protocol", "http")
	// The command serve prints as its AWS CLI hint.
	out, err := exec.Command(aws, "--endpoint-url", url, "--region", "us-east-1", "elb", "describe-load-balancers",
		"--query", "LoadBalancerDescriptions[].LoadBalancerName", "--output", "text").CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "fromcli" {
		t.Errorf("aws elb describe-load-balancers: %v\n%s", err, out)
	}
	// And the other way round: what awscli creates, lbctl lists.
	out, err = exec.Command(aws, "--endpoint-url", url, "--region", "us-east-1", "elb", "create-load-balancer",
		"--load-balancer-name", "fromaws", "--listeners", "Protocol=TCP,LoadBalancerPort=25,InstancePort=2525",
		"--availability-zones", "us-east-1b").CombinedOutput()
	if err != nil {
		t.Fatalf("aws elb create-load-balancer: %v\n%s", err, out)
	}
	var lbs []loadbalancer.LoadBalancer
	okJSON(t, &lbs, "--endpoint", url, "balancers", "list")
	got := map[string]loadbalancer.LoadBalancer{}
	for _, lb := range lbs {
		got[lb.Name] = lb
	}
	if lb, found := got["fromaws"]; !found || len(got) != 2 || lb.Port != 25 || lb.Listeners[0].InstancePort != 2525 ||
		lb.Listeners[0].Protocol != loadbalancer.TCP || !slices.Equal(lb.Zones, []string{"us-east-1b"}) {
		t.Errorf("lbctl balancers list after awscli's create = %+v", lbs)
	}
	if code, stderr := stop(); code != ExitOK {
		t.Fatalf("serve: exit %d\n%s", code, stderr)
	}
}

func TestCompletesBalancerNames(t *testing.T) {
	state := localEnv(t)
	// Before any state exists, completion offers nothing and creates nothing.
	if out := ok(t, "__complete", "balancers", "get", ""); strings.TrimSpace(out) != ":4" {
		t.Errorf("completion without state: %q", out)
	}
	if _, err := os.Stat(filepath.Dir(state)); err == nil {
		t.Error("completion created the state directory")
	}
	ok(t, "balancers", "create", "web", "--port", "80", "--protocol", "http")
	ok(t, "balancers", "create", "api", "--port", "80", "--protocol", "http")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"balancers", "get", ""}, "api\nweb\n:4\n"},
		{[]string{"balancers", "get", "w"}, "web\n:4\n"},
		{[]string{"balancers", "get", "web", ""}, ":4\n"}, // NAME is only the first argument
		{[]string{"tags", "list", "web", ""}, "api\nweb\n:4\n"},
		{[]string{"policies", "set-listener", "a"}, "api\n:4\n"},
		{[]string{"balancers", "create", "web", "--protocol", ""}, "http\nhttps\ntcp\nssl\n:4\n"},
	} {
		out := ok(t, append([]string{"__complete"}, tc.args...)...)
		// stdout holds the candidates, then the shell directive (4: no file names).
		if out != tc.want {
			t.Errorf("complete %q = %q, want %q", tc.args, out, tc.want)
		}
	}
	// A new balancer's name: cobra offers the required flags, not existing names.
	if out := ok(t, "__complete", "balancers", "create", ""); strings.Contains(out, "web") || !strings.Contains(out, "--port") {
		t.Errorf("complete balancers create: %q", out)
	}
}
