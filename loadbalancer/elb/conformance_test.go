package elb_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/drivertest"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

type endpointHarness struct {
	srv *elbtest.Server
	n   atomic.Int32
}

func (h *endpointHarness) MakeDriver(context.Context) (driver.Driver, error) {
	return elb.New(h.srv.AWSConfig()), nil
}

func (h *endpointHarness) MakeMembers(_ context.Context, n int) ([]driver.Member, error) {
	var ms []driver.Member
	for range n {
		k := h.n.Add(1)
		in := elbserver.Instance{ID: fmt.Sprintf("i-%017x", k), PrivateIP: fmt.Sprintf("10.1.%d.%d", k/250, k%250+1)}
		if err := h.srv.Endpoint.DeclareInstance("", h.srv.Region, in); err != nil {
			return nil, err
		}
		ms = append(ms, driver.Member{ID: in.ID, IP: in.PrivateIP})
	}
	return ms, nil
}

// Close leaves the server running: the suite destroys its balancers in cleanups that run after
// Close, so the server stops in a cleanup registered before them.
func (h *endpointHarness) Close() {}

func TestConformanceEndpoint(t *testing.T) {
	drivertest.RunConformanceTests(t, func(_ context.Context, t *testing.T) (drivertest.Harness, error) {
		srv := elbtest.NewServer()
		t.Cleanup(srv.Close)
		return &endpointHarness{srv: srv}, nil
	})
}

type motoHarness struct {
	url string
}

func (h *motoHarness) MakeDriver(ctx context.Context) (driver.Driver, error) {
	return elb.Open(ctx, driver.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test",
		Endpoint: h.url, MaxAttempts: 1})
}

func (h *motoHarness) MakeMembers(ctx context.Context, n int) ([]driver.Member, error) {
	d, err := elb.Open(ctx, driver.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test", Endpoint: h.url})
	if err != nil {
		return nil, err
	}
	c := d.EC2()
	imgs, err := c.DescribeImages(ctx, &ec2.DescribeImagesInput{})
	if err != nil || len(imgs.Images) == 0 {
		return nil, fmt.Errorf("no image to start instances from: %v", err)
	}
	out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: imgs.Images[0].ImageId,
		MinCount: aws.Int32(int32(n)), MaxCount: aws.Int32(int32(n)), InstanceType: ec2types.InstanceTypeT2Micro})
	if err != nil {
		return nil, err
	}
	var ms []driver.Member
	for _, in := range out.Instances {
		ms = append(ms, driver.Member{ID: aws.ToString(in.InstanceId), IP: aws.ToString(in.PrivateIpAddress)})
	}
	return ms, nil
}

func (h *motoHarness) Close() {}

func TestConformanceMoto(t *testing.T) {
	drivertest.RunConformanceTests(t, func(_ context.Context, t *testing.T) (drivertest.Harness, error) {
		testenv.AWSEnv(t)
		return &motoHarness{url: testenv.Moto(t)}, nil
	})
}
