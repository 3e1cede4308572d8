// Package elbserver is an embedded, AWS-compatible endpoint served as an http.Handler, with
// durable bbolt state partitioned by account and region. It reads each request within bounds,
// verifies its SigV4 signature and hands it to the room of its API, chosen by the signing
// scope's service and, for Query APIs, the Version parameter: Classic Elastic Load Balancing
// (2012-06-01, package classic), ELBv2 (2015-12-01, elbv2), the EC2 subset that builds what
// balancers refer to (2016-11-15, ec2), and what TLS listeners and trust stores read: S3 (s3),
// IAM server certificates (iam) and ACM (acm). The rooms are built, and wired to one another,
// in wiring.go. Accounts, limits and fault injection belong to the endpoint; each room
// declares its own limits.
package elbserver

import (
	"log/slog"
	"sync"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/classic"
	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/faults"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

const (
	defaultRegion = "us-east-1"
	maxBodyBytes  = 1 << 20
)

// Options configures a Server.
type Options struct {
	StatePath   string                 // bbolt file; "" means an in-memory store (a temp file removed on Close)
	Credentials []sigv4auth.Credential // nil means sigv4auth.DefaultCredential (test/test, account 000000000000)
	Strict      bool                   // only instances, subnets and security groups that exist (declared, or created through EC2), and certificates IAM or ACM hold, are accepted
	Limits      map[string]int         // account limit overrides, e.g. "classic-load-balancers": 5000; unknown names are refused
	Faults      *faults.Injector       // may be nil
	Logger      *slog.Logger           // nil discards
	Now         func() time.Time       // nil means time.Now
	// AllowRegions are regions accepted beyond AWS's own (KnownRegion): a signing scope naming
	// any other region is refused as AWS refuses it.
	AllowRegions []string
	// BodyMemory bounds the bytes of large request bodies (over 64 KiB) being received at once;
	// 0 means DefaultBodyMemory.
	BodyMemory int64
}

// Server is the endpoint. It is safe for concurrent use.
type Server struct {
	st             *store.Store
	verifier       *sigv4auth.Verifier
	services       map[string]*service
	fallback       *query.API // writes refusals of requests that name no room
	defaultAccount string
	faults         *faults.Injector
	log            *slog.Logger
	bodies         bodyBudget

	classic *classic.Room
	ec2     *ec2.Room

	closeOnce sync.Once
	closeErr  error
}

// New opens (or creates) the state and returns a ready Server. It refuses a state file that is
// corrupt, foreign, written by a newer version or writable by others, leaving the file
// untouched.
func New(opts Options) (*Server, error) {
	creds := opts.Credentials
	if len(creds) == 0 {
		creds = []sigv4auth.Credential{sigv4auth.DefaultCredential}
	}
	s := &Server{defaultAccount: creds[0].AccountID, faults: opts.Faults, log: opts.Logger, bodies: newBodyBudget(opts.BodyMemory)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	env := &room.Env{Strict: opts.Strict, Now: opts.Now, Log: s.log}
	if env.Now == nil {
		env.Now = time.Now
	}
	// Everything the options can get wrong is found before the state file is touched.
	rooms := s.build(env)
	if err := s.mount(env, rooms, opts.Limits, creds); err != nil {
		return nil, err
	}
	valid, err := regionPolicy(opts.AllowRegions)
	if err != nil {
		return nil, err
	}
	s.verifier.SetRegions(valid)
	st, err := store.Open(opts.StatePath)
	if err != nil {
		return nil, err
	}
	s.st, env.Store = st, st
	for _, r := range rooms {
		for _, v := range r.Views {
			if err := v.Sync(st); err != nil {
				st.Close()
				return nil, err
			}
		}
	}
	return s, nil
}

// mount routes requests to the rooms: their limits with the overrides, their services for
// the signature check, their versions. The first Query room writes the refusals of requests
// that name none.
func (s *Server) mount(env *room.Env, rooms []room.Room, overrides map[string]int, creds []sigv4auth.Credential) error {
	var declared []room.Limit
	for _, r := range rooms {
		declared = append(declared, r.Limits...)
		if s.fallback == nil {
			s.fallback = r.Query
		}
	}
	var err error
	if env.Limits, err = room.NewLimits(declared, overrides); err != nil {
		return err
	}
	if s.services, err = routes(rooms); err != nil {
		return err
	}
	names := make([]string, 0, len(s.services))
	for name := range s.services {
		names = append(names, name)
	}
	s.verifier = sigv4auth.NewVerifier(creds, names...)
	return nil
}

// Close releases the state file (and removes it when in-memory).
func (s *Server) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.st.Close() })
	return s.closeErr
}

// Store is the endpoint's state, for readers beside it such as the data plane: they read
// records in Store.View transactions and learn of committed writes with Store.Subscribe.
func (s *Server) Store() *store.Store { return s.st }

// resolve maps the shortcut conventions ("" account/region) onto a partition.
func (s *Server) resolve(account, region string) (string, string) {
	if account == "" {
		account = s.defaultAccount
	}
	if region == "" {
		region = defaultRegion
	}
	return account, region
}

// ErrUnknownLimit is matched (errors.Is) by New's error for an Options.Limits name no API
// declares.
var ErrUnknownLimit = room.ErrUnknownLimit

// Instance is an EC2 instance declared to the endpoint (see DeclareInstance).
type Instance = store.Instance

// Subnet is a VPC subnet declared to the endpoint (see DeclareSubnet).
type Subnet = store.Subnet

// DefaultVPC is the default VPC the endpoint models in every account and region.
type DefaultVPC = ec2.DefaultVPC

// The shortcuts below act on the endpoint's state from Go, for tests and demos; "" selects
// the server's default account (its first credential's) or region (us-east-1).

// DefaultVPC returns the default VPC of account and region.
func (s *Server) DefaultVPC(account, region string) DefaultVPC {
	return ec2.DefaultVPCOf(s.resolve(account, region))
}

// DeclareInstance records an instance so that strict mode accepts it, and so that EC2
// DescribeInstances reports it.
func (s *Server) DeclareInstance(account, region string, inst Instance) error {
	account, region = s.resolve(account, region)
	return s.ec2.DeclareInstance(account, region, inst)
}

// DeclareSubnet records a subnet with its VPC and zone.
func (s *Server) DeclareSubnet(account, region string, sub Subnet) error {
	account, region = s.resolve(account, region)
	return s.ec2.DeclareSubnet(account, region, sub)
}

// DeclareSecurityGroup records a security group belonging to vpcID.
func (s *Server) DeclareSecurityGroup(account, region, groupID, vpcID string) error {
	return s.DeclareSecurityGroupNamed(account, region, groupID, vpcID, "")
}

// DeclareSecurityGroupNamed records a security group with its name, which
// DescribeLoadBalancers reports as the SourceSecurityGroup of a balancer whose first group it
// is.
func (s *Server) DeclareSecurityGroupNamed(account, region, groupID, vpcID, name string) error {
	account, region = s.resolve(account, region)
	return s.ec2.DeclareSecurityGroup(account, region, groupID, vpcID, name)
}

// DeclareTags sets tags on an existing VPC, subnet, security group or instance, with
// CreateTags's checks: store.AddressTag ("lbcloud:address") tells the data plane where an
// instance really answers.
func (s *Server) DeclareTags(account, region, resourceID string, tags map[string]string) error {
	account, region = s.resolve(account, region)
	return s.ec2.DeclareTags(account, region, resourceID, tags)
}

// SetInstanceHealth overrides the state DescribeInstanceHealth reports for a registered
// instance. state is InService, OutOfService or Unknown.
func (s *Server) SetInstanceHealth(account, region, lbName, instanceID, state, reasonCode, description string) error {
	account, region = s.resolve(account, region)
	return s.classic.SetInstanceHealth(account, region, lbName, instanceID, state, reasonCode, description)
}
