package elbv2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

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

// Defaults for the Option values.
const (
	MaxPageSize           = 400 // DescribeLoadBalancers' largest page
	DefaultTagConcurrency = 20  // one round of DescribeTags per full page (20 batches of 20)
)

func init() {
	for _, t := range []Type{ALB, NLB} {
		loadbalancer.Register(string(t), func(ctx context.Context, opts loadbalancer.Options) (*loadbalancer.Service, error) {
			return Open(ctx, t, opts)
		})
	}
}

type settings struct {
	tagConcurrency int
	pageSize       int
	httpClient     aws.HTTPClient
	listListeners  bool
}

// Option tunes a Service opened by Open or New.
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

// WithTagConcurrency bounds how many DescribeTags (and, with WithListenersInListing,
// DescribeListeners) calls run at once (default 20).
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

// WithListenersInListing makes listings fill each balancer's listeners and Port, as
// GetBalancer always does. It costs a DescribeListeners and a DescribeTargetGroups call per
// balancer (run concurrently, bounded like tags), so it is off by default: a listing costs
// one DescribeLoadBalancers call per 400 balancers, plus DescribeTags with IncludeTags.
func WithListenersInListing() Option {
	return func(s *settings) { s.listListeners = true }
}

// Open opens the provider t (ALB or NLB) with portable options and returns the portable
// Service; reach the Client with Service.As. Credentials, region and retries are as for
// every lbcloud AWS provider: static keys when given, else the SDK's default chain; the
// region from opts, then the SDK's configuration, then us-east-1; the SDK's adaptive retries
// with opts.MaxAttempts attempts when set. opts.Endpoint overrides both the ELBv2 and the
// EC2 endpoint, beating AWS_ENDPOINT_URL_* variables.
func Open(ctx context.Context, t Type, opts loadbalancer.Options, more ...Option) (*loadbalancer.Service, error) {
	d, err := open(ctx, t, opts, more...)
	if err != nil {
		return nil, err
	}
	return loadbalancer.NewService(d), nil
}

// New builds the Service for t from an aws.Config the caller prepared (credentials, region,
// retryer, endpoint). An empty region becomes us-east-1.
func New(cfg aws.Config, t Type, more ...Option) *loadbalancer.Service {
	return loadbalancer.NewService(newDriver(cfg, t, "", more...))
}

func open(ctx context.Context, t Type, opts driver.Options, more ...Option) (*lbDriver, error) {
	if t != ALB && t != NLB {
		return nil, driver.Invalid(string(t), "unknown ELBv2 load balancer type %q (want alb or nlb)", string(t))
	}
	cfg, err := awsclient.Config(ctx, string(t), opts)
	if err != nil {
		return nil, err
	}
	return newDriver(cfg, t, opts.Endpoint, more...), nil
}

func newDriver(cfg aws.Config, t Type, endpoint string, more ...Option) *lbDriver {
	s := settings{tagConcurrency: DefaultTagConcurrency, pageSize: MaxPageSize}
	for _, o := range more {
		o(&s)
	}
	if cfg.Region == "" {
		cfg.Region = awsclient.DefaultRegion
	}
	if s.httpClient != nil {
		cfg.HTTPClient = s.httpClient
	}
	// An explicit endpoint is a client option, applied after the SDK's own resolution, so it
	// also beats the AWS_ENDPOINT_URL_* variables.
	var lbOpts []func(*elbv2sdk.Options)
	var ec2Opts []func(*ec2.Options)
	if endpoint != "" {
		lbOpts = append(lbOpts, func(o *elbv2sdk.Options) { o.BaseEndpoint = aws.String(endpoint) })
		ec2Opts = append(ec2Opts, func(o *ec2.Options) { o.BaseEndpoint = aws.String(endpoint) })
	}
	return &lbDriver{typ: t, set: s, c: &Client{
		api:      elbv2sdk.NewFromConfig(cfg, lbOpts...),
		ec2:      ec2.NewFromConfig(cfg, ec2Opts...),
		provider: string(t),
		region:   cfg.Region,
		tagLimit: s.tagConcurrency,
	}}
}

// lbDriver is the driver of one ELBv2 load balancer type. A balancer's ID is its ARN; every
// call taking an ID also takes the balancer's name.
type lbDriver struct {
	typ Type
	c   *Client
	set settings
}

var _ driver.Driver = (*lbDriver)(nil)

// Provider is "alb" or "nlb".
func (d *lbDriver) Provider() string { return string(d.typ) }

// As sets i when it is a **Client, **elasticloadbalancingv2.Client or **ec2.Client.
func (d *lbDriver) As(i any) bool {
	switch p := i.(type) {
	case **Client:
		*p = d.c
	case **elbv2sdk.Client:
		*p = d.c.api
	case **ec2.Client:
		*p = d.c.ec2
	default:
		return false
	}
	return true
}

// Close releases nothing: the SDK clients hold no resources that need closing.
func (d *lbDriver) Close() error { return nil }
