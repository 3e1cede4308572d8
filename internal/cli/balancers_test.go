package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func TestBalancersLifecycle(t *testing.T) {
	ts, ep := endpoint(t)
	declare(t, ts, "i-00000000000000011", "10.0.0.11")

	var created loadbalancer.LoadBalancer
	okJSON(t, &created, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http",
		"--member", "10.0.0.11:8080", "--member", "i-00000000000000012", "--zone", "us-east-1b", "--tag", "env=test")...)
	if created.Name != "web" || created.State != loadbalancer.StateRunning || created.DNSName == "" {
		t.Errorf("created = %+v", created)
	}
	if len(created.Listeners) != 1 || created.Listeners[0].Port != 80 || created.Listeners[0].InstancePort != 8080 ||
		created.Listeners[0].Protocol != loadbalancer.HTTP {
		t.Errorf("listeners = %+v, want 80/HTTP -> 8080", created.Listeners)
	}
	if len(created.Members) != 2 {
		t.Errorf("members = %+v, want the resolved IP and the instance", created.Members)
	}

	// Table output: a header and one row per balancer.
	table := ok(t, args(ep, "balancers", "list")...)
	lines := strings.Split(strings.TrimSpace(table), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(lines[1], "web") ||
		!strings.Contains(lines[1], "80/HTTP->8080/HTTP") || !strings.Contains(lines[1], "us-east-1b") {
		t.Errorf("balancers list table:\n%s", table)
	}

	var listed []loadbalancer.LoadBalancer
	okJSON(t, &listed, args(ep, "balancers", "list", "--tags")...)
	if len(listed) != 1 || listed[0].Tags["env"] != "test" {
		t.Errorf("list --tags = %+v", listed)
	}
	if out := ok(t, args(ep, "balancers", "list", "--tags")...); !strings.Contains(out, "env=test") {
		t.Errorf("list --tags table lacks the tag:\n%s", out)
	}

	get := ok(t, args(ep, "balancers", "get", "web")...)
	for _, want := range []string{"DNS name", created.DNSName, "Listener", "80/HTTP->8080/HTTP", "i-00000000000000011", "Health check"} {
		if !strings.Contains(get, want) {
			t.Errorf("balancers get lacks %q:\n%s", want, get)
		}
	}

	// YAML has the JSON keys.
	var y []map[string]any
	if err := yaml.Unmarshal([]byte(ok(t, args(ep, "balancers", "list", "-o", "yaml")...)), &y); err != nil {
		t.Fatal(err)
	}
	if len(y) != 1 || y[0]["name"] != "web" || y[0]["dns_name"] != created.DNSName {
		t.Errorf("yaml = %v", y)
	}

	var del actionResult
	okJSON(t, &del, args(ep, "balancers", "delete", "web")...)
	if del.LoadBalancer != "web" || del.Action != "deleted" {
		t.Errorf("delete = %+v", del)
	}
	var none []loadbalancer.LoadBalancer
	okJSON(t, &none, args(ep, "balancers", "list")...)
	if none == nil || len(none) != 0 {
		t.Errorf("after delete, list = %v; want an empty JSON array", none)
	}
}

func TestMissingBalancerIsAnAWSError(t *testing.T) {
	_, ep := endpoint(t)
	r := fails(t, ExitFailed, args(ep, "balancers", "get", "nope")...)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 2 {
		t.Fatalf("stderr should be an error line and a hint:\n%s", r.stderr)
	}
	if !strings.HasPrefix(lines[0], "lbctl: LoadBalancerNotFound: ") || !strings.Contains(lines[0], "(request id ") {
		t.Errorf("error line = %q", lines[0])
	}
	if lines[1] != "hint: run 'lbctl balancers list' to see the balancers in this region" {
		t.Errorf("hint = %q", lines[1])
	}
	if r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
}

// TestUsageErrors runs every mistake against the default local provider, each under a fresh
// XDG_STATE_HOME: it must exit 2 with a hint before anything connects, so that no state
// directory or file is created.
func TestUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"balancers", "get"}, "wrong number of arguments"},
		{[]string{"balancers", "get", "a", "b"}, "wrong number of arguments"},
		{[]string{"balancers", "create", "web", "--port", "80"}, `required flag(s) "protocol" not set`},
		{[]string{"balancers", "create", "web", "--port", "abc", "--protocol", "http"}, `--port "abc" must be a whole number`},
		{[]string{"balancers", "create", "web", "--port", "443", "--protocol", "https"}, "--certificate is required with --protocol https"},
		{[]string{"balancers", "create", "web", "--port", "443", "--protocol", "SSL"}, "--certificate is required with --protocol ssl"},
		{[]string{"listeners", "create", "web", "--port", "443", "--instance-port", "80", "--protocol", "https"}, "--certificate is required"},
		{[]string{"balancers", "create", "web_1", "--port", "80", "--protocol", "http"}, `load balancer name "web_1": AWS takes 1-32 letters`},
		{[]string{"balancers", "create", "-web", "--port", "80", "--protocol", "http"}, "unknown shorthand flag"},
		{[]string{"balancers", "create", "web-", "--port", "80", "--protocol", "http"}, `load balancer name "web-"`},
		{[]string{"balancers", "create", strings.Repeat("a", 33), "--port", "80", "--protocol", "http"}, "AWS takes 1-32"},
		{[]string{"balancers", "get", "a.b"}, `load balancer name "a.b"`},
		{[]string{"tags", "list", "web", "bad name"}, `load balancer name "bad name"`},
		{[]string{"policies", "create", "web", "my_policy", "--type", "T"}, `policy name "my_policy": AWS takes 1-255`},
		{[]string{"balancers", "list", "--endpoint", "127.0.0.1:4580"}, `--endpoint "127.0.0.1:4580" must be a URL with its scheme`},
		{[]string{"balancers", "list", "--endpoint", "localhost:4580"}, `--endpoint "localhost:4580" must be a URL with its scheme`},
		{[]string{"balancers", "list", "--timeout", "soon"}, `--timeout "soon" must be a duration`},
		{[]string{"balancers", "list", "--region", "zz-fake-9"}, `--region "zz-fake-9" is not an AWS region`},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--memory-limit", "lots"}, `--memory-limit "lots" must be a size`},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--error-rate", "x"}, `--error-rate "x" must be a number`},
		{[]string{"balancers", "create", "web", "--port", "70000", "--protocol", "http"}, "--port must be a port in 1-65535"},
		{[]string{"balancers", "create", "web", "--port", "80", "--protocol", "http", "--instance-port", "0"}, "--instance-port must be a port"},
		{[]string{"balancers", "create", "web", "--port", "80", "--protocol", "gopher"}, `--protocol must be http, https, tcp or ssl, not "gopher"`},
		{[]string{"balancers", "create", "web", "--port", "80", "--protocol", "http", "--member", "a b"}, `member "a b" is neither`},
		{[]string{"balancers", "create", "web", "--port", "80", "--protocol", "http", "--tag", "env"}, `--tag "env" is not KEY=VALUE`},
		{[]string{"balancers", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"balancers"}, "needs a subcommand: create, delete, get, list"},
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"balancers", "list", "--output", "xml"}, "--output must be table, json or yaml"},
		{[]string{"balancers", "list", "--provider", "gce"}, "--provider must be local or elb"},
		{[]string{"balancers", "list", "--provider", "local", "--endpoint", "http://127.0.0.1:1"}, "cannot be used with --provider local"},
		{[]string{"balancers", "list", "--timeout", "0s"}, "--timeout must be positive"},
		{[]string{"members", "attach", "web", "10.0.0.1:99999"}, "neither an instance ID nor IP[:PORT]"},
		{[]string{"members", "detach", "web", ""}, "neither an instance ID nor IP[:PORT]"},
		{[]string{"listeners", "create", "web", "--port", "443", "--instance-port", "80", "--protocol", "https", "--instance-protocol", "udp"}, "--instance-protocol must be"},
		{[]string{"listeners", "delete", "web", "http"}, `port "http" is not a number`},
		{[]string{"certificate", "set", "web", "0", "arn"}, `port "0" is not a number in 1-65535`},
		{[]string{"policies", "set-listener", "web", "x"}, `port "x" is not a number`},
		{[]string{"policies", "create", "web", "p", "--type", "T", "--attr", "a=1", "--attr", "a=2"}, `key "a" is given twice`},
		{[]string{"tags", "add", "web"}, "at least one --tag"},
		{[]string{"tags", "add", "web", "--tag", "novalue"}, `--tag "novalue" is not KEY=VALUE`},
		{[]string{"tags", "remove", "web"}, "at least one --key"},
		{[]string{"attributes", "set", "web"}, "give at least one attribute"},
		{[]string{"attributes", "set", "web", "--additional", "x"}, `--additional "x" is not KEY=VALUE`},
		{[]string{"serve", "--listen", "0.0.0.0:0"}, "refusing to listen on 0.0.0.0:0"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--credentials", missing, "--limit", "x=y"}, "--limit x=y: the value must be"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--state", filepath.Join(missing, "s.db"), "--limit", "classic-load-balancer=5"}, `--limit: elbserver: unknown limit "classic-load-balancer"`},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--state", filepath.Join(missing, "s.db"), "--allow-region", "Local_1"}, `--allow-region: elbserver: allowed region "Local_1"`},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			state := localEnv(t)
			r := fails(t, ExitUsage, tc.args...)
			if !strings.HasPrefix(r.stderr, "lbctl: usage: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want a usage error containing %q", r.stderr, tc.want)
			}
			if !strings.Contains(r.stderr, "hint: run 'lbctl") {
				t.Errorf("stderr lacks the help hint: %q", r.stderr)
			}
			if _, err := os.Stat(filepath.Dir(state)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the usage error touched the local state: stat %s: %v", filepath.Dir(state), err)
			}
		})
	}
}

func TestHelpAndCompletionSucceed(t *testing.T) {
	for _, a := range [][]string{{"--help"}, {}, {"help", "output"}, {"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"}, {"completion", "powershell"}} {
		r := run(t, a...)
		if r.code != ExitOK || r.stdout == "" {
			t.Errorf("lbctl %v: exit %d, %d bytes of output", a, r.code, len(r.stdout))
		}
	}
	if out := ok(t, "help", "output"); !strings.Contains(out, `"load_balancer"`) || !strings.Contains(out, "dns_name") {
		t.Errorf("the output reference lacks key names:\n%s", out)
	}
}

func TestMissingCredentialsHint(t *testing.T) {
	_, ep := endpoint(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	r := fails(t, ExitFailed, args(ep, "balancers", "list")...)
	if !strings.Contains(r.stderr, "hint: no AWS credentials found") || strings.Count(r.stderr, "\n") != 2 {
		t.Errorf("stderr = %q, want the error line and the credentials hint", r.stderr)
	}
}

// --endpoint is where every request goes, ELB's and EC2's, whatever the AWS_ENDPOINT_URL
// variables say (the SDK lets them beat an endpoint put in the configuration).
func TestEndpointFlagBeatsTheEnvironment(t *testing.T) {
	ts, ep := endpoint(t)
	declare(t, ts, "i-0123456789abcdef0", "10.0.0.5")
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	t.Setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", "http://127.0.0.1:1")
	t.Setenv("AWS_ENDPOINT_URL_EC2", "http://127.0.0.1:1")
	ok(t, args(ep, "balancers", "create", "env", "--port", "80", "--protocol", "http", "--member", "10.0.0.5")...)
	var lbs []struct{ Name string }
	okJSON(t, &lbs, args(ep, "balancers", "list")...)
	if len(lbs) != 1 || lbs[0].Name != "env" {
		t.Errorf("balancers = %+v, want the one created through --endpoint", lbs)
	}
}

// Deleting what does not exist succeeds, as on AWS, and says there was nothing to delete.
func TestDeletingNothingSaysSo(t *testing.T) {
	_, ep := endpoint(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"balancers", "delete", "ghost"}, "nothing to delete ghost (no load balancer of that name)\n"},
		{[]string{"policies", "delete", "web", "ghost"}, "nothing to delete web policy ghost (the balancer has no policy of that name)\n"},
		{[]string{"listeners", "delete", "web", "8080"}, "nothing to delete web (no listener on 8080)\n"},
		{[]string{"listeners", "delete", "web", "81", "8080"}, "deleted listeners web: 81 (no listener on 8080)\n"},
		{[]string{"balancers", "delete", "web"}, "deleted web\n"},
	} {
		if tc.args[0] == "policies" {
			ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
			ok(t, args(ep, "listeners", "create", "web", "--port", "81", "--instance-port", "81", "--protocol", "http")...)
		}
		if got := ok(t, args(ep, tc.args...)...); got != tc.want {
			t.Errorf("%v = %q, want %q", tc.args, got, tc.want)
		}
	}
	var r actionResult
	okJSON(t, &r, args(ep, "balancers", "delete", "web")...)
	if r.Action != "nothing to delete" || r.Note == "" {
		t.Errorf("json = %+v", r)
	}
}
