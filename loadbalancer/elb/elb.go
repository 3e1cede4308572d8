package elb

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ProviderName is the name under which the driver registers itself.
const ProviderName = "elb"

// DefaultRegion is used when neither the options nor the SDK's configuration name a region.
const DefaultRegion = awsclient.DefaultRegion

// Defaults for the Option values.
const (
	DefaultTagConcurrency = 20  // one round of DescribeTags per full page of 400 (batches of 20)
	DefaultPageSize       = 400 // DescribeLoadBalancers' maximum
	tagBatch              = 20  // DescribeTags accepts at most 20 names
)

func init() {
	loadbalancer.Register(ProviderName, func(ctx context.Context, opts driver.Options) (driver.Driver, error) {
		d, err := Open(ctx, opts)
		if err != nil {
			return nil, err // never a typed nil inside the interface
		}
		return d, nil
	})
}

// Driver is the AWS Classic Elastic Load Balancing driver. It implements driver.Driver and
// has a typed method for each of the 29 actions of API version 2012-06-01. A balancer's ID is
// its name. It is safe for concurrent use.
type Driver struct {
	elb    *elasticloadbalancing.Client
	ec2    *ec2.Client
	region string
	set    settings

	zoneMu sync.Mutex
	zone   string // the region's first availability zone, once known
}

var _ driver.Driver = (*Driver)(nil)

type settings struct {
	tagConcurrency int
	pageSize       int
	httpClient     aws.HTTPClient
}

// Option tunes a Driver.
type Option func(*settings)

// WithTagConcurrency bounds how many DescribeTags calls run at once while listing (default 20).
func WithTagConcurrency(n int) Option {
	return func(s *settings) {
		if n > 0 {
			s.tagConcurrency = n
		}
	}
}

// WithPageSize sets how many balancers each DescribeLoadBalancers page holds (1-400,
// default 400) when ListOptions.PageSize is zero.
func WithPageSize(n int) Option {
	return func(s *settings) {
		if n > 0 && n <= DefaultPageSize {
			s.pageSize = n
		}
	}
}

// WithHTTPClient sends every request through c (a proxy, a recorder, custom TLS).
func WithHTTPClient(c aws.HTTPClient) Option {
	return func(s *settings) { s.httpClient = c }
}

// Open builds a driver from portable options. Static keys are used when given; otherwise the
// SDK's default chain (environment, shared files and opts.Profile, SSO, instance metadata).
// The region comes from opts, then the SDK's configuration, then DefaultRegion. An endpoint
// in opts overrides both the ELB and the EC2 endpoint; otherwise the SDK honours
// AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING and AWS_ENDPOINT_URL. Retries use the SDK's
// adaptive mode, which slows down on throttling, with opts.MaxAttempts attempts when set.
func Open(ctx context.Context, opts driver.Options, more ...Option) (*Driver, error) {
	cfg, err := awsclient.Config(ctx, ProviderName, opts)
	if err != nil {
		return nil, err
	}
	d := New(cfg, more...)
	if opts.Endpoint != "" {
		// A client option, applied after the SDK's own endpoint resolution, so the explicit
		// endpoint also beats AWS_ENDPOINT_URL_* variables.
		ep := opts.Endpoint
		d.elb = elasticloadbalancing.NewFromConfig(d.clientConfig(cfg), func(o *elasticloadbalancing.Options) { o.BaseEndpoint = &ep })
		d.ec2 = ec2.NewFromConfig(d.clientConfig(cfg), func(o *ec2.Options) { o.BaseEndpoint = &ep })
	}
	return d, nil
}

// New builds a driver from an aws.Config the caller prepared (credentials, region, retryer,
// endpoint). An empty region becomes DefaultRegion.
func New(cfg aws.Config, more ...Option) *Driver {
	s := settings{tagConcurrency: DefaultTagConcurrency, pageSize: DefaultPageSize}
	for _, o := range more {
		o(&s)
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	d := &Driver{region: cfg.Region, set: s}
	cc := d.clientConfig(cfg)
	d.elb = elasticloadbalancing.NewFromConfig(cc)
	d.ec2 = ec2.NewFromConfig(cc)
	return d
}

func (d *Driver) clientConfig(cfg aws.Config) aws.Config {
	if d.set.httpClient != nil {
		cfg.HTTPClient = d.set.httpClient
	}
	return cfg
}

// Provider returns "elb".
func (d *Driver) Provider() string { return ProviderName }

// Region is the AWS region the driver talks to.
func (d *Driver) Region() string { return d.region }

// Client is the underlying SDK client, for actions or options the driver does not cover.
func (d *Driver) Client() *elasticloadbalancing.Client { return d.elb }

// EC2 is the EC2 client used to resolve members given by IP and to find zones.
func (d *Driver) EC2() *ec2.Client { return d.ec2 }

// As sets i when it is a **elasticloadbalancing.Client, **ec2.Client or **Driver.
func (d *Driver) As(i any) bool {
	switch p := i.(type) {
	case **elasticloadbalancing.Client:
		*p = d.elb
	case **ec2.Client:
		*p = d.ec2
	case **Driver:
		*p = d
	default:
		return false
	}
	return true
}

// Close releases nothing: the SDK clients hold no resources that need closing.
func (d *Driver) Close() error { return nil }

// ListProtocols lists the front-end protocols of Classic ELB.
func (d *Driver) ListProtocols(context.Context) ([]driver.Protocol, error) {
	return []driver.Protocol{driver.HTTP, driver.HTTPS, driver.TCP, driver.SSL}, nil
}

// ListSupportedAlgorithms lists what Classic ELB does: round robin for TCP listeners and
// least outstanding requests (reported as LeastConnections) for HTTP listeners. The
// algorithm follows the protocol; it cannot be chosen.
func (d *Driver) ListSupportedAlgorithms(context.Context) ([]driver.Algorithm, error) {
	return []driver.Algorithm{driver.RoundRobin, driver.LeastConnections}, nil
}

func checkAlgorithm(a driver.Algorithm) error {
	switch a {
	case "", driver.RoundRobin, driver.LeastConnections:
		return nil
	}
	return driver.Unsupported(ProviderName, "algorithm %s is not available: Classic ELB uses round robin for TCP and least outstanding requests for HTTP", a)
}
