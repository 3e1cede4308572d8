package tutorial_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/tutorial"
)

// newEnv starts an endpoint and, when declare is set, declares the instances behind the
// tutorial's member IPs.
func newEnv(t *testing.T, declare bool) (tutorial.Env, *elbtest.Server) {
	t.Helper()
	ts := elbtest.NewServer()
	t.Cleanup(ts.Close)
	if declare {
		for i, m := range tutorial.DefaultMembers {
			id := []string{"i-00000000000000001", "i-00000000000000002"}[i]
			if err := ts.Endpoint.DeclareInstance("", ts.Region, elbserver.Instance{ID: id, PrivateIP: m.IP}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return tutorial.Env{Service: elb.NewClient(ts.AWSConfig()).Service(), Region: ts.Region}, ts
}

func TestRunPrintsEveryStepAndLeavesTheTutorialsState(t *testing.T) {
	env, _ := newEnv(t, true)
	ctx := context.Background()
	var out bytes.Buffer
	if err := tutorial.Run(ctx, &out, env); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	text := out.String()
	titles := tutorial.Steps()
	if len(titles) != 10 {
		t.Fatalf("got %d steps, want the tutorial's 10", len(titles))
	}
	last := -1
	for _, title := range titles {
		i := strings.Index(text, title)
		if i < 0 {
			t.Errorf("output lacks step %q", title)
			continue
		}
		if i < last {
			t.Errorf("step %q is out of order", title)
		}
		last = i
	}
	// Every step shows at least one call and one result.
	sections := strings.Split(text, "\n== ")[1:]
	if len(sections) != len(titles) {
		t.Fatalf("got %d step sections, want %d:\n%s", len(sections), len(titles), text)
	}
	for i, sec := range sections {
		if !strings.HasPrefix(sec, fmt.Sprintf("%d. %s\n", i+1, titles[i])) || !strings.Contains(sec, "\n-> ") {
			t.Errorf("step %d lacks its title or a result:\n%s", i+1, sec)
		}
	}
	for _, want := range []string{
		`elb.Open(ctx, loadbalancer.Options{Region: "us-east-1"})`,
		`members := []loadbalancer.Member{{IP: "192.168.88.1"}, {IP: "192.168.88.2"}}`,
		"-> []", // no balancers before the tutorial creates one
		"<LoadBalancer: id=lbcloud-tutorial, name=lbcloud-tutorial, state=RUNNING> dns_name=lbcloud-tutorial-",
		"port=80",
		"-> ['EnableProxyProtocol']",
		"'ProxyProtocolPolicyType'",
		`elb.ParseListenerTuple(1024, 65533, "HTTPS", "arn:aws:iam::123456789012:server-certificate/servercert")`,
		`c.SetBalancerPoliciesOfListener(ctx, "lbcloud-tutorial", 80, []string{""})`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(text, "\nnote: "); n != 3 {
		t.Errorf("got %d notes, want 3 (instance port, backend policy, sticky policy)", n)
	}

	// The endpoint holds what the tutorial did.
	lb, err := env.Service.GetBalancer(ctx, tutorial.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	var https, http80 *loadbalancer.Listener
	for i := range lb.Listeners {
		switch lb.Listeners[i].Port {
		case 1024:
			https = &lb.Listeners[i]
		case 80:
			http80 = &lb.Listeners[i]
		}
	}
	if https == nil || https.InstancePort != 65533 || https.Protocol != loadbalancer.HTTPS || https.CertificateID != tutorial.Certificate {
		t.Errorf("HTTPS listener = %+v, want 1024 -> 65533 with the tutorial's certificate", https)
	}
	if http80 == nil || http80.InstancePort != 80 || len(http80.Policies) != 0 {
		t.Errorf("HTTP listener = %+v, want 80 -> 80 with its policies cleared", http80)
	}
	ids := []string{}
	for _, m := range lb.Members {
		ids = append(ids, m.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"i-00000000000000001", "i-00000000000000002"}) {
		t.Errorf("members = %v, want the instances behind the tutorial's IPs", ids)
	}
	var c *elb.Client
	if !env.Service.As(&c) {
		t.Fatal("As(**elb.Client) = false")
	}
	policies, err := c.ListBalancerPolicies(ctx, tutorial.DefaultName)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(policies)
	// The HTTPS listener was created without a policy: AWS gives it its default security policy.
	if !slices.Equal(policies, []string{"ELBSecurityPolicy-2016-08", "EnableProxyProtocol", "MyDurationStickyPolicy"}) {
		t.Errorf("policies = %v", policies)
	}
}

func TestRunNamesTheFailingStep(t *testing.T) {
	// Without instances behind the members' IPs, creating the balancer must fail.
	env, _ := newEnv(t, false)
	var out bytes.Buffer
	err := tutorial.Run(context.Background(), &out, env)
	if err == nil {
		t.Fatalf("Run succeeded without the members' instances:\n%s", out.String())
	}
	if !strings.Contains(err.Error(), "step 3 (Creating new load balancers)") {
		t.Errorf("error %q does not name step 3", err)
	}
	if strings.Contains(out.String(), "== 4.") {
		t.Error("Run went on after a failing step")
	}
}

func TestRunCleanupMakesItRepeatable(t *testing.T) {
	env, _ := newEnv(t, true)
	env.Cleanup = true
	env.Name = "tutorial-again"
	for i := range 2 {
		var out bytes.Buffer
		if err := tutorial.Run(context.Background(), &out, env); err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out.String())
		}
	}
	lbs, err := env.Service.ListBalancers(context.Background(), loadbalancer.ListOptions{})
	if err != nil || len(lbs) != 0 {
		t.Fatalf("after cleanup: %d balancers, %v", len(lbs), err)
	}
}

func TestRunNeedsAConnection(t *testing.T) {
	if err := tutorial.Run(context.Background(), &bytes.Buffer{}, tutorial.Env{}); err == nil {
		t.Fatal("Run accepted an empty Env")
	}
}

// The tutorial against an in-process endpoint, with the instances behind its member IPs.
func ExampleRun() {
	ts := elbtest.NewServer()
	defer ts.Close()
	for i, m := range tutorial.DefaultMembers {
		id := []string{"i-00000000000000001", "i-00000000000000002"}[i]
		_ = ts.Endpoint.DeclareInstance("", ts.Region, elbserver.Instance{ID: id, PrivateIP: m.IP})
	}
	err := tutorial.Run(context.Background(), os.Stdout, tutorial.Env{
		Service: elb.NewClient(ts.AWSConfig()).Service(), Region: ts.Region,
	})
	if err != nil {
		panic(err)
	}
}
