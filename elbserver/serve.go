package elbserver

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// exchange is one request being answered: where its refusals go and what the log line says.
type exchange struct {
	w      http.ResponseWriter
	reqID  string
	api    *query.API // the envelope of a Query refusal
	raw    room.Raw   // set for a raw room, whose protocol refusals are written in
	status int
	start  time.Time
}

func (x *exchange) fail(e *query.Error) {
	x.status = e.Status
	if x.raw != nil {
		x.raw.WriteError(x.w, x.reqID, e)
		return
	}
	x.api.WriteError(x.w, x.reqID, e)
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{w: w, reqID: query.NewRequestID(), api: s.fallback, status: http.StatusOK, start: time.Now()}
	w.Header().Set("x-amzn-RequestId", x.reqID)
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("elbserver: panic while serving request", "request_id", x.reqID, "panic", fmt.Sprint(v))
			x.fail(query.Internal())
		}
	}()
	svc := s.services[scopeService(r)]
	if svc == nil && !s.queryPath(r.URL.Path) {
		// Only S3 names resources by path: a request for one that names no service (unsigned,
		// say) is S3's to refuse.
		svc = s.services["s3"]
	}
	if svc != nil && svc.raw != nil {
		x.raw = svc.raw
		s.serveRaw(x, r)
		return
	}
	s.serveQuery(x, r, svc)
}

// serveQuery answers a Query-protocol request: GET or POST to "/", parameters in the URL and
// the form body, the room chosen by the scope's service and the Version parameter.
func (s *Server) serveQuery(x *exchange, r *http.Request, svc *service) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		x.fail(query.Errorf(http.StatusMethodNotAllowed, "MethodNotAllowed", "Method %s is not allowed", r.Method))
		return
	}
	if !s.queryPath(r.URL.Path) {
		x.fail(query.Errorf(http.StatusNotFound, "NotFound", "Unknown path"))
		return
	}
	screened, err := s.verifier.Screen(r)
	if err != nil {
		// Refusals before the body is read know the Version only from the URL.
		x.api = s.apiFor(svc, r.URL.Query().Get("Version"))
		s.refuse(x, err)
		return
	}
	// The URL's parameters as the signature check parsed them: read here, never modified.
	values := screened.Query()
	x.api = s.apiFor(svc, values.Get("Version"))
	body, ok := s.readBody(x, r)
	if !ok {
		return
	}
	if r.Method == http.MethodPost && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			x.fail(query.Validation("Malformed form body"))
			return
		}
		// The URL's values of a name come before the body's.
		for k, v := range values {
			form[k] = slices.Concat(v, form[k])
		}
		values = form
	}
	x.api = s.apiFor(svc, values.Get("Version"))
	c, ok := s.authenticate(x, screened, body)
	if !ok {
		return
	}
	if svc = s.services[c.service]; svc.raw != nil {
		// The scope read before verification named a Query service; the verified one does not.
		s.log.Error("elbserver: request read as Query for a raw room", "request_id", x.reqID, "service", c.service)
		x.fail(query.Internal())
		return
	}
	// Verified, the request is written to in its service's envelope.
	if x.api = svc.query[values.Get("Version")]; x.api == nil {
		x.api = svc.first
	}
	var action string
	defer func() { s.logRequest(r, x, c, action) }()
	p, aerr := query.Parse(values, x.api.ParamBounds())
	if aerr != nil {
		x.fail(aerr)
		return
	}
	action = p["Action"]
	api, h, aerr := route(svc, action, p)
	if aerr == nil {
		aerr = s.injectFault(r, c.account)
	}
	if aerr != nil {
		x.fail(aerr)
		return
	}
	x.api = api
	result, err := h(&query.Call{Ctx: r.Context(), Params: p, Account: c.account, Region: c.region, RequestID: x.reqID})
	if err != nil {
		x.fail(s.toAPIError(err, x.reqID, action))
	} else {
		api.WriteResult(x.w, x.reqID, action, result)
	}
}

// route finds the handler of action in the API of the request's Version.
func route(svc *service, action string, p query.Params) (*query.API, query.Handler, *query.Error) {
	if action == "" {
		return nil, nil, query.Errorf(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action")
	}
	v, ok := p["Version"]
	if !ok || v == "" {
		return nil, nil, query.Missing("Version")
	}
	api := svc.query[v]
	if api == nil || api.Actions[action] == nil {
		return nil, nil, query.Errorf(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version %s", action, v)
	}
	return api, api.Actions[action], nil
}

// serveRaw answers a request to a raw room, which reads it as its protocol says.
func (s *Server) serveRaw(x *exchange, r *http.Request) {
	screened, err := s.verifier.Screen(r)
	if err != nil {
		s.refuse(x, err)
		return
	}
	body, ok := s.readBody(x, r)
	if !ok {
		return
	}
	c, ok := s.authenticate(x, screened, body)
	if !ok {
		return
	}
	defer func() { s.logRequest(r, x, c, r.Method) }()
	if aerr := s.injectFault(r, c.account); aerr != nil {
		x.fail(aerr)
		return
	}
	sw := &statusWriter{ResponseWriter: x.w, status: http.StatusOK}
	x.w = sw
	err = x.raw.Serve(sw, &room.Request{Request: r, Body: c.payload, Account: c.account, Region: c.region, RequestID: x.reqID})
	x.status = sw.status
	if err != nil {
		x.fail(s.toAPIError(err, x.reqID, r.Method+" "+r.URL.Path))
	}
}

// statusWriter remembers the status a raw room answered with, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

// readBody reads the body of a request the signature check screened (a request it refuses
// whatever its body says is refused before a byte of the body is read) within the endpoint's
// bounds. Large bodies being received share a memory budget, so that clients stalling in the
// middle of bodies cannot hold the endpoint's memory.
func (s *Server) readBody(x *exchange, r *http.Request) ([]byte, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, true
	}
	if r.ContentLength > maxBodyBytes {
		x.fail(bodyTooLarge())
		return nil, false
	}
	size := r.ContentLength
	if size < 0 {
		size = maxBodyBytes // chunked: the bound is all that is known
	}
	release, ok := s.bodies.reserve(size)
	if !ok {
		x.fail(query.Errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "Too many large request bodies are being received; retry later"))
		return nil, false
	}
	defer release()
	body, err := readAll(http.MaxBytesReader(x.w, r.Body, maxBodyBytes), r.ContentLength)
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		x.fail(bodyTooLarge())
		return nil, false
	case err != nil:
		// Cut short, or not sent within the server's read timeout.
		x.fail(query.Errorf(http.StatusBadRequest, "IncompleteBody", "The request body was not received in full"))
		return nil, false
	}
	return body, true
}

// bodyTooLarge refuses a body over the bound; made only when needed, as formatting costs.
func bodyTooLarge() *query.Error {
	return query.Errorf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request body exceeds %d bytes", maxBodyBytes)
}

// readAll reads a body of length n (-1 when unknown) without growing a buffer past it.
func readAll(r io.Reader, n int64) ([]byte, error) {
	if n < 0 {
		return io.ReadAll(r)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, err
	}
	return b, nil
}

// caller is who a verified request comes from, and the payload the signature vouches for:
// the body, or an S3 upload's decoded aws-chunked data.
type caller struct {
	service, account, region string
	payload                  []byte
}

// authenticate verifies the screened request's SigV4 signature against its body.
func (s *Server) authenticate(x *exchange, screened *sigv4auth.Screened, body []byte) (caller, bool) {
	principal, payload, err := screened.VerifyPayload(body)
	if err != nil {
		s.refuse(x, err)
		return caller{}, false
	}
	c := caller{service: principal.Service, account: principal.AccountID, region: principal.Region, payload: payload}
	if c.region == "" {
		c.region = defaultRegion
	}
	return c, true
}

// refuse answers a request the signature check refused.
func (s *Server) refuse(x *exchange, err error) {
	var ae *sigv4auth.Error
	if errors.As(err, &ae) {
		x.fail(&query.Error{Code: ae.Code, Message: ae.Message, Status: ae.Status})
	} else {
		x.fail(query.Errorf(http.StatusForbidden, "AccessDenied", "Request could not be authenticated"))
	}
}

// injectFault applies the configured latency, throttling and errors before a room sees the
// request.
func (s *Server) injectFault(r *http.Request, account string) *query.Error {
	if s.faults == nil {
		return nil
	}
	f, err := s.faults.Before(r.Context(), account)
	if err != nil {
		return query.Errorf(http.StatusServiceUnavailable, "ServiceUnavailable", "The request was cancelled")
	}
	if f != nil {
		return &query.Error{Code: f.Code, Message: f.Message, Status: f.Status, Receiver: f.Status >= 500}
	}
	return nil
}

// toAPIError maps a room's error onto the wire; unexpected errors are logged with the request
// id and reported as InternalFailure.
func (s *Server) toAPIError(err error, reqID, action string) *query.Error {
	var ae *query.Error
	if errors.As(err, &ae) {
		return ae
	}
	// A damaged record is named to the client too: it is the caller's own, and "unknown error"
	// would leave them nowhere to look.
	var de *store.DamageError
	if errors.As(err, &de) {
		s.log.Error("elbserver: damaged state", "request_id", reqID, "action", action, "error", err)
		return &query.Error{Code: "InternalFailure", Status: http.StatusInternalServerError, Receiver: true,
			Message: "The endpoint's state is damaged: " + de.Error()}
	}
	var tl *store.TooLargeError
	if errors.As(err, &tl) {
		return query.Validation("The request would make stored record %s/%s %d bytes, over the %d-byte bound of a record", tl.Bucket, tl.Key, tl.Size, tl.Max)
	}
	s.log.Error("elbserver: request failed", "request_id", reqID, "action", action, "error", err)
	return query.Internal()
}

func (s *Server) logRequest(r *http.Request, x *exchange, c caller, action string) {
	// Checked first: the arguments would otherwise be boxed on every request, debug or not.
	if s.log.Enabled(r.Context(), slog.LevelDebug) {
		s.log.Debug("elbserver: request", "request_id", x.reqID, "service", c.service, "action", action,
			"account", c.account, "region", c.region, "status", x.status, "duration", time.Since(x.start))
	}
}
