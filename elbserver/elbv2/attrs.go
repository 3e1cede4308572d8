package elbv2

import (
	"maps"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// attrSpec is one attribute a kind of resource (T: a balancer, target group or listener)
// may have: whether a given resource has it, its default there, and the check of a new
// value. Records keep only the values that differ from the default.
type attrSpec[T any] struct {
	key     string
	applies func(*T) bool
	def     func(*T) string
	check   func(*T, string) error
}

func always[T any](*T) bool { return true }

func constant[T any](v string) func(*T) string { return func(*T) string { return v } }

// describeAttrs lists every attribute that applies to rec, in the table's order, with its
// stored value or its default.
func describeAttrs[T any](specs []attrSpec[T], rec *T, stored map[string]string) []store.Attribute {
	var out []store.Attribute
	for _, s := range specs {
		if !s.applies(rec) {
			continue
		}
		v, ok := stored[s.key]
		if !ok {
			v = s.def(rec)
		}
		out = append(out, store.Attribute{Name: s.key, Value: v})
	}
	return out
}

// applyAttrs checks given against the attributes that apply to rec and returns the new
// stored map: values equal to their default are dropped. An attribute that does not apply is
// a ValidationError naming the kind of resource.
func applyAttrs[T any](specs []attrSpec[T], rec *T, stored map[string]string, given []store.Attribute, kind string) (map[string]string, error) {
	out := maps.Clone(stored)
	if out == nil {
		out = map[string]string{}
	}
	for _, a := range given {
		spec, ok := findSpec(specs, a.Name)
		if !ok || !spec.applies(rec) {
			return nil, query.Validation("Attribute '%s' is not supported on this %s", a.Name, kind)
		}
		if err := spec.check(rec, a.Value); err != nil {
			return nil, err
		}
		if a.Value == spec.def(rec) {
			delete(out, a.Name)
		} else {
			out[a.Name] = a.Value
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func findSpec[T any](specs []attrSpec[T], key string) (attrSpec[T], bool) {
	for _, s := range specs {
		if s.key == key {
			return s, true
		}
	}
	return attrSpec[T]{}, false
}

// attrValue is the value of key for rec: stored or default.
func attrValue[T any](specs []attrSpec[T], rec *T, stored map[string]string, key string) string {
	if v, ok := stored[key]; ok {
		return v
	}
	if s, ok := findSpec(specs, key); ok {
		return s.def(rec)
	}
	return ""
}

// Value checks.

func boolValue[T any](rec *T, v string) error {
	if v != "true" && v != "false" {
		return query.Validation("Attribute value '%s' must be 'true' or 'false'", v)
	}
	return nil
}

func intValue[T any](lo, hi int) func(*T, string) error {
	return func(_ *T, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return query.Validation("Attribute value '%s' must be an integer from %d to %d", v, lo, hi)
		}
		return nil
	}
}

func enumValue[T any](allowed ...string) func(*T, string) error {
	return func(_ *T, v string) error {
		if !oneOf(v, allowed...) {
			return query.Validation("Attribute value '%s' must be one of: %s", v, strings.Join(allowed, ", "))
		}
		return nil
	}
}

// offOrInt accepts "off" or an integer in [lo, hi].
func offOrInt[T any](lo, hi int) func(*T, string) error {
	return func(rec *T, v string) error {
		if v == "off" {
			return nil
		}
		if err := intValue[T](lo, hi)(rec, v); err != nil {
			return query.Validation("Attribute value '%s' must be 'off' or an integer from %d to %d", v, lo, hi)
		}
		return nil
	}
}

// textValue accepts any value up to max characters.
func textValue[T any](max int) func(*T, string) error {
	return func(_ *T, v string) error {
		if len([]rune(v)) > max {
			return query.Validation("Attribute value must be at most %d characters", max)
		}
		return nil
	}
}

// Every attribute of a record, stored value or default, as DescribeLoadBalancerAttributes,
// DescribeTargetGroupAttributes and DescribeListenerAttributes report them: for readers beside
// the endpoint (a data plane), since records keep only the values that differ from the
// default.

// LoadBalancerAttributes returns every attribute of a balancer.
func LoadBalancerAttributes(lb *store.V2LoadBalancer) []store.Attribute {
	return describeAttrs(lbAttrs, lb, lb.Attrs)
}

// TargetGroupAttributes returns every attribute of a target group.
func TargetGroupAttributes(tg *store.V2TargetGroup) []store.Attribute {
	return describeAttrs(tgAttrs, tg, tg.Attrs)
}

// ListenerAttributes returns every attribute of a listener of a balancer of lbType
// (application, network, gateway).
func ListenerAttributes(l *store.V2Listener, lbType string) []store.Attribute {
	return describeAttrs(listenerAttrs, &listenerOf{l, lbType}, l.Attrs)
}
