// Package elbtest starts an in-process Classic ELB endpoint for tests, in the
// style of net/http/httptest.
package elbtest

import (
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lbcloud/lbcloud/dataplane/storesync"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
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
	// DataPlane serves the balancers on loopback, with WithDataPlane; nil otherwise.
	DataPlane *storesync.Sync

	http *httptest.Server
}

// Option customises NewServer.
type Option func(*settings)

type settings struct {
	endpoint  elbserver.Options
	dataPlane *storesync.Options
}

// WithOptions replaces the endpoint options (state path, strict mode, limits, ...).
func WithOptions(o elbserver.Options) Option {
	return func(s *settings) { s.endpoint = o }
}

// WithDataPlane runs the local data plane beside the endpoint, as 'lbctl serve' does: every
// listener of every balancer accepts connections on a loopback socket (Server.DataPlane's
// Engine().LocalAddr) and forwards to its registered instances and targets, requests to the
// server's URL whose Host is a balancer's DNS name go to that balancer, and health checks drive
// DescribeInstanceHealth and DescribeTargetHealth. opts' Source and Attributes are the endpoint's;
// set MaxCheckInterval to bring targets into service quickly.
func WithDataPlane(opts storesync.Options) Option {
	return func(s *settings) { s.dataPlane = &opts }
}

// attributes are the endpoint's readers of ELBv2 attributes, which the data plane needs.
var attributes = storesync.Attributes{LoadBalancer: elbv2.LoadBalancerAttributes,
	TargetGroup: elbv2.TargetGroupAttributes, Listener: elbv2.ListenerAttributes}

// NewServer starts an endpoint with in-memory state and the default
// credentials. Like httptest.NewServer it panics on failure.
func NewServer(opts ...Option) *Server {
	var set settings
	for _, opt := range opts {
		opt(&set)
	}
	o := set.endpoint
	cred := sigv4auth.DefaultCredential
	if len(o.Credentials) > 0 {
		cred = o.Credentials[0]
	}
	ep, err := elbserver.New(o)
	if err != nil {
		panic("elbtest: " + err.Error())
	}
	s := &Server{Region: "us-east-1", AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey, Endpoint: ep}
	var h http.Handler = ep
	if set.dataPlane != nil {
		dp := *set.dataPlane
		dp.Source, dp.Attributes = ep.Store(), attributes
		if s.DataPlane, err = storesync.Start(dp); err != nil {
			ep.Close()
			panic("elbtest: " + err.Error())
		}
		h = s.DataPlane.Handler(o.Credentials, ep)
	}
	s.http = httptest.NewServer(h)
	s.URL = s.http.URL
	return s
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

// Close stops the listener, the data plane (removing the health records it wrote) and closes
// the endpoint's state.
func (s *Server) Close() {
	s.http.Close()
	if s.DataPlane != nil {
		s.DataPlane.Close()
	}
	s.Endpoint.Close()
}
