// Package query is what every AWS Query-protocol API of the endpoint shares (Classic ELB,
// ELBv2, IAM, EC2): bounded parameter parsing and typed readers, the API error type, the
// success and error envelopes, and request ids.
package query

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds limit what one request may carry, before any handler sees it.
type Bounds struct {
	MaxParams     int // parameters per request
	MaxValueBytes int // bytes in one parameter value
}

// DefaultBounds suit the Classic ELB, ELBv2 and EC2 actions: their longest legitimate value (a
// public key policy attribute, a certificate ARN) is a few kilobytes.
var DefaultBounds = Bounds{MaxParams: 4096, MaxValueBytes: 64 << 10}

const maxListIndex = 4096 // highest accepted .member.N index

// Params holds the decoded parameters of one request. Each name appears once; list members
// use the NAME.member.N convention (EC2: NAME.N).
type Params map[string]string

// Parse checks v against b and returns its parameters. Every value is valid UTF-8 made of
// characters XML 1.0 allows, so whatever is stored can be described back unchanged.
func Parse(v url.Values, b Bounds) (Params, *Error) {
	if len(v) > b.MaxParams {
		return nil, Validation("Too many parameters in request (maximum %d)", b.MaxParams)
	}
	p := make(Params, len(v))
	for k, vals := range v {
		if len(vals) != 1 {
			return nil, Validation("Parameter %s is specified more than once", strings.ToValidUTF8(k, "?"))
		}
		// A value XML cannot carry could never be described back unchanged: refuse it rather
		// than store something the client will not recognise.
		if !xmlText(k) || !xmlText(vals[0]) {
			return nil, Validation("Parameter %q has a value with invalid UTF-8 or characters not allowed in XML", strings.ToValidUTF8(k, "?"))
		}
		if len(vals[0]) > b.MaxValueBytes {
			return nil, Validation("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d bytes", k, b.MaxValueBytes)
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

// Str returns a parameter and whether it was sent.
func (p Params) Str(name string) (string, bool) {
	v, ok := p[name]
	return v, ok
}

// Required returns a non-empty parameter or MissingParameter.
func (p Params) Required(name string) (string, error) {
	v, ok := p[name]
	if !ok || v == "" {
		return "", Missing(name)
	}
	return v, nil
}

// Text returns an optional free-text parameter of at most max characters.
func (p Params) Text(name string, max int) (string, bool, error) {
	v, ok := p[name]
	if ok && utf8.RuneCountInString(v) > max {
		return "", true, TooLong(name, max)
	}
	return v, ok, nil
}

// RequiredText is Required for a free-text parameter of at most max characters.
func (p Params) RequiredText(name string, max int) (string, error) {
	v, err := p.Required(name)
	if err == nil && utf8.RuneCountInString(v) > max {
		return "", TooLong(name, max)
	}
	return v, err
}

// TooLong is the ValidationError for a value over its length bound; the value itself is not
// repeated, since it may be huge.
func TooLong(name string, max int) *Error {
	return Validation("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", name, max)
}

// IntOpt parses an optional integer constrained to [lo, hi].
func (p Params) IntOpt(name string, lo, hi int) (int, bool, error) {
	v, ok := p[name]
	if !ok {
		return 0, false, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, true, Validation("Value '%s' at '%s' is not a valid integer", v, name)
	}
	if n < lo || n > hi {
		return 0, true, Validation("Value '%d' at '%s' failed to satisfy constraint: Member must be between %d and %d", n, name, lo, hi)
	}
	return n, true, nil
}

// IntReq is IntOpt for a required parameter.
func (p Params) IntReq(name string, lo, hi int) (int, error) {
	n, ok, err := p.IntOpt(name, lo, hi)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, Missing(name)
	}
	return n, nil
}

// BoolOpt parses an optional boolean (true or false, any case).
func (p Params) BoolOpt(name string) (bool, bool, error) {
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
	return false, true, Validation("Value '%s' at '%s' is not a valid boolean", v, name)
}

// HasPrefix reports whether any parameter name starts with prefix.
func (p Params) HasPrefix(prefix string) bool {
	for k := range p {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
