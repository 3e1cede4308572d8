package elbv2

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Condition fields.
const (
	fieldHeader = "http-header"
	fieldMethod = "http-request-method"
	fieldHost   = "host-header"
	fieldPath   = "path-pattern"
	fieldQuery  = "query-string"
	fieldIP     = "source-ip"
)

var conditionFields = []string{fieldHeader, fieldMethod, fieldHost, fieldPath, fieldQuery, fieldIP}

// configOf is the config structure of each field.
var configOf = map[string]string{fieldHeader: "HttpHeaderConfig", fieldMethod: "HttpRequestMethodConfig",
	fieldHost: "HostHeaderConfig", fieldPath: "PathPatternConfig", fieldQuery: "QueryStringConfig", fieldIP: "SourceIpConfig"}

const maxConditionValue = 128

var (
	hostValueRE = regexp.MustCompile(`^[A-Za-z0-9\-.*?]+$`)
	hostTLDRE   = regexp.MustCompile(`\.[A-Za-z*?]*$`)
	pathValueRE = regexp.MustCompile(`^[A-Za-z0-9_\-.$/~"'@:+&*?]+$`)
	// Compiled on first use: counted repetitions and Unicode classes take milliseconds to
	// compile, which every lbctl start would pay otherwise.
	headerNameRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("^[A-Za-z0-9!#$%&'*+\\-.^_`|~]{1,40}$") })
	methodValueRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z_-]{1,40}$`) })
)

// parseConditions reads a rule's conditions and checks them together: at most one each of
// http-request-method, host-header, path-pattern and source-ip, and the account's limits on
// values and wildcards per rule.
func (r *Room) parseConditions(params query.Params, name string) ([]store.V2Condition, bool, error) {
	var out []store.V2Condition
	n, present, err := params.Structs(name, func(pre string) error {
		c, err := parseCondition(params, pre)
		if err != nil {
			return err
		}
		for _, prev := range out {
			if prev.Field == c.Field && c.Field != fieldHeader && c.Field != fieldQuery {
				return query.Validation("A rule can have only one %s condition", c.Field)
			}
		}
		out = append(out, c)
		return nil
	})
	if err != nil || !present {
		return nil, present, err
	}
	if n == 0 {
		return nil, true, query.Validation("%s must contain at least one condition", name)
	}
	values, wildcards := 0, 0
	for _, c := range out {
		v, w := conditionCounts(c)
		values, wildcards = values+v, wildcards+w
	}
	if max := r.limit(limitConditionValues); values > max {
		return nil, true, query.Validation("A rule can have at most %d condition values, not %d", max, values)
	}
	if max := r.limit(limitConditionWildcards); wildcards > max {
		return nil, true, query.Validation("A rule can have at most %d wildcards in its conditions, not %d", max, wildcards)
	}
	return out, true, nil
}

// conditionValues splits a condition's values wherever they were given: plain values,
// regular expressions and query pairs.
func conditionValues(c store.V2Condition) (plain, regexes []string, pairs []store.V2QueryPair) {
	plain, regexes = c.Values, c.RegexValues
	if c.Config != nil {
		plain = append(slices.Clone(plain), c.Config.Values...)
		regexes = append(slices.Clone(regexes), c.Config.RegexValues...)
		pairs = c.Config.Query
	}
	return plain, regexes, pairs
}

// conditionCounts counts a condition's values (each query pair, each regular expression) and
// the wildcards (* and ?) of its plain values and query pairs.
func conditionCounts(c store.V2Condition) (values, wildcards int) {
	plain, regexes, pairs := conditionValues(c)
	wild := func(s string) int { return strings.Count(s, "*") + strings.Count(s, "?") }
	for _, v := range plain {
		if c.Field != fieldIP {
			wildcards += wild(v)
		}
	}
	for _, q := range pairs {
		wildcards += wild(q.Key) + wild(q.Value)
	}
	return len(plain) + len(regexes) + len(pairs), wildcards
}

func parseCondition(params query.Params, pre string) (store.V2Condition, error) {
	c := store.V2Condition{Field: params[pre+"Field"]}
	if c.Field == "" {
		return c, query.Missing(pre + "Field")
	}
	if !oneOf(c.Field, conditionFields...) {
		return c, enumError(pre+"Field", c.Field, conditionFields...)
	}
	for field, cfg := range configOf {
		if field != c.Field && params.HasPrefix(pre+cfg+".") {
			return c, query.Validation("%s applies to %s conditions only", cfg, field)
		}
	}
	var err error
	if c.Values, _, err = params.StrList(pre + "Values"); err != nil {
		return c, err
	}
	if c.RegexValues, _, err = params.StrList(pre + "RegexValues"); err != nil {
		return c, err
	}
	if len(c.Values) > 0 && c.Field != fieldHost && c.Field != fieldPath {
		return c, query.Validation("Values can be given at the condition's top level for host-header and path-pattern only; use %s", configOf[c.Field])
	}
	if len(c.RegexValues) > 0 && !oneOf(c.Field, fieldHeader, fieldHost, fieldPath) {
		return c, query.Validation("RegexValues apply to http-header, host-header and path-pattern conditions only")
	}
	cp := pre + configOf[c.Field] + "."
	if params.HasPrefix(cp) {
		if c.Config, err = parseConditionConfig(params, c.Field, cp); err != nil {
			return c, err
		}
	}
	if c.Config != nil && (len(c.Config.Values) > 0 && len(c.Values) > 0 || len(c.Config.RegexValues) > 0 && len(c.RegexValues) > 0) {
		return c, query.Validation("Give the values of a %s condition either at its top level or in %s, not both", c.Field, configOf[c.Field])
	}
	if err := checkConditionValues(c); err != nil {
		return c, err
	}
	return c, nil
}

func parseConditionConfig(params query.Params, field, cp string) (*store.V2CondConfig, error) {
	cfg := &store.V2CondConfig{}
	var err error
	if field == fieldQuery {
		_, _, err = params.Structs(cp+"Values", func(qp string) error {
			q := store.V2QueryPair{Key: params[qp+"Key"], Value: params[qp+"Value"]}
			if q.Value == "" {
				return query.Missing(qp + "Value")
			}
			cfg.Query = append(cfg.Query, q)
			return nil
		})
		return cfg, err
	}
	if cfg.Values, _, err = params.StrList(cp + "Values"); err != nil {
		return nil, err
	}
	if oneOf(field, fieldHeader, fieldHost, fieldPath) {
		if cfg.RegexValues, _, err = params.StrList(cp + "RegexValues"); err != nil {
			return nil, err
		}
	}
	if field == fieldHeader {
		cfg.HeaderName = params[cp+"HttpHeaderName"]
		if !headerNameRE().MatchString(cfg.HeaderName) {
			return nil, query.Validation("HTTP header name '%s' must be 1-40 characters of an HTTP token", cfg.HeaderName)
		}
		if strings.EqualFold(cfg.HeaderName, "host") {
			return nil, query.Validation("Use a host-header condition for the Host header")
		}
	}
	return cfg, nil
}

// checkConditionValues checks each value of a condition against its field's syntax.
func checkConditionValues(c store.V2Condition) error {
	values, regexes, pairs := conditionValues(c)
	if len(values)+len(regexes)+len(pairs) == 0 {
		return queryValidation("A %s condition needs at least one value", c.Field)
	}
	for _, v := range values {
		if err := checkConditionValue(c.Field, v); err != nil {
			return err
		}
	}
	for _, v := range regexes {
		if len([]rune(v)) > maxConditionValue {
			return queryValidation("Regular expressions have at most %d characters", maxConditionValue)
		}
		if _, err := regexp.Compile(v); err != nil {
			return queryValidation("'%s' is not a valid regular expression: %v", v, err)
		}
	}
	for _, q := range pairs {
		if len([]rune(q.Key)) > maxConditionValue || len([]rune(q.Value)) > maxConditionValue {
			return queryValidation("Query string keys and values have at most %d characters", maxConditionValue)
		}
	}
	return nil
}

func checkConditionValue(field, v string) error {
	if v == "" {
		return queryValidation("The values of a %s condition cannot be empty", field)
	}
	if len([]rune(v)) > maxConditionValue {
		return queryValidation("The values of a %s condition have at most %d characters", field, maxConditionValue)
	}
	ok := true
	switch field {
	case fieldHost:
		ok = hostValueRE.MatchString(v) && hostTLDRE.MatchString(v)
	case fieldPath:
		ok = pathValueRE.MatchString(v)
	case fieldMethod:
		ok = methodValueRE().MatchString(v)
	case fieldIP:
		_, err := netip.ParsePrefix(v)
		ok = err == nil
	}
	if !ok {
		return queryValidation("'%s' is not a valid %s value", v, field)
	}
	return nil
}

func queryValidation(format string, args ...any) *query.Error {
	return query.Validation(format, args...)
}

// Transform types.
const (
	transformHost = "host-header-rewrite"
	transformURL  = "url-rewrite"
	maxRewrite    = 1024
)

// parseTransforms reads a rule's transforms: at most one of each type, each with one
// rewrite whose expression compiles.
func parseTransforms(params query.Params, name string) ([]store.V2Transform, bool, error) {
	var out []store.V2Transform
	_, present, err := params.Structs(name, func(pre string) error {
		t := store.V2Transform{Type: params[pre+"Type"]}
		if !oneOf(t.Type, transformHost, transformURL) {
			return enumError(pre+"Type", t.Type, transformHost, transformURL)
		}
		for _, o := range out {
			if o.Type == t.Type {
				return query.Validation("A rule can have only one %s transform", t.Type)
			}
		}
		cfg, other := "HostHeaderRewriteConfig", "UrlRewriteConfig"
		if t.Type == transformURL {
			cfg, other = other, cfg
		}
		if params.HasPrefix(pre + other + ".") {
			return query.Validation("%s does not apply to %s transforms", other, t.Type)
		}
		_, _, err := params.Structs(pre+cfg+".Rewrites", func(rp string) error {
			rw := store.V2Rewrite{Regex: params[rp+"Regex"], Replace: params[rp+"Replace"]}
			if _, ok := params.Str(rp + "Replace"); !ok || rw.Regex == "" {
				return query.Missing(rp + "Regex and Replace")
			}
			if len([]rune(rw.Regex)) > maxRewrite || len([]rune(rw.Replace)) > maxRewrite {
				return query.Validation("Rewrite expressions and replacements have at most %d characters", maxRewrite)
			}
			if _, err := regexp.Compile(rw.Regex); err != nil {
				return query.Validation("'%s' is not a valid regular expression: %v", rw.Regex, err)
			}
			t.Rewrites = append(t.Rewrites, rw)
			return nil
		})
		if err == nil && len(t.Rewrites) != 1 {
			err = query.Validation("A %s transform has exactly one rewrite", t.Type)
		}
		out = append(out, t)
		return err
	})
	return out, present, err
}
