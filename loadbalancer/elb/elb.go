package elb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"golang.org/x/sync/semaphore"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ProviderName is the name under which the provider registers itself.
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
	loadbalancer.Register(ProviderName, func(ctx context.Context, opts loadbalancer.Options) (*loadbalancer.Service, error) {
		return Open(ctx, opts)
	})
}

// Client calls the Classic Elastic Load Balancing API (version 2012-06-01): one typed method
// for each of its 29 actions (see Operations), with arguments checked before any request and
// failures classified as *loadbalancer.Error. A balancer is named by its name. It is safe for
// concurrent use.
//
// Get one from a Service with Service.As, or build one from an aws.Config with NewClient.
type Client struct {
	elb    *elasticloadbalancing.Client
	ec2    *ec2.Client // for the portable layer: members given by address, default zones
	region string
	set    settings
	svc    *loadbalancer.Service // the portable API over this client
	// tagLimit bounds the DescribeTags calls in flight across all the client's calls, so that
	// listings tagging several pages at once stay within WithTagConcurrency.
	tagLimit *semaphore.Weighted
}

type settings struct {
	tagConcurrency int
	pageSize       int
	httpClient     aws.HTTPClient
	endpoint       string
}

// Option tunes a Client (and so the Service over it).
type Option func(*settings)

// WithTagConcurrency bounds how many DescribeTags calls the Client (and so its Service) has
// in flight at once, across all its listings and Tags calls together (default 20).
func WithTagConcurrency(n int) Option {
	return func(s *settings) {
		if n > 0 {
			s.tagConcurrency = n
		}
	}
}

// WithPageSize sets how many balancers each DescribeLoadBalancers page holds (1-400,
// default 400) when no page size is asked for.
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

// WithEndpoint sends every ELB and EC2 request to url (a local endpoint, moto, a proxy). It
// beats the config's BaseEndpoint and the AWS_ENDPOINT_URL* variables; "" changes nothing.
func WithEndpoint(url string) Option {
	return func(s *settings) {
		if url != "" {
			s.endpoint = url
		}
	}
}

// Open opens Classic ELB as a portable Service; the provider-only actions are on the *Client
// that svc.As hands out. Static keys are used when given; otherwise the SDK's default chain
// (environment, shared files and opts.Profile, SSO, instance metadata). The region comes
// from opts, then the SDK's configuration, then DefaultRegion. opts.Endpoint overrides the
// ELB and EC2 endpoints (as WithEndpoint); otherwise the SDK honours
// AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING and AWS_ENDPOINT_URL. Retries use the SDK's
// adaptive mode, which slows down on throttling, with opts.MaxAttempts attempts when set.
// loadbalancer.Open(ctx, "elb", opts) opens the same way.
func Open(ctx context.Context, opts loadbalancer.Options, more ...Option) (*loadbalancer.Service, error) {
	c, err := openClient(ctx, opts, more...)
	if err != nil {
		return nil, err
	}
	return c.Service(), nil
}

func openClient(ctx context.Context, opts driver.Options, more ...Option) (*Client, error) {
	cfg, err := awsclient.Config(ctx, ProviderName, opts)
	if err != nil {
		return nil, err
	}
	return NewClient(cfg, append([]Option{WithEndpoint(opts.Endpoint)}, more...)...), nil
}

// NewClient builds a Client from an aws.Config the caller prepared (credentials, region,
// retryer, endpoint). An empty region becomes DefaultRegion; a config without a Retryer gets
// the provider's retry policy (adaptive, ELB's DependencyThrottle counted as throttling),
// with cfg.RetryMaxAttempts attempts when set.
func NewClient(cfg aws.Config, more ...Option) *Client {
	s := settings{tagConcurrency: DefaultTagConcurrency, pageSize: DefaultPageSize}
	for _, o := range more {
		o(&s)
	}
	awsclient.Prepare(&cfg, s.httpClient)
	c := &Client{region: cfg.Region, set: s, tagLimit: semaphore.NewWeighted(int64(s.tagConcurrency))}
	// The endpoint is a client option, applied after the SDK's own endpoint resolution, so
	// it also beats the AWS_ENDPOINT_URL_* variables.
	var elbOpts []func(*elasticloadbalancing.Options)
	var ec2Opts []func(*ec2.Options)
	if ep := s.endpoint; ep != "" {
		elbOpts = append(elbOpts, func(o *elasticloadbalancing.Options) { o.BaseEndpoint = &ep })
		ec2Opts = append(ec2Opts, func(o *ec2.Options) { o.BaseEndpoint = &ep })
	}
	c.elb = elasticloadbalancing.NewFromConfig(cfg, elbOpts...)
	c.ec2 = ec2.NewFromConfig(cfg, ec2Opts...)
	c.svc = loadbalancer.NewService(newDriver(c))
	return c
}

// Service is the portable API over c, the same each time: the portable argument checks
// apply, members may be given by address, and svc.As(&client) gives c back.
func (c *Client) Service() *loadbalancer.Service { return c.svc }

// Region is the AWS region the client talks to.
func (c *Client) Region() string { return c.region }
