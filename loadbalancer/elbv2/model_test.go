package elbv2

import (
	"encoding/json"
	"errors"
	"net/url"
	"reflect"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

type elbv2Model struct {
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

// loadModel reads botocore's ELBv2 model, the spec.
func loadModel(t *testing.T) elbv2Model {
	t.Helper()
	var m elbv2Model
	if err := json.Unmarshal(testenv.Model(t, "elbv2", "2015-12-01"), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestOperationsMatchModel checks the Operations table against the model: every action of
// 2015-12-01 has an entry naming a method of *Client, and no entry is an action the model
// lacks. That each method sends its action is TestClientMethods's part.
func TestOperationsMatchModel(t *testing.T) {
	m := loadModel(t)
	if m.Metadata.APIVersion != "2015-12-01" || len(m.Operations) != 51 {
		t.Fatalf("model %s has %d operations, want 2015-12-01 with 51", m.Metadata.APIVersion, len(m.Operations))
	}
	ct := reflect.TypeFor[*Client]()
	for op := range m.Operations {
		method, ok := Operations[op]
		if !ok {
			t.Errorf("operation %s has no entry in Operations", op)
			continue
		}
		if _, ok := ct.MethodByName(method); !ok {
			t.Errorf("operation %s maps to %s, which is not a method of *Client", op, method)
		}
	}
	for op := range Operations {
		if _, ok := m.Operations[op]; !ok {
			t.Errorf("Operations lists %s, which the model does not have", op)
		}
	}
}

// TestModelErrorsHaveKinds: every error the model declares, answered by an endpoint with
// its HTTP status, reaches the caller classified, so it can be matched with errors.Is.
func TestModelErrorsHaveKinds(t *testing.T) {
	m := loadModel(t)
	var code string
	var status int
	f := newFake(t, func(string, url.Values) (int, string) { return status, elbError(code, "scripted") })
	ctx := testCtx(t)
	n := 0
	for name, shape := range m.Shapes {
		if !shape.Exception {
			continue
		}
		n++
		code, status = shape.Error.Code, shape.Error.HTTPStatusCode
		if code == "" {
			code = name
		}
		if status == 0 {
			status = 400
		}
		// A driver each: the adaptive retryer slows a client down after a throttling answer.
		err := fakeDriver(t, f, ALB, 1).c.DeleteLoadBalancer(ctx, lbARN)
		var de *driver.Error
		if !errors.As(err, &de) || de.Kind == nil || de.Code != code {
			t.Errorf("error %s (HTTP %d) reached the caller as %#v, want a kind", code, status, err)
		}
	}
	if n < 50 {
		t.Errorf("the model declares %d errors, want the 56 of 2015-12-01", n)
	}
}
