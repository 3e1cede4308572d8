package awsclient

import (
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestKind(t *testing.T) {
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
		{"TargetGroupNotFound", 400, driver.ErrNotFound},
		{"DuplicateTargetGroupName", 400, driver.ErrAlreadyExists},
		{"PriorityInUse", 400, driver.ErrInvalid},
		{"TooManyTargets", 400, driver.ErrInvalid},
		{"IncompatibleProtocols", 400, driver.ErrInvalid},
		{"ALPNPolicyNotSupported", 400, driver.ErrUnsupported},
		{"SomethingNew", 400, nil},
	}
	for _, c := range cases {
		if got := Kind(c.code, c.status); got != c.want {
			t.Errorf("Kind(%s, %d) = %v, want %v", c.code, c.status, got, c.want)
		}
	}
}
