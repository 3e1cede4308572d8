package elbv2

import (
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// noBalancers answers DescribeLoadBalancers with an empty list.
func noBalancers(action string, _ url.Values) (int, string) {
	if action == "DescribeLoadBalancers" {
		return 200, awstest.QueryOK(ns, action, "<LoadBalancers/>")
	}
	return 400, awstest.QueryError(ns, "InvalidAction", action)
}

// clientOf is the *Client behind svc.
func clientOf(t *testing.T, svc *loadbalancer.Service) *Client {
	t.Helper()
	var c *Client
	if !svc.As(&c) {
		t.Fatal("As(**Client) = false")
	}
	return c
}

func TestRegistryAndAs(t *testing.T) {
	f := awstest.NewFake(t, noBalancers)
	testenv.AWSEnv(t)
	for _, typ := range []Type{ALB, NLB} {
		svc, err := loadbalancer.Open(testCtx(t), string(typ), driver.Options{Endpoint: f.URL, MaxAttempts: 1})
		if err != nil {
			t.Fatal(err)
		}
		var c *Client
		var ec *ec2.Client
		var lc *elbv2sdk.Client
		if !svc.As(&c) || !svc.As(&ec) || !svc.As(&lc) || c.api != lc || c.ec2 != ec || svc.Provider() != string(typ) {
			t.Fatalf("%s: As did not expose the client and its SDK clients", typ)
		}
		if c.Service() != svc || c.typ != typ {
			t.Errorf("%s: opening by name gave another Service than the client's own", typ)
		}
		if lbs, err := svc.ListBalancers(testCtx(t), driver.ListOptions{}); err != nil || len(lbs) != 0 {
			t.Errorf("%s: ListBalancers = %v, %v", typ, lbs, err)
		}
	}
}

func TestOpenArguments(t *testing.T) {
	testenv.AWSEnv(t)
	ctx := testCtx(t)
	if _, err := Open(ctx, Type("gwlb"), loadbalancer.Options{}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("Open(gwlb) = %v, want ErrInvalid", err)
	}
	if _, err := loadbalancer.Open(ctx, "nlb", loadbalancer.Options{AccessKeyID: "only-half"}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("a key and no secret = %v, want ErrInvalid", err)
	}
	if _, err := Open(ctx, ALB, loadbalancer.Options{MaxAttempts: -1}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("negative attempts: %v", err)
	}
	os.Unsetenv("AWS_REGION")
	os.Unsetenv("AWS_DEFAULT_REGION")
	svc, err := Open(ctx, NLB, loadbalancer.Options{})
	if err != nil || clientOf(t, svc).Region() != "us-east-1" {
		t.Errorf("default region: %v, %v", svc, err)
	}
	if r := NewClient(aws.Config{}, ALB).Region(); r != "us-east-1" {
		t.Errorf("NewClient without a region: %s", r)
	}
	defer func() {
		if recover() == nil {
			t.Error("NewClient accepted an unknown type")
		}
	}()
	NewClient(aws.Config{}, Type("gwlb"))
}

// The ELBv2 endpoint variable is honoured, and an explicit endpoint (Options.Endpoint,
// WithEndpoint) beats it, for ELBv2 and EC2 alike. (The profile and region come from
// awsclient.Config, which elb's tests cover.)
func TestOpenEndpointPrecedence(t *testing.T) {
	testenv.AWSEnv(t)
	fromEnv := awstest.NewFake(t, noBalancers)
	fromOpts := awstest.NewFake(t, noBalancers)
	t.Setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2", fromEnv.URL)
	ctx := testCtx(t)

	svc, err := Open(ctx, ALB, loadbalancer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{}); err != nil || fromEnv.Count("DescribeLoadBalancers") != 1 {
		t.Errorf("the service endpoint variable was not honoured: %v", err)
	}
	for _, open := range []func() (*loadbalancer.Service, error){
		func() (*loadbalancer.Service, error) {
			return Open(ctx, ALB, loadbalancer.Options{Endpoint: fromOpts.URL})
		},
		func() (*loadbalancer.Service, error) {
			return Open(ctx, NLB, loadbalancer.Options{}, WithEndpoint(fromOpts.URL))
		},
	} {
		svc, err := open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{}); err != nil {
			t.Fatal(err)
		}
		var ec *ec2.Client
		svc.As(&ec)
		ec.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{})
	}
	if fromOpts.Count("DescribeLoadBalancers") != 2 || fromOpts.Count("DescribeSubnets") != 2 || fromEnv.Count("DescribeLoadBalancers") != 1 {
		t.Errorf("the explicit endpoint did not win over the environment: %v, %v", fromOpts.Actions(), fromEnv.Actions())
	}
}

// Every path retries with the provider's policy, the one that counts DependencyThrottle as
// throttling (the SDK's own does not retry it): Open whatever max_attempts the profile or
// AWS_MAX_ATTEMPTS says (they are meant for other tools), NewClient on a config without a
// retryer (with the attempts the config asks for); a config's own retryer is kept.
func TestRetryPolicyOnEveryPath(t *testing.T) {
	dir := testenv.AWSEnv(t)
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte("[default]\nmax_attempts = 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	f := awstest.NewFake(t, func(string, url.Values) (int, string) {
		return http.StatusBadRequest, awstest.QueryError(ns, "DependencyThrottle", "slow down")
	})
	ctx := testCtx(t)
	svc, err := Open(ctx, NLB, loadbalancer.Options{Endpoint: f.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.GetBalancer(ctx, "x"); !errors.Is(err, driver.ErrThrottled) || f.Count("DescribeLoadBalancers") != 3 {
		t.Errorf("Open: %v after %d attempts, want throttled after the policy's 3", err, f.Count("DescribeLoadBalancers"))
	}
	f.Reset()
	cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(f.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
	cfg.RetryMaxAttempts = 2
	if _, err := NewClient(cfg, ALB).Service().GetBalancer(ctx, "x"); !errors.Is(err, driver.ErrThrottled) || f.Count("DescribeLoadBalancers") != 2 {
		t.Errorf("NewClient: %v after %d attempts, want throttled after 2", err, f.Count("DescribeLoadBalancers"))
	}
	f.Reset()
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	cfg.RetryMaxAttempts = 0
	NewClient(cfg, ALB).Service().GetBalancer(ctx, "x")
	if n := f.Count("DescribeLoadBalancers"); n != 1 {
		t.Errorf("own retryer: %d attempts, want 1", n)
	}
}
