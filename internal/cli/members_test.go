package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func TestMembersAttachListDetach(t *testing.T) {
	ts, ep := endpoint(t)
	declare(t, ts, "i-00000000000000021", "10.0.0.21")
	declare(t, ts, "i-00000000000000022", "10.0.0.22")
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "tcp")...)

	var attached []loadbalancer.Member
	okJSON(t, &attached, args(ep, "members", "attach", "web", "10.0.0.21", "i-00000000000000022", "--wait")...)
	if len(attached) != 2 {
		t.Fatalf("attach --wait = %+v, want both members", attached)
	}
	for _, m := range attached {
		if m.Health != "InService" || m.Condition != loadbalancer.MemberEnabled {
			t.Errorf("member %+v is not InService after --wait", m)
		}
	}

	table := ok(t, args(ep, "members", "list", "web")...)
	if !strings.HasPrefix(table, "ID") || !strings.Contains(table, "i-00000000000000021") || !strings.Contains(table, "InService") {
		t.Errorf("members list table:\n%s", table)
	}

	var detached actionResult
	okJSON(t, &detached, args(ep, "members", "detach", "web", "i-00000000000000021", "--wait")...)
	if detached.Action != "detached" || len(detached.Items) != 1 {
		t.Errorf("detach = %+v", detached)
	}
	var left []loadbalancer.Member
	okJSON(t, &left, args(ep, "members", "list", "web")...)
	if len(left) != 1 || left[0].ID != "i-00000000000000022" {
		t.Errorf("after detach: %+v", left)
	}
}

func TestAttachWaitTimesOutOnAnUnhealthyMember(t *testing.T) {
	ts, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http", "--member", "i-00000000000000031")...)
	if err := ts.Endpoint.SetInstanceHealth("", ts.Region, "web", "i-00000000000000031", "OutOfService",
		"Instance", "Instance has failed at least the UnhealthyThreshold number of health checks consecutively."); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := fails(t, ExitFailed, args(ep, "members", "attach", "web", "i-00000000000000031", "--wait", "--timeout", "1500ms")...)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("--timeout 1500ms took %s", d)
	}
	if strings.Contains(r.stderr, "context deadline exceeded") {
		t.Errorf("the Go error text leaks into the message:\n%s", r.stderr)
	}
	for _, want := range []string{
		"lbctl: timed out after", "waiting for the members of web to be InService",
		"i-00000000000000031 OutOfService (Instance has failed", "hint: raise --timeout",
	} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	// Progress goes only to terminals.
	if strings.Contains(r.stderr, "\rwaiting") {
		t.Errorf("progress written to a non-terminal:\n%q", r.stderr)
	}
}

func TestParseMember(t *testing.T) {
	c := (&app{}).rootCommand()
	for in, want := range map[string]loadbalancer.Member{
		"i-0123456789abcdef0": {ID: "i-0123456789abcdef0"},
		"10.1.2.3":            {IP: "10.1.2.3"},
		"10.1.2.3:8080":       {IP: "10.1.2.3", Port: 8080},
		"[fd00::1]:443":       {IP: "fd00::1", Port: 443},
		"fd00::1":             {IP: "fd00::1"},
	} {
		got, err := parseMember(c, in)
		if err != nil || got != want {
			t.Errorf("parseMember(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "10.1.2.3:", "10.1.2.3:http", "a b"} {
		if _, err := parseMember(c, bad); err == nil || exitCode(err) != ExitUsage {
			t.Errorf("parseMember(%q) = %v, want a usage error", bad, err)
		}
	}
}

func TestAttachWaitStopsOnInterrupt(t *testing.T) {
	ts, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http", "--member", "i-00000000000000032")...)
	if err := ts.Endpoint.SetInstanceHealth("", ts.Region, "web", "i-00000000000000032", "Unknown", "ELB", "Instance registration is still in progress."); err != nil {
		t.Fatal(err)
	}
	// Cancelling the context is what SIGINT does through signal.NotifyContext in main.
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(300*time.Millisecond, cancel).Stop()
	r := runCtx(t, ctx, args(ep, "members", "attach", "web", "i-00000000000000032", "--wait")...)
	if r.code != ExitFailed || !strings.Contains(r.stderr, "interrupted after") ||
		!strings.Contains(r.stderr, "i-00000000000000032 Unknown (Instance registration is still in progress.)") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// Without --wait, attach shows what the balancer now says of the members, not their bare IDs.
func TestAttachWithoutWaitShowsTheMembers(t *testing.T) {
	ts, ep := endpoint(t)
	declare(t, ts, "i-00000000000000031", "10.0.0.31")
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "tcp")...)
	out := ok(t, args(ep, "members", "attach", "web", "10.0.0.31")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[1], "i-00000000000000031 ") || !strings.Contains(lines[1], "InService") {
		t.Errorf("attach table:\n%s", out)
	}
	var attached []loadbalancer.Member
	okJSON(t, &attached, args(ep, "members", "attach", "web", "i-00000000000000031")...)
	if len(attached) != 1 || attached[0].Health == "" || attached[0].Condition == "" {
		t.Errorf("attach = %+v", attached)
	}
}
