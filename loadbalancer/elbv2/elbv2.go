package elbv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"golang.org/x/sync/semaphore"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Type is the kind of ELBv2 load balancer a Service manages; its string is the provider name.
type Type string

// The two load balancer types, registered as the providers "alb" and "nlb".
const (
	ALB Type = "alb" // Application Load Balancer: HTTP and HTTPS, layer 7
	NLB Type = "nlb" // Network Load Balancer: TCP, TLS, UDP, layer 4
)

// sdkType is the type's name in the ELBv2 API.
func (t Type) sdkType() types.LoadBalancerTypeEnum {
	if t == NLB {
		return types.LoadBalancerTypeEnumNetwork
	}
	return types.LoadBalancerTypeEnumApplication
}

func (t Type) valid() bool { return t == ALB || t == NLB }

// Defaults for the Option values.
const (
	MaxPageSize           = 400 // DescribeLoadBalancers' largest page, the default
	DefaultTagConcurrency = 20  // one round of DescribeTags per full page (20 batches of 20)
)

func init() {
	for _, t := range []Type{ALB, NLB} {
		loadbalancer.Register(string(t), func(ctx context.Context, opts loadbalancer.Options) (*loadbalancer.Service, error) {
			return Open(ctx, t, opts)
		})
	}
}

// Client has one typed method for each of the 51 actions of the ELBv2 API (2015-12-01); see
// Operations. Every paged describe is an iterator that follows the Marker to the end. Errors
// are *loadbalancer.Error values with the provider's code and request ID, matched with
// errors.Is against the loadbalancer error kinds. It is safe for concurrent use.
//
// Get one from a Service with Service.As, or build one from an aws.Config with NewClient:
//
//	var c *elbv2.Client
//	if svc.As(&c) { ... }
type Client struct {
	api    *elbv2sdk.Client
	ec2    *ec2.Client // for the portable layer: members given by address, default subnets
	typ    Type        // the provider errors are reported under, and the Service's type
	region string
	set    settings
	svc    *loadbalancer.Service // the portable API over this client
	// tagLimit bounds the DescribeTags (and listener) calls in flight across all the client's
	// calls, so that listings tagging several pages at once stay within WithTagConcurrency.
	tagLimit *semaphore.Weighted
}

type settings struct {
	tagConcurrency int
	pageSize       int
	httpClient     aws.HTTPClient
	endpoint       string
	listListeners  bool
}

// Option tunes a Client (and so the Service over it).
type Option func(*settings)

// WithPageSize sets how many balancers each DescribeLoadBalancers page asks for (1-400,
// default 400) when ListOptions.PageSize is zero.
func WithPageSize(n int) Option {
	return func(s *settings) {
		if n > 0 && n <= MaxPageSize {
			s.pageSize = n
		}
	}
}

// WithTagConcurrency bounds how many DescribeTags calls (and balancers whose listeners are
// being read, with WithListenersInListing or GetBalancer) the Client, and so its Service, has
// in flight at once, across all its listings and calls together (default 20).
func WithTagConcurrency(n int) Option {
	return func(s *settings) {
		if n > 0 {
			s.tagConcurrency = n
		}
	}
}

// WithHTTPClient sends every request through c (a proxy, a recorder, custom TLS).
func WithHTTPClient(c aws.HTTPClient) Option {
	return func(s *settings) { s.httpClient = c }
}

// WithEndpoint sends every ELBv2 and EC2 request to url (a local endpoint, moto, a proxy).
// It beats the config's BaseEndpoint and the AWS_ENDPOINT_URL* variables; "" changes nothing.
func WithEndpoint(url string) Option {
	return func(s *settings) {
		if url != "" {
			s.endpoint = url
		}
	}
}

// WithListenersInListing makes listings fill each balancer's listeners and Port, as
// GetBalancer always does. It costs a DescribeListeners and a DescribeTargetGroups call per
// balancer (run concurrently, bounded like tags), so it is off by default: a listing costs
// one DescribeLoadBalancers call per 400 balancers, plus DescribeTags with IncludeTags.
func WithListenersInListing() Option {
	return func(s *settings) { s.listListeners = true }
}

// Open opens the provider t (ALB or NLB) as a portable Service; the ELBv2 actions are on the
// *Client that svc.As hands out. Static keys are used when given; otherwise the SDK's default
// chain (environment, shared files and opts.Profile, SSO, instance metadata). The region
// comes from opts, then the SDK's configuration, then us-east-1. opts.Endpoint overrides the
// ELBv2 and EC2 endpoints (as WithEndpoint); otherwise the SDK honours
// AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 and AWS_ENDPOINT_URL. Retries use the SDK's
// adaptive mode, which slows down on throttling, with opts.MaxAttempts attempts when set;
// a profile's max_attempts or AWS_MAX_ATTEMPTS does not change them.
// loadbalancer.Open(ctx, "alb", opts) opens the same way.
func Open(ctx context.Context, t Type, opts loadbalancer.Options, more ...Option) (*loadbalancer.Service, error) {
	c, err := openClient(ctx, t, opts, more...)
	if err != nil {
		return nil, err
	}
	return c.Service(), nil
}

func openClient(ctx context.Context, t Type, opts driver.Options, more ...Option) (*Client, error) {
	if !t.valid() {
		return nil, driver.Invalid(string(t), "unknown ELBv2 load balancer type %q (want alb or nlb)", string(t))
	}
	cfg, err := awsclient.Config(ctx, string(t), opts)
	if err != nil {
		return nil, err
	}
	return NewClient(cfg, t, append([]Option{WithEndpoint(opts.Endpoint)}, more...)...), nil
}

// NewClient builds a Client for balancers of type t from an aws.Config the caller prepared
// (credentials, region, retryer, endpoint). An empty region becomes us-east-1; a config
// without a Retryer gets the provider's retry policy (adaptive), with cfg.RetryMaxAttempts
// attempts when set. It panics when t is neither ALB nor NLB, a mistake in the program.
func NewClient(cfg aws.Config, t Type, more ...Option) *Client {
	if !t.valid() {
		panic("elbv2: unknown load balancer type " + string(t) + " (want elbv2.ALB or elbv2.NLB)")
	}
	s := settings{tagConcurrency: DefaultTagConcurrency, pageSize: MaxPageSize}
	for _, o := range more {
		o(&s)
	}
	awsclient.Prepare(&cfg, s.httpClient)
	// The endpoint is a client option, applied after the SDK's own endpoint resolution, so
	// it also beats the AWS_ENDPOINT_URL_* variables.
	var lbOpts []func(*elbv2sdk.Options)
	var ec2Opts []func(*ec2.Options)
	if ep := s.endpoint; ep != "" {
		lbOpts = append(lbOpts, func(o *elbv2sdk.Options) { o.BaseEndpoint = &ep })
		ec2Opts = append(ec2Opts, func(o *ec2.Options) { o.BaseEndpoint = &ep })
	}
	c := &Client{api: elbv2sdk.NewFromConfig(cfg, lbOpts...), ec2: ec2.NewFromConfig(cfg, ec2Opts...),
		typ: t, region: cfg.Region, set: s, tagLimit: semaphore.NewWeighted(int64(s.tagConcurrency))}
	c.svc = loadbalancer.NewService(newDriver(c))
	return c
}

// Service is the portable API over c, the same each time: the portable argument checks
// apply, members may be given by address, and svc.As(&client) gives c back.
func (c *Client) Service() *loadbalancer.Service { return c.svc }

// Region is the AWS region the client talks to.
func (c *Client) Region() string { return c.region }

// lbDriver is the driver of one ELBv2 load balancer type. It is not exported: users reach it
// only through *loadbalancer.Service, so the portable checks always run before it. A
// balancer's ID is its ARN; every call taking an ID also takes the balancer's name.
type lbDriver struct {
	typ Type
	c   *Client
	set settings
	ec2 *awsclient.EC2
}

var _ driver.Driver = (*lbDriver)(nil)

func newDriver(c *Client) *lbDriver {
	return &lbDriver{typ: c.typ, c: c, set: c.set, ec2: awsclient.NewEC2(c.ec2, string(c.typ), c.region)}
}

// Provider is "alb" or "nlb".
func (d *lbDriver) Provider() string { return string(d.typ) }

// As sets i when it is a **Client, **elasticloadbalancingv2.Client or **ec2.Client.
func (d *lbDriver) As(i any) bool { return awsclient.As(i, d.c, d.c.api, d.c.ec2) }

// Close releases nothing: the SDK clients hold no resources that need closing.
func (d *lbDriver) Close() error { return nil }
