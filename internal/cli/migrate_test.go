package cli

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/storesync"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/migrate"
)

func TestMigrateUsageErrorsNameTheFlag(t *testing.T) {
	_, ep := endpoint(t)
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"migrate", "web"}, "--to"},
		{[]string{"migrate", "web", "--to", "elb"}, "--to"},
		{[]string{"migrate", "web", "--to", "alb", "--apply", "--verify"}, "--apply"},
		{[]string{"migrate", "web", "--to", "nlb", "--verify", "--requests", "0"}, "--requests"},
		{[]string{"migrate", "web", "--to", "nlb", "--wait=false"}, "--wait"},
	} {
		r := fails(t, ExitUsage, args(ep, c.args...)...)
		if !strings.Contains(r.stderr, c.flag) {
			t.Errorf("lbctl %v: %q does not name %s", c.args, r.stderr, c.flag)
		}
	}
}

// TestMigratePlanApplyVerify: lbctl plans a Classic balancer's migration (JSON), applies it,
// waiting for healthy targets, and verifies it with requests through both balancers.
func TestMigratePlanApplyVerify(t *testing.T) {
	ts, ep := endpoint(t, elbtest.WithDataPlane(storesync.Options{MaxCheckInterval: 100 * time.Millisecond}))
	back := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "hello") }))
	t.Cleanup(back.Close)
	declare(t, ts, "i-00000000000000051", "10.0.0.51")
	if err := ts.Endpoint.DeclareTags("", ts.Region, "i-00000000000000051", map[string]string{"lbcloud:address": strings.TrimPrefix(back.URL, "http://")}); err != nil {
		t.Fatal(err)
	}
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "tcp", "--member", "i-00000000000000051")...)

	var p migrate.Plan
	okJSON(t, &p, args(ep, "migrate", "web", "--to", "nlb")...)
	if !p.Ready || len(p.Balancers) != 1 || p.Balancers[0].Type != "network" || p.Balancers[0].Listeners[0].Protocol != "TCP" {
		t.Fatalf("plan: %+v", p)
	}
	if out := ok(t, args(ep, "migrate", "web", "--to", "nlb")...); !strings.Contains(out, "SETTING") || !strings.Contains(out, "listener TCP:80") {
		t.Errorf("plan table:\n%s", out)
	}
	var res migrate.Result
	okJSON(t, &res, args(ep, "migrate", "web", "--to", "nlb", "--name", "web-v2", "--apply", "--timeout", "1m")...)
	if len(res.Balancers) != 1 || res.Balancers[0].Name != "web-v2" || len(res.Targets) != 1 || res.Targets[0].State != "healthy" {
		t.Fatalf("apply: %+v", res)
	}
	var rep migrate.Report
	okJSON(t, &rep, args(ep, "migrate", "web", "--to", "nlb", "--name", "web-v2", "--verify")...)
	if !rep.OK || len(rep.Traffic) != 1 || fmt.Sprint(rep.Traffic[0].Migrated) != "[200 hello]" {
		t.Errorf("verify: %+v", rep)
	}
}
