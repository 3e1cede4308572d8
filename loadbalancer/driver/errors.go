package driver

import (
	"errors"
	"fmt"
)

// Sentinel kinds. Match them with errors.Is; read the provider's details with errors.As(*Error).
var (
	ErrNotFound      = errors.New("not found")
	ErrAlreadyExists = errors.New("already exists")
	ErrInvalid       = errors.New("invalid argument")
	ErrUnsupported   = errors.New("unsupported")
	ErrThrottled     = errors.New("throttled")
	ErrDenied        = errors.New("access denied")
	ErrUnavailable   = errors.New("service unavailable")
)

// Error is a failure reported by (or on the way to) a provider. Kind is one of the sentinels
// above, or nil when the failure fits none of them.
type Error struct {
	Kind       error
	Provider   string // "elb"
	Op         string // the provider operation, e.g. "CreateLoadBalancer"
	Code       string // the provider's error code, e.g. "LoadBalancerNotFound"
	Message    string
	RequestID  string
	StatusCode int
	Err        error // the underlying error, if any
}

func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	s := e.Provider
	if e.Op != "" {
		s += " " + e.Op
	}
	if e.Code != "" {
		s += ": " + e.Code
	}
	if msg != "" {
		s += ": " + msg
	}
	if e.RequestID != "" {
		s += fmt.Sprintf(" (request id %s)", e.RequestID)
	}
	return s
}

// Unwrap lets errors.Is match both the kind and the underlying cause.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// Invalid is a shorthand for argument errors found before any provider call.
func Invalid(provider, format string, args ...any) *Error {
	return &Error{Kind: ErrInvalid, Provider: provider, Code: "InvalidArgument", Message: fmt.Sprintf(format, args...)}
}

// Unsupported is a shorthand for requests a provider cannot honour.
func Unsupported(provider, format string, args ...any) *Error {
	return &Error{Kind: ErrUnsupported, Provider: provider, Code: "Unsupported", Message: fmt.Sprintf(format, args...)}
}
