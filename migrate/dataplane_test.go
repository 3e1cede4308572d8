package migrate_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"github.com/lbcloud/lbcloud/dataplane/localaddr"
	"github.com/lbcloud/lbcloud/dataplane/storesync"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/migrate"
)

// TestMigratedAnswersAsClassic: the tutorial's balancer (stickiness on HTTP:80, ProxyProtocol
// on back-end port 80), migrated to an ALB and to an NLB on an endpoint running the data plane:
// Apply waits until the targets are healthy, Verify finds every setting as planned and the same
// answers from the same back ends through each, stickiness kept on the ALB; the back ends see
// PROXY v1 from Classic, v2 from the NLB, none from the ALB, as the plans say.
func TestMigratedAnswersAsClassic(t *testing.T) {
	e := endpointEnv(t, elbtest.WithDataPlane(storesync.Options{MaxCheckInterval: 100 * time.Millisecond}))
	for i, id := range e.instances {
		must(t, e.srv.Endpoint.DeclareTags("", "", id, map[string]string{"lbcloud:address": dptest.ProxyAware(t, "backend-"+strconv.Itoa(i))}))
	}
	c := classic{listeners: []string{"HTTP:80>HTTP:80"}, check: "HTTP:80/ 5 2 2 2", lbSticky: map[int]time.Duration{80: time.Hour}, proxy: []int{80}}
	c.make(t, e, "tut")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	proxySeen := map[string]string{}
	for _, req := range []migrate.Request{{To: migrate.ToALB, Name: "tut-alb"}, {To: migrate.ToNLB, Name: "tut-nlb"}} {
		p, err := e.m.Plan(ctx, "tut", req)
		must(t, err)
		var looks int
		res, err := e.m.Apply(ctx, p, migrate.ApplyOptions{Wait: true, PollInterval: 50 * time.Millisecond,
			Progress: func(migrate.Progress) { looks++ }})
		must(t, err)
		if looks == 0 || len(res.Targets) != 2 || res.Targets[0].State != "healthy" || res.Targets[1].State != "healthy" {
			t.Fatalf("%s: %d looks, targets %+v", req.Name, looks, res.Targets)
		}
		rep, err := e.m.Verify(ctx, p, migrate.VerifyOptions{Endpoint: e.url})
		must(t, err)
		if !rep.OK || len(rep.Traffic) != 1 || len(rep.Checks) < 5 {
			t.Fatalf("%s: verify %+v", req.Name, rep)
		}
		tc := rep.Traffic[0]
		if want := []string{"200 backend-0", "200 backend-1"}; fmt.Sprint(tc.Classic) != fmt.Sprint(want) || fmt.Sprint(tc.Migrated) != fmt.Sprint(want) {
			t.Errorf("%s: answers %v and %v, want %v through both", req.Name, tc.Classic, tc.Migrated, want)
		}
		if tc.Sticky != (req.To == migrate.ToALB) || tc.ProxyHeader != map[migrate.Target]string{migrate.ToALB: "v1 -> none", migrate.ToNLB: "v1 -> v2"}[req.To] {
			t.Errorf("%s: sticky %t, PROXY header %q", req.Name, tc.Sticky, tc.ProxyHeader)
		}
		ls, err := localaddr.Fetch(ctx, e.cfg, e.url)
		must(t, err)
		for _, l := range ls {
			resp, err := http.Get("http://" + l.LocalAddress + "/")
			must(t, err)
			resp.Body.Close()
			proxySeen[l.LoadBalancerName] = strings.Fields(resp.Header.Get("X-Proxy"))[0] // the version
		}
	}
	if want := map[string]string{"tut": "v1", "tut-alb": "-", "tut-nlb": "v2"}; fmt.Sprint(proxySeen) != fmt.Sprint(want) {
		t.Errorf("PROXY headers seen %v, want %v", proxySeen, want)
	}
}
