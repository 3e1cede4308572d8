package elbv2

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
)

// Errors of the 2015-12-01 model, with its codes and HTTP statuses.

func sender(code, format string, args ...any) *query.Error {
	return query.Errorf(http.StatusBadRequest, code, format, args...)
}

func errLBNotFound(what string) *query.Error {
	return sender("LoadBalancerNotFound", "Load balancer '%s' not found", what)
}

func errTGNotFound(what string) *query.Error {
	return sender("TargetGroupNotFound", "Target group '%s' not found", what)
}

func errListenerNotFound(arn string) *query.Error {
	return sender("ListenerNotFound", "Listener '%s' not found", arn)
}

func errRuleNotFound(arn string) *query.Error {
	return sender("RuleNotFound", "Rule '%s' not found", arn)
}

func errTrustStoreNotFound(what string) *query.Error {
	return sender("TrustStoreNotFound", "Trust store '%s' not found", what)
}

func errConfig(format string, args ...any) *query.Error {
	return sender("InvalidConfigurationRequest", format, args...)
}

func errAction(format string, args ...any) *query.Error {
	return sender("InvalidLoadBalancerAction", format, args...)
}

func errIncompatible(format string, args ...any) *query.Error {
	return sender("IncompatibleProtocols", format, args...)
}

func errNotPermitted(format string, args ...any) *query.Error {
	return sender("OperationNotPermitted", format, args...)
}

func errInUse(format string, args ...any) *query.Error {
	return sender("ResourceInUse", format, args...)
}

func errInvalidTarget(format string, args ...any) *query.Error {
	return sender("InvalidTarget", format, args...)
}

func errCertificateNotFound(arn string) *query.Error {
	return sender("CertificateNotFound", "Certificate '%s' not found", arn)
}

func errSSLPolicyNotFound(name string) *query.Error {
	return sender("SSLPolicyNotFound", "SSL policy '%s' not found", name)
}

func errTooMany(code, what string, max int) *query.Error {
	return sender(code, "You've reached the limit on the number of %s: %d", what, max)
}

// errMalformedARN is the ValidationError for an ARN that is not of the kind expected.
func errMalformedARN(kind, arn string) *query.Error {
	return query.Validation("'%s' is not a valid %s ARN", arn, kind)
}

// enumError is the ValidationError for a value outside a parameter's enumeration, in AWS's
// wording.
func enumError(param, value string, allowed ...string) *query.Error {
	return query.Validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, param, strings.Join(allowed, ", "))
}

func lengthError(param string, min, max int) *query.Error {
	return query.Validation("Value at '%s' failed to satisfy constraint: Member must have length between %d and %d", param, min, max)
}

func rangeError(param string, value, min, max int) *query.Error {
	return query.Validation("Value '%d' at '%s' failed to satisfy constraint: Member must be between %d and %d", value, param, min, max)
}

func notPattern(param, value string) *query.Error {
	return query.Validation("Value '%s' at '%s' failed to satisfy the constraint of its format", value, param)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// quoted lists values for a message.
func quoted(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = fmt.Sprintf("'%s'", v)
	}
	return strings.Join(q, ", ")
}
