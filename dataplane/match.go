package dataplane

import (
	"net/http"
	"net/netip"
	"regexp"
	"strings"
)

// wildcardMatch reports whether s matches pattern, where * matches any run of characters and ?
// exactly one, as in listener rule conditions. fold compares ASCII letters case-insensitively.
// It backtracks only to the last star, so it runs in O(len(s)*len(pattern)) at worst.
func wildcardMatch(pattern, s string, fold bool) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || sameByte(pattern[p], s[i], fold)):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

func sameByte(a, b byte, fold bool) bool {
	if a == b {
		return true
	}
	if !fold {
		return false
	}
	if 'A' <= a && a <= 'Z' {
		a += 'a' - 'A'
	}
	if 'A' <= b && b <= 'Z' {
		b += 'a' - 'A'
	}
	return a == b
}

// valueMatcher matches one string against wildcard patterns or regular expressions.
type valueMatcher struct {
	globs   []string
	regexes []*regexp.Regexp
	fold    bool
}

func (m *valueMatcher) match(s string) bool {
	for _, g := range m.globs {
		if wildcardMatch(g, s, m.fold) {
			return true
		}
	}
	for _, re := range m.regexes {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// condition is a compiled rule condition.
type condition interface {
	match(r *http.Request, client netip.Addr) bool
}

type hostCondition struct{ m valueMatcher }

func (c *hostCondition) match(r *http.Request, _ netip.Addr) bool {
	return c.m.match(hostOnly(r.Host))
}

type pathCondition struct{ m valueMatcher }

func (c *pathCondition) match(r *http.Request, _ netip.Addr) bool { return c.m.match(r.URL.Path) }

type headerCondition struct {
	name string // canonical
	m    valueMatcher
}

func (c *headerCondition) match(r *http.Request, _ netip.Addr) bool {
	for _, v := range r.Header[c.name] {
		if c.m.match(v) {
			return true
		}
	}
	return false
}

type methodCondition struct{ methods []string }

func (c *methodCondition) match(r *http.Request, _ netip.Addr) bool {
	for _, m := range c.methods {
		if r.Method == m {
			return true
		}
	}
	return false
}

type queryCondition struct{ pairs []KeyValue }

func (c *queryCondition) match(r *http.Request, _ netip.Addr) bool {
	if r.URL.RawQuery == "" {
		return false
	}
	q := r.URL.Query()
	for _, p := range c.pairs {
		for k, vs := range q {
			if p.Key != "" && !wildcardMatch(p.Key, k, true) {
				continue
			}
			for _, v := range vs {
				if wildcardMatch(p.Value, v, true) {
					return true
				}
			}
		}
	}
	return false
}

type sourceIPCondition struct{ prefixes []netip.Prefix }

func (c *sourceIPCondition) match(_ *http.Request, client netip.Addr) bool {
	for _, p := range c.prefixes {
		if p.Contains(client) {
			return true
		}
	}
	return false
}

// hostOnly strips an optional :port from a Host header value.
func hostOnly(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		return strings.TrimSuffix(strings.TrimPrefix(host[:i], "["), "]")
	}
	return strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
}
