package elb

import (
	"context"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// elbDriver is the portable driver over a Client. It is not exported: users reach it only
// through *loadbalancer.Service, so the portable checks always run before it.
type elbDriver struct {
	c   *Client
	ec2 *awsclient.EC2
}

var _ driver.Driver = (*elbDriver)(nil)

func newDriver(c *Client) *elbDriver {
	return &elbDriver{c: c, ec2: awsclient.NewEC2(c.ec2, ProviderName, c.region)}
}

// Provider returns "elb".
func (d *elbDriver) Provider() string { return ProviderName }

// As sets i when it is a **Client, **elasticloadbalancing.Client or **ec2.Client.
func (d *elbDriver) As(i any) bool { return awsclient.As(i, d.c, d.c.elb, d.c.ec2) }

// Close releases nothing: the SDK clients hold no resources that need closing.
func (d *elbDriver) Close() error { return nil }

// ListProtocols lists the front-end protocols of Classic ELB.
func (d *elbDriver) ListProtocols(context.Context) ([]driver.Protocol, error) {
	return []driver.Protocol{driver.HTTP, driver.HTTPS, driver.TCP, driver.SSL}, nil
}

// ListSupportedAlgorithms lists what Classic ELB does: round robin for TCP listeners and
// least outstanding requests (reported as LeastConnections) for HTTP listeners. The
// algorithm follows the protocol; it cannot be chosen.
func (d *elbDriver) ListSupportedAlgorithms(context.Context) ([]driver.Algorithm, error) {
	return []driver.Algorithm{driver.RoundRobin, driver.LeastConnections}, nil
}

func checkAlgorithm(a driver.Algorithm) error {
	switch a {
	case "", driver.RoundRobin, driver.LeastConnections:
		return nil
	}
	return driver.Unsupported(ProviderName, "algorithm %s is not available: Classic ELB uses round robin for TCP and least outstanding requests for HTTP", a)
}

// ListPaged reads one page of DescribeLoadBalancers; the page token is ELB's Marker, reported
// early through opts.OnNextPageToken.
func (d *elbDriver) ListPaged(ctx context.Context, opts *driver.ListPageOptions) (*driver.ListPage, error) {
	return d.c.describePage(ctx, opts)
}

// LoadTags sets the tags of one page of balancers. A balancer deleted since the page was
// read keeps nil tags rather than failing the inventory.
func (d *elbDriver) LoadTags(ctx context.Context, lbs []*driver.LoadBalancer) error {
	names := make([]string, len(lbs))
	for i, lb := range lbs {
		names[i] = lb.Name
	}
	tags, err := d.c.tags(ctx, names, true)
	if err != nil {
		return err
	}
	for _, lb := range lbs {
		lb.Tags = tags[lb.Name]
	}
	return nil
}

// GetBalancer describes one balancer by name; a missing one is an ErrNotFound error.
func (d *elbDriver) GetBalancer(ctx context.Context, id string) (*driver.LoadBalancer, error) {
	return d.c.describe(ctx, id)
}

// DestroyBalancer deletes a balancer. ELB reports success for a name that does not exist, so
// the driver does too (deleting is idempotent).
func (d *elbDriver) DestroyBalancer(ctx context.Context, id string) error {
	return d.c.DeleteBalancer(ctx, id)
}

// AttachMembers registers members (by instance ID, or by IP resolved through EC2) in one
// RegisterInstancesWithLoadBalancer call and returns them with their IDs.
func (d *elbDriver) AttachMembers(ctx context.Context, id string, members []driver.Member) ([]driver.Member, error) {
	resolved, err := d.ec2.ResolveMembers(ctx, members)
	if err != nil {
		return nil, err
	}
	if _, err := d.c.RegisterInstances(ctx, id, instanceIDs(resolved)...); err != nil {
		return nil, err
	}
	return resolved, nil
}

// DetachMembers deregisters members in one DeregisterInstancesFromLoadBalancer call.
func (d *elbDriver) DetachMembers(ctx context.Context, id string, members []driver.Member) error {
	resolved, err := d.ec2.ResolveMembers(ctx, members)
	if err != nil {
		return err
	}
	_, err = d.c.DeregisterInstances(ctx, id, instanceIDs(resolved)...)
	return err
}

// ListMembers lists the registered instances with their live health; Port is the balancer's
// instance port.
func (d *elbDriver) ListMembers(ctx context.Context, id string) ([]driver.Member, error) {
	lb, err := d.c.describe(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := d.c.InstanceHealth(ctx, id)
	if err != nil {
		return nil, err
	}
	port := instancePortOf(lb.Listeners)
	for i := range ms {
		ms[i].Port = port
	}
	return ms, nil
}

// instanceIDs lists the members' instance IDs once each, in order.
func instanceIDs(members []driver.Member) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range members {
		if !seen[m.ID] {
			seen[m.ID] = true
			out = append(out, m.ID)
		}
	}
	return out
}
