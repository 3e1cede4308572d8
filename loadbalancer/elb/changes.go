package elb

import (
	"context"
	"errors"

	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// CreateBalancer creates a balancer with one listener built from Port and Protocol, then
// registers its members. Members given only by IP are resolved to EC2 instances first, so a
// member that matches no instance fails the call before anything is created; if registering
// fails, the balancer just created is deleted again. Without zones or subnets, the balancer
// goes to the region's first availability zone.
//
// As on AWS, creating a balancer that exists with the same configuration succeeds. Such a
// balancer is never deleted when its members fail to register: it was not this call's.
func (d *elbDriver) CreateBalancer(ctx context.Context, req driver.CreateRequest) (*driver.LoadBalancer, error) {
	if err := checkAlgorithm(req.Algorithm); err != nil {
		return nil, err
	}
	l, err := createListener(req)
	if err != nil {
		return nil, err
	}
	members, err := d.ec2.ResolveMembers(ctx, req.Members)
	if err != nil {
		return nil, err
	}
	existed := false
	if len(members) > 0 {
		switch _, err := d.c.describe(ctx, req.Name); {
		case err == nil:
			existed = true
		case !errors.Is(err, driver.ErrNotFound):
			return nil, err
		}
	}
	spec := BalancerSpec{Name: req.Name, Listeners: []ListenerSpec{l}, Zones: req.Zones, Subnets: req.Subnets,
		SecurityGroups: req.SecurityGroups, Scheme: req.Scheme, Tags: req.Tags}
	if len(req.Zones) == 0 && len(req.Subnets) == 0 {
		spec.Zones = []string{d.ec2.FirstZone(ctx)}
	}
	if _, err := d.c.CreateBalancer(ctx, spec); err != nil {
		return nil, err
	}
	if len(members) > 0 {
		if _, err := d.c.RegisterInstances(ctx, req.Name, instanceIDs(members)...); err != nil {
			if existed {
				return nil, err
			}
			// Undo the creation so a failed call leaves nothing behind.
			uctx, cancel := awsclient.UndoContext(ctx)
			defer cancel()
			if derr := d.c.DeleteBalancer(uctx, req.Name); derr != nil {
				return nil, errors.Join(err, derr)
			}
			return nil, err
		}
	}
	return d.c.describe(ctx, req.Name)
}

// createListener builds the first listener of a CreateRequest. The instance port is the
// request's, else the members' (they must agree: a Classic ELB listener has one instance
// port), else the front-end port.
func createListener(req driver.CreateRequest) (ListenerSpec, error) {
	proto, err := normProtocol(req.Protocol)
	if err != nil {
		return ListenerSpec{}, err
	}
	port := req.InstancePort
	for _, m := range req.Members {
		if m.Port == 0 {
			continue
		}
		if port == 0 {
			port = m.Port
		} else if m.Port != port {
			return ListenerSpec{}, driver.Invalid(ProviderName,
				"member port %d differs from instance port %d: a Classic ELB listener forwards to one instance port", m.Port, port)
		}
	}
	if port == 0 {
		port = req.Port
	}
	spec := ListenerSpec{LoadBalancerPort: req.Port, InstancePort: port, Protocol: proto, CertificateID: req.CertificateID}
	if _, err := spec.sdk(); err != nil {
		return ListenerSpec{}, err
	}
	return spec, nil
}

// UpdateBalancer changes the first listener's port or protocol by creating the new listener
// before deleting the old one, removing the new one again if the old one's deletion is
// refused (or, on the same port, by replacing it, restoring the old one if the new one is
// refused). Listener policies are not carried over to the new listener. Classic ELB cannot
// rename a balancer or choose its algorithm, so other changes are refused with ErrUnsupported.
func (d *elbDriver) UpdateBalancer(ctx context.Context, id string, req driver.UpdateRequest) (*driver.LoadBalancer, error) {
	if req.Name != "" && req.Name != id {
		return nil, driver.Unsupported(ProviderName, "Classic ELB cannot rename a load balancer")
	}
	if err := checkAlgorithm(req.Algorithm); err != nil {
		return nil, err
	}
	cur, err := d.c.describe(ctx, id)
	if err != nil || (req.Port == 0 && req.Protocol == "") {
		return cur, err
	}
	if len(cur.Listeners) == 0 {
		return nil, driver.Invalid(ProviderName, "load balancer %q has no listener to change", id)
	}
	old := cur.Listeners[0]
	oldSpec := ListenerSpec{LoadBalancerPort: old.Port, InstancePort: old.InstancePort, Protocol: old.Protocol,
		InstanceProtocol: old.InstanceProtocol, CertificateID: old.CertificateID}
	next := oldSpec
	if req.Port != 0 {
		next.LoadBalancerPort = req.Port
	}
	if req.Protocol != "" {
		p, err := normProtocol(req.Protocol)
		if err != nil {
			return nil, err
		}
		if p != old.Protocol {
			next.Protocol, next.InstanceProtocol = p, instanceProtocolFor(p)
		}
	}
	if !needsCertificate(next.Protocol) {
		next.CertificateID = ""
	}
	if _, err := next.sdk(); err != nil {
		return nil, err
	}
	if next.LoadBalancerPort == old.Port && next.Protocol == old.Protocol {
		return cur, nil
	}
	if next.LoadBalancerPort != old.Port {
		if err := d.c.CreateBalancerListeners(ctx, id, []ListenerSpec{next}); err != nil {
			return nil, err
		}
		if err := d.c.DeleteBalancerListeners(ctx, id, old.Port); err != nil {
			// Undo only a refusal: after a transport error or the caller's deadline the old
			// listener may be gone already, and removing the new one could leave none.
			var refused smithy.APIError
			if !errors.As(err, &refused) {
				return nil, err
			}
			uctx, cancel := awsclient.UndoContext(ctx)
			defer cancel()
			if uerr := d.c.DeleteBalancerListeners(uctx, id, next.LoadBalancerPort); uerr != nil {
				return nil, errors.Join(err, uerr)
			}
			return nil, err
		}
		return d.c.describe(ctx, id)
	}
	if err := d.c.DeleteBalancerListeners(ctx, id, old.Port); err != nil {
		return nil, err
	}
	if err := d.c.CreateBalancerListeners(ctx, id, []ListenerSpec{next}); err != nil {
		uctx, cancel := awsclient.UndoContext(ctx)
		defer cancel()
		if rerr := d.c.CreateBalancerListeners(uctx, id, []ListenerSpec{oldSpec}); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return nil, err
	}
	return d.c.describe(ctx, id)
}
