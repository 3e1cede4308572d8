package drivertest

import (
	"context"
	"errors"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// testAs runs at's checks on svc, with err the provider's answer to getting a balancer that
// no longer exists.
func testAs(t *testing.T, ctx context.Context, svc *loadbalancer.Service, at AsTest) {
	if err := at.ServiceCheck(svc); err != nil {
		t.Error(err)
	}
	lb := create(t, ctx, svc, request(t, ctx, svc, "as"))
	if err := svc.DestroyBalancer(ctx, lb.ID); err != nil {
		t.Fatal(err)
	}
	_, err := svc.GetBalancer(ctx, lb.ID)
	if err == nil {
		t.Fatal("got a destroyed balancer")
	}
	if err := at.ErrorCheck(svc, err); err != nil {
		t.Error(err)
	}
}

// verifyAsFailsOnNil is the AsTest every provider passes: As refuses nil and types that are
// not the provider's, ErrorAs panics on a nil target, finds nothing in a nil error and
// always finds the portable error.
type verifyAsFailsOnNil struct{}

func (verifyAsFailsOnNil) Name() string { return "verify As and ErrorAs refuse nil" }

func (verifyAsFailsOnNil) ServiceCheck(svc *loadbalancer.Service) error {
	if svc.As(nil) {
		return errors.New("want Service.As(nil) to be false")
	}
	var notProvider *struct{ unknown int }
	if svc.As(&notProvider) {
		return errors.New("want Service.As to refuse a type that is not the provider's")
	}
	return nil
}

func (verifyAsFailsOnNil) ErrorCheck(svc *loadbalancer.Service, err error) (ret error) {
	var e *loadbalancer.Error
	if !svc.ErrorAs(err, &e) || e.Provider != svc.Provider() {
		return errors.New("want Service.ErrorAs to find the *loadbalancer.Error of the provider")
	}
	if svc.ErrorAs(nil, &e) {
		return errors.New("want Service.ErrorAs(nil, ...) to be false")
	}
	defer func() {
		if recover() == nil {
			ret = errors.New("want Service.ErrorAs to panic on a nil target")
		}
	}()
	svc.ErrorAs(err, nil)
	return nil
}
