package migrate_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/migrate"
)

// awscli runs the AWS CLI against e and decodes its JSON answer into out (when not nil).
func (e *env) awscli(t *testing.T, out any, args ...string) {
	t.Helper()
	creds, err := e.cfg.Credentials.Retrieve(context.Background())
	must(t, err)
	cmd := exec.Command(testenv.RequireAWSCLI(t), append([]string{"--endpoint-url", e.url, "--region", e.cfg.Region, "--output", "json"}, args...)...)
	cmd.Env = append(testenv.ChildEnv(t), "AWS_ACCESS_KEY_ID="+creds.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+creds.SecretAccessKey)
	b, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("aws %s: %v: %s", strings.Join(args, " "), err, stderr)
	}
	if out != nil {
		must(t, json.Unmarshal(b, out))
	}
}

// awscliRoundTrip: a Classic balancer made with the AWS CLI, migrated, and the target group
// made read back with the AWS CLI. (Each run of the CLI takes a second or more: few are made.)
func awscliRoundTrip(t *testing.T, e *env) {
	e.awscli(t, nil, "elb", "create-load-balancer", "--load-balancer-name", "cli", "--subnets", e.subnets[0], e.subnets[1],
		"--listeners", "Protocol=HTTP,LoadBalancerPort=80,InstanceProtocol=HTTP,InstancePort=8080")
	ctx := context.Background()
	_, err := e.classic.ConfigureHealthCheck(ctx, "cli", loadbalancer.HealthCheck{Target: "HTTP:8080/ping", Interval: 20 * time.Second,
		Timeout: 4 * time.Second, HealthyThreshold: 5, UnhealthyThreshold: 3})
	must(t, err)
	_, err = e.classic.RegisterInstances(ctx, "cli", e.instances[0])
	must(t, err)
	must(t, e.classic.CreateAppCookieStickinessPolicy(ctx, "cli", "app", "SESSION"))
	must(t, e.classic.SetBalancerPoliciesOfListener(ctx, "cli", 80, []string{"app"}))

	p, err := e.m.Plan(ctx, "cli", migrate.Request{To: migrate.ToALB})
	must(t, err)
	_, err = e.m.Apply(ctx, p, migrate.ApplyOptions{})
	must(t, err)

	var tgs struct {
		TargetGroups []struct {
			TargetGroupArn, Protocol, HealthCheckPath, HealthCheckProtocol string
			Port, HealthCheckIntervalSeconds, HealthCheckTimeoutSeconds    int
			HealthyThresholdCount, UnhealthyThresholdCount                 int
			LoadBalancerArns                                               []string
		}
	}
	e.awscli(t, &tgs, "elbv2", "describe-target-groups", "--names", "cli-8080-http")
	if len(tgs.TargetGroups) != 1 {
		t.Fatalf("target groups: %+v", tgs)
	}
	tg := tgs.TargetGroups[0]
	if tg.Protocol != "HTTP" || tg.Port != 8080 || tg.HealthCheckProtocol != "HTTP" || tg.HealthCheckPath != "/ping" ||
		tg.HealthCheckIntervalSeconds != 20 || tg.HealthCheckTimeoutSeconds != 4 || tg.HealthyThresholdCount != 5 ||
		tg.UnhealthyThresholdCount != 3 || len(tg.LoadBalancerArns) != 1 {
		t.Errorf("target group: %+v", tg)
	}
	var attrs struct{ Attributes []struct{ Key, Value string } }
	e.awscli(t, &attrs, "elbv2", "describe-target-group-attributes", "--target-group-arn", tg.TargetGroupArn)
	got := map[string]string{}
	for _, a := range attrs.Attributes {
		got[a.Key] = a.Value
	}
	if got["stickiness.enabled"] != "true" || got["stickiness.type"] != "app_cookie" || got["stickiness.app_cookie.cookie_name"] != "SESSION" {
		t.Errorf("attributes: %v", got)
	}
}

func TestAWSCLIRoundTripEndpoint(t *testing.T) { awscliRoundTrip(t, endpointEnv(t)) }
