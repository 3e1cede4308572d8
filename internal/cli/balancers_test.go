package cli

import (
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

func TestUsageErrors(t *testing.T) {
	_, ep := endpoint(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"balancers", "get"}, "wrong number of arguments"},
		{[]string{"balancers", "get", "a", "b"}, "wrong number of arguments"},
		{[]string{"balancers", "create", "web", "--port", "80"}, `required flag(s) "protocol" not set`},
		{[]string{"balancers", "create", "web", "--port", "x", "--protocol", "http"}, "invalid argument"},
		{[]string{"balancers", "frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"balancers"}, "needs a subcommand: create, delete, get, list"},
		{[]string{"nosuch"}, `unknown command "nosuch"`},
		{[]string{"balancers", "list", "--output", "xml"}, "--output must be table, json or yaml"},
		{[]string{"balancers", "list", "--provider", "gce"}, "--provider must be local or elb"},
		{[]string{"balancers", "list", "--provider", "local", "--endpoint", "http://127.0.0.1:1"}, "cannot be used with --provider local"},
		{[]string{"members", "attach", "web", "10.0.0.1:99999"}, "neither an instance ID nor IP[:PORT]"},
		{[]string{"listeners", "delete", "web", "http"}, `port "http" is not a number`},
		{[]string{"tags", "add", "web", "--tag", "novalue"}, `--tag "novalue" is not KEY=VALUE`},
		{[]string{"policies", "create", "web", "p", "--type", "T", "--attr", "a=1", "--attr", "a=2"}, `key "a" is given twice`},
		{[]string{"attributes", "set", "web"}, "give at least one attribute"},
		{[]string{"serve", "--listen", "0.0.0.0:0"}, "refusing to listen on 0.0.0.0:0"},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) {
			r := fails(t, ExitUsage, args(ep, tc.args...)...)
			if !strings.HasPrefix(r.stderr, "lbctl: usage: ") || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr = %q, want a usage error containing %q", r.stderr, tc.want)
			}
			if !strings.Contains(r.stderr, "hint: run 'lbctl") {
				t.Errorf("stderr lacks the help hint: %q", r.stderr)
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
