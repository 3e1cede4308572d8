package elb

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbsdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ListPaged reads one page of DescribeLoadBalancers; the page token is ELB's Marker.
func (d *Driver) ListPaged(ctx context.Context, opts *driver.ListPageOptions) (*driver.ListPage, error) {
	size := d.set.pageSize
	if opts.PageSize > 0 {
		size = min(opts.PageSize, DefaultPageSize)
	}
	in := &elbsdk.DescribeLoadBalancersInput{PageSize: aws.Int32(int32(size))}
	if len(opts.Names) > 0 {
		in.LoadBalancerNames = opts.Names
	}
	if opts.PageToken != "" {
		in.Marker = aws.String(opts.PageToken)
	}
	out, err := d.elb.DescribeLoadBalancers(ctx, in)
	if err != nil {
		return nil, wrap("DescribeLoadBalancers", err)
	}
	p := &driver.ListPage{NextPageToken: aws.ToString(out.NextMarker), Balancers: make([]*driver.LoadBalancer, len(out.LoadBalancerDescriptions))}
	for i, desc := range out.LoadBalancerDescriptions {
		p.Balancers[i] = toBalancer(desc)
	}
	return p, nil
}

// LoadTags sets the tags of one page of balancers, in DescribeTags batches of 20 names run
// concurrently up to WithTagConcurrency. A balancer deleted since the page was read keeps
// nil tags rather than failing the inventory.
func (d *Driver) LoadTags(ctx context.Context, lbs []*driver.LoadBalancer) error {
	names := make([]string, len(lbs))
	for i, lb := range lbs {
		names[i] = lb.Name
	}
	tags, err := d.tags(ctx, names, true)
	if err != nil {
		return err
	}
	for _, lb := range lbs {
		lb.Tags = tags[lb.Name]
	}
	return nil
}

// describe returns one balancer's description.
func (d *Driver) describe(ctx context.Context, name string) (types.LoadBalancerDescription, error) {
	out, err := d.elb.DescribeLoadBalancers(ctx, &elbsdk.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	if err != nil {
		return types.LoadBalancerDescription{}, wrap("DescribeLoadBalancers", err)
	}
	if len(out.LoadBalancerDescriptions) == 0 {
		return types.LoadBalancerDescription{}, notFound("DescribeLoadBalancers", "LoadBalancerNotFound",
			"there is no load balancer named %q", name)
	}
	return out.LoadBalancerDescriptions[0], nil
}

// GetBalancer describes one balancer by name; a missing one is an ErrNotFound error.
func (d *Driver) GetBalancer(ctx context.Context, id string) (*driver.LoadBalancer, error) {
	desc, err := d.describe(ctx, id)
	if err != nil {
		return nil, err
	}
	return toBalancer(desc), nil
}

// CreateBalancer creates a balancer with one listener built from Port and Protocol, then
// registers its members. Members given only by IP are resolved to EC2 instances first, so a
// member that matches no instance fails the call before anything is created; if registering
// fails, the balancer just created is deleted again. Without zones or subnets, the balancer
// goes to the region's first availability zone.
//
// As on AWS, creating a balancer that exists with the same configuration succeeds. Such a
// balancer is never deleted when its members fail to register: it was not this call's.
func (d *Driver) CreateBalancer(ctx context.Context, req driver.CreateRequest) (*driver.LoadBalancer, error) {
	if err := checkAlgorithm(req.Algorithm); err != nil {
		return nil, err
	}
	l, err := createListener(req)
	if err != nil {
		return nil, err
	}
	members, err := d.resolveMembers(ctx, req.Members)
	if err != nil {
		return nil, err
	}
	existed := false
	if len(members) > 0 {
		switch _, err := d.describe(ctx, req.Name); {
		case err == nil:
			existed = true
		case !errors.Is(err, driver.ErrNotFound):
			return nil, err
		}
	}
	in := &elbsdk.CreateLoadBalancerInput{
		LoadBalancerName:  aws.String(req.Name),
		Listeners:         []types.Listener{l},
		AvailabilityZones: req.Zones,
		Subnets:           req.Subnets,
		SecurityGroups:    req.SecurityGroups,
	}
	if req.Scheme != "" {
		in.Scheme = aws.String(req.Scheme)
	}
	if len(req.Tags) > 0 {
		in.Tags = toSDKTags(req.Tags)
	}
	if len(req.Zones) == 0 && len(req.Subnets) == 0 {
		in.AvailabilityZones = []string{d.firstZone(ctx)}
	}
	if _, err := d.elb.CreateLoadBalancer(ctx, in); err != nil {
		return nil, wrap("CreateLoadBalancer", err)
	}
	if len(members) > 0 {
		if err := d.register(ctx, req.Name, members); err != nil {
			if existed {
				return nil, err
			}
			// Undo the creation so a failed call leaves nothing behind.
			uctx, cancel := awsclient.UndoContext(ctx)
			defer cancel()
			if _, derr := d.elb.DeleteLoadBalancer(uctx,
				&elbsdk.DeleteLoadBalancerInput{LoadBalancerName: aws.String(req.Name)}); derr != nil {
				return nil, errors.Join(err, wrap("DeleteLoadBalancer", derr))
			}
			return nil, err
		}
	}
	return d.GetBalancer(ctx, req.Name)
}

// createListener builds the first listener of a CreateRequest. The instance port is the
// request's, else the members' (they must agree: a Classic ELB listener has one instance
// port), else the front-end port.
func createListener(req driver.CreateRequest) (types.Listener, error) {
	proto, err := normProtocol(req.Protocol)
	if err != nil {
		return types.Listener{}, err
	}
	port := req.InstancePort
	for _, m := range req.Members {
		if m.Port == 0 {
			continue
		}
		if port == 0 {
			port = m.Port
		} else if m.Port != port {
			return types.Listener{}, driver.Invalid(ProviderName,
				"member port %d differs from instance port %d: a Classic ELB listener forwards to one instance port", m.Port, port)
		}
	}
	if port == 0 {
		port = req.Port
	}
	spec := ListenerSpec{LoadBalancerPort: req.Port, InstancePort: port, Protocol: proto, CertificateID: req.CertificateID}
	return spec.sdk()
}

// firstZone is the region's first available zone by name. When EC2 cannot answer (no
// permission, an endpoint without EC2) it is REGION+"a", which every region has. The answer
// is kept, except after the caller's own cancellation, which says nothing about EC2.
func (d *Driver) firstZone(ctx context.Context) string {
	d.zoneMu.Lock()
	defer d.zoneMu.Unlock()
	if d.zone != "" {
		return d.zone
	}
	zones, err := d.availabilityZones(ctx)
	if err == nil && len(zones) > 0 {
		d.zone = zones[0]
		return d.zone
	}
	if ctx.Err() == nil {
		d.zone = d.region + "a"
	}
	return d.region + "a"
}

// UpdateBalancer changes the first listener's port or protocol by creating the new listener
// before deleting the old one, removing the new one again if the old one's deletion is
// refused (or, on the same port, by replacing it, restoring the old one if the new one is
// refused). Listener policies are not carried over to the new listener. Classic ELB cannot rename a balancer or choose its algorithm,
// so other changes are refused with ErrUnsupported.
func (d *Driver) UpdateBalancer(ctx context.Context, id string, req driver.UpdateRequest) (*driver.LoadBalancer, error) {
	if req.Name != "" && req.Name != id {
		return nil, driver.Unsupported(ProviderName, "Classic ELB cannot rename a load balancer")
	}
	if err := checkAlgorithm(req.Algorithm); err != nil {
		return nil, err
	}
	if req.Port == 0 && req.Protocol == "" {
		return d.GetBalancer(ctx, id)
	}
	desc, err := d.describe(ctx, id)
	if err != nil {
		return nil, err
	}
	cur := toBalancer(desc)
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
	nl, err := next.sdk()
	if err != nil {
		return nil, err
	}
	if next.LoadBalancerPort == old.Port && next.Protocol == old.Protocol {
		return toBalancer(desc), nil
	}
	if next.LoadBalancerPort != old.Port {
		if err := d.createListeners(ctx, id, []types.Listener{nl}); err != nil {
			return nil, err
		}
		if err := d.DeleteBalancerListeners(ctx, id, old.Port); err != nil {
			// Undo only a refusal: after a transport error or the caller's deadline the old
			// listener may be gone already, and removing the new one could leave none.
			var refused smithy.APIError
			if !errors.As(err, &refused) {
				return nil, err
			}
			uctx, cancel := awsclient.UndoContext(ctx)
			defer cancel()
			if uerr := d.DeleteBalancerListeners(uctx, id, next.LoadBalancerPort); uerr != nil {
				return nil, errors.Join(err, uerr)
			}
			return nil, err
		}
		return d.GetBalancer(ctx, id)
	}
	if err := d.DeleteBalancerListeners(ctx, id, old.Port); err != nil {
		return nil, err
	}
	if err := d.createListeners(ctx, id, []types.Listener{nl}); err != nil {
		ol, _ := oldSpec.sdk()
		uctx, cancel := awsclient.UndoContext(ctx)
		defer cancel()
		if rerr := d.createListeners(uctx, id, []types.Listener{ol}); rerr != nil {
			return nil, errors.Join(err, rerr)
		}
		return nil, err
	}
	return d.GetBalancer(ctx, id)
}

// DestroyBalancer deletes a balancer. ELB reports success for a name that does not exist, so
// the driver does too (deleting is idempotent).
func (d *Driver) DestroyBalancer(ctx context.Context, id string) error {
	_, err := d.elb.DeleteLoadBalancer(ctx, &elbsdk.DeleteLoadBalancerInput{LoadBalancerName: aws.String(id)})
	return wrap("DeleteLoadBalancer", err)
}
