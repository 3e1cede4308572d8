package compat

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// doc is a decoded JSON document with path access, so tests can state the
// expected value of one field in one line.
type doc struct {
	v    any
	path string
}

func parseDoc(t *testing.T, b []byte) doc {
	t.Helper()
	var v any
	if len(strings.TrimSpace(string(b))) == 0 {
		return doc{v: map[string]any{}}
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
	return doc{v: v}
}

// at walks object keys (string) and array indexes (int); a missing step
// yields a doc holding nil.
func (d doc) at(path ...any) doc {
	v := d.v
	p := d.path
	for _, step := range path {
		switch s := step.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[s]
			p += "." + s
		case int:
			a, _ := v.([]any)
			if s < len(a) {
				v = a[s]
			} else {
				v = nil
			}
			p += fmt.Sprintf("[%d]", s)
		default:
			panic(fmt.Sprintf("bad path step %T", step))
		}
	}
	return doc{v: v, path: p}
}

func (d doc) list() []doc {
	a, _ := d.v.([]any)
	out := make([]doc, len(a))
	for i, v := range a {
		out[i] = doc{v: v, path: fmt.Sprintf("%s[%d]", d.path, i)}
	}
	return out
}

func (d doc) str() string {
	s, _ := d.v.(string)
	return s
}

func (d doc) strs() []string {
	var out []string
	for _, e := range d.list() {
		out = append(out, e.str())
	}
	return out
}

// find returns the element of a list whose key field equals value.
func (d doc) find(key, value string) doc {
	for _, e := range d.list() {
		if e.at(key).str() == value {
			return e
		}
	}
	return doc{path: fmt.Sprintf("%s[%s=%s]", d.path, key, value)}
}

// eq asserts that the value at path equals want (numbers compare as float64
// whatever Go type want has).
func (d doc) eq(t *testing.T, want any, path ...any) {
	t.Helper()
	got := d.at(path...)
	w := normWant(want)
	if !reflect.DeepEqual(got.v, w) {
		t.Errorf("%s = %#v, want %#v", got.path, got.v, w)
	}
}

func normWant(w any) any {
	switch x := w.(type) {
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case []int:
		out := make([]any, len(x))
		for i, n := range x {
			out[i] = float64(n)
		}
		return out
	}
	return w
}

// kv turns a list of {keyField, valueField} objects into a map.
func (d doc) kv(keyField, valueField string) map[string]string {
	out := map[string]string{}
	for _, e := range d.list() {
		out[e.at(keyField).str()] = fmt.Sprint(e.at(valueField).v)
	}
	return out
}
