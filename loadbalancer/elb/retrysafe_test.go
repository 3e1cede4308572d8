package elb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// A policy name used twice on purpose is still DuplicatePolicyName: only a duplicate met on
// the SDK's own retry is checked against the request (reliability's lost-response test covers
// that side).
func TestDuplicatePolicyOnFirstAttemptIsAnError(t *testing.T) {
	d, _, _ := endpointClient(t)
	ctx := testCtx(t)
	if _, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "dup", Port: 80, Protocol: driver.HTTP}); err != nil {
		t.Fatal(err)
	}
	calls := []func() error{
		func() error {
			return d.CreateBalancerPolicy(ctx, "dup", "pp", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"})
		},
		func() error { return d.CreateAppCookieStickinessPolicy(ctx, "dup", "app", "SESSION") },
		func() error { return d.CreateLBCookieStickinessPolicy(ctx, "dup", "lbc", time.Minute) },
	}
	for i, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("call %d: first create: %v", i, err)
		}
		err := call()
		var de *driver.Error
		if !errors.Is(err, driver.ErrAlreadyExists) || !errors.As(err, &de) || de.Code != "DuplicatePolicyName" {
			t.Errorf("call %d: second identical create = %v, want DuplicatePolicyName", i, err)
		}
	}
}
