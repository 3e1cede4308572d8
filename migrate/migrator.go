package migrate

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// Errors a migration reports beside the providers' own (*loadbalancer.Error).
var (
	// ErrBlocked: the plan has a setting marked blocked, which must be resolved first.
	ErrBlocked = errors.New("the plan cannot be applied")
	// ErrTaken: a balancer or target group has a planned name but was not made by a migration
	// of this Classic balancer, so it is neither used nor touched.
	ErrTaken = errors.New("the name is taken")
)

// Migrator reads a Classic balancer and plans, applies and verifies its migration to ELBv2,
// through the lbcloud drivers' clients: it works against AWS, moto, lbcloud's endpoint or any
// other endpoint the clients reach. It only ever reads the Classic balancer. It is safe for
// concurrent use.
type Migrator struct {
	classic *elb.Client
	api     *elasticloadbalancing.Client // DescribeLoadBalancers in full (back-end policies)
	alb     *elbv2.Client
	nlb     *elbv2.Client
	ec2     *ec2.Client
	region  string
	cfg     aws.Config // signs lbcloud's own request for local addresses
}

type settings struct {
	endpoint   string
	httpClient aws.HTTPClient
}

// Option tunes a Migrator.
type Option func(*settings)

// WithEndpoint sends every ELB, ELBv2 and EC2 request to url (lbcloud's endpoint, moto).
func WithEndpoint(url string) Option { return func(s *settings) { s.endpoint = url } }

// WithHTTPClient sends every request through c.
func WithHTTPClient(c aws.HTTPClient) Option { return func(s *settings) { s.httpClient = c } }

// New builds a Migrator from an aws.Config the caller prepared (credentials, region), with the
// drivers' retry policy when the config has no retryer of its own.
func New(cfg aws.Config, opts ...Option) *Migrator {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	classic := elb.NewClient(cfg, elb.WithEndpoint(s.endpoint), elb.WithHTTPClient(s.httpClient))
	v2 := func(t elbv2.Type) *elbv2.Client {
		return elbv2.NewClient(cfg, t, elbv2.WithEndpoint(s.endpoint), elbv2.WithHTTPClient(s.httpClient))
	}
	m := &Migrator{classic: classic, alb: v2(elbv2.ALB), nlb: v2(elbv2.NLB), region: classic.Region(), cfg: cfg}
	classic.Service().As(&m.api)
	m.alb.Service().As(&m.ec2)
	return m
}

// Region is the region the Migrator works in.
func (m *Migrator) Region() string { return m.region }

// client is the ELBv2 client for balancers of type t ("application" or "network"), so that
// errors name the right provider.
func (m *Migrator) client(t string) *elbv2.Client {
	if t == typeNetwork {
		return m.nlb
	}
	return m.alb
}
