package awstest

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// Model is what provider tests read of a botocore API model, the spec: its version, its
// operations and the errors its shapes declare.
type Model struct {
	Metadata   struct{ APIVersion string }
	Operations map[string]json.RawMessage
	Shapes     map[string]struct {
		Exception bool
		Error     struct {
			Code           string
			HTTPStatusCode int
		}
	}
}

// LoadModel reads botocore's model of service at version, with want operations.
func LoadModel(t testing.TB, service, version string, want int) Model {
	t.Helper()
	var m Model
	if err := json.Unmarshal(testenv.Model(t, service, version), &m); err != nil {
		t.Fatal(err)
	}
	if m.Metadata.APIVersion != version || len(m.Operations) != want {
		t.Fatalf("model %s has %d operations, want %s with %d", m.Metadata.APIVersion, len(m.Operations), version, want)
	}
	return m
}

// ModelError is an error the model declares: its code, and its HTTP status (0 when the
// model gives none).
type ModelError struct {
	Code   string
	Status int
}

// Errors lists the errors the model declares, each by its code (the shape's name when the
// model gives no code).
func (m Model) Errors() []ModelError {
	var out []ModelError
	for name, shape := range m.Shapes {
		if !shape.Exception {
			continue
		}
		e := ModelError{Code: shape.Error.Code, Status: shape.Error.HTTPStatusCode}
		if e.Code == "" {
			e.Code = name
		}
		out = append(out, e)
	}
	return out
}

// CheckOperations checks a provider's Operations table (API action -> method name) against
// the operations of the API's model: every operation has an entry naming a method of
// client, and no entry is an operation the model lacks.
func CheckOperations(t testing.TB, model map[string]json.RawMessage, operations map[string]string, client reflect.Type) {
	t.Helper()
	for op := range model {
		method, ok := operations[op]
		if !ok {
			t.Errorf("operation %s has no entry in Operations", op)
			continue
		}
		if _, ok := client.MethodByName(method); !ok {
			t.Errorf("operation %s maps to %s, which is not a method of %v", op, method, client)
		}
	}
	for op := range operations {
		if _, ok := model[op]; !ok {
			t.Errorf("Operations lists %s, which the model does not have", op)
		}
	}
}
