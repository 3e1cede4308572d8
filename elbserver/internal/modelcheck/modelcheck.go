// Package modelcheck checks what the endpoint's rooms answer against botocore's models (read
// with testenv.Model): the operations exist, and the fields rendered are the shapes' members.
// It imports nothing of the endpoint, so that a room's own tests can use it.
package modelcheck

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Model is a botocore service model, as testenv.Model returns it.
type Model struct {
	Operations map[string]json.RawMessage
	Shapes     map[string]struct {
		Members map[string]struct {
			LocationName string
		}
		Required []string
	}
}

// Parse reads a botocore model.
func Parse(t *testing.T, raw []byte) *Model {
	t.Helper()
	var m Model
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// HasOperations asserts the model defines every operation named.
func (m *Model) HasOperations(t *testing.T, ops ...string) {
	t.Helper()
	for _, op := range ops {
		if _, ok := m.Operations[op]; !ok {
			t.Errorf("the model has no operation %s", op)
		}
	}
}

// CheckShape asserts that every field v renders is a member of one of the named shapes, by
// its wire name (its locationName when it has one), and that v renders every member the
// first shape requires. Wire names come from v's xml or json tags, else its field names.
func (m *Model) CheckShape(t *testing.T, v any, shapes ...string) {
	t.Helper()
	members := map[string]bool{}
	for _, name := range shapes {
		s, ok := m.Shapes[name]
		if !ok {
			t.Fatalf("the model has no shape %s", name)
		}
		for member, def := range s.Members {
			members[member] = true
			if def.LocationName != "" {
				members[def.LocationName] = true
			}
		}
	}
	fields := wireNames(reflect.TypeOf(v))
	for _, f := range fields {
		if !members[f] {
			t.Errorf("%T renders %s, which %v does not have", v, f, shapes)
		}
	}
	for _, req := range m.Shapes[shapes[0]].Required {
		if !slices.Contains(fields, req) {
			t.Errorf("%T lacks %s, which %s requires", v, req, shapes[0])
		}
	}
}

// wireNames are the names t's exported fields go by on the wire; the XMLName field, attributes
// and fields tagged "-" are not members.
func wireNames(t reflect.Type) []string {
	var out []string
	for f := range t.Fields() {
		if !f.IsExported() || f.Name == "XMLName" {
			continue
		}
		tag, ok := f.Tag.Lookup("xml")
		if !ok {
			tag = f.Tag.Get("json")
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || strings.Contains(opts, "attr") {
			continue
		}
		name, _, _ = strings.Cut(name, ">")
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}
