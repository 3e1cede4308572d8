package elb

import (
	"reflect"
	"testing"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
)

// TestOperationsMatchModel checks the Operations table against botocore's ELB model: every
// action of 2012-06-01 has an entry, and every entry names a method of *Client. That each
// method really calls its action is checked by TestEndpointAllOperations.
func TestOperationsMatchModel(t *testing.T) {
	model := awstest.LoadModel(t, "elb", "2012-06-01", 29)
	awstest.CheckOperations(t, model.Operations, Operations, reflect.TypeFor[*Client]())
}

// TestModelErrorsHaveKinds checks that every error the model declares is classified, so a
// caller can match it with errors.Is.
func TestModelErrorsHaveKinds(t *testing.T) {
	errs := awstest.LoadModel(t, "elb", "2012-06-01", 29).Errors()
	for _, e := range errs {
		if awsclient.Kind(e.Code, e.Status) == nil {
			t.Errorf("error %s (HTTP %d) has no kind", e.Code, e.Status)
		}
	}
	if len(errs) < 20 {
		t.Errorf("the model declares %d errors, want the 22 of 2012-06-01", len(errs))
	}
}
