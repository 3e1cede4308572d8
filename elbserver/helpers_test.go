package elbserver_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

func newClient(t *testing.T, opts ...elbtest.Option) (*elb.Client, *elbtest.Server) {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	cfg := srv.AWSConfig()
	// Fail fast: these tests assert on error codes, not on retries.
	cfg.RetryMaxAttempts = 1
	return elb.NewFromConfig(cfg), srv
}

// wantCode asserts err is an API error with the given code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want error code %s, got %s (%s)", code, ae.ErrorCode(), ae.ErrorMessage())
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func httpListener(lbPort, instPort int32) types.Listener {
	return types.Listener{Protocol: aws.String("HTTP"), LoadBalancerPort: lbPort, InstancePort: aws.Int32(instPort)}
}

func createLB(t *testing.T, c *elb.Client, name string, ls ...types.Listener) string {
	t.Helper()
	if len(ls) == 0 {
		ls = []types.Listener{httpListener(80, 8080)}
	}
	out, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String(name), Listeners: ls, AvailabilityZones: []string{"us-east-1a"},
	})
	noErr(t, err)
	return aws.ToString(out.DNSName)
}

func describeOne(t *testing.T, c *elb.Client, name string) types.LoadBalancerDescription {
	t.Helper()
	out, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	noErr(t, err)
	if len(out.LoadBalancerDescriptions) != 1 {
		t.Fatalf("want 1 description, got %d", len(out.LoadBalancerDescriptions))
	}
	return out.LoadBalancerDescriptions[0]
}

func asError(err error, target any) bool { return errors.As(err, target) }
