// Package elbtest starts an in-process Classic ELB endpoint for tests, in the
// style of net/http/httptest. It serves through elbserver.Server.Serve, with
// the same bounds on clients as 'lbctl serve'.
package elbtest

import (
	"context"
	"net"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// Server is a running endpoint on a loopback address.
type Server struct {
	URL             string
	Region          string // "us-east-1"
	AccessKeyID     string // "test"
	SecretAccessKey string // "test"
	Endpoint        *elbserver.Server

	client *http.Client
	close  func()
}

type settings struct {
	opts  elbserver.Options
	serve elbserver.ServeOptions
}

// Option customises NewServer.
type Option func(*settings)

// WithOptions replaces the endpoint options (state path, strict mode, limits, ...).
func WithOptions(o elbserver.Options) Option {
	return func(s *settings) { s.opts = o }
}

// WithServeOptions replaces the bounds on clients (connections, timeouts).
func WithServeOptions(o elbserver.ServeOptions) Option {
	return func(s *settings) { s.serve = o }
}

// NewServer starts an endpoint with in-memory state and the default
// credentials. Like httptest.NewServer it panics on failure.
func NewServer(opts ...Option) *Server {
	var set settings
	for _, opt := range opts {
		opt(&set)
	}
	cred := sigv4auth.DefaultCredential
	if len(set.opts.Credentials) > 0 {
		cred = set.opts.Credentials[0]
	}
	ep, err := elbserver.New(set.opts)
	if err != nil {
		panic("elbtest: " + err.Error())
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		ep.Close()
		panic("elbtest: " + err.Error())
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Server{
		URL:             "http://" + ln.Addr().String(),
		Region:          "us-east-1",
		AccessKeyID:     cred.AccessKeyID,
		SecretAccessKey: cred.SecretAccessKey,
		Endpoint:        ep,
		client:          &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	served := make(chan error, 1)
	go func() { served <- ep.Serve(ctx, ln, set.serve) }()
	s.close = sync.OnceFunc(func() {
		stop()
		<-served
		s.client.CloseIdleConnections()
		ep.Close()
	})
	return s
}

// Client returns an HTTP client for the server, whose idle connections Close closes.
func (s *Server) Client() *http.Client { return s.client }

// AWSConfig returns a configuration for aws-sdk-go-v2 clients
// (elasticloadbalancing.NewFromConfig, ec2.NewFromConfig) aimed at the server.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   awsclient.Shield(s.client),
	}
}

// Close stops serving, letting requests in flight finish, and closes the endpoint's state.
func (s *Server) Close() { s.close() }
