// Package elbtest starts an in-process Classic ELB endpoint for tests, in the
// style of net/http/httptest.
package elbtest

import (
	"net/http/httptest"

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

	http *httptest.Server
}

// Option customises NewServer.
type Option func(*elbserver.Options)

// WithOptions replaces the endpoint options (state path, strict mode, limits, ...).
func WithOptions(o elbserver.Options) Option {
	return func(dst *elbserver.Options) { *dst = o }
}

// NewServer starts an endpoint with in-memory state and the default
// credentials. Like httptest.NewServer it panics on failure.
func NewServer(opts ...Option) *Server {
	var o elbserver.Options
	for _, opt := range opts {
		opt(&o)
	}
	cred := sigv4auth.DefaultCredential
	if len(o.Credentials) > 0 {
		cred = o.Credentials[0]
	}
	ep, err := elbserver.New(o)
	if err != nil {
		panic("elbtest: " + err.Error())
	}
	hs := httptest.NewServer(ep)
	return &Server{
		URL:             hs.URL,
		Region:          "us-east-1",
		AccessKeyID:     cred.AccessKeyID,
		SecretAccessKey: cred.SecretAccessKey,
		Endpoint:        ep,
		http:            hs,
	}
}

// AWSConfig returns a configuration for aws-sdk-go-v2 clients
// (elasticloadbalancing.NewFromConfig, ec2.NewFromConfig) aimed at the server.
func (s *Server) AWSConfig() aws.Config {
	return aws.Config{
		Region:       s.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(s.AccessKeyID, s.SecretAccessKey, ""),
		BaseEndpoint: aws.String(s.URL),
		HTTPClient:   awsclient.Shield(s.http.Client()),
	}
}

// Close stops the listener and closes the endpoint's state.
func (s *Server) Close() {
	s.http.Close()
	s.Endpoint.Close()
}
