package cli

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// albWithGroups makes an ALB "web" with an HTTP listener on 80 forwarding to "blue", and
// target groups blue and green; it returns the flags that talk to it.
func albWithGroups(t *testing.T) []string {
	t.Helper()
	_, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ok(t, args(alb, "balancers", "create", "web", "--port", "8080", "--protocol", "http")...)
	for _, g := range []string{"blue", "green"} {
		ok(t, args(alb, "target-groups", "create", g, "--protocol", "http", "--port", "8080")...)
	}
	ok(t, args(alb, "listeners", "create", "web", "--port", "80", "--protocol", "http", "--action", "forward=blue")...)
	return alb
}

// What lbctl's rules commands make, awscli reads back from the same endpoint as ELBv2 rules.
func TestRulesSeenByAWSCLI(t *testing.T) {
	awsCLI := testenv.RequireAWSCLI(t)
	alb := albWithGroups(t)
	ok(t, args(alb, "rules", "create", "web", "80", "--priority", "10", "--condition", "path=/api/*,/v2/*",
		"--condition", "method=GET", "--action", "forward=blue:90,green:10")...)
	ok(t, args(alb, "rules", "create", "web", "80", "--priority", "20", "--condition", "host=old.example.com",
		"--action", "redirect=302:https://new.example.com/#{path}")...)
	ok(t, args(alb, "rules", "create", "web", "80", "--priority", "30", "--condition", "header:User-Agent=*curl*",
		"--action", "fixed-response=403,text/plain,no robots", "--tag", "team=edge")...)
	ok(t, args(alb, "rules", "modify", "web", "80", "30", "--condition", "query=bot=1")...)
	ok(t, args(alb, "rules", "set-priorities", "web", "80", "10=15", "20=10")...)

	var l listenerJSON
	okJSON(t, &l, args(alb, "listeners", "modify", "web", "80", "--action", "forward=blue")...)
	url := alb[1]
	out, err := exec.Command(awsCLI, "--endpoint-url", url, "--region", "us-east-1", "--output", "json",
		"elbv2", "describe-rules", "--listener-arn", l.ARN).CombinedOutput()
	if err != nil {
		t.Fatalf("aws elbv2 describe-rules: %v\n%s", err, out)
	}
	var got struct {
		Rules []struct {
			Priority   string
			IsDefault  bool
			Conditions []struct {
				Field             string
				PathPatternConfig struct{ Values []string }
				HostHeaderConfig  struct{ Values []string }
				QueryStringConfig struct{ Values []struct{ Key, Value string } }
			}
			Actions []struct {
				Type          string
				ForwardConfig struct {
					TargetGroups []struct {
						TargetGroupArn string
						Weight         int
					}
				}
				RedirectConfig      struct{ Protocol, Host, Path, StatusCode string }
				FixedResponseConfig struct{ StatusCode, MessageBody string }
			}
		}
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("describe-rules: %v\n%s", err, out)
	}
	byPriority := map[string]int{}
	for i, r := range got.Rules {
		byPriority[r.Priority] = i
	}
	if len(got.Rules) != 4 || !got.Rules[byPriority["default"]].IsDefault {
		t.Fatalf("rules = %s", out)
	}
	fwd := got.Rules[byPriority["15"]]
	if !slices.Equal(fwd.Conditions[0].PathPatternConfig.Values, []string{"/api/*", "/v2/*"}) ||
		len(fwd.Actions[0].ForwardConfig.TargetGroups) != 2 || fwd.Actions[0].ForwardConfig.TargetGroups[1].Weight != 10 ||
		!strings.Contains(fwd.Actions[0].ForwardConfig.TargetGroups[1].TargetGroupArn, ":targetgroup/green/") {
		t.Errorf("rule 15: %+v", fwd)
	}
	redirect := got.Rules[byPriority["10"]]
	if rc := redirect.Actions[0].RedirectConfig; redirect.Conditions[0].HostHeaderConfig.Values[0] != "old.example.com" ||
		rc.Protocol != "HTTPS" || rc.Host != "new.example.com" || rc.Path != "/#{path}" || rc.StatusCode != "HTTP_302" {
		t.Errorf("rule 10: %+v", redirect)
	}
	fixed := got.Rules[byPriority["30"]]
	if q := fixed.Conditions[0].QueryStringConfig.Values; len(q) != 1 || q[0].Key != "bot" || q[0].Value != "1" ||
		fixed.Actions[0].FixedResponseConfig.MessageBody != "no robots" {
		t.Errorf("rule 30: %+v", fixed)
	}

	// lbctl's own listing, in its readable syntax, and deletion by priority.
	table := ok(t, args(alb, "rules", "list", "web", "80")...)
	for _, want := range []string{"path=/api/*,/v2/* and method=GET", "forward=blue:90,green:10", "redirect=302:https://new.example.com:#{port}/#{path}?#{query}", "query=bot=1"} {
		if !strings.Contains(table, want) {
			t.Errorf("rules list lacks %q:\n%s", want, table)
		}
	}
	ok(t, args(alb, "rules", "delete", "web", "80", "10", "30")...)
	var left []ruleJSON
	okJSON(t, &left, args(alb, "rules", "list", "web", "80")...)
	if len(left) != 2 || left[0].Priority != "15" || left[1].Priority != "default" {
		t.Errorf("after delete: %+v", left)
	}
	r := fails(t, ExitFailed, args(alb, "rules", "delete", "web", "80", "99")...)
	if !strings.Contains(r.stderr, "RuleNotFound: the listener of web on port 80 has no rule of priority 99") {
		t.Errorf("delete of a missing rule: %s", r.stderr)
	}
}

func TestRuleUsageErrors(t *testing.T) {
	alb := []string{"--api", "alb", "rules"}
	create := args(alb, "create", "web", "80", "--priority", "10")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{args(create, "--action", "forward=blue"), "--condition (or --conditions-json) is required"},
		{args(create, "--condition", "path=/x"), "--action (or --actions-json) is required"},
		{args(alb, "create", "web", "80", "--condition", "path=/x", "--action", "forward=blue"), `required flag(s) "priority" not set`},
		{args(alb, "create", "web", "80", "--priority", "0", "--condition", "path=/x", "--action", "forward=blue"), `--priority "0" must be a number in 1-50000`},
		{args(create, "--condition", "paths=/x", "--action", "forward=blue"), `--condition "paths=/x": want path=`},
		{args(create, "--condition", "header=x", "--action", "forward=blue"), `--condition "header=x"`},
		{args(alb, "modify", "web", "80", "10"), "give --condition or --action"},
		{args(alb, "modify", "web", "80", "top", "--action", "forward=a"), `priority "top" must be a number in 1-50000`},
		{args(alb, "set-priorities", "web", "80", "10"), `"10": want OLD=NEW`},
		{args(alb, "delete", "web", "http", "10"), `port "http" is not a number`},
		{[]string{"rules", "list", "web", "80"}, "'lbctl rules' is for Application Load Balancers (--api alb) only, not --api classic"},
		{[]string{"--api", "nlb", "rules", "list", "db", "80"}, "an NLB's to its default actions"},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) { isUsageError(t, tc.want, tc.args...) })
	}
}
