package ec2

import (
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
)

// Filter bounds: EC2 refuses more with FilterLimitExceeded.
const (
	maxFilters      = 50
	maxFilterValues = 200
)

// filter is one Filter.N: a resource matches when one of its values for the name matches one
// of the filter's values. Filters are ANDed.
type filter struct {
	name   string
	values []string
}

// fields maps each filter name a resource type supports to the values a resource has for it.
// tag:KEY, tag-key and tag-value apply to every type.
type fields[T any] map[string]func(T) []string

// readFilters reads Filter.N.Name and Filter.N.Value.M, refusing names known lacks.
func readFilters[T any](p query.Params, known fields[T]) ([]filter, error) {
	n, _, err := p.Indexed("Filter", "Filter.")
	if err != nil {
		return nil, err
	}
	if n > maxFilters {
		return nil, fail("FilterLimitExceeded", "The request uses more than %d filters", maxFilters)
	}
	out := make([]filter, 0, n)
	for i := 1; i <= n; i++ {
		pre := "Filter." + strconv.Itoa(i)
		name := p[pre+".Name"]
		_, ok := known[name]
		if !ok && name != "tag-key" && name != "tag-value" && (!strings.HasPrefix(name, "tag:") || name == "tag:") {
			return nil, invalid("The filter '%s' is invalid", name)
		}
		vals, err := p.EC2List(pre + ".Value")
		if err != nil {
			return nil, err
		}
		if len(vals) > maxFilterValues {
			return nil, fail("FilterLimitExceeded", "The filter '%s' has more than %d values", name, maxFilterValues)
		}
		out = append(out, filter{name: name, values: vals})
	}
	return out, nil
}

// matches reports whether x, with its tags, passes every filter.
func matches[T any](fs []filter, known fields[T], x T, tags []xmlTag) bool {
	for _, f := range fs {
		var have []string
		switch {
		case known[f.name] != nil:
			have = known[f.name](x)
		case f.name == "tag-key":
			for _, t := range tags {
				have = append(have, t.Key)
			}
		case f.name == "tag-value":
			for _, t := range tags {
				have = append(have, t.Value)
			}
		default:
			key := strings.TrimPrefix(f.name, "tag:")
			for _, t := range tags {
				if t.Key == key {
					have = append(have, t.Value)
				}
			}
		}
		if !anyMatch(f.values, have) {
			return false
		}
	}
	return true
}

func anyMatch(patterns, have []string) bool {
	for _, p := range patterns {
		for _, h := range have {
			if glob(p, h) {
				return true
			}
		}
	}
	return false
}

// glob matches s against an EC2 filter value: * is any run of characters, ? any one, and a
// backslash makes the next character literal.
func glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// Iterative matching with one backtrack point for the last *, linear in practice.
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, ti
			pi++
		case pi < len(p) && p[pi] == '\\' && pi+1 < len(p) && p[pi+1] == t[ti]:
			pi, ti = pi+2, ti+1
		case pi < len(p) && p[pi] != '\\' && (p[pi] == '?' || p[pi] == t[ti]):
			pi, ti = pi+1, ti+1
		case star >= 0:
			pi, mark = star+1, mark+1
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// one and flag turn single values into filter values.
func one(v string) []string { return []string{v} }

func flag(b bool) []string { return one(strconv.FormatBool(b)) }
