// Package elbserver is an embedded, AWS-compatible Classic Elastic Load
// Balancing endpoint (Query API 2012-06-01) served as an http.Handler, with
// durable bbolt state partitioned by account and region. A minimal EC2
// DescribeInstances is served on the same URL so drivers can resolve
// instance addresses.
package elbserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/faults"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

const (
	apiVersion    = "2012-06-01"
	xmlNamespace  = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
	defaultRegion = "us-east-1"
	maxBodyBytes  = 1 << 20
)

// Options configures a Server.
type Options struct {
	StatePath   string                 // bbolt file; "" means an in-memory store (a temp file removed on Close)
	Credentials []sigv4auth.Credential // nil means sigv4auth.DefaultCredential (test/test, account 000000000000)
	Strict      bool                   // only declared instances, subnets and security groups are accepted
	Limits      map[string]int         // DescribeAccountLimits overrides, e.g. "classic-load-balancers": 5000
	Faults      *faults.Injector       // may be nil
	Logger      *slog.Logger           // nil discards
	Now         func() time.Time       // nil means time.Now
}

// DefaultLimits are the AWS default Classic ELB account limits.
var DefaultLimits = map[string]int{
	limitLoadBalancers: 20,
	limitListeners:     100,
	limitInstances:     1000,
}

const (
	limitLoadBalancers = "classic-load-balancers"
	limitListeners     = "classic-listeners"
	limitInstances     = "classic-registered-instances"
)

// Server is the endpoint. It is safe for concurrent use.
type Server struct {
	st             *store
	verifier       *sigv4auth.Verifier
	defaultAccount string
	strict         bool
	limits         map[string]int
	faults         *faults.Injector
	log            *slog.Logger
	now            func() time.Time
	closeOnce      sync.Once
	closeErr       error
}

// New opens (or creates) the state and returns a ready Server. It refuses a
// state file that is corrupt, foreign or written by a newer version, leaving
// the file untouched.
func New(opts Options) (*Server, error) {
	creds := opts.Credentials
	if len(creds) == 0 {
		creds = []sigv4auth.Credential{sigv4auth.DefaultCredential}
	}
	st, err := openStore(opts.StatePath)
	if err != nil {
		return nil, err
	}
	s := &Server{
		st:             st,
		verifier:       sigv4auth.NewVerifier(creds, "elasticloadbalancing", "ec2"),
		defaultAccount: creds[0].AccountID,
		strict:         opts.Strict,
		limits:         maps.Clone(DefaultLimits),
		faults:         opts.Faults,
		log:            opts.Logger,
		now:            opts.Now,
	}
	maps.Copy(s.limits, opts.Limits)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Close releases the state file (and removes it when in-memory).
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.st.Close() })
	return s.closeErr
}

// call is one authenticated ELB or EC2 request.
type call struct {
	ctx     context.Context
	p       params
	account string
	region  string
}

type handler func(s *Server, c *call) (any, error)

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := newRequestID()
	w.Header().Set("x-amzn-RequestId", reqID)
	start := time.Now()
	ec2Style := false
	defer func() {
		if v := recover(); v != nil {
			s.log.Error("elbserver: panic while serving request", "request_id", reqID, "panic", fmt.Sprint(v))
			s.writeError(w, reqID, ec2Style, errInternal())
		}
	}()
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		s.writeError(w, reqID, false, errf(http.StatusMethodNotAllowed, "MethodNotAllowed", "Method %s is not allowed", r.Method))
		return
	}
	if r.URL.Path != "/" && r.URL.Path != "/"+apiVersion+"/" {
		s.writeError(w, reqID, false, errf(http.StatusNotFound, "NotFound", "Unknown path"))
		return
	}
	var body []byte
	if r.Body != nil {
		var err error
		body, err = io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			s.writeError(w, reqID, false, errf(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "Request body exceeds %d bytes", maxBodyBytes))
			return
		}
	}
	values := r.URL.Query()
	if r.Method == http.MethodPost && len(body) > 0 {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			s.writeError(w, reqID, false, errValidation("Malformed form body"))
			return
		}
		for k, v := range form {
			values[k] = append(values[k], v...)
		}
	}
	ec2Style = values.Get("Version") == ec2APIVersion
	principal, err := s.verifier.Verify(r, body)
	if err != nil {
		var ae *sigv4auth.Error
		if errors.As(err, &ae) {
			s.writeError(w, reqID, ec2Style, &apiError{Code: ae.Code, Message: ae.Message, Status: ae.Status})
		} else {
			s.writeError(w, reqID, ec2Style, errf(http.StatusForbidden, "AccessDenied", "Request could not be authenticated"))
		}
		return
	}
	p, aerr := parseParams(values)
	if aerr != nil {
		s.writeError(w, reqID, ec2Style, aerr)
		return
	}
	c := &call{ctx: r.Context(), p: p, account: principal.AccountID, region: principal.Region}
	if c.region == "" {
		c.region = defaultRegion
	}
	action := p["Action"]
	ec2Style = principal.Service == "ec2"
	result, err := s.dispatch(c, principal.Service, action)
	status := http.StatusOK
	if err != nil {
		aerr := s.toAPIError(err, reqID, action)
		status = aerr.Status
		s.writeError(w, reqID, ec2Style, aerr)
	} else if ec2Style {
		writeEC2Result(w, reqID, result.(*ec2DescribeResult))
	} else {
		writeResult(w, reqID, action, result)
	}
	// Checked first: the arguments would otherwise be boxed on every request, debug or not.
	if s.log.Enabled(c.ctx, slog.LevelDebug) {
		s.log.Debug("elbserver: request", "request_id", reqID, "service", principal.Service, "action", action,
			"account", c.account, "region", c.region, "status", status, "duration", time.Since(start))
	}
}

func (s *Server) dispatch(c *call, service, action string) (any, error) {
	var h handler
	var version string
	switch service {
	case "ec2":
		version = ec2APIVersion
		if action == "DescribeInstances" {
			h = (*Server).ec2DescribeInstances
		}
	default:
		version = apiVersion
		h = actions[action]
	}
	if action == "" {
		return nil, errf(http.StatusBadRequest, "MissingAction", "The request must contain the parameter Action")
	}
	if v, ok := c.p["Version"]; !ok || v == "" {
		return nil, errMissing("Version")
	} else if v != version || h == nil {
		return nil, errf(http.StatusBadRequest, "InvalidAction", "Could not find operation %s for version %s", action, v)
	}
	if s.faults != nil {
		f, err := s.faults.Before(c.ctx, c.account)
		if err != nil {
			return nil, errf(http.StatusServiceUnavailable, "ServiceUnavailable", "The request was cancelled")
		}
		if f != nil {
			return nil, &apiError{Code: f.Code, Message: f.Message, Status: f.Status, Receiver: f.Status >= 500}
		}
	}
	return h(s, c)
}

// toAPIError maps any handler error onto the wire; unexpected errors are
// logged with the request id and reported as InternalFailure.
func (s *Server) toAPIError(err error, reqID, action string) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var ce *catalog.Error
	if errors.As(err, &ce) {
		if ce.Code == catalog.CodeInvalidConfigurationRequest {
			return errConfig("%s", ce.Message)
		}
		return errf(http.StatusBadRequest, ce.Code, "%s", ce.Message)
	}
	s.log.Error("elbserver: request failed", "request_id", reqID, "action", action, "error", err)
	return errInternal()
}

// newRequestID returns a random (version 4) UUID, as AWS request ids are.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// resolve maps the hook conventions ("" account/region) onto a partition.
func (s *Server) resolve(account, region string) (string, string) {
	if account == "" {
		account = s.defaultAccount
	}
	if region == "" {
		region = defaultRegion
	}
	return account, region
}
