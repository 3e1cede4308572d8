package tutorial_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
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
	opts := loadbalancer.Options{Region: ts.Region, Endpoint: ts.URL, AccessKeyID: ts.AccessKeyID, SecretAccessKey: ts.SecretAccessKey}
	svc, err := elb.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return tutorial.Env{Service: svc, Options: opts}, ts
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
		// The call that opened the Service, endpoint and key included.
		`svc, err := elb.Open(ctx, loadbalancer.Options{Region: "us-east-1", Endpoint: "` + env.Options.Endpoint + `", AccessKeyID: "test", SecretAccessKey: "test"})`,
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
		Service: elb.NewClient(ts.AWSConfig()).Service(),
	})
	if err != nil {
		panic(err)
	}
}

// Record returns, step by step, what Run prints.
func TestRecordIsWhatRunPrints(t *testing.T) {
	env, _ := newEnv(t, true)
	env.Cleanup = true
	var out bytes.Buffer
	if err := tutorial.Run(context.Background(), &out, env); err != nil {
		t.Fatal(err)
	}
	rec, err := tutorial.Record(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range rec {
		if s.Number == 0 {
			fmt.Fprintf(&b, "\n== %s\n", s.Title)
		} else {
			fmt.Fprintf(&b, "\n== %d. %s\n", s.Number, s.Title)
		}
		for _, e := range s.Entries {
			b.WriteString(map[string]string{"call": "", "result": "-> ", "note": "note: "}[e.Kind] + e.Text + "\n")
		}
	}
	// The DNS names differ from run to run.
	dns := regexp.MustCompile(`dns_name=\S+`)
	if got, want := dns.ReplaceAllString(b.String(), "dns_name=*"), dns.ReplaceAllString(out.String(), "dns_name=*"); got != want {
		t.Errorf("Record:\n%s\nRun printed:\n%s", got, want)
	}
	if len(rec) != 11 || rec[10].Title != "Cleaning up" {
		t.Errorf("%d steps recorded, want the 10 and the clean-up", len(rec))
	}
}

// With Cleanup, a run that fails after creating the balancer still deletes it; one that
// fails before creates nothing to delete.
func TestCleanupAfterAFailingStep(t *testing.T) {
	env, _ := newEnv(t, true)
	env.Cleanup = true
	env.Certificate = "not-an-arn"
	rec, err := tutorial.Record(context.Background(), env)
	if err == nil || !strings.Contains(err.Error(), "step 9 (Creating listeners)") {
		t.Fatalf("Record: %v", err)
	}
	if last := rec[len(rec)-1]; last.Title != "Cleaning up" || last.Entries[len(last.Entries)-1].Text != "true" {
		t.Errorf("last step %+v, want the clean-up", last)
	}
	lbs, err := env.Service.ListBalancers(context.Background(), loadbalancer.ListOptions{})
	if err != nil || len(lbs) != 0 {
		t.Errorf("after the failed run: %d balancers, %v", len(lbs), err)
	}

	bare, _ := newEnv(t, false)
	bare.Cleanup = true
	rec, err = tutorial.Record(context.Background(), bare)
	if err == nil || rec[len(rec)-1].Title == "Cleaning up" {
		t.Errorf("a run failing before the create: %v, last step %q", err, rec[len(rec)-1].Title)
	}
}

// Without members (a remote endpoint whose instances are not the tutorial's), the balancer is
// created empty and the run says so.
func TestRunWithoutMembers(t *testing.T) {
	env, _ := newEnv(t, false)
	env.Members = []loadbalancer.Member{}
	rec, err := tutorial.Record(context.Background(), env)
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, e := range rec[2].Entries {
		if e.Kind == "note" {
			notes = append(notes, e.Text)
		}
	}
	if len(notes) != 1 || !strings.HasPrefix(notes[0], "no members") {
		t.Errorf("notes of the create step: %q", notes)
	}
}
