package elb

import (
	"context"
	"errors"
	"net/http"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Error codes by kind. ELB's codes come from the 2012-06-01 model; EC2's and the generic AWS
// ones are those the driver meets while resolving members or authenticating.
var (
	notFoundCodes = set("LoadBalancerNotFound", "ListenerNotFound", "PolicyNotFound",
		"PolicyTypeNotFound", "CertificateNotFound", "InvalidInstance", "SubnetNotFound",
		"LoadBalancerAttributeNotFound")
	throttledCodes = set("DependencyThrottle", "Throttling", "ThrottlingException",
		"RequestLimitExceeded", "TooManyRequestsException", "RequestThrottled")
	invalidCodes = set("ValidationError", "InvalidConfigurationRequest", "InvalidSubnet",
		"InvalidSecurityGroup", "InvalidScheme", "MissingParameter", "InvalidParameterValue",
		"InvalidParameterCombination", "MalformedQueryString", "InvalidInput")
	unsupportedCodes = set("UnsupportedProtocol", "OperationNotPermitted", "InvalidAction",
		"NotImplemented", "UnknownOperationException")
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

// kindOf classifies a provider error code and HTTP status; nil means no kind fits.
func kindOf(code string, status int) error {
	switch {
	case notFoundCodes[code] || strings.HasSuffix(code, ".NotFound"):
		return driver.ErrNotFound
	case throttledCodes[code]:
		return driver.ErrThrottled
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

// wrap turns an SDK error from operation op into a *driver.Error. It is the one place where
// provider errors are classified. Messages are the service's own, which never carry key
// material; the SDK's signing errors name the credential source, not the secret.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *driver.Error
	if errors.As(err, &de) {
		return err
	}
	e := &driver.Error{Provider: ProviderName, Op: op, Err: err}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		e.RequestID = re.ServiceRequestID()
		e.StatusCode = re.HTTPStatusCode()
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		e.Code = ae.ErrorCode()
		e.Message = ae.ErrorMessage()
		e.Kind = kindOf(e.Code, e.StatusCode)
		return e
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		// No kind: the caller's own deadline or cancellation, matched with errors.Is on ctx errors.
	case e.StatusCode != 0:
		e.Kind = kindOf("", e.StatusCode)
	default:
		// No HTTP answer at all (connection refused, DNS, TLS, retries exhausted on them).
		e.Kind = driver.ErrUnavailable
	}
	return e
}

// notFound reports a missing resource found by the driver itself.
func notFound(op, code, format string, args ...any) *driver.Error {
	e := driver.Invalid(ProviderName, format, args...)
	e.Kind, e.Op, e.Code = driver.ErrNotFound, op, code
	return e
}

// hasCode reports whether err carries the provider error code.
func hasCode(err error, code string) bool {
	var api smithy.APIError
	return errors.As(err, &api) && api.ErrorCode() == code
}
