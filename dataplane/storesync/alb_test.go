package storesync_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

func rule(t *testing.T, e *env, listener string, priority int32, action v2types.Action, conds ...v2types.RuleCondition) {
	t.Helper()
	_, err := e.v2.CreateRule(context.Background(), &elbv2.CreateRuleInput{ListenerArn: aws.String(listener),
		Priority: aws.Int32(priority), Conditions: conds, Actions: []v2types.Action{action}})
	must(t, err)
}

// TestALBRules: rules of the six condition types in priority order, a URL rewrite, a weighted
// forward, a redirect and fixed responses, and lb_cookie stickiness, configured through the SDK.
func TestALBRules(t *testing.T) {
	e := newEnv(t)
	a, b, c1, c2 := dptest.Echo(t, "a"), dptest.Echo(t, "b"), dptest.Echo(t, "c1"), dptest.Echo(t, "c2")
	port := func(s *httptest.Server) string { _, p, _ := net.SplitHostPort(dptest.HostOf(s)); return p }
	tgA := e.targetGroup(t, "ga", v2types.ProtocolEnumHttp, v2types.TargetTypeEnumInstance, "/", e.instance(t, dptest.HostOf(a)))
	tgB := e.targetGroup(t, "gb", v2types.ProtocolEnumHttp, v2types.TargetTypeEnumIp, "/", "127.0.0.1|"+port(b))
	tgC := e.targetGroup(t, "gc", v2types.ProtocolEnumHttp, v2types.TargetTypeEnumIp, "/", "127.0.0.1|"+port(c1), "127.0.0.1|"+port(c2))
	e.setGroupAttrs(t, tgC, "stickiness.enabled", "true", "stickiness.type", "lb_cookie", "stickiness.lb_cookie.duration_seconds", "120")
	lb, _ := e.v2Balancer(t, "alb", v2types.LoadBalancerTypeEnumApplication)
	l := e.listenerV2(t, lb, v2types.ProtocolEnumHttp, 80, fixed("404", "no rule"))
	cond := func(field string) v2types.RuleCondition { return v2types.RuleCondition{Field: aws.String(field)} }
	host := cond("host-header")
	host.HostHeaderConfig = &v2types.HostHeaderConditionConfig{Values: []string{"api.*.test"}}
	path := cond("path-pattern")
	path.PathPatternConfig = &v2types.PathPatternConditionConfig{Values: []string{"/b/*"}}
	header := cond("http-header")
	header.HttpHeaderConfig = &v2types.HttpHeaderConditionConfig{HttpHeaderName: aws.String("X-Env"), Values: []string{"blue"}}
	method := cond("http-request-method")
	method.HttpRequestMethodConfig = &v2types.HttpRequestMethodConditionConfig{Values: []string{"PUT"}}
	query := cond("query-string")
	query.QueryStringConfig = &v2types.QueryStringConditionConfig{Values: []v2types.QueryStringKeyValuePair{{Key: aws.String("v"), Value: aws.String("2")}}}
	source := cond("source-ip")
	source.SourceIpConfig = &v2types.SourceIpConditionConfig{Values: []string{"127.0.0.0/8"}}
	split := cond("path-pattern")
	split.PathPatternConfig = &v2types.PathPatternConditionConfig{Values: []string{"/split"}}

	rule(t, e, l, 10, forward(tgA), host)
	_, err := e.v2.CreateRule(context.Background(), &elbv2.CreateRuleInput{ListenerArn: aws.String(l), Priority: aws.Int32(20),
		Conditions: []v2types.RuleCondition{path}, Actions: []v2types.Action{forward(tgB)},
		Transforms: []v2types.RuleTransform{{Type: v2types.TransformTypeEnumUrlRewrite, UrlRewriteConfig: &v2types.UrlRewriteConfig{
			Rewrites: []v2types.RewriteConfig{{Regex: aws.String("^/b/(.*)$"), Replace: aws.String("/rewritten/$1")}}}}}})
	must(t, err)
	rule(t, e, l, 30, forward(tgC), header)
	rule(t, e, l, 40, fixed("201", "put"), method)
	rule(t, e, l, 50, v2types.Action{Type: v2types.ActionTypeEnumRedirect, RedirectConfig: &v2types.RedirectActionConfig{
		Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: v2types.RedirectActionStatusCodeEnumHttp301}}, query)
	rule(t, e, l, 60, v2types.Action{Type: v2types.ActionTypeEnumForward, ForwardConfig: &v2types.ForwardActionConfig{
		TargetGroups: []v2types.TargetGroupTuple{{TargetGroupArn: aws.String(tgA), Weight: aws.Int32(1)}, {TargetGroupArn: aws.String(tgB), Weight: aws.Int32(1)}}}}, split, source)
	e.waitTarget(t, tgC, "127.0.0.1:"+port(c2), "healthy")

	addr := e.addr(t, "alb", 80)
	withHost := func(h string) func(*http.Request) { return func(r *http.Request) { r.Host = h } }
	if got := backendOf(t, addr, "/", withHost("api.eu.test")); got != "a" {
		t.Errorf("host-header rule: %q", got)
	}
	resp, body := get(t, addr, "/b/x?q=1")
	if s := dptest.Decode(t, body); s.Backend != "b" || s.Path != "/rewritten/x" || s.Query != "q=1" || resp.StatusCode != 200 {
		t.Errorf("path-pattern rule with url-rewrite: %d %+v", resp.StatusCode, s)
	}
	if got := backendOf(t, addr, "/", func(r *http.Request) { r.Header.Set("X-Env", "BLUE") }); got != "c1" && got != "c2" {
		t.Errorf("http-header rule (values are case-insensitive): %q", got)
	}
	req, _ := http.NewRequest(http.MethodPut, "http://"+addr+"/", nil)
	if resp, err := client.Do(req); err != nil || resp.StatusCode != 201 {
		t.Errorf("http-request-method rule: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	resp, _ = get(t, addr, "/p?v=2", withHost("www.test"))
	if loc := resp.Header.Get("Location"); resp.StatusCode != 301 || loc != "https://www.test/p?v=2" {
		t.Errorf("query-string rule's redirect: %d %q", resp.StatusCode, loc)
	}
	counts := map[string]int{}
	for range 40 {
		counts[backendOf(t, addr, "/split")]++
	}
	if counts["a"] == 0 || counts["b"] == 0 || counts["a"]+counts["b"] != 40 {
		t.Errorf("weighted forward (source-ip and path-pattern): %v", counts)
	}
	resp, body = get(t, addr, "/none")
	if resp.StatusCode != 404 || body != "no rule" {
		t.Errorf("default action: %d %q", resp.StatusCode, body)
	}

	// lb_cookie: the first answer sets AWSALB; with it, a client stays on one of the group's targets.
	resp, _ = get(t, addr, "/", func(r *http.Request) { r.Header.Set("X-Env", "blue") })
	var sticky *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "AWSALB" {
			sticky = ck
		}
	}
	if sticky == nil {
		t.Fatalf("no AWSALB cookie: %v", resp.Header.Values("Set-Cookie"))
	}
	first := resp.Header.Get("X-Backend")
	for range 10 {
		if got := backendOf(t, addr, "/", func(r *http.Request) { r.Header.Set("X-Env", "blue"); r.AddCookie(sticky) }); got != first {
			t.Fatalf("a sticky client moved from %s to %s", first, got)
		}
	}
}

// TestALBHealthAndDraining: DescribeTargetHealth follows the data plane's checks, initial while
// checks time out, healthy, then unhealthy with the code the target answered; a deregistered
// target drains: its request in flight finishes, new ones go elsewhere.
func TestALBHealthAndDraining(t *testing.T) {
	e := newEnv(t)
	var status atomic.Int32
	status.Store(0) // 0: health checks hang until the check's timeout
	h := newHold()
	gated := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/health":
			code := status.Load()
			if code == 0 {
				<-r.Context().Done()
				return
			}
			w.WriteHeader(int(code))
		case "/slow":
			w.Header().Set("X-Backend", "gated")
			h.block()
		default:
			w.Header().Set("X-Backend", "gated")
		}
	}))
	t.Cleanup(gated.Close)
	t.Cleanup(h.release)
	other := dptest.Echo(t, "other")
	id := e.instance(t, dptest.HostOf(gated))
	tg := e.targetGroup(t, "health", v2types.ProtocolEnumHttp, v2types.TargetTypeEnumInstance, "/health", id)
	e.setGroupAttrs(t, tg, "deregistration_delay.timeout_seconds", "30")
	lb, _ := e.v2Balancer(t, "halb", v2types.LoadBalancerTypeEnumApplication)
	e.listenerV2(t, lb, v2types.ProtocolEnumHttp, 80, forward(tg))
	target := id + ":80"
	e.waitTarget(t, tg, target, "initial Elb.InitialHealthChecking")
	status.Store(200)
	e.waitTarget(t, tg, target, "healthy")
	status.Store(500)
	e.waitTarget(t, tg, target, "unhealthy Target.ResponseCodeMismatch Health checks failed with these codes: [500]")
	status.Store(200)
	e.waitTarget(t, tg, target, "healthy")

	addr := e.addr(t, "halb", 80)
	done := h.inFlight(addr, "/slow")
	_, p, _ := net.SplitHostPort(dptest.HostOf(other))
	unknown := "i-0123456789abcdef0" // well formed, but no instance the endpoint knows
	otherID := e.instance(t, "127.0.0.1:"+p)
	e.register(t, tg, otherID, unknown)
	e.waitTarget(t, tg, otherID+":80", "healthy")
	_, err := e.v2.DeregisterTargets(context.Background(), &elbv2.DeregisterTargetsInput{TargetGroupArn: aws.String(tg),
		Targets: targetDescriptions(id)})
	must(t, err)
	e.waitTarget(t, tg, target, "draining Target.DeregistrationInProgress")
	eventually(t, "new requests avoid the draining target", func() error {
		if got := backendOf(t, addr, "/"); got != "other" {
			return fmt.Errorf("answered by %q", got)
		}
		return nil
	})
	h.release()
	if code := <-done; code != http.StatusOK {
		t.Fatalf("the request in flight on the draining target ended with %d", code)
	}
	e.waitTarget(t, tg, unknown+":80", "unhealthy Target.FailedHealthChecks Target is not served by the local data plane: it is not a running EC2 instance the endpoint knows")
}
