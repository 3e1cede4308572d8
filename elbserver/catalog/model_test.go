package catalog

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// modelShapes loads the shapes of botocore's ELB 2012-06-01 model, the
// project's spec. It skips (fails under CI=true) when botocore is missing.
func modelShapes(t *testing.T) map[string]json.RawMessage {
	t.Helper()
	var model struct {
		Shapes map[string]json.RawMessage `json:"shapes"`
	}
	if err := json.Unmarshal(testenv.Model(t, "elb", "2012-06-01"), &model); err != nil {
		t.Fatalf("decoding the ELB model: %v", err)
	}
	return model.Shapes
}

type modelShape struct {
	Members map[string]struct {
		Shape string `json:"shape"`
	} `json:"members"`
	Error struct {
		Code string `json:"code"`
	} `json:"error"`
}

func shape(t *testing.T, shapes map[string]json.RawMessage, name string) modelShape {
	t.Helper()
	raw, ok := shapes[name]
	if !ok {
		t.Fatalf("model has no shape %s", name)
	}
	var s modelShape
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("shape %s: %v", name, err)
	}
	return s
}

// TestFieldsMatchModel checks that the exported structs carry exactly the
// members of the model shapes the endpoint renders them into, so the
// endpoint can map one to the other field by field.
func TestFieldsMatchModel(t *testing.T) {
	shapes := modelShapes(t)
	cases := []struct {
		shape  string
		typ    reflect.Type
		fields map[string]string // Go field -> model member
	}{
		{"PolicyTypeDescription", reflect.TypeFor[PolicyType](), map[string]string{
			"Name": "PolicyTypeName", "Description": "Description", "Attributes": "PolicyAttributeTypeDescriptions"}},
		{"PolicyAttributeTypeDescription", reflect.TypeFor[AttributeType](), map[string]string{
			"Name": "AttributeName", "Type": "AttributeType", "Description": "Description",
			"DefaultValue": "DefaultValue", "Cardinality": "Cardinality"}},
		{"PolicyDescription", reflect.TypeFor[Policy](), map[string]string{
			"Name": "PolicyName", "TypeName": "PolicyTypeName", "Attributes": "PolicyAttributeDescriptions"}},
		{"PolicyAttributeDescription", reflect.TypeFor[Attribute](), map[string]string{
			"Name": "AttributeName", "Value": "AttributeValue"}},
		{"PolicyAttribute", reflect.TypeFor[Attribute](), map[string]string{
			"Name": "AttributeName", "Value": "AttributeValue"}},
	}
	for _, c := range cases {
		s := shape(t, shapes, c.shape)
		var members, mapped, goFields []string
		for m := range s.Members {
			members = append(members, m)
		}
		for f, m := range c.fields {
			mapped = append(mapped, m)
			if _, ok := c.typ.FieldByName(f); !ok {
				t.Errorf("%s has no field %s (for %s.%s)", c.typ, f, c.shape, m)
			}
		}
		for i := range c.typ.NumField() {
			goFields = append(goFields, c.typ.Field(i).Name)
		}
		sort.Strings(members)
		sort.Strings(mapped)
		if !slices.Equal(members, mapped) {
			t.Errorf("%s members %v, fields of %s map to %v", c.shape, members, c.typ, mapped)
		}
		if len(goFields) != len(c.fields) {
			t.Errorf("%s has fields %v; only %d map to %s", c.typ, goFields, len(c.fields), c.shape)
		}
	}
}

// TestErrorCodesMatchModel checks the codes Validate returns are the
// model's error codes.
func TestErrorCodesMatchModel(t *testing.T) {
	shapes := modelShapes(t)
	for shapeName, code := range map[string]string{
		"PolicyTypeNotFoundException":          CodePolicyTypeNotFound,
		"InvalidConfigurationRequestException": CodeInvalidConfigurationRequest,
	} {
		if got := shape(t, shapes, shapeName).Error.Code; got != code {
			t.Errorf("%s has code %q, catalog uses %q", shapeName, got, code)
		}
	}
}

// TestCardinalitiesMatchModel checks the cardinality constants against the
// values the model documents for PolicyAttributeTypeDescription.Cardinality.
func TestCardinalitiesMatchModel(t *testing.T) {
	shapes := modelShapes(t)
	var s struct {
		Members map[string]struct {
			Documentation string `json:"documentation"`
		} `json:"members"`
	}
	if err := json.Unmarshal(shapes["PolicyAttributeTypeDescription"], &s); err != nil {
		t.Fatal(err)
	}
	doc := s.Members["Cardinality"].Documentation
	for _, c := range knownCardinalities {
		if !strings.Contains(doc, c+"(") {
			t.Errorf("model does not document cardinality %s: %q", c, doc)
		}
	}
}
