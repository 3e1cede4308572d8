// Package elbv2test runs the conformance suite (loadbalancer/drivertest) for the alb and nlb
// providers against any endpoint that serves ELBv2 and EC2 on one URL: moto, lbcloud's own
// endpoint (elbtest), or a proxy in front of either. A test names the endpoint; the harness opens the
// provider on it as users do and makes the members it needs through EC2:
//
//	drivertest.RunConformanceTests(t, elbv2test.NewHarnessMaker(elbv2.ALB,
//		func(ctx context.Context, t *testing.T) (elbv2test.Backend, error) {
//			return elbv2test.Backend{URL: startEndpoint(t)}, nil
//		}), elbv2test.AsTest{})
package elbv2test

import (
	"context"
	"testing"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// Backend is one fresh endpoint for one test.
type Backend struct {
	// URL serves ELBv2 and EC2; the harness signs with the keys test/test in us-east-1.
	URL string
	// MakeMembers makes n instances the endpoint knows, each with its ID and private IP.
	// Nil starts them with EC2 RunInstances; an endpoint that declares instances another way
	// gives its own.
	MakeMembers func(ctx context.Context, n int) ([]loadbalancer.Member, error)
	// Image is the image RunInstances starts members from; "" takes the first DescribeImages
	// lists (moto's, AWS's).
	Image string
	// Options are added to every Service the harness opens.
	Options []elbv2.Option
	// Close, if not nil, runs when the test ends, after its balancers are destroyed.
	Close func()
}

// BackendMaker makes a fresh Backend for one test. It is called once per test.
type BackendMaker func(ctx context.Context, t *testing.T) (Backend, error)

// NewHarnessMaker is the HarnessMaker of provider typ on the backends newBackend makes.
func NewHarnessMaker(typ elbv2.Type, newBackend BackendMaker) drivertest.HarnessMaker {
	return func(ctx context.Context, t *testing.T) (drivertest.Harness, error) {
		b, err := newBackend(ctx, t)
		if err != nil {
			return nil, err
		}
		return &harness{typ: typ, b: b}, nil
	}
}

// harness is a drivertest.Harness and drivertest.ProviderValues.
type harness struct {
	typ elbv2.Type
	b   Backend
}

func (h *harness) MakeService(ctx context.Context) (*loadbalancer.Service, error) {
	return elbv2.Open(ctx, h.typ, loadbalancer.Options{Region: "us-east-1", AccessKeyID: "test",
		SecretAccessKey: "test", Endpoint: h.b.URL, MaxAttempts: 1}, h.b.Options...)
}

func (h *harness) MakeMembers(ctx context.Context, n int) ([]loadbalancer.Member, error) {
	if h.b.MakeMembers != nil {
		return h.b.MakeMembers(ctx, n)
	}
	svc, err := h.MakeService(ctx)
	if err != nil {
		return nil, err
	}
	return awstest.RunInstances(ctx, svc, h.b.Image, n)
}

// ProviderProtocols are the names an NLB lists beside the portable protocols
// (drivertest.ProviderValues); an ALB has none.
func (h *harness) ProviderProtocols() []loadbalancer.Protocol {
	if h.typ == elbv2.NLB {
		return []loadbalancer.Protocol{elbv2.TLS, elbv2.TCPUDP, elbv2.QUIC, elbv2.TCPQUIC}
	}
	return nil
}

// ProviderAlgorithms is an NLB's only algorithm, FLOW_HASH; an ALB lists portable ones.
func (h *harness) ProviderAlgorithms() []loadbalancer.Algorithm {
	if h.typ == elbv2.NLB {
		return []loadbalancer.Algorithm{elbv2.FlowHash}
	}
	return nil
}

func (h *harness) Close() {
	if h.b.Close != nil {
		h.b.Close()
	}
}
