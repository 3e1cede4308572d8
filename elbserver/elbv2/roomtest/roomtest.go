// Package roomtest serves the ELBv2 room alone over HTTP, with object and certificate sources
// a test chooses in place of the S3, ACM and IAM rooms the endpoint wires to it. Requests are
// answered as the endpoint answers them, without the signature check.
package roomtest

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Account and Region every request is answered in.
const (
	Account = "000000000000"
	Region  = "us-east-1"
)

// Objects is an ObjectSource over a map from "BUCKET/KEY" to the object's bytes; versions are
// not modelled.
type Objects struct {
	mu sync.Mutex
	m  map[string][]byte
}

// Put stores an object.
func (o *Objects) Put(bucket, key string, b []byte) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = map[string][]byte{}
	}
	o.m[bucket+"/"+key] = b
}

// Object implements elbv2.ObjectSource.
func (o *Objects) Object(_ context.Context, _, _, bucket, key, _ string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if b, ok := o.m[bucket+"/"+key]; ok {
		return b, nil
	}
	return nil, elbv2.ErrObjectNotFound
}

// Certificates is a CertificateSource that knows the ARNs in it.
type Certificates map[string]bool

// Known implements elbv2.CertificateSource.
func (c Certificates) Known(_ context.Context, _, _, arn string) (bool, error) { return c[arn], nil }

// Server is a running room server.
type Server struct {
	URL  string
	Room *elbv2.Room
	st   *store.Store
	http *httptest.Server
	api  *query.API
}

// Options configure NewServer.
type Options struct {
	Sources elbv2.Sources
	Strict  bool
	Now     func() time.Time // nil: time.Now
}

// NewServer starts a room server with in-memory state. It panics on failure, as httptest
// does.
func NewServer(o Options) *Server {
	env := &room.Env{Strict: o.Strict, Now: o.Now, Log: slog.New(slog.DiscardHandler)}
	if env.Now == nil {
		env.Now = time.Now
	}
	rm := elbv2.New(env, ec2.New(env), o.Sources)
	decl := rm.Room()
	var err error
	if env.Limits, err = room.NewLimits(decl.Limits, nil); err != nil {
		panic("roomtest: " + err.Error())
	}
	st, err := store.Open("")
	if err != nil {
		panic("roomtest: " + err.Error())
	}
	env.Store = st
	for _, v := range decl.Views {
		if err := v.Sync(st); err != nil {
			panic("roomtest: " + err.Error())
		}
	}
	s := &Server{Room: rm, st: st, api: decl.Query}
	s.http = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.http.URL
	return s
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	const id = "00000000-0000-4000-8000-000000000000"
	if err := r.ParseForm(); err != nil {
		s.api.WriteError(w, id, query.Validation("Malformed form body"))
		return
	}
	vals := url.Values{}
	for k, v := range r.Form {
		vals[k] = v
	}
	p, aerr := query.Parse(vals, s.api.ParamBounds())
	if aerr != nil {
		s.api.WriteError(w, id, aerr)
		return
	}
	h := s.api.Actions[p["Action"]]
	if h == nil || p["Version"] != s.api.Version {
		s.api.WriteError(w, id, query.Errorf(http.StatusBadRequest, "InvalidAction", "Could not find operation %s", p["Action"]))
		return
	}
	res, err := h(&query.Call{Ctx: r.Context(), Params: p, Account: Account, Region: Region, RequestID: id})
	if err != nil {
		var ae *query.Error
		var tl *store.TooLargeError
		switch {
		case errors.As(err, &ae):
		case errors.As(err, &tl):
			ae = query.Validation("The request would make stored record %s/%s %d bytes, over the %d-byte bound of a record", tl.Bucket, tl.Key, tl.Size, tl.Max)
		default:
			ae = query.Internal()
		}
		s.api.WriteError(w, id, ae)
		return
	}
	s.api.WriteResult(w, id, p["Action"], res)
}

// AWSConfig is a client configuration aimed at the server, without retries.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:           Region,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint:     aws.String(s.URL),
		HTTPClient:       s.http.Client(),
		RetryMaxAttempts: 1,
	}
}

// Close stops the server and drops its state.
func (s *Server) Close() {
	s.http.Close()
	s.st.Close()
}
