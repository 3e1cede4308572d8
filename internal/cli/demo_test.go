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
