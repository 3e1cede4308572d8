package elb

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestWrapKeepsDetailsAndHidesSecret(t *testing.T) {
	f := awstest.NewFake(t, func(string, url.Values) (int, string) {
		return http.StatusBadRequest, awstest.QueryError(elbNS, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named 'x'")
	})
	_, err := fakeClient(t, f, 1).Service().GetBalancer(shortCtx(t), "x")
	var de *driver.Error
	if !errors.As(err, &de) {
		t.Fatalf("err = %T %v", err, err)
	}
	if de.Kind != driver.ErrNotFound || de.Provider != "elb" || de.Op != "DescribeLoadBalancers" ||
		de.Code != "LoadBalancerNotFound" || de.RequestID != "req-1234" || de.StatusCode != 400 ||
		!strings.Contains(de.Message, "named 'x'") {
		t.Errorf("error = %+v", de)
	}
	var ae smithy.APIError
	if !errors.Is(err, driver.ErrNotFound) || !errors.As(err, &ae) || ae.ErrorCode() != "LoadBalancerNotFound" {
		t.Errorf("errors.Is/As through the wrapper failed: %v", err)
	}
	if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "req-1234") {
		t.Errorf("message = %q", err.Error())
	}
}

func TestRetriesThrottlingUpToMaxAttempts(t *testing.T) {
	f := awstest.NewFake(t, func(string, url.Values) (int, string) {
		return http.StatusBadRequest, awstest.QueryError(elbNS, "DependencyThrottle", "slow down")
	})
	_, err := fakeClient(t, f, 2).Service().GetBalancer(shortCtx(t), "x")
	if !errors.Is(err, driver.ErrThrottled) {
		t.Fatalf("err = %v, want ErrThrottled", err)
	}
	if n := f.Count("DescribeLoadBalancers"); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestServerErrorIsUnavailable(t *testing.T) {
	f := awstest.NewFake(t, func(string, url.Values) (int, string) {
		return http.StatusServiceUnavailable, awstest.QueryError(elbNS, "ServiceUnavailable", "try later")
	})
	if err := fakeClient(t, f, 1).DeleteBalancer(shortCtx(t), "x"); !errors.Is(err, driver.ErrUnavailable) {
		t.Errorf("err = %v, want ErrUnavailable", err)
	}
}

func TestConnectionFailureAndDeadline(t *testing.T) {
	f := awstest.NewFake(t, func(string, url.Values) (int, string) { return 200, "" })
	svc := fakeClient(t, f, 1).Service()
	f.Close() // nothing listens any more
	if _, err := svc.GetBalancer(shortCtx(t), "x"); !errors.Is(err, driver.ErrUnavailable) {
		t.Errorf("closed endpoint: %v, want ErrUnavailable", err)
	}

	block := make(chan struct{})
	slow := awstest.NewFake(t, func(string, url.Values) (int, string) { <-block; return 200, "" })
	defer close(block)
	svc = fakeClient(t, slow, 3).Service()
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := svc.GetBalancer(ctx, "x")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the caller's deadline", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("call outlived its deadline by far: %v", el)
	}
}
