package dataplane

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

func fixed(body string) []Action {
	return []Action{{Type: ActionFixedResponse, FixedResponse: &FixedResponse{StatusCode: "200", MessageBody: body}}}
}

// TestALBConditions sends requests through rules of every condition type and checks which rule
// answers, following AWS's matching rules: wildcards * and ?, host and header values and query
// strings case-insensitive, paths and methods case-sensitive, priorities in ascending order.
func TestALBConditions(t *testing.T) {
	rules := []Rule{
		{Priority: 10, Conditions: []Condition{{Field: FieldHostHeader, Values: []string{"*.example.com"}}}, Actions: fixed("host-wild")},
		{Priority: 5, Conditions: []Condition{{Field: FieldHostHeader, Values: []string{"api?.example.com"}}}, Actions: fixed("host-qmark")},
		{Priority: 20, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/img/*.png"}}}, Actions: fixed("path")},
		{Priority: 21, Conditions: []Condition{{Field: FieldPathPattern, RegexValues: []string{`^/v[0-9]+/items$`}}}, Actions: fixed("path-regex")},
		{Priority: 30, Conditions: []Condition{{Field: FieldHTTPHeader, HeaderName: "x-env", Values: []string{"stag*"}}}, Actions: fixed("header")},
		{Priority: 31, Conditions: []Condition{{Field: FieldHTTPHeader, HeaderName: "User-Agent", RegexValues: []string{`Mobile/\d+`}}}, Actions: fixed("header-regex")},
		{Priority: 40, Conditions: []Condition{{Field: FieldMethod, Values: []string{"DELETE", "PATCH"}}}, Actions: fixed("method")},
		{Priority: 50, Conditions: []Condition{{Field: FieldQueryString, QueryValues: []KeyValue{{Key: "ver*", Value: "beta"}, {Value: "canary"}}}}, Actions: fixed("query")},
		{Priority: 60, Conditions: []Condition{{Field: FieldSourceIP, Values: []string{"10.0.0.0/8"}}}, Actions: fixed("source-far")},
		{Priority: 61, Conditions: []Condition{{Field: FieldSourceIP, Values: []string{"127.0.0.0/8"}}, {Field: FieldPathPattern, Values: []string{"/local"}}}, Actions: fixed("source-local")},
		{Priority: 70, Conditions: []Condition{{Field: FieldHostHeader, RegexValues: []string{`^shop-[a-z]+\.test$`}}}, Actions: fixed("host-regex")},
		{Actions: fixed("default")},
	}
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(rules))
	addr := e.LocalAddr("alb", 80)
	cases := []struct {
		name   string
		method string
		host   string
		path   string
		header [2]string
		want   string
	}{
		{name: "host wildcard, case-insensitive", host: "WWW.Example.COM", path: "/", want: "host-wild"},
		{name: "host ? wins by priority", host: "api1.example.com", path: "/", want: "host-qmark"},
		{name: "? matches exactly one", host: "api12.example.com", path: "/", want: "host-wild"},
		{name: "host with port", host: "a.example.com:80", path: "/", want: "host-wild"},
		{name: "path wildcard", path: "/img/a/b.png", want: "path"},
		{name: "path case-sensitive", path: "/IMG/a.png", want: "default"},
		{name: "path regex", path: "/v12/items", want: "path-regex"},
		{name: "path regex no match", path: "/v12/items/x", want: "default"},
		{name: "path ignores query", path: "/img/x.png?a=b", want: "path"},
		{name: "header value case-insensitive", path: "/", header: [2]string{"X-Env", "STAGING"}, want: "header"},
		{name: "header regex", path: "/", header: [2]string{"User-Agent", "Foo Mobile/15"}, want: "header-regex"},
		{name: "method", method: "PATCH", path: "/", want: "method"},
		{name: "method case-sensitive", method: "patch", path: "/", want: "default"},
		{name: "query key wildcard, value case-insensitive", path: "/?version=BETA", want: "query"},
		{name: "query any key", path: "/?x=1&flag=canary", want: "query"},
		{name: "query no match", path: "/?version=stable", want: "default"},
		{name: "source ip and path", path: "/local", want: "source-local"},
		{name: "host regex", host: "shop-abc.test", path: "/", want: "host-regex"},
		{name: "default", path: "/nothing", want: "default"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method := c.method
			if method == "" {
				method = http.MethodGet
			}
			req, err := http.NewRequest(method, "http://"+addr+c.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.host != "" {
				req.Host = c.host
			}
			if c.header[0] != "" {
				req.Header.Set(c.header[0], c.header[1])
			}
			resp, body := do(t, req)
			if resp.StatusCode != 200 || body != c.want {
				t.Fatalf("got %d %q, want 200 %q", resp.StatusCode, body, c.want)
			}
		})
	}
}

func TestWildcardMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		fold, want bool
	}{
		{"*", "", false, true},
		{"a*c", "abbbc", false, true},
		{"a*c", "abbbd", false, false},
		{"a?c", "abc", false, true},
		{"a?c", "ac", false, false},
		{"*.png", "x.png.png", false, true},
		{"/API/*", "/api/x", false, false},
		{"/API/*", "/api/x", true, true},
		{"**a", "bbba", false, true},
	}
	for _, c := range cases {
		if got := wildcardMatch(c.pattern, c.s, c.fold); got != c.want {
			t.Errorf("wildcardMatch(%q, %q, %v) = %v", c.pattern, c.s, c.fold, got)
		}
	}
}

// TestALBRedirectAndFixedResponse checks the Location of redirects with every placeholder, the
// 301 and 302 codes, and fixed responses' status, content type and body.
func TestALBRedirectAndFixedResponse(t *testing.T) {
	redirect := func(rd Redirect) []Action { return []Action{{Type: ActionRedirect, Redirect: &rd}} }
	rules := []Rule{
		{Priority: 1, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/secure/*"}}},
			Actions: redirect(Redirect{Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301"})},
		{Priority: 2, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/moved/*"}}},
			Actions: redirect(Redirect{Host: "new.#{host}", Path: "/new/#{path}", Query: "#{query}&from=#{port}", StatusCode: "HTTP_302"})},
		{Priority: 3, Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/gone"}}},
			Actions: []Action{{Type: ActionFixedResponse, FixedResponse: &FixedResponse{StatusCode: "410", ContentType: "application/json", MessageBody: `{"gone":true}`}}}},
		{Actions: fixed("default")},
	}
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(rules))
	addr := e.LocalAddr("alb", 80)
	host := func(r *http.Request) { r.Host = "shop.example.com" }

	resp, _ := get(t, addr, "/secure/a%20b?x=1", host)
	if resp.StatusCode != 301 || resp.Header.Get("Location") != "https://shop.example.com/secure/a%20b?x=1" {
		t.Fatalf("secure redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = get(t, addr, "/moved/p?q=2", host)
	// #{protocol} and #{port} kept from the request; the default port is left out of the URL.
	if got := resp.Header.Get("Location"); resp.StatusCode != 302 || got != "http://new.shop.example.com/new/moved/p?q=2&from=80" {
		t.Fatalf("moved redirect: %d %q", resp.StatusCode, got)
	}
	resp, body := get(t, addr, "/gone")
	if resp.StatusCode != 410 || resp.Header.Get("Content-Type") != "application/json" || body != `{"gone":true}` {
		t.Fatalf("fixed response: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}

// TestALBAuthenticateActions: the identity-provider actions cannot run locally, so a rule that
// starts with one answers 401 with a body naming the action, and never reaches the targets.
func TestALBAuthenticateActions(t *testing.T) {
	be := dptest.Echo(t, "b")
	fwd := Action{Type: ActionForward, Order: 2, Forward: &Forward{TargetGroups: []WeightedGroup{{Key: "tg"}}}}
	var rules []Rule
	kinds := []ActionType{ActionAuthenticateOIDC, ActionAuthenticateCognito, ActionJWTValidation}
	for i, k := range kinds {
		rules = append(rules, Rule{Priority: i + 1,
			Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/" + string(k)}}},
			Actions:    []Action{fwd, {Type: k, Order: 1}}})
	}
	rules = append(rules, forwardTo("tg")...)
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(rules, TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)}))
	for _, k := range kinds {
		resp, body := get(t, e.LocalAddr("alb", 80), "/"+string(k))
		if resp.StatusCode != 401 || !strings.Contains(body, string(k)) || resp.Header.Get("X-Backend") != "" {
			t.Errorf("%s: %d %q", k, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, e.LocalAddr("alb", 80), "/other"); resp.Header.Get("X-Backend") != "b" {
		t.Fatalf("default rule did not forward: %d", resp.StatusCode)
	}
}

// TestALBTransforms: host-header-rewrite and url-rewrite change what the target receives, after
// the rule matched on the original request.
func TestALBTransforms(t *testing.T) {
	be := dptest.Echo(t, "b")
	rules := []Rule{{Priority: 1,
		Conditions: []Condition{{Field: FieldPathPattern, Values: []string{"/dp/*"}}},
		Transforms: []Transform{
			{Type: TransformHostHeader, Regex: `^mysite-(.+)\.com$`, Replace: "internal.$1.example"},
			{Type: TransformURL, Regex: `^/dp/([A-Za-z0-9]+)/?$`, Replace: "/product.php?id=$1"},
		},
		Actions: forwardTo("tg")[0].Actions,
	}}
	rules = append(rules, forwardTo("tg")...)
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(rules, TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)}))
	_, body := get(t, e.LocalAddr("alb", 80), "/dp/B09G3", func(r *http.Request) { r.Host = "mysite-shop.com" })
	s := dptest.Decode(t, body)
	if s.Host != "internal.shop.example" || s.Path != "/product.php" || s.Query != "id=B09G3" {
		t.Fatalf("target saw host %q path %q query %q", s.Host, s.Path, s.Query)
	}
	_, body = get(t, e.LocalAddr("alb", 80), "/other?x=1", func(r *http.Request) { r.Host = "mysite-shop.com" })
	if s := dptest.Decode(t, body); s.Host != "mysite-shop.com" || s.Path != "/other" {
		t.Fatalf("default rule rewrote: %+v", s)
	}
}
