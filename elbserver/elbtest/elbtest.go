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

	client *http.Client
	close  func()
}

type settings struct {
	opts      elbserver.Options
	serve     elbserver.ServeOptions
	dataPlane *storesync.Options
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
	cred := sigv4auth.DefaultCredential
	if len(set.opts.Credentials) > 0 {
		cred = set.opts.Credentials[0]
	}
	ep, err := elbserver.New(set.opts)
	if err != nil {
		panic("elbtest: " + err.Error())
	}
	var dp *storesync.Sync
	if set.dataPlane != nil {
		o := *set.dataPlane
		o.Source, o.Attributes = ep.Store(), attributes
		if dp, err = storesync.Start(o); err != nil {
			ep.Close()
			panic("elbtest: " + err.Error())
		}
		set.serve.Handler = dp.Handler(set.opts.Credentials, ep)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if dp != nil {
			dp.Close()
		}
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
		DataPlane:       dp,
		client:          &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()},
	}
	served := make(chan error, 1)
	go func() { served <- ep.Serve(ctx, ln, set.serve) }()
	s.close = sync.OnceFunc(func() {
		stop()
		<-served
		s.client.CloseIdleConnections()
		if dp != nil {
			dp.Close() // before the state it reads; it removes the health records it wrote
		}
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
