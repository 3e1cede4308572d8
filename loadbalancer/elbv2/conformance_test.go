package elbv2_test

import (
	"context"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2/elbv2test"
)

// moto is a fresh (reset) moto for each test, its members started with RunInstances.
//
// Where moto differs from AWS in what the suite meets, nothing needs working around: moto
// accepts a UDP listener forwarding to a TCP target group and a TLS listener without a
// certificate (AWS refuses both; the driver refuses them itself before any call), reports a
// new balancer "provisioning" until it is first described (the suite accepts PENDING and
// RUNNING) and has no QUIC or TCP_QUIC target groups (the suite creates only with portable
// protocols).
func moto(_ context.Context, t *testing.T) (elbv2test.Backend, error) {
	testenv.AWSEnv(t)
	return elbv2test.Backend{URL: testenv.Moto(t)}, nil
}

func TestConformanceMotoALB(t *testing.T) {
	drivertest.RunConformanceTests(t, elbv2test.NewHarnessMaker(elbv2.ALB, moto), elbv2test.AsTest{})
}

func TestConformanceMotoNLB(t *testing.T) {
	drivertest.RunConformanceTests(t, elbv2test.NewHarnessMaker(elbv2.NLB, moto), elbv2test.AsTest{})
}

// endpoint is a fresh embedded endpoint (elbtest) for each test, in strict mode: the
// balancers' subnets and groups are the default VPC's, and the members instances started
// with EC2 RunInstances, as on AWS.
func endpoint(context.Context, *testing.T) (elbv2test.Backend, error) {
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Strict: true}))
	return elbv2test.Backend{URL: srv.URL, Image: "ami-12345678", Close: srv.Close}, nil
}

func TestConformanceEndpointALB(t *testing.T) {
	drivertest.RunConformanceTests(t, elbv2test.NewHarnessMaker(elbv2.ALB, endpoint), elbv2test.AsTest{})
}

func TestConformanceEndpointNLB(t *testing.T) {
	drivertest.RunConformanceTests(t, elbv2test.NewHarnessMaker(elbv2.NLB, endpoint), elbv2test.AsTest{})
}
