// Package loadbalancer is the portable load balancer API: one set of types and operations
// (after libcloud's loadbalancer interface) over any provider driver. Open a provider by name
// after importing its package, for example:
//
//	import _ "github.com/lbcloud/lbcloud/loadbalancer/elb"
//	svc, err := loadbalancer.Open(ctx, "elb", loadbalancer.Options{Region: "us-east-1"})
//
// or through the provider's own Open (elb.Open), which returns the same *Service.
//
// Every call takes a context and honours its deadline. Failures are *Error values: match
// their kind with errors.Is (ErrNotFound, ErrAlreadyExists, ErrInvalid, ErrUnsupported,
// ErrThrottled, ErrDenied, ErrUnavailable) and read the provider's code and request ID with
// errors.As. Bad arguments are refused before any provider call, the same way for every
// provider.
//
// Provider-specific operations (ELB policies, attributes, ...) are reached with Service.As,
// which hands out the provider's client (*elb.Client) and its SDK clients; provider error
// types (such as smithy.APIError) with Service.ErrorAs.
package loadbalancer

import (
	"context"
	"errors"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Service is a connection to one provider. It checks arguments before they reach the driver,
// so every provider refuses the same bad input the same way.
type Service struct {
	d driver.Driver
}

// NewService wraps a driver. It is for provider packages, whose Open functions return its
// result; applications call Open (or the provider's Open) instead.
func NewService(d driver.Driver) *Service { return &Service{d: d} }

// Provider is the provider's registry name.
func (s *Service) Provider() string { return s.d.Provider() }

// ListProtocols lists the front-end protocols the provider supports.
func (s *Service) ListProtocols(ctx context.Context) ([]Protocol, error) {
	return s.d.ListProtocols(ctx)
}

// ListSupportedAlgorithms lists the algorithms the provider can honour.
func (s *Service) ListSupportedAlgorithms(ctx context.Context) ([]Algorithm, error) {
	return s.d.ListSupportedAlgorithms(ctx)
}

// GetBalancer returns one balancer by ID (for ELB, its name).
func (s *Service) GetBalancer(ctx context.Context, id string) (*LoadBalancer, error) {
	if err := s.checkID(id); err != nil {
		return nil, err
	}
	return s.d.GetBalancer(ctx, id)
}

// CreateBalancer creates a balancer with one listener and optional members.
func (s *Service) CreateBalancer(ctx context.Context, req CreateRequest) (*LoadBalancer, error) {
	if err := s.checkCreate(req); err != nil {
		return nil, err
	}
	return s.d.CreateBalancer(ctx, req)
}

// UpdateBalancer changes what the provider allows to change.
func (s *Service) UpdateBalancer(ctx context.Context, id string, req UpdateRequest) (*LoadBalancer, error) {
	if err := s.checkID(id); err != nil {
		return nil, err
	}
	if req.Port != 0 {
		if err := s.checkPort("port", req.Port); err != nil {
			return nil, err
		}
	}
	return s.d.UpdateBalancer(ctx, id, req)
}

// DestroyBalancer deletes a balancer.
func (s *Service) DestroyBalancer(ctx context.Context, id string) error {
	if err := s.checkID(id); err != nil {
		return err
	}
	return s.d.DestroyBalancer(ctx, id)
}

// AttachMember adds one member and returns it as registered.
func (s *Service) AttachMember(ctx context.Context, id string, m Member) (Member, error) {
	ms, err := s.AttachMembers(ctx, id, []Member{m})
	if err != nil {
		return Member{}, err
	}
	return ms[0], nil
}

// AttachMembers adds members in as few provider calls as possible.
func (s *Service) AttachMembers(ctx context.Context, id string, members []Member) ([]Member, error) {
	if err := s.checkMembers(id, members); err != nil {
		return nil, err
	}
	return s.d.AttachMembers(ctx, id, members)
}

// AttachComputeNode adds a compute node (for ELB, an EC2 instance) by its ID, as libcloud's
// attach_compute_node does.
func (s *Service) AttachComputeNode(ctx context.Context, id, nodeID string) (Member, error) {
	return s.AttachMember(ctx, id, Member{ID: nodeID})
}

// DetachMember removes one member.
func (s *Service) DetachMember(ctx context.Context, id string, m Member) error {
	return s.DetachMembers(ctx, id, []Member{m})
}

// DetachMembers removes members in as few provider calls as possible.
func (s *Service) DetachMembers(ctx context.Context, id string, members []Member) error {
	if err := s.checkMembers(id, members); err != nil {
		return err
	}
	return s.d.DetachMembers(ctx, id, members)
}

// ListMembers lists a balancer's members with their live health.
func (s *Service) ListMembers(ctx context.Context, id string) ([]Member, error) {
	if err := s.checkID(id); err != nil {
		return nil, err
	}
	return s.d.ListMembers(ctx, id)
}

// As sets i, a pointer to a provider-specific type, to the provider's value of that type and
// reports whether it could (for ELB: **elb.Client, or its SDK clients **elasticloadbalancing.Client
// and **ec2.Client). It reports false for nil and for types the provider does not have.
func (s *Service) As(i any) bool {
	if i == nil {
		return false
	}
	return s.d.As(i)
}

// ErrorAs reports whether err, an error from this service, holds a provider-specific error
// of target's type (a pointer to it, as for errors.As: for AWS providers *smithy.APIError or
// **awshttp.ResponseError), and if so sets target to it. It panics when target is nil, and
// reports false for a nil err.
func (s *Service) ErrorAs(err error, target any) bool {
	if target == nil {
		panic("loadbalancer: ErrorAs target is nil")
	}
	return err != nil && errors.As(err, target)
}

// Close releases the driver's resources.
func (s *Service) Close() error { return s.d.Close() }
