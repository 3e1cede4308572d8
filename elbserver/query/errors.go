package query

import (
	"fmt"
	"net/http"
)

// Error is an error the endpoint reports to a client: the AWS error code, a message, the HTTP
// status and whether the fault is the service's (Receiver) or the caller's (Sender). Query
// rooms write it in their error envelope; raw rooms (S3, ACM) in their own protocol's form.
type Error struct {
	Code    string
	Message string
	Status  int
	// Receiver marks faults on the service side (Type Receiver in the Query envelope).
	Receiver bool
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Errorf returns a Sender error with the given status and code.
func Errorf(status int, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

// Validation is the 400 ValidationError every Query API shares.
func Validation(format string, args ...any) *Error {
	return Errorf(http.StatusBadRequest, "ValidationError", format, args...)
}

// Missing is the 400 MissingParameter for a required parameter.
func Missing(name string) *Error {
	return Errorf(http.StatusBadRequest, "MissingParameter", "The request must contain the parameter %s", name)
}

// Internal is the 500 InternalFailure reported for anything unexpected; the cause goes to the
// log, with the request id, never to the client.
func Internal() *Error {
	return &Error{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error, exception or failure.", Status: http.StatusInternalServerError, Receiver: true}
}
