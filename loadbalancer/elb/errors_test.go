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

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestKindOf(t *testing.T) {
	cases := []struct {
		code   string
		status int
		want   error
	}{
		{"LoadBalancerNotFound", 400, driver.ErrNotFound},
		{"ListenerNotFound", 400, driver.ErrNotFound},
		{"PolicyNotFound", 400, driver.ErrNotFound},
		{"PolicyTypeNotFound", 400, driver.ErrNotFound},
		{"CertificateNotFound", 400, driver.ErrNotFound},
		{"InvalidInstance", 400, driver.ErrNotFound},
		{"InvalidInstanceID.NotFound", 400, driver.ErrNotFound},
		{"DependencyThrottle", 400, driver.ErrThrottled},
		{"Throttling", 400, driver.ErrThrottled},
		{"DuplicateLoadBalancerName", 400, driver.ErrAlreadyExists},
		{"DuplicateListener", 400, driver.ErrAlreadyExists},
		{"DuplicatePolicyName", 400, driver.ErrAlreadyExists},
		{"DuplicateTagKeys", 400, driver.ErrInvalid},
		{"ValidationError", 400, driver.ErrInvalid},
		{"InvalidConfigurationRequest", 409, driver.ErrInvalid},
		{"InvalidSubnet", 400, driver.ErrInvalid},
		{"InvalidSecurityGroup", 400, driver.ErrInvalid},
		{"InvalidScheme", 400, driver.ErrInvalid},
		{"TooManyLoadBalancers", 400, driver.ErrInvalid},
		{"TooManyPolicies", 400, driver.ErrInvalid},
		{"MissingParameter", 400, driver.ErrInvalid},
		{"UnsupportedProtocol", 400, driver.ErrUnsupported},
		{"AccessDenied", 403, driver.ErrDenied},
		{"AccessDeniedException", 400, driver.ErrDenied},
		{"SignatureDoesNotMatch", 403, driver.ErrDenied},
		{"InvalidClientTokenId", 403, driver.ErrDenied},
		{"UnrecognizedClientException", 400, driver.ErrDenied},
		{"ExpiredToken", 400, driver.ErrDenied},
		{"ServiceUnavailable", 503, driver.ErrUnavailable},
		{"InternalFailure", 500, driver.ErrUnavailable},
		{"SomethingNew", 502, driver.ErrUnavailable},
		{"SomethingNew", 429, driver.ErrThrottled},
		{"SomethingNew", 400, nil},
	}
	for _, c := range cases {
		if got := kindOf(c.code, c.status); got != c.want {
			t.Errorf("kindOf(%s, %d) = %v, want %v", c.code, c.status, got, c.want)
		}
	}
}

func TestWrapKeepsDetailsAndHidesSecret(t *testing.T) {
	f := newFake(t, func(string, url.Values) (int, string) {
		return http.StatusBadRequest, elbError("LoadBalancerNotFound", "There is no ACTIVE Load Balancer named 'x'")
	})
	d := fakeDriver(t, f, 1)
	_, err := d.GetBalancer(shortCtx(t), "x")
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
	f := newFake(t, func(string, url.Values) (int, string) {
		return http.StatusBadRequest, elbError("DependencyThrottle", "slow down")
	})
	d := fakeDriver(t, f, 2)
	_, err := d.GetBalancer(shortCtx(t), "x")
	if !errors.Is(err, driver.ErrThrottled) {
		t.Fatalf("err = %v, want ErrThrottled", err)
	}
	if n := f.count("DescribeLoadBalancers"); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestServerErrorIsUnavailable(t *testing.T) {
	f := newFake(t, func(string, url.Values) (int, string) {
		return http.StatusServiceUnavailable, elbError("ServiceUnavailable", "try later")
	})
	d := fakeDriver(t, f, 1)
	if err := d.DestroyBalancer(shortCtx(t), "x"); !errors.Is(err, driver.ErrUnavailable) {
		t.Errorf("err = %v, want ErrUnavailable", err)
	}
}

func TestConnectionFailureAndDeadline(t *testing.T) {
	f := newFake(t, func(string, url.Values) (int, string) { return 200, "" })
	d := fakeDriver(t, f, 1)
	f.Close() // nothing listens any more
	if _, err := d.GetBalancer(shortCtx(t), "x"); !errors.Is(err, driver.ErrUnavailable) {
		t.Errorf("closed endpoint: %v, want ErrUnavailable", err)
	}

	block := make(chan struct{})
	slow := newFake(t, func(string, url.Values) (int, string) { <-block; return 200, "" })
	defer close(block)
	d = fakeDriver(t, slow, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := d.GetBalancer(ctx, "x")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the caller's deadline", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("call outlived its deadline by far: %v", el)
	}
}
