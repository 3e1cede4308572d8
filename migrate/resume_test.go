package migrate_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/migrate"
)

// failing refuses the nth request for action (from 1), as ELBv2 refuses a bad request, and
// passes every other request on.
type failing struct {
	next   *http.Client
	action string
	nth    int32
	seen   atomic.Int32
}

func (f *failing) Do(req *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	if strings.Contains(string(body), "Action="+f.action+"&") && f.seen.Add(1) == f.nth {
		xml := `<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>injected</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`
		return &http.Response{StatusCode: http.StatusBadRequest, Header: http.Header{"Content-Type": {"text/xml"}},
			Body: io.NopCloser(strings.NewReader(xml)), Request: req}, nil
	}
	return f.next.Do(req)
}

// resumeAndRollBack: a run whose second balancer fails takes back only what it made; a rerun
// finds what an earlier run made and completes it; a planned name someone else holds is ErrTaken.
func resumeAndRollBack(t *testing.T, e *env) {
	ctx := context.Background()
	c := classic{listeners: []string{"HTTP:80>HTTP:8080", "TCP:5432>TCP:5432"}, check: "TCP:8080 30 5 10 2", tags: map[string]string{"team": "db"}}
	c.make(t, e, "web")
	classicBefore, err := e.m.ReadClassic(ctx, "web")
	must(t, err)
	p, err := e.m.Plan(ctx, "web", migrate.Request{To: migrate.ToALB})
	must(t, err)
	if len(p.Balancers) != 2 {
		t.Fatalf("plan: %d balancers, want 2", len(p.Balancers))
	}

	// An earlier run made the first balancer.
	first := *p
	first.Balancers = p.Balancers[:1]
	_, err = e.m.Apply(ctx, &first, migrate.ApplyOptions{})
	must(t, err)
	madeFirst := e.made(t, "web")

	// This run finds it, then fails at the second balancer's listener: it takes back the
	// second balancer and its target group, and leaves the first.
	fail := &failing{next: http.DefaultClient, action: "CreateListener", nth: 1}
	m := migrate.New(e.cfg, migrate.WithEndpoint(e.url), migrate.WithHTTPClient(fail))
	res, err := m.Apply(ctx, p, migrate.ApplyOptions{})
	if err == nil || !strings.Contains(err.Error(), "injected") {
		t.Fatalf("Apply with a failing CreateListener: %v", err)
	}
	if kinds := resourceKinds(res.Removed); kinds != "load-balancer web-nlb,target-group web-nlb-5432-tcp" || len(res.Found) != 3 {
		t.Errorf("removed %s, found %v", kinds, res.Found)
	}
	if after := e.made(t, "web"); !slices.Equal(after, madeFirst) {
		t.Errorf("after the rollback:\n%s\nwant what the earlier run made:\n%s", strings.Join(after, "\n"), strings.Join(madeFirst, "\n"))
	}

	// Run again: the first balancer is found, the second made.
	res, err = e.m.Apply(ctx, p, migrate.ApplyOptions{})
	must(t, err)
	if found, made := resourceKinds(res.Found), resourceKinds(res.Made); found != "listener web HTTP:80,load-balancer web,target-group web-8080-http" ||
		made != "listener web-nlb TCP:5432,load-balancer web-nlb,target-group web-nlb-5432-tcp" {
		t.Errorf("resumed: found %s, made %s", found, made)
	}
	// And once more: nothing left to make.
	res, err = e.m.Apply(ctx, p, migrate.ApplyOptions{})
	must(t, err)
	if len(res.Made) != 0 || len(res.Found) != 6 {
		t.Errorf("complete: made %v, found %v", res.Made, res.Found)
	}
	rep, err := e.m.Verify(ctx, p, migrate.VerifyOptions{})
	must(t, err)
	if !rep.OK || rep.TrafficSkipped == "" {
		t.Errorf("verify: %+v", rep)
	}
	classicAfter, err := e.m.ReadClassic(ctx, "web")
	must(t, err)
	if !equalJSON(classicBefore, classicAfter) {
		t.Errorf("the Classic balancer changed")
	}

	// A target group with a planned name, not made by a migration of this balancer.
	c.make(t, e, "api")
	_, err = e.v2.CreateTargetGroup(ctx, &elbv2sdk.CreateTargetGroupInput{Name: aws.String("api-8080-http"), Protocol: "HTTP",
		Port: aws.Int32(8080), VpcId: aws.String(e.vpc)})
	must(t, err)
	p, err = e.m.Plan(ctx, "api", migrate.Request{To: migrate.ToALB})
	must(t, err)
	res, err = e.m.Apply(ctx, p, migrate.ApplyOptions{})
	if !errors.Is(err, migrate.ErrTaken) || len(res.Made) != 0 {
		t.Fatalf("Apply onto a taken name: %v, made %v", err, res.Made)
	}
	got := strings.Join(e.made(t, "api"), "\n")
	if strings.Contains(got, "lb api") || !strings.Contains(got, "targets=\n") && !strings.HasSuffix(got, "targets=") ||
		!strings.Contains(got, "attr api-8080-http deregistration_delay.timeout_seconds=300") {
		t.Errorf("after ErrTaken:\n%s\nwant the foreign target group alone, untouched", got)
	}
}

func resourceKinds(rs []migrate.Resource) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Kind+" "+r.Name)
	}
	slices.Sort(out)
	return strings.Join(out, ",")
}

func TestResumeAndRollBackEndpoint(t *testing.T) { resumeAndRollBack(t, endpointEnv(t)) }

func TestResumeAndRollBackMoto(t *testing.T) { resumeAndRollBack(t, motoEnv(t)) }
