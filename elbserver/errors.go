package elbserver

import (
	"fmt"
	"net/http"
)

// apiError is an error the endpoint reports to the client in the AWS Query
// error envelope. Code and Status follow the botocore model of the service.
type apiError struct {
	Code    string
	Message string
	Status  int
	// Receiver marks faults on the service side (Type Receiver in the envelope).
	Receiver bool
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

// Sender faults, with the wire codes and HTTP statuses of the 2012-06-01 model.
func errValidation(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, "ValidationError", format, args...)
}

func errMissing(name string) *apiError {
	return errf(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s", name)
}

func errLBNotFound(name string) *apiError {
	return errf(http.StatusBadRequest, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", name)
}

func errListenerNotFound(lb string, port int) *apiError {
	return errf(http.StatusBadRequest, "ListenerNotFound", "There is no listener on port %d of load balancer %s", port, lb)
}

func errConfig(format string, args ...any) *apiError {
	return errf(http.StatusConflict, "InvalidConfigurationRequest", format, args...)
}

func errPolicyNotFound(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, "PolicyNotFound", format, args...)
}

func errInvalidInstance(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, "InvalidInstance", format, args...)
}

func errInternal() *apiError {
	return &apiError{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: http.StatusInternalServerError, Receiver: true}
}
