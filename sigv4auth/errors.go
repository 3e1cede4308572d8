package sigv4auth

import "net/http"

// AWS error codes returned by Verify.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationToken"
	CodeIncompleteSignature        = "IncompleteSignature"
	CodeInvalidClientTokenID       = "InvalidClientTokenId"
	CodeSignatureDoesNotMatch      = "SignatureDoesNotMatch"
	CodeRequestExpired             = "RequestExpired"
)

// Error is an authentication failure as AWS reports it: an error code, a
// human readable message and the HTTP status the endpoint should answer with.
// The message never contains a secret key or a signature.
type Error struct {
	Code    string
	Message string
	Status  int
}

// Error returns "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is reports whether target is an *Error with the same Code, so callers can
// write errors.Is(err, &sigv4auth.Error{Code: sigv4auth.CodeSignatureDoesNotMatch}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && t.Code == e.Code
}

func errMissingAuth() *Error {
	return &Error{Code: CodeMissingAuthenticationToken, Message: "Request is missing Authentication Token", Status: http.StatusForbidden}
}

func errIncomplete(msg string) *Error {
	return &Error{Code: CodeIncompleteSignature, Message: msg, Status: http.StatusBadRequest}
}

func errUnknownKey() *Error {
	return &Error{Code: CodeInvalidClientTokenID, Message: "The security token included in the request is invalid.", Status: http.StatusForbidden}
}

func errMismatch(msg string) *Error {
	return &Error{Code: CodeSignatureDoesNotMatch, Message: msg, Status: http.StatusForbidden}
}

const mismatchMessage = "The request signature we calculated does not match the signature you provided. " +
	"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

// errExpired is returned for a presigned URL used after X-Amz-Expires. The
// Classic ELB API reference lists RequestExpired (HTTP 400) among its common
// errors for requests arriving after "the request expiration date (such as
// for pre-signed URLs)"; ExpiredToken is about session tokens, which are not
// modelled here, so RequestExpired is the code a query API client expects.
func errExpired() *Error {
	return &Error{Code: CodeRequestExpired, Message: "Request has expired.", Status: http.StatusBadRequest}
}
