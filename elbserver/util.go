package elbserver

import (
	"slices"
	"strconv"
	"strings"
)

func itoa(n int) string { return strconv.Itoa(n) }

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// dedupe removes repeated values, keeping the first occurrence order.
func dedupe(in []string) []string {
	var out []string
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = dedupe(a), dedupe(b)
	if len(a) != len(b) {
		return false
	}
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}

func hasPrefix(p params, prefix string) bool {
	for k := range p {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// intList reads a required list of integers constrained to [lo, hi].
func intList(p params, name string, lo, hi int) ([]int, error) {
	raw, err := p.strListReq(name)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(raw))
	for i, v := range raw {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return nil, errValidation("Value '%s' at '%s' must be an integer between %d and %d", v, member(name, i+1), lo, hi)
		}
		out = append(out, n)
	}
	return out, nil
}
