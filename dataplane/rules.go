package dataplane

import (
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// route is a compiled listener rule: conditions, transforms and the action that answers.
type route struct {
	priority int
	conds    []condition
	hostRW   *rewrite
	urlRW    *rewrite
	forward  *forwardAction
	redirect *Redirect
	fixed    *fixedAction
}

type rewrite struct {
	re      *regexp.Regexp
	replace string
}

type forwardAction struct {
	groups []weightedGroup
	total  int
	sticky time.Duration
}

type weightedGroup struct {
	g      *group
	weight int
}

type fixedAction struct {
	status      int
	contentType string
	body        string
}

func (r *route) matches(req *http.Request, client netip.Addr) bool {
	for _, c := range r.conds {
		if !c.match(req, client) {
			return false
		}
	}
	return true
}

// compileRules sorts rules by priority (the default rule last) and compiles them against groups.
func compileRules(rules []Rule, groups map[string]*group) ([]*route, error) {
	sorted := append([]Rule(nil), rules...)
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i].Priority, sorted[j].Priority
		if a == 0 || b == 0 {
			return b == 0 && a != 0
		}
		return a < b
	})
	if len(sorted) == 0 || sorted[len(sorted)-1].Priority != 0 {
		return nil, fmt.Errorf("no default rule (priority 0)")
	}
	out := make([]*route, 0, len(sorted))
	for _, rule := range sorted {
		rt, err := compileRule(rule, groups)
		if err != nil {
			return nil, fmt.Errorf("rule priority %d: %w", rule.Priority, err)
		}
		out = append(out, rt)
	}
	return out, nil
}

func compileRule(rule Rule, groups map[string]*group) (*route, error) {
	rt := &route{priority: rule.Priority}
	for _, c := range rule.Conditions {
		cc, err := compileCondition(c)
		if err != nil {
			return nil, err
		}
		rt.conds = append(rt.conds, cc)
	}
	for _, t := range rule.Transforms {
		re, err := regexp.Compile(t.Regex)
		if err != nil {
			return nil, fmt.Errorf("transform %s: %w", t.Type, err)
		}
		rw := &rewrite{re: re, replace: t.Replace}
		switch t.Type {
		case TransformHostHeader:
			rt.hostRW = rw
		case TransformURL:
			rt.urlRW = rw
		default:
			return nil, fmt.Errorf("unknown transform type %q", t.Type)
		}
	}
	actions := append([]Action(nil), rule.Actions...)
	sort.SliceStable(actions, func(i, j int) bool { return actions[i].Order < actions[j].Order })
	if len(actions) == 0 {
		return nil, fmt.Errorf("no action")
	}
	return rt, compileAction(rt, actions, groups)
}

func compileAction(rt *route, actions []Action, groups map[string]*group) error {
	a := actions[0]
	switch a.Type {
	case ActionAuthenticateOIDC, ActionAuthenticateCognito, ActionJWTValidation:
		// The identity provider round trip cannot happen locally: refuse plainly, naming the action.
		rt.fixed = &fixedAction{status: http.StatusUnauthorized, contentType: "text/plain; charset=utf-8",
			body: string(a.Type) + " action: authentication is not performed by the local data plane\n"}
		return nil
	case ActionForward:
		if a.Forward == nil || len(a.Forward.TargetGroups) == 0 {
			return fmt.Errorf("forward action without target groups")
		}
		fw := &forwardAction{sticky: a.Forward.StickinessDuration}
		for _, wg := range a.Forward.TargetGroups {
			g, ok := groups[wg.Key]
			if !ok {
				return fmt.Errorf("forward to unknown target group %q", wg.Key)
			}
			w := wg.Weight
			if w <= 0 && len(a.Forward.TargetGroups) == 1 {
				w = 1
			}
			if w < 0 || w > 999 {
				return fmt.Errorf("target group %q: weight %d outside 0..999", wg.Key, w)
			}
			fw.groups = append(fw.groups, weightedGroup{g: g, weight: w})
			fw.total += w
		}
		if fw.total == 0 {
			return fmt.Errorf("forward action: all weights are zero")
		}
		rt.forward = fw
	case ActionRedirect:
		if a.Redirect == nil {
			return fmt.Errorf("redirect action without configuration")
		}
		if c := a.Redirect.StatusCode; c != "HTTP_301" && c != "HTTP_302" {
			return fmt.Errorf("redirect status %q is not HTTP_301 or HTTP_302", c)
		}
		rt.redirect = a.Redirect
	case ActionFixedResponse:
		if a.FixedResponse == nil {
			return fmt.Errorf("fixed-response action without configuration")
		}
		code, err := strconv.Atoi(a.FixedResponse.StatusCode)
		if err != nil || code < 200 || code > 599 {
			return fmt.Errorf("fixed-response status %q is not 2XX, 4XX or 5XX", a.FixedResponse.StatusCode)
		}
		ct := a.FixedResponse.ContentType
		if ct == "" {
			ct = "text/plain"
		}
		rt.fixed = &fixedAction{status: code, contentType: ct, body: a.FixedResponse.MessageBody}
	default:
		return fmt.Errorf("unknown action type %q", a.Type)
	}
	return nil
}

func compileCondition(c Condition) (condition, error) {
	matcher := func(fold bool) (valueMatcher, error) {
		m := valueMatcher{globs: c.Values, fold: fold}
		for _, expr := range c.RegexValues {
			re, err := regexp.Compile(expr)
			if err != nil {
				return m, fmt.Errorf("%s regex %q: %w", c.Field, expr, err)
			}
			m.regexes = append(m.regexes, re)
		}
		if len(m.globs)+len(m.regexes) == 0 {
			return m, fmt.Errorf("%s condition without values", c.Field)
		}
		return m, nil
	}
	switch c.Field {
	case FieldHostHeader:
		m, err := matcher(true)
		return &hostCondition{m: m}, err
	case FieldPathPattern:
		m, err := matcher(false)
		return &pathCondition{m: m}, err
	case FieldHTTPHeader:
		if c.HeaderName == "" {
			return nil, fmt.Errorf("http-header condition without a header name")
		}
		m, err := matcher(true)
		return &headerCondition{name: http.CanonicalHeaderKey(c.HeaderName), m: m}, err
	case FieldMethod:
		if len(c.Values) == 0 {
			return nil, fmt.Errorf("http-request-method condition without values")
		}
		return &methodCondition{methods: c.Values}, nil
	case FieldQueryString:
		if len(c.QueryValues) == 0 {
			return nil, fmt.Errorf("query-string condition without values")
		}
		return &queryCondition{pairs: c.QueryValues}, nil
	case FieldSourceIP:
		qc := &sourceIPCondition{}
		for _, v := range c.Values {
			p, err := netip.ParsePrefix(v)
			if err != nil {
				return nil, fmt.Errorf("source-ip %q: %w", v, err)
			}
			qc.prefixes = append(qc.prefixes, p.Masked())
		}
		if len(qc.prefixes) == 0 {
			return nil, fmt.Errorf("source-ip condition without values")
		}
		return qc, nil
	}
	return nil, fmt.Errorf("unknown condition field %q", c.Field)
}

// redirectLocation builds a redirect's Location from the request, substituting the placeholders.
func redirectLocation(rd *Redirect, r *http.Request, listenerProto Protocol, listenerPort int) string {
	proto := strings.ToLower(string(listenerProto))
	host := hostOnly(r.Host)
	port := strconv.Itoa(listenerPort)
	path := strings.TrimPrefix(r.URL.EscapedPath(), "/")
	subst := strings.NewReplacer("#{protocol}", proto, "#{host}", host, "#{port}", port,
		"#{path}", path, "#{query}", r.URL.RawQuery)
	pick := func(v, def string) string {
		if v == "" {
			v = def
		}
		return subst.Replace(v)
	}
	scheme := strings.ToLower(pick(rd.Protocol, "#{protocol}"))
	outPort := pick(rd.Port, "#{port}")
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(pick(rd.Host, "#{host}"))
	if !(scheme == "http" && outPort == "80") && !(scheme == "https" && outPort == "443") {
		b.WriteString(":")
		b.WriteString(outPort)
	}
	b.WriteString(pick(rd.Path, "/#{path}"))
	if q := pick(rd.Query, "#{query}"); q != "" {
		b.WriteString("?")
		b.WriteString(q)
	}
	return b.String()
}

// applyTransforms rewrites the host header and the path?query of a request in place.
func (r *route) applyTransforms(req *http.Request) error {
	if r.hostRW != nil {
		if loc := r.hostRW.re.FindStringSubmatchIndex(req.Host); loc != nil {
			req.Host = rewriteFirst(r.hostRW, req.Host, loc)
		}
	}
	if r.urlRW != nil {
		uri := req.URL.EscapedPath()
		if req.URL.RawQuery != "" {
			uri += "?" + req.URL.RawQuery
		}
		if loc := r.urlRW.re.FindStringSubmatchIndex(uri); loc != nil {
			out := rewriteFirst(r.urlRW, uri, loc)
			path, query, _ := strings.Cut(out, "?")
			if err := setEscapedPath(req, path); err != nil {
				return err
			}
			req.URL.RawQuery = query
		}
	}
	return nil
}

func rewriteFirst(rw *rewrite, s string, loc []int) string {
	var dst []byte
	dst = append(dst, s[:loc[0]]...)
	dst = rw.re.ExpandString(dst, rw.replace, s, loc)
	dst = append(dst, s[loc[1]:]...)
	return string(dst)
}

func setEscapedPath(req *http.Request, escaped string) error {
	if !strings.HasPrefix(escaped, "/") {
		return fmt.Errorf("rewritten path %q does not start with /", escaped)
	}
	u, err := req.URL.Parse(escaped)
	if err != nil {
		return err
	}
	req.URL.Path, req.URL.RawPath = u.Path, u.RawPath
	return nil
}
