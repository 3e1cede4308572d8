package elb

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// TestOperationsMatchModel checks the Operations table against botocore's ELB model: every
// action of 2012-06-01 has an entry, and every entry names a method of *Client. That each
// method really calls its action is checked by TestEndpointAllOperations.
func TestOperationsMatchModel(t *testing.T) {
	model := loadModel(t)
	if model.Metadata.APIVersion != "2012-06-01" || len(model.Operations) != 29 {
		t.Fatalf("model %s has %d operations, want 2012-06-01 with 29", model.Metadata.APIVersion, len(model.Operations))
	}
	dt := reflect.TypeFor[*Client]()
	for op := range model.Operations {
		method, ok := Operations[op]
		if !ok {
			t.Errorf("operation %s has no entry in Operations", op)
			continue
		}
		if _, ok := dt.MethodByName(method); !ok {
			t.Errorf("operation %s maps to %s, which is not a method of *Client", op, method)
		}
	}
	for op := range Operations {
		if _, ok := model.Operations[op]; !ok {
			t.Errorf("Operations lists %s, which the model does not have", op)
		}
	}
}

// TestModelErrorsHaveKinds checks that every error the model declares is classified, so a
// caller can match it with errors.Is.
func TestModelErrorsHaveKinds(t *testing.T) {
	model := loadModel(t)
	n := 0
	for name, shape := range model.Shapes {
		if !shape.Exception {
			continue
		}
		n++
		code := shape.Error.Code
		if code == "" {
			code = name
		}
		if awsclient.Kind(code, shape.Error.HTTPStatusCode) == nil {
			t.Errorf("error %s (HTTP %d) has no kind", code, shape.Error.HTTPStatusCode)
		}
	}
	if n < 20 {
		t.Errorf("the model declares %d errors, want the 22 of 2012-06-01", n)
	}
}

type elbModel struct {
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

// loadModel reads botocore's ELB model, the spec.
func loadModel(t *testing.T) elbModel {
	t.Helper()
	var model elbModel
	if err := json.Unmarshal(testenv.Model(t, "elb", "2012-06-01"), &model); err != nil {
		t.Fatal(err)
	}
	return model
}
