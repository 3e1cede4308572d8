package s3

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// s3Error is an error as S3 writes it: code, message, status, and the bucket or key it is
// about, which S3 names in the body.
type s3Error struct {
	Code, Message string
	Status        int
	Bucket, Key   string
}

func (e *s3Error) Error() string { return e.Code + ": " + e.Message }

func errf(status int, code, format string, args ...any) *s3Error {
	return &s3Error{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

func errNoSuchBucket(name string) *s3Error {
	e := errf(http.StatusNotFound, "NoSuchBucket", "The specified bucket does not exist")
	e.Bucket = name
	return e
}

func errNoSuchKey(key string) *s3Error {
	e := errf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	e.Key = key
	return e
}

func errAccessDenied() *s3Error {
	return errf(http.StatusForbidden, "AccessDenied", "Access Denied")
}

func errMethod() *s3Error {
	return errf(http.StatusMethodNotAllowed, "MethodNotAllowed", "The specified method is not allowed against this resource.")
}

func errInvalidArgument(format string, args ...any) *s3Error {
	return errf(http.StatusBadRequest, "InvalidArgument", format, args...)
}

// fromEndpoint are the codes the endpoint and the signature check refuse with, as S3 says
// them: S3 answers in its own vocabulary, not the Query APIs'.
var fromEndpoint = map[string]struct {
	code    string
	status  int
	message string // "" keeps the endpoint's
}{
	sigv4auth.CodeMissingAuthenticationToken: {"AccessDenied", http.StatusForbidden, "Access Denied"},
	sigv4auth.CodeInvalidClientTokenID:       {"InvalidAccessKeyId", http.StatusForbidden, "The AWS Access Key Id you provided does not exist in our records."},
	sigv4auth.CodeIncompleteSignature:        {"AuthorizationHeaderMalformed", http.StatusBadRequest, ""},
	sigv4auth.CodeRequestExpired:             {"AccessDenied", http.StatusForbidden, "Request has expired"},
	"RequestEntityTooLarge":                  {"EntityTooLarge", http.StatusBadRequest, ""},
	"InternalFailure":                        {"InternalError", http.StatusInternalServerError, ""},
	"ValidationError":                        {"InvalidArgument", http.StatusBadRequest, ""},
	"Throttling":                             {"SlowDown", http.StatusServiceUnavailable, "Please reduce your request rate."},
}

// WriteError writes an error decided outside the room (a refused signature, a body over the
// endpoint's bound, an injected fault, an unexpected failure) as S3 does.
func (r *Room) WriteError(w http.ResponseWriter, requestID string, e *query.Error) {
	out := &s3Error{Code: e.Code, Message: e.Message, Status: e.Status}
	if m, ok := fromEndpoint[e.Code]; ok {
		out.Code, out.Status = m.code, m.status
		if m.message != "" {
			out.Message = m.message
		}
	}
	w.Header().Set("x-amz-request-id", requestID)
	w.Header().Set("x-amz-id-2", hostID(requestID))
	writeError(w, requestID, out)
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string
	Message   string
	Bucket    string `xml:"BucketName,omitempty"`
	Key       string `xml:",omitempty"`
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

func writeError(w http.ResponseWriter, requestID string, e *s3Error) {
	writeXML(w, e.Status, errorBody{Code: e.Code, Message: e.Message, Bucket: e.Bucket, Key: e.Key, RequestID: requestID, HostID: hostID(requestID)})
}

// writeXML writes v as an S3 XML document. A HEAD request's body is dropped by net/http; its
// length stays, as S3's does.
func writeXML(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		panic("s3: encode response: " + err.Error()) // the room's own types: a bug, recovered by the endpoint
	}
	h := w.Header()
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
