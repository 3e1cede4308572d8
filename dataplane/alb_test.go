package dataplane

import (
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

// TestALBForwardHeaders: the target gets the client's Host, X-Forwarded-For with the client
// appended to what it sent, X-Forwarded-Proto and -Port of the listener, and a new
// X-Amzn-Trace-Id unless the client sent one.
func TestALBForwardHeaders(t *testing.T) {
	be := dptest.Echo(t, "b")
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)}))
	addr := e.LocalAddr("alb", 80)
	_, body := get(t, addr, "/p", func(r *http.Request) {
		r.Host = "app.example.com"
		r.Header.Set("X-Forwarded-For", "203.0.113.7")
		r.Header.Set("X-Forwarded-Proto", "spoofed")
	})
	s := dptest.Decode(t, body)
	if s.Host != "app.example.com" || s.Header.Get("X-Forwarded-For") != "203.0.113.7, 127.0.0.1" ||
		s.Header.Get("X-Forwarded-Proto") != "http" || s.Header.Get("X-Forwarded-Port") != "80" {
		t.Fatalf("target saw host %q headers %v", s.Host, s.Header)
	}
	if !regexp.MustCompile(`^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$`).MatchString(s.Header.Get("X-Amzn-Trace-Id")) {
		t.Fatalf("trace id %q", s.Header.Get("X-Amzn-Trace-Id"))
	}
	_, body = get(t, addr, "/", func(r *http.Request) { r.Header.Set("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793") })
	if got := dptest.Decode(t, body).Header.Get("X-Amzn-Trace-Id"); got != "Root=1-5759e988-bd862e3fe1be46a994272793" {
		t.Fatalf("client trace id replaced by %q", got)
	}
}

// TestALBWeightedGroupsAndGroupStickiness: a forward to two weighted groups splits by weight; with
// group stickiness, the AWSALBTG cookie brings a client back to its group.
func TestALBWeightedGroupsAndGroupStickiness(t *testing.T) {
	a, b := dptest.Echo(t, "a"), dptest.Echo(t, "b")
	rules := []Rule{{Actions: []Action{{Type: ActionForward, Forward: &Forward{
		TargetGroups: []WeightedGroup{{Key: "ga", Weight: 3}, {Key: "gb", Weight: 1}}}}}}}
	cfg := albConfig(rules, TargetGroup{Key: "ga", Protocol: HTTP, Targets: targetsOf(a)},
		TargetGroup{Key: "gb", Protocol: HTTP, Targets: targetsOf(b)})
	e, _ := newEngine(t, Options{})
	apply(t, e, cfg)
	addr := e.LocalAddr("alb", 80)
	counts := countBackends(t, addr, 400)
	if counts["a"] < 240 || counts["a"] > 360 || counts["a"]+counts["b"] != 400 {
		t.Fatalf("weights 3:1 gave %v", counts)
	}

	rules[0].Actions[0].Forward.StickinessDuration = time.Hour
	apply(t, e, cfg)
	resp, _ := get(t, addr, "/")
	var tg *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "AWSALBTG" {
			tg = c
		}
	}
	if tg == nil || !strings.Contains(strings.Join(resp.Header.Values("Set-Cookie"), ";"), "AWSALBTGCORS=") {
		t.Fatalf("no AWSALBTG/AWSALBTGCORS cookies: %v", resp.Header.Values("Set-Cookie"))
	}
	first := resp.Header.Get("X-Backend")
	counts = countBackends(t, addr, 50, func(r *http.Request) { r.AddCookie(tg) })
	if counts[first] != 50 {
		t.Fatalf("sticky group %q: got %v", first, counts)
	}
}

// TestALBLBCookieStickiness: lb_cookie issues AWSALB and AWSALBCORS; a client presenting AWSALB
// stays on its target, and the cookie is refreshed on every response.
func TestALBLBCookieStickiness(t *testing.T) {
	a, b := dptest.Echo(t, "a"), dptest.Echo(t, "b")
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(a, b),
		Stickiness: Stickiness{Type: StickyLBCookie, Duration: time.Hour}}))
	addr := e.LocalAddr("alb", 80)
	if c := countBackends(t, addr, 10); c["a"] != 5 || c["b"] != 5 {
		t.Fatalf("without the cookie round robin should alternate: %v", c)
	}
	resp, _ := get(t, addr, "/")
	cookies := map[string]*http.Cookie{}
	for _, c := range resp.Cookies() {
		cookies[c.Name] = c
	}
	alb, cors := cookies["AWSALB"], cookies["AWSALBCORS"]
	if alb == nil || cors == nil || cors.SameSite != http.SameSiteNoneMode || !cors.Secure || alb.Expires.Before(time.Now().Add(50*time.Minute)) {
		t.Fatalf("cookies %v", resp.Header.Values("Set-Cookie"))
	}
	first := resp.Header.Get("X-Backend")
	counts := countBackends(t, addr, 20, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "AWSALB", Value: alb.Value}) })
	if counts[first] != 20 {
		t.Fatalf("sticky to %q: %v", first, counts)
	}
}

// TestALBAppCookieStickiness: app_cookie follows the application's cookie: when the target sets
// it, the balancer adds AWSALBAPP-0, which then keeps the client on that target.
func TestALBAppCookieStickiness(t *testing.T) {
	handler := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				http.SetCookie(w, &http.Cookie{Name: "SESSION", Value: "s-" + name})
			}
			dptest.EchoHandler(name)(w, r)
		}
	}
	a, b := newServer(t, handler("a")), newServer(t, handler("b"))
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(a, b),
		Stickiness: Stickiness{Type: StickyAppCookie, Duration: time.Hour, CookieName: "SESSION"}}))
	addr := e.LocalAddr("alb", 80)
	resp, _ := get(t, addr, "/")
	if len(resp.Header.Values("Set-Cookie")) != 0 {
		t.Fatalf("cookie without the application's: %v", resp.Header.Values("Set-Cookie"))
	}
	resp, _ = get(t, addr, "/login")
	var app *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "AWSALBAPP-0" {
			app = c
		}
	}
	if app == nil {
		t.Fatalf("no AWSALBAPP-0 beside the application's cookie: %v", resp.Header.Values("Set-Cookie"))
	}
	first := resp.Header.Get("X-Backend")
	if c := countBackends(t, addr, 20, func(r *http.Request) { r.AddCookie(&http.Cookie{Name: app.Name, Value: app.Value}) }); c[first] != 20 {
		t.Fatalf("sticky to %q: %v", first, c)
	}
}

// TestALBAlgorithms: round robin alternates exactly; least outstanding requests sends new
// requests away from a target busy with slow ones; weighted random uses every target.
func TestALBAlgorithms(t *testing.T) {
	release := make(chan struct{})
	var once sync.Once
	defer once.Do(func() { close(release) })
	slow := newServer(t, slowHandler("slow", release))
	fast := dptest.Echo(t, "fast")
	group := TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(slow, fast)}
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), group))
	addr := e.LocalAddr("alb", 80)
	if c := countBackends(t, addr, 10); c["slow"] != 5 || c["fast"] != 5 {
		t.Fatalf("round robin: %v", c)
	}

	// Park three requests on the slow target (round robin sends every other one there), then
	// switch to least outstanding requests: new requests must avoid it.
	wait := parkRequests(t, e, addr, "tg", dptest.HostOf(slow), dptest.HostOf(fast), 3)
	group.Algorithm = LeastOutstandingRequests
	apply(t, e, albConfig(forwardTo("tg"), group))
	if c := countIdle(t, e, addr, "tg", dptest.HostOf(fast), 10); c["fast"] != 10 {
		t.Fatalf("least outstanding requests with a busy target: %v", c)
	}
	once.Do(func() { close(release) })
	wait()

	group.Algorithm = WeightedRandom
	apply(t, e, albConfig(forwardTo("tg"), group))
	if c := countBackends(t, addr, 100); c["slow"] < 20 || c["fast"] < 20 {
		t.Fatalf("weighted random: %v", c)
	}
}

// slowHandler answers /slow only once release is closed.
func slowHandler(name string, release chan struct{}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		dptest.EchoHandler(name)(w, r)
	}
}

// parkRequests sends /slow requests through addr until n of them wait on the slow target, and
// returns a function that waits for them all to end and returns their status codes.
func parkRequests(t *testing.T, e *Engine, addr, group, slow, fast string, n int64) func() []int {
	t.Helper()
	waitFor(t, "earlier requests to end", func() bool {
		return inflightOf(e, group, slow) == 0 && inflightOf(e, group, fast) == 0
	})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var codes []int
	for parked := int64(0); parked < n; {
		done := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done)
			resp, _ := get(t, addr, "/slow")
			mu.Lock()
			codes = append(codes, resp.StatusCode)
			mu.Unlock()
		}()
		waitFor(t, "the request to park or finish", func() bool {
			select {
			case <-done:
				return true
			default:
				return inflightOf(e, group, slow) > parked
			}
		})
		parked = inflightOf(e, group, slow)
	}
	return func() []int {
		wg.Wait()
		return codes
	}
}

// countIdle is countBackends waiting, before each request, until the fast target has none in
// flight: a finished request counts as outstanding until its handler returns, just after the
// client has its answer.
func countIdle(t *testing.T, e *Engine, addr, group, fast string, n int) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for i := 0; i < n; i++ {
		waitFor(t, "the fast target to be idle", func() bool { return inflightOf(e, group, fast) == 0 })
		resp, _ := get(t, addr, "/")
		counts[resp.Header.Get("X-Backend")]++
	}
	return counts
}

func inflightOf(e *Engine, group, addr string) int64 {
	e.mu.Lock()
	g := e.groups[group]
	e.mu.Unlock()
	for _, tg := range g.view.Load().targets {
		if tg.addr == addr {
			return tg.inflight.Load()
		}
	}
	return -1
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
