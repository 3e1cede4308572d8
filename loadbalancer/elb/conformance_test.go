package elb_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// endpointHarness runs the suite against the embedded endpoint in strict mode, one server per
// test: members are instances declared to it (DeclareInstance), and only those are accepted.
type endpointHarness struct {
	srv *elbtest.Server
	n   atomic.Int32
}

func (h *endpointHarness) MakeService(context.Context) (*loadbalancer.Service, error) {
	return elb.NewClient(h.srv.AWSConfig()).Service(), nil
}

func (h *endpointHarness) MakeMembers(_ context.Context, n int) ([]loadbalancer.Member, error) {
	var ms []loadbalancer.Member
	for range n {
		k := h.n.Add(1)
		in := elbserver.Instance{ID: fmt.Sprintf("i-%017x", k), PrivateIP: fmt.Sprintf("10.1.%d.%d", k/250, k%250+1)}
		if err := h.srv.Endpoint.DeclareInstance("", h.srv.Region, in); err != nil {
			return nil, err
		}
		ms = append(ms, loadbalancer.Member{ID: in.ID, IP: in.PrivateIP})
	}
	return ms, nil
}

func (h *endpointHarness) Close() { h.srv.Close() }

func TestConformanceEndpoint(t *testing.T) {
	drivertest.RunConformanceTests(t, func(context.Context, *testing.T) (drivertest.Harness, error) {
		return &endpointHarness{srv: elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Strict: true}))}, nil
	}, elbAsTest{})
}

// motoHarness runs the suite against moto, reset for each test, through elb.Open as users do.
type motoHarness struct {
	url string
}

func (h *motoHarness) MakeService(ctx context.Context) (*loadbalancer.Service, error) {
	return elb.Open(ctx, loadbalancer.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test",
		Endpoint: h.url, MaxAttempts: 1})
}

func (h *motoHarness) MakeMembers(ctx context.Context, n int) ([]loadbalancer.Member, error) {
	svc, err := h.MakeService(ctx)
	if err != nil {
		return nil, err
	}
	return awstest.RunInstances(ctx, svc, "", n)
}

func (h *motoHarness) Close() {}

func TestConformanceMoto(t *testing.T) {
	drivertest.RunConformanceTests(t, func(_ context.Context, t *testing.T) (drivertest.Harness, error) {
		testenv.AWSEnv(t)
		return &motoHarness{url: testenv.Moto(t)}, nil
	}, elbAsTest{})
}

// elbAsTest checks the escape hatches of the elb provider: the *elb.Client and the SDK
// clients behind the Service, and the SDK's error types behind its errors.
type elbAsTest struct{}

func (elbAsTest) Name() string { return "elb client, SDK clients and errors" }

func (elbAsTest) ServiceCheck(svc *loadbalancer.Service) error {
	var c *elb.Client
	var lc *elasticloadbalancing.Client
	var ec *ec2.Client
	if !svc.As(&c) || !svc.As(&lc) || !svc.As(&ec) {
		return errors.New("want As to give the *elb.Client and both SDK clients")
	}
	// Each works on the same account as the Service.
	ctx := context.Background()
	if _, _, err := c.DescribeBalancers(ctx, nil, "", 0); err != nil {
		return fmt.Errorf("elb.Client: %w", err)
	}
	if _, err := lc.DescribeLoadBalancers(ctx, &elasticloadbalancing.DescribeLoadBalancersInput{}); err != nil {
		return fmt.Errorf("elasticloadbalancing.Client: %w", err)
	}
	if _, err := ec.DescribeInstances(ctx, &ec2.DescribeInstancesInput{}); err != nil {
		return fmt.Errorf("ec2.Client: %w", err)
	}
	var again *elb.Client
	if svc.As(&again); again != c {
		return errors.New("want As to give the same *elb.Client each time")
	}
	return nil
}

func (elbAsTest) ErrorCheck(svc *loadbalancer.Service, err error) error {
	return awstest.CheckErrorAs(svc, err, "LoadBalancerNotFound")
}
