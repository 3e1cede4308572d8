// Package acm is the endpoint's ACM room (JSON 1.1 API 2015-12-08, X-Amz-Target
// CertificateManager.OPERATION): certificates imported for HTTPS and TLS listeners. ACM is
// regional: a certificate lives in the partition of the region it was imported in, and only
// listeners of that region may use it.
package acm

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// limitCertificates is ACM's quota of certificates per account and region.
const limitCertificates = "acm-certificates"

// Room is the ACM room.
type Room struct {
	env   *room.Env
	inUse certs.InUse
	ops   map[string]func(*room.Request) (any, error)
}

// New returns the ACM room over env; inUse says which listeners use a certificate (nil: none
// ever does).
func New(env *room.Env, inUse certs.InUse) *Room {
	r := &Room{env: env, inUse: inUse}
	r.ops = map[string]func(*room.Request) (any, error){
		"ImportCertificate":      r.importCertificate,
		"DescribeCertificate":    r.describeCertificate,
		"ListCertificates":       r.listCertificates,
		"DeleteCertificate":      r.deleteCertificate,
		"GetCertificate":         r.getCertificate,
		"ListTagsForCertificate": r.listTags,
	}
	return r
}

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	return room.Room{
		Service: "acm",
		Limits:  []room.Limit{{Name: limitCertificates, Default: 2500}},
		Raw:     r,
	}
}

const targetPrefix = "CertificateManager."

// Serve answers one JSON 1.1 request: POST /, the operation in X-Amz-Target.
func (r *Room) Serve(w http.ResponseWriter, req *room.Request) error {
	op, ok := strings.CutPrefix(req.Header.Get("X-Amz-Target"), targetPrefix)
	h := r.ops[op]
	if !ok || h == nil || req.Method != http.MethodPost {
		writeError(w, query.Errorf(http.StatusBadRequest, "UnknownOperationException", "The operation is not known to this endpoint's ACM."))
		return nil
	}
	out, err := h(req)
	var qe *query.Error
	if errors.As(err, &qe) {
		writeError(w, qe)
		return nil
	}
	if err != nil {
		return err
	}
	if out == nil {
		out = struct{}{}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	send(w, http.StatusOK, b)
	return nil
}

// decode reads a request's JSON body into in; an empty body is an empty object.
func decode(req *room.Request, in any) error {
	if len(bytes.TrimSpace(req.Body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(req.Body, in); err != nil {
		return query.Errorf(http.StatusBadRequest, "SerializationException", "The request body is not the JSON this operation takes.")
	}
	return nil
}

// fromEndpoint are the codes the endpoint and the signature check refuse with, as JSON
// services say them, and their statuses (0 keeps the endpoint's).
var fromEndpoint = map[string]struct {
	code   string
	status int
}{
	sigv4auth.CodeMissingAuthenticationToken: {"MissingAuthenticationTokenException", http.StatusForbidden},
	sigv4auth.CodeIncompleteSignature:        {"IncompleteSignatureException", http.StatusBadRequest},
	sigv4auth.CodeInvalidClientTokenID:       {"UnrecognizedClientException", http.StatusBadRequest},
	sigv4auth.CodeSignatureDoesNotMatch:      {"InvalidSignatureException", http.StatusBadRequest},
	sigv4auth.CodeRequestExpired:             {"InvalidSignatureException", http.StatusBadRequest},
	"ValidationError":                        {"ValidationException", 0},
	"Throttling":                             {"ThrottlingException", 0},
}

// WriteError writes an error decided outside the room as ACM does.
func (r *Room) WriteError(w http.ResponseWriter, _ string, e *query.Error) {
	out := *e
	if m, ok := fromEndpoint[e.Code]; ok {
		out.Code = m.code
		if m.status != 0 {
			out.Status = m.status
		}
	}
	writeError(w, &out)
}

// writeError writes the JSON 1.1 error form: {"__type": CODE, "message": MESSAGE}.
func writeError(w http.ResponseWriter, e *query.Error) {
	b, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.Code, e.Message})
	send(w, e.Status, b)
}

func send(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func errValidation(format string, args ...any) *query.Error {
	return query.Errorf(http.StatusBadRequest, "ValidationException", format, args...)
}

func errNotFound(arn string) *query.Error {
	return query.Errorf(http.StatusBadRequest, "ResourceNotFoundException", "Could not find certificate with arn %s.", arn)
}

// certificateID reads an ACM certificate ARN of the caller's account and region and returns
// its id: InvalidArnException when it is not an ACM certificate ARN, ResourceNotFound when it
// is another account's or region's.
func certificateID(req *room.Request, arn string) (string, error) {
	if arn == "" {
		return "", errValidation("1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null")
	}
	f := strings.SplitN(arn, ":", 6)
	if len(arn) > 2048 || len(f) != 6 || f[0] != "arn" || f[2] != "acm" || !strings.HasPrefix(f[5], "certificate/") || len(f[5]) == len("certificate/") {
		return "", query.Errorf(http.StatusBadRequest, "InvalidArnException", "The ARN is not a valid ACM certificate ARN.")
	}
	if arn != store.ACMCertificateARN(req.Region, req.Account, strings.TrimPrefix(f[5], "certificate/")) {
		return "", errNotFound(arn)
	}
	return strings.TrimPrefix(f[5], "certificate/"), nil
}

func (r *Room) view(req *room.Request, fn func(p *store.Part) error) error {
	return r.env.Store.View(req.Account, req.Region, fn)
}

func (r *Room) update(req *room.Request, fn func(p *store.Part) error) error {
	return r.env.Store.Update(req.Account, req.Region, fn)
}

// load reads the certificate the request's CertificateArn names.
func (r *Room) load(req *room.Request) (*store.ACMCertificate, error) {
	var in struct{ CertificateArn string }
	if err := decode(req, &in); err != nil {
		return nil, err
	}
	id, err := certificateID(req, in.CertificateArn)
	if err != nil {
		return nil, err
	}
	var c *store.ACMCertificate
	err = r.view(req, func(p *store.Part) error {
		var gerr error
		if c, gerr = store.ACMCertificates.Get(p, id); gerr == nil && c == nil {
			gerr = errNotFound(in.CertificateArn)
		}
		return gerr
	})
	return c, err
}
