package elbserver

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	maxParams    = 4096 // parameters per request
	maxListIndex = 4096 // highest accepted .member.N index
)

// params holds the decoded Query-protocol parameters of one request. Each name
// must appear once; list members use the NAME.member.N convention.
type params map[string]string

func parseParams(v url.Values) (params, *apiError) {
	if len(v) > maxParams {
		return nil, errValidation("Too many parameters in request (maximum %d)", maxParams)
	}
	p := make(params, len(v))
	for k, vals := range v {
		if len(vals) != 1 {
			return nil, errValidation("Parameter %s is specified more than once", k)
		}
		// A value XML cannot carry could never be described back unchanged: refuse it rather
		// than store something the client will not recognise.
		if !xmlText(k) || !xmlText(vals[0]) {
			return nil, errValidation("Parameter %q has a value with invalid UTF-8 or characters not allowed in XML", strings.ToValidUTF8(k, "?"))
		}
		p[k] = vals[0]
	}
	return p, nil
}

// xmlText reports whether s is valid UTF-8 made only of characters XML 1.0 allows.
func xmlText(s string) bool {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return false
			}
		}
		switch {
		case r == '\t' || r == '\n' || r == '\r':
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
	}
	return true
}

func (p params) str(name string) (string, bool) {
	v, ok := p[name]
	return v, ok
}

// required returns a non-empty parameter or MissingParameter.
func (p params) required(name string) (string, error) {
	v, ok := p[name]
	if !ok || v == "" {
		return "", errMissing(name)
	}
	return v, nil
}

// intOpt parses an optional integer constrained to [lo, hi].
func (p params) intOpt(name string, lo, hi int) (int, bool, error) {
	v, ok := p[name]
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true, errValidation("Value '%s' at '%s' is not a valid integer", v, name)
	}
	if n < lo || n > hi {
		return 0, true, errValidation("Value '%d' at '%s' failed to satisfy constraint: Member must be between %d and %d", n, name, lo, hi)
	}
	return n, true, nil
}

func (p params) intReq(name string, lo, hi int) (int, error) {
	n, ok, err := p.intOpt(name, lo, hi)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errMissing(name)
	}
	return n, nil
}

func (p params) boolOpt(name string) (bool, bool, error) {
	v, ok := p[name]
	if !ok {
		return false, false, nil
	}
	switch strings.ToLower(v) {
	case "true":
		return true, true, nil
	case "false":
		return false, true, nil
	}
	return false, true, errValidation("Value '%s' at '%s' is not a valid boolean", v, name)
}

// members counts the NAME.member.N entries. present reports whether the list
// was sent at all: the SDKs serialise an empty list as a bare "NAME=".
// Indices must be canonical decimal numbers forming exactly 1..n.
func (p params) members(name string) (n int, present bool, aerr error) {
	return p.indexed(name, name+".member.")
}

// indexed counts the entries PREFIX.N[.x]; EC2 lists use "Name.N" directly.
func (p params) indexed(name, prefix string) (n int, present bool, aerr error) {
	seen := map[int]bool{}
	for k := range p {
		if !strings.HasPrefix(k, prefix) {
			continue
		}
		rest := k[len(prefix):]
		if i := strings.IndexByte(rest, '.'); i >= 0 {
			rest = rest[:i]
		}
		idx, ok := listIndex(rest)
		if !ok {
			return 0, true, errValidation("Malformed list index in parameter %s", k)
		}
		seen[idx] = true
		if idx > n {
			n = idx
		}
	}
	if n != len(seen) {
		return 0, true, errValidation("List %s has non-contiguous member indices", name)
	}
	if n == 0 {
		_, present = p[name]
		return 0, present, nil
	}
	return n, true, nil
}

func listIndex(s string) (int, bool) {
	if s == "" || len(s) > 5 || s[0] == '0' {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, _ := strconv.Atoi(s)
	return n, n >= 1 && n <= maxListIndex
}

func member(name string, i int) string {
	return name + ".member." + strconv.Itoa(i)
}

// strList reads a list of scalar strings.
func (p params) strList(name string) ([]string, bool, error) {
	n, present, err := p.members(name)
	if err != nil || !present {
		return nil, present, err
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		v, ok := p[member(name, i)]
		if !ok {
			return nil, true, errValidation("Malformed list member %s", member(name, i))
		}
		out = append(out, v)
	}
	return out, true, nil
}

// strListReq is strList for a list the model marks as required.
func (p params) strListReq(name string) ([]string, error) {
	l, present, err := p.strList(name)
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, errMissing(name)
	}
	return l, nil
}

// nonEmpty rejects lists that are present but contain nothing usable.
func nonEmpty(name string, l []string) error {
	if len(l) == 0 {
		return errValidation("%s must contain at least one member", name)
	}
	for _, v := range l {
		if v == "" {
			return errValidation("%s must not contain empty values", name)
		}
	}
	return nil
}

// nameAndPort reads the balancer name and the port parameter that several listener and
// back-end actions take together.
func (p params) nameAndPort(portParam string) (string, int, error) {
	name, err := p.required("LoadBalancerName")
	if err != nil {
		return "", 0, err
	}
	port, err := p.intReq(portParam, 1, 65535)
	if err != nil {
		return "", 0, err
	}
	return name, port, nil
}
