package cli

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/lbcloud/lbcloud/tutorial"
)

func TestDemoRunsEveryTutorialStep(t *testing.T) {
	localEnv(t)
	for range 2 { // fresh state each time: the demo is repeatable
		out := ok(t, "demo")
		sections := strings.Split(out, "\n== ")[1:]
		titles := []string{"Creating a connection", "Getting existing load balancers", "Creating new load balancers",
			"Creating a load balancer policy", "Listing the balancer's policies", "Listing the policy types", "Deleting a policy",
			"Enabling and disabling policies on a backend server", "Creating listeners", "Enabling and disabling policies on listeners"}
		if len(sections) != len(titles) {
			t.Fatalf("demo printed %d steps, want %d:\n%s", len(sections), len(titles), out)
		}
		for i, title := range titles {
			// In the tutorial's order, each with its result.
			if !strings.HasPrefix(sections[i], fmt.Sprintf("%d. %s\n", i+1, title)) || !strings.Contains(sections[i], "\n-> ") {
				t.Errorf("demo step %d is not %q with a result:\n%s", i+1, title, sections[i])
			}
		}
		if !strings.Contains(out, "-> []\n") {
			t.Error("demo did not start from an empty endpoint")
		}
		// The connection it prints is the one it makes: its in-process endpoint, the local key.
		if !regexp.MustCompile(`\nsvc, err := elb.Open\(ctx, loadbalancer.Options\{Region: "us-east-1", Endpoint: "http://127\.0\.0\.1:\d+", AccessKeyID: "test", SecretAccessKey: "test"\}\)\n`).MatchString(out) {
			t.Errorf("connection step:\n%s", sections[0])
		}
	}
}

// The demo runs against whatever target the global flags name, printing the calls it makes
// (the connection's endpoint included), in any output format, and leaves the target as it
// found it.
func TestDemoAgainstAnEndpoint(t *testing.T) {
	ts, ep := endpoint(t)
	declare(t, ts, "i-00000000000000051", "10.0.0.51")
	var steps []tutorial.Step
	okJSON(t, &steps, args(ep, "demo", "--member", "10.0.0.51")...)
	if len(steps) != 11 || steps[10].Title != "Cleaning up" {
		t.Fatalf("demo --endpoint: %d steps: %+v", len(steps), steps)
	}
	open := steps[0].Entries[0]
	if open.Kind != "call" || open.Text != `svc, err := elb.Open(ctx, loadbalancer.Options{Region: "us-east-1", Endpoint: "`+ts.URL+`"})` {
		t.Errorf("connection step: %+v", open)
	}
	var members []string
	for _, e := range steps[2].Entries {
		if e.Kind == "call" && strings.HasPrefix(e.Text, "members := ") {
			members = append(members, e.Text)
		}
	}
	if len(members) != 1 || members[0] != `members := []loadbalancer.Member{{IP: "10.0.0.51"}}` {
		t.Errorf("members printed: %q", members)
	}
	if out := ok(t, args(ep, "balancers", "list", "-o", "json")...); strings.TrimSpace(out) != "[]" {
		t.Errorf("the demo left balancers behind: %s", out)
	}
	// YAML has the same keys; the table form prints the steps as they run.
	var y []map[string]any
	if err := yaml.Unmarshal([]byte(ok(t, args(ep, "demo", "-o", "yaml")...)), &y); err != nil || len(y) != 11 || y[0]["title"] != "Creating a connection" {
		t.Errorf("demo -o yaml: %v, %v", err, y)
	}
	if out := ok(t, args(ep, "demo")...); !strings.Contains(out, "\n== 10. Enabling and disabling policies on listeners\n") ||
		!strings.Contains(out, "note: no members") || !strings.Contains(out, "== Cleaning up") {
		t.Errorf("demo --endpoint, table:\n%s", out)
	}
}

// demo --api alb|nlb runs the tutorial in ELBv2 terms, in-process or against an endpoint,
// which it leaves as it found it.
func TestDemoForELBv2(t *testing.T) {
	localEnv(t)
	for _, api := range []string{"alb", "nlb"} {
		out := ok(t, "--api", api, "demo")
		sections := strings.Split(out, "\n== ")[1:]
		titles := tutorial.StepsOf(api)
		if len(sections) != len(titles) {
			t.Fatalf("demo --api %s printed %d steps, want %d:\n%s", api, len(sections), len(titles), out)
		}
		for i, title := range titles {
			if !strings.HasPrefix(sections[i], fmt.Sprintf("%d. %s\n", i+1, title)) || !strings.Contains(sections[i], "\n-> ") {
				t.Errorf("demo --api %s step %d is not %q with a result:\n%s", api, i+1, title, sections[i])
			}
		}
		if !regexp.MustCompile(`\nsvc, err := elbv2.Open\(ctx, elbv2.` + strings.ToUpper(api) + `, loadbalancer.Options\{Region: "us-east-1", Endpoint: "http://127\.0\.0\.1:\d+"`).MatchString(out) {
			t.Errorf("connection step:\n%s", sections[0])
		}
	}
	out := ok(t, "--api", "nlb", "demo")
	if !strings.Contains(out, `"proxy_protocol_v2.enabled": "true"`) || !strings.Contains(out, `Protocol: "TLS"`) {
		t.Errorf("the NLB demo lacks PROXY v2 or its TLS listener:\n%s", out)
	}

	_, ep := v2Endpoint(t)
	var steps []tutorial.Step
	okJSON(t, &steps, args(ep, "--api", "alb", "demo")...)
	if len(steps) != 11 || steps[10].Title != "Cleaning up" {
		t.Fatalf("demo --api alb --endpoint: %d steps: %+v", len(steps), steps)
	}
	if out := ok(t, args(ep, "--api", "alb", "balancers", "list", "-o", "json")...); strings.TrimSpace(out) != "[]" {
		t.Errorf("the demo left balancers behind: %s", out)
	}
	if out := ok(t, args(ep, "--api", "alb", "target-groups", "list", "-o", "json")...); strings.TrimSpace(out) != "[]" {
		t.Errorf("the demo left target groups behind: %s", out)
	}
}
