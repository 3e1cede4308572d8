package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// sdk is an ELBv2 client of the test endpoint, to check what the commands did.
func sdk(ts *elbtest.Server) *elbv2sdk.Client { return elbv2sdk.NewFromConfig(ts.AWSConfig()) }

func TestTargetGroups(t *testing.T) {
	ts, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ctx := context.Background()

	var tg targetGroupJSON
	okJSON(t, &tg, args(alb, "target-groups", "create", "web", "--protocol", "http", "--port", "8080",
		"--health-check-path", "/health", "--health-check-interval", "10s", "--matcher", "200-299", "--tag", "team=web")...)
	if tg.Name != "web" || tg.Protocol != "HTTP" || tg.Port != 8080 || tg.TargetType != "instance" || tg.VPCID == "" ||
		tg.HealthCheck == nil || tg.HealthCheck.Path != "/health" || tg.HealthCheck.IntervalSeconds != 10 || tg.HealthCheck.Matcher != "200-299" {
		t.Fatalf("created = %+v %+v", tg, tg.HealthCheck)
	}
	out, err := sdk(ts).DescribeTargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{Names: []string{"web"}})
	if err != nil || aws.ToString(out.TargetGroups[0].HealthCheckPath) != "/health" {
		t.Fatalf("DescribeTargetGroups: %v %+v", err, out)
	}

	// modify changes the health check; get finds the group by name or ARN.
	ok(t, args(alb, "target-groups", "modify", "web", "--healthy", "2", "--health-check-timeout", "3s")...)
	var got targetGroupJSON
	okJSON(t, &got, args(alb, "target-groups", "get", tg.ARN)...)
	if got.HealthCheck.HealthyThreshold != 2 || got.HealthCheck.TimeoutSeconds != 3 || got.HealthCheck.Path != "/health" {
		t.Errorf("after modify: %+v", got.HealthCheck)
	}
	if table := ok(t, args(alb, "target-groups", "list")...); !strings.Contains(table, "HTTP:traffic-port/health every 10s, timeout 3s, healthy after 2") {
		t.Errorf("list table:\n%s", table)
	}

	// Attributes, checked through the SDK.
	var attrs map[string]string
	okJSON(t, &attrs, args(alb, "target-groups", "attributes", "set", "web", "--attr", "stickiness.enabled=true",
		"--attr", "stickiness.type=app_cookie", "--attr", "stickiness.app_cookie.cookie_name=SESSION")...)
	if attrs["stickiness.type"] != "app_cookie" || attrs["deregistration_delay.timeout_seconds"] != "300" {
		t.Errorf("attributes set printed %v", attrs)
	}
	sa, err := sdk(ts).DescribeTargetGroupAttributes(ctx, &elbv2sdk.DescribeTargetGroupAttributesInput{TargetGroupArn: aws.String(tg.ARN)})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range sa.Attributes {
		if aws.ToString(at.Key) == "stickiness.app_cookie.cookie_name" && aws.ToString(at.Value) != "SESSION" {
			t.Errorf("cookie name through the SDK: %q", aws.ToString(at.Value))
		}
	}
	if table := ok(t, args(alb, "target-groups", "attributes", "get", "web")...); !strings.Contains(table, "stickiness.enabled") {
		t.Errorf("attributes get table:\n%s", table)
	}

	if got := ok(t, args(alb, "target-groups", "delete", "web", "ghost")...); got != "deleted target groups: web (no target group ghost)\n" {
		t.Errorf("delete = %q", got)
	}
	if got := ok(t, args(alb, "target-groups", "delete", "web")...); got != "nothing to delete: web (no target group of that name)\n" {
		t.Errorf("second delete = %q", got)
	}
	r := fails(t, ExitFailed, args(alb, "target-groups", "get", "web")...)
	if !strings.HasPrefix(r.stderr, "lbctl: TargetGroupNotFound: ") {
		t.Errorf("get of a deleted group: %s", r.stderr)
	}
}

// Targets: registered and waited for until healthy, their health shown, deregistered with what
// was not there named; a wait that cannot end says why when --timeout ends it.
func TestTargets(t *testing.T) {
	ts, ep := v2Endpoint(t)
	nlb := args(ep, "--api", "nlb")
	var lb struct{ ID string }
	okJSON(t, &lb, args(nlb, "balancers", "create", "db", "--port", "5432", "--protocol", "tcp")...)
	var groups []targetGroupJSON
	okJSON(t, &groups, args(nlb, "target-groups", "list", "--balancer", "db")...)
	if len(groups) != 1 {
		t.Fatalf("the balancer's groups: %+v", groups)
	}
	tg := groups[0].Name

	var targets []targetJSON
	okJSON(t, &targets, args(nlb, "targets", "register", tg, "i-00000000000000061", "i-00000000000000062:6432", "--wait")...)
	if len(targets) != 2 || targets[0].State != "healthy" || targets[1].State != "healthy" {
		t.Fatalf("register --wait = %+v", targets)
	}
	th, err := sdk(ts).DescribeTargetHealth(context.Background(), &elbv2sdk.DescribeTargetHealthInput{TargetGroupArn: aws.String(groups[0].ARN)})
	if err != nil || len(th.TargetHealthDescriptions) != 2 {
		t.Fatalf("DescribeTargetHealth: %v, %+v", err, th)
	}
	if table := ok(t, args(nlb, "targets", "health", tg)...); !strings.Contains(table, "i-00000000000000062  6432  healthy") {
		t.Errorf("health table:\n%s", table)
	}
	if got := ok(t, args(nlb, "targets", "deregister", tg, "i-00000000000000062:6432", "i-00000000000000099", "--wait")...); got != "deregistered: i-00000000000000062:6432 (not registered: i-00000000000000099)\n" {
		t.Errorf("deregister = %q", got)
	}
	okJSON(t, &targets, args(nlb, "targets", "health", tg)...)
	if len(targets) != 1 || targets[0].ID != "i-00000000000000061" {
		t.Errorf("after deregister --wait: %+v", targets)
	}
	if got := ok(t, args(nlb, "targets", "deregister", tg, "i-00000000000000099")...); !strings.HasPrefix(got, "nothing to deregister: i-00000000000000099") {
		t.Errorf("deregister of a stranger = %q", got)
	}

	// A group no listener uses never gets healthy targets.
	ok(t, args(nlb, "target-groups", "create", "spare", "--protocol", "tcp", "--port", "80")...)
	ok(t, args(nlb, "targets", "register", "spare", "i-00000000000000061")...)
	r := fails(t, ExitFailed, args(nlb, "targets", "health", "spare", "--wait", "--timeout", "1500ms")...)
	for _, want := range []string{"lbctl: timed out after", "waiting for the targets of spare to be healthy",
		"still pending: i-00000000000000061:80 unused (Target.NotInUse", "hint: raise --timeout"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestTargetGroupUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"target-groups", "list"}, "'lbctl target-groups' is for Application Load Balancers (--api alb) and Network Load Balancers (--api nlb) only, not --api classic"},
		{[]string{"targets", "health", "web"}, "'lbctl targets' is for Application Load Balancers"},
		{[]string{"--api", "alb", "target-groups", "create", "web"}, "--protocol and --port are required, but for --target-type lambda"},
		{[]string{"--api", "alb", "target-groups", "create", "web_1", "--protocol", "http", "--port", "80"}, `target group name "web_1"`},
		{[]string{"--api", "alb", "target-groups", "create", "web", "--protocol", "gopher", "--port", "80"}, `--protocol must be http, https, tcp`},
		{[]string{"--api", "alb", "target-groups", "create", "web", "--protocol", "http", "--port", "80", "--health-check-interval", "1500ms"}, `--health-check-interval: "1.5s" is not a positive whole number of seconds`},
		{[]string{"--api", "alb", "target-groups", "modify", "web"}, "give at least one health check setting"},
		{[]string{"--api", "alb", "target-groups", "attributes", "set", "web"}, "at least one --attr KEY=VALUE is required ('lbctl target-groups attributes get' lists the keys)"},
		{[]string{"--api", "nlb", "targets", "register", "web", "i-1:http"}, `target "i-1:http" is not ID[:PORT], IP[:PORT] or an ARN`},
		{[]string{"--api", "nlb", "targets", "register", "web"}, "wrong number of arguments"},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) { isUsageError(t, tc.want, tc.args...) })
	}
}
