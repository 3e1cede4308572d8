package awsclient

import (
	"context"
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Error codes by kind. They come from the Classic ELB (2012-06-01) and ELBv2 (2015-12-01)
// models, and from EC2 and the generic AWS codes drivers meet while resolving members or
// authenticating. Codes ending in NotFound and starting with Duplicate or TooMany are
// classified by their shape, so new ones of those families need no entry here.
var (
	notFoundCodes  = set("InvalidInstance", "InvalidTarget")
	throttledCodes = set("DependencyThrottle", "Throttling", "ThrottlingException",
		"RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled")
	invalidCodes = set("ValidationError", "InvalidConfigurationRequest", "InvalidSubnet",
		"InvalidSecurityGroup", "InvalidScheme", "MissingParameter", "InvalidParameterValue",
		"InvalidParameterCombination", "MalformedQueryString", "InvalidInput", "InvalidRevocationContent",
		"IncompatibleProtocols", "InvalidLoadBalancerAction", "InvalidCaCertificatesBundle",
		"PriorityInUse", "ResourceInUse", "TargetGroupAssociationLimit", "AvailabilityZoneNotSupported",
		"CapacityDecreaseRequestLimitExceeded", "CapacityUnitsLimitExceeded",
		"CapacityReservationPending", "PriorRequestNotComplete", "InsufficientCapacity",
		"TrustStoreInUse", "TrustStoreNotReady", "DeleteAssociationSameAccount")
	unsupportedCodes = set("UnsupportedProtocol", "OperationNotPermitted", "InvalidAction",
		"NotImplemented", "UnknownOperationException", "ALPNPolicyNotSupported")
	deniedCodes = set("AccessDenied", "AccessDeniedException", "SignatureDoesNotMatch",
		"InvalidClientTokenId", "UnrecognizedClientException", "ExpiredToken",
		"ExpiredTokenException", "AuthFailure", "UnauthorizedOperation", "InvalidAccessKeyId",
		"IncompleteSignature", "MissingAuthenticationToken", "RequestExpired", "OptInRequired")
	unavailableCodes = set("ServiceUnavailable", "InternalFailure", "InternalError",
		"Unavailable", "ServiceUnavailableException")
)

func set(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// Kind classifies a provider error code and HTTP status; nil means no kind fits.
func Kind(code string, status int) error {
	switch {
	case throttledCodes[code]:
		return driver.ErrThrottled
	case notFoundCodes[code] || strings.HasSuffix(code, "NotFound"):
		return driver.ErrNotFound
	case strings.HasPrefix(code, "Duplicate") && code != "DuplicateTagKeys":
		return driver.ErrAlreadyExists
	case invalidCodes[code] || strings.HasPrefix(code, "TooMany") || code == "DuplicateTagKeys" ||
		strings.HasPrefix(code, "InvalidParameter"):
		return driver.ErrInvalid
	case unsupportedCodes[code]:
		return driver.ErrUnsupported
	case deniedCodes[code] || strings.HasPrefix(code, "AccessDenied"):
		return driver.ErrDenied
	case unavailableCodes[code] || status >= 500:
		return driver.ErrUnavailable
	case status == http.StatusTooManyRequests:
		return driver.ErrThrottled
	case status == http.StatusForbidden || status == http.StatusUnauthorized:
		return driver.ErrDenied
	case status == http.StatusNotFound:
		return driver.ErrNotFound
	}
	return nil
}

// Wrap turns an SDK error from operation op into a *driver.Error of provider. It is the one
// place where provider errors are classified. Messages are the service's own, which never
// carry key material; the SDK's signing errors name the credential source, not the secret.
// An error that already is a *driver.Error is returned as it is.
func Wrap(provider, op string, err error) error {
	if err == nil {
		return nil
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return err
	}
	e := &driver.Error{Provider: provider, Op: op, Err: err}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.RequestID = re.ServiceRequestID()
		e.StatusCode = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code = ae.ErrorCode()
		e.Message = ae.ErrorMessage()
		e.Kind = Kind(e.Code, e.StatusCode)
		return e
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		// No kind: the caller's own deadline or cancellation, matched with errors.Is on ctx errors.
	case e.StatusCode != 0:
		e.Kind = Kind("", e.StatusCode)
	default:
		// No HTTP answer at all (connection refused, DNS, TLS, retries exhausted on them).
		e.Kind = driver.ErrUnavailable
	}
	return e
}

// NotFound reports a missing resource found by a driver itself, not by the provider.
func NotFound(provider, op, code, format string, args ...any) *driver.Error {
	e := driver.Invalid(provider, format, args...)
	e.Kind, e.Op, e.Code = driver.ErrNotFound, op, code
	return e
}

// HasCode reports whether err carries the provider error code.
func HasCode(err error, code string) bool {
	var api smithy.APIError
	if errors.As(err, &api) && api.ErrorCode() == code {
		return true
	}
	var de *driver.Error
	return errors.As(err, &de) && de.Code == code
}
