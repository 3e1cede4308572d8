package ec2

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/lbcloud/lbcloud/elbserver/query"
)

// EC2 reports a bad value as InvalidParameterValue where the other Query APIs say
// ValidationError; these readers speak EC2's dialect over query.Params.

// fail is a 400 EC2 error with code.
func fail(code, format string, args ...any) *query.Error {
	return query.Errorf(http.StatusBadRequest, code, format, args...)
}

// invalid is the 400 InvalidParameterValue.
func invalid(format string, args ...any) *query.Error {
	return fail("InvalidParameterValue", format, args...)
}

// text reads an optional parameter of at most max characters.
func text(p query.Params, name string, max int) (string, error) {
	v := p[name]
	if utf8.RuneCountInString(v) > max {
		return "", invalid("Value for parameter %s is longer than %d characters", name, max)
	}
	return v, nil
}

// required reads a non-empty parameter of at most max characters.
func required(p query.Params, name string, max int) (string, error) {
	if p[name] == "" {
		return "", query.Missing(name)
	}
	return text(p, name, max)
}

// integer reads an optional integer in [lo, hi].
func integer(p query.Params, name string, lo, hi int) (n int, present bool, err error) {
	v, ok := p[name]
	if !ok {
		return 0, false, nil
	}
	n, convErr := strconv.Atoi(v)
	if convErr != nil || n < lo || n > hi {
		return 0, true, invalid("Value (%s) for parameter %s is invalid. Expected an integer between %d and %d.", v, name, lo, hi)
	}
	return n, true, nil
}

// boolean reads an optional boolean.
func boolean(p query.Params, name string) (bool, error) {
	switch v := p[name]; v {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	default:
		return false, invalid("Value (%s) for parameter %s is invalid. Expected: 'true' or 'false'.", v, name)
	}
}

// maxIDs bounds the ids one request may name.
const maxIDs = 1000

// ids reads the list NAME.N of resource ids, each matching re, else malformed (an error code
// such as InvalidInstanceID.Malformed). Repeated ids count once.
func ids(p query.Params, name string, re *regexp.Regexp, malformed string) ([]string, error) {
	l, err := p.EC2List(name)
	if err != nil {
		return nil, err
	}
	if len(l) > maxIDs {
		return nil, invalid("The request names more than %d values in %s", maxIDs, name)
	}
	for _, id := range l {
		if !re.MatchString(id) {
			return nil, fail(malformed, "Invalid id: \"%s\"", id)
		}
	}
	slices.Sort(l)
	return slices.Compact(l), nil
}

// page is a request's MaxResults and NextToken: the page holds at most max items (0: all)
// whose keys sort after after.
type page struct {
	max   int
	after string
}

// readPage reads MaxResults (5 to 1000, as the API bounds it) and NextToken.
func readPage(p query.Params) (page, error) {
	var pg page
	n, present, err := integer(p, "MaxResults", 5, 1000)
	if err != nil {
		return pg, err
	}
	if present {
		pg.max = n
	}
	if tok, ok := p["NextToken"]; ok {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) == 0 || !utf8.Valid(raw) {
			return pg, fail("InvalidPaginationToken", "The pagination token '%s' is invalid", tok)
		}
		pg.after = string(raw)
	}
	return pg, nil
}

// cut returns the page of items (sorted by key) and the token of the next page, "" at the end.
func cut[T any](items []T, key func(T) string, pg page) ([]T, string) {
	start, _ := slices.BinarySearchFunc(items, pg.after, func(it T, after string) int {
		if key(it) <= after {
			return -1
		}
		return 1
	})
	items = items[start:]
	if pg.max == 0 || len(items) <= pg.max {
		return items, ""
	}
	return items[:pg.max], base64.RawURLEncoding.EncodeToString([]byte(key(items[pg.max-1])))
}
