package elbv2

import (
	"errors"
	"net/url"
	"reflect"
	"testing"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// TestOperationsMatchModel checks the Operations table against the model: every action of
// 2015-12-01 has an entry naming a method of *Client, and no entry is an action the model
// lacks. That each method sends its action is TestClientMethods's part.
func TestOperationsMatchModel(t *testing.T) {
	m := awstest.LoadModel(t, "elbv2", "2015-12-01", 51)
	awstest.CheckOperations(t, m.Operations, Operations, reflect.TypeFor[*Client]())
}

// TestModelErrorsHaveKinds: every error the model declares, answered by an endpoint with
// its HTTP status, reaches the caller classified, so it can be matched with errors.Is.
func TestModelErrorsHaveKinds(t *testing.T) {
	errs := awstest.LoadModel(t, "elbv2", "2015-12-01", 51).Errors()
	var code string
	var status int
	f := awstest.NewFake(t, func(string, url.Values) (int, string) { return status, awstest.QueryError(ns, code, "scripted") })
	ctx := testCtx(t)
	for _, e := range errs {
		code, status = e.Code, e.Status
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
	if len(errs) < 50 {
		t.Errorf("the model declares %d errors, want the 56 of 2015-12-01", len(errs))
	}
}
