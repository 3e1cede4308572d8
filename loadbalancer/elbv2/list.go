package elbv2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"golang.org/x/sync/errgroup"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// ListPaged reads one page of DescribeLoadBalancers (the page token is ELBv2's Marker) and
// keeps the balancers of the driver's type, so a page may hold fewer than asked. It reports
// the NextMarker as soon as the answer has arrived, before decoding it. Listeners are left
// out unless WithListenersInListing: see there.
func (d *lbDriver) ListPaged(ctx context.Context, opts *driver.ListPageOptions) (*driver.ListPage, error) {
	size := d.set.pageSize
	if opts.PageSize > 0 {
		size = min(opts.PageSize, MaxPageSize)
	}
	in := &elbv2sdk.DescribeLoadBalancersInput{PageSize: aws.Int32(int32(size)), Names: opts.Names}
	if opts.PageToken != "" {
		in.Marker = aws.String(opts.PageToken)
	}
	out, err := d.c.api.DescribeLoadBalancers(ctx, in, peekMarker(opts.OnNextPageToken))
	if err != nil {
		return nil, d.c.wrap("DescribeLoadBalancers", err)
	}
	p := &driver.ListPage{NextPageToken: aws.ToString(out.NextMarker)}
	for _, lb := range out.LoadBalancers {
		if lb.Type == d.typ.sdkType() {
			p.Balancers = append(p.Balancers, toBalancer(lb))
		}
	}
	if d.set.listListeners && len(p.Balancers) > 0 {
		if err := d.fillListeners(ctx, p.Balancers); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// peekMarker has a DescribeLoadBalancers call report its answer's NextMarker to found (when
// not nil) before the SDK decodes the page.
func peekMarker(found func(string)) func(*elbv2sdk.Options) {
	return func(o *elbv2sdk.Options) {
		if found != nil {
			o.Interceptors.AddBeforeDeserialization(awsclient.NextMarker{Found: found})
		}
	}
}

// LoadTags sets the tags of one page of balancers, in DescribeTags batches of 20 ARNs run
// concurrently up to WithTagConcurrency. A balancer deleted since the page was read keeps
// nil tags rather than failing the inventory.
func (d *lbDriver) LoadTags(ctx context.Context, lbs []*driver.LoadBalancer) error {
	arns := make([]string, len(lbs))
	for i, lb := range lbs {
		arns[i] = lb.ID
	}
	tags, err := d.c.tags(ctx, arns, true)
	if err != nil {
		return err
	}
	for _, lb := range lbs {
		lb.Tags = tags[lb.ID]
	}
	return nil
}

// GetBalancer describes one balancer, by ARN or by name, with its listeners. A balancer of
// the other type is not found: the alb provider sees only Application Load Balancers, the
// nlb provider only Network Load Balancers.
func (d *lbDriver) GetBalancer(ctx context.Context, id string) (*driver.LoadBalancer, error) {
	desc, err := d.describe(ctx, id)
	if err != nil {
		return nil, err
	}
	lb := toBalancer(desc)
	if err := d.fillListeners(ctx, []*driver.LoadBalancer{lb}); err != nil {
		return nil, err
	}
	return lb, nil
}

// isARN tells an ARN from a name: a name cannot hold a colon.
func isARN(id string) bool { return strings.HasPrefix(id, "arn:") }

// describe returns one balancer of the driver's type by ARN or name.
func (d *lbDriver) describe(ctx context.Context, id string) (types.LoadBalancer, error) {
	in := &elbv2sdk.DescribeLoadBalancersInput{Names: []string{id}}
	if isARN(id) {
		in = &elbv2sdk.DescribeLoadBalancersInput{LoadBalancerArns: []string{id}}
	}
	out, err := d.c.api.DescribeLoadBalancers(ctx, in)
	if err != nil {
		return types.LoadBalancer{}, d.c.wrap("DescribeLoadBalancers", err)
	}
	for _, lb := range out.LoadBalancers {
		if lb.Type == d.typ.sdkType() {
			return lb, nil
		}
	}
	if len(out.LoadBalancers) > 0 {
		return types.LoadBalancer{}, d.c.notFound("DescribeLoadBalancers", "LoadBalancerNotFound",
			"%q is a load balancer of type %s; the %s provider sees only type %s", id, out.LoadBalancers[0].Type, d.Provider(), d.typ.sdkType())
	}
	return types.LoadBalancer{}, d.c.notFound("DescribeLoadBalancers", "LoadBalancerNotFound", "there is no load balancer %q", id)
}

// layout is what a balancer's listeners forward to.
type layout struct {
	listeners []types.Listener
	groups    map[string]types.TargetGroup // by ARN: the groups associated with the balancer
}

// layoutOf reads a balancer's listeners and target groups, the two calls at once.
func (d *lbDriver) layoutOf(ctx context.Context, arn string) (layout, error) {
	var l layout
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		l.listeners, err = collect(d.c.Listeners(gctx, arn))
		return err
	})
	g.Go(func() error {
		groups, err := collect(d.c.TargetGroups(gctx, &elbv2sdk.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(arn)}))
		// Some endpoints answer TargetGroupNotFound for a balancer without groups; AWS
		// answers an empty list.
		if awsclient.HasCode(err, "TargetGroupNotFound") {
			err = nil
		}
		l.groups = make(map[string]types.TargetGroup, len(groups))
		for _, tg := range groups {
			l.groups[aws.ToString(tg.TargetGroupArn)] = tg
		}
		return err
	})
	return l, g.Wait()
}

// fillListeners sets the listeners of each balancer, concurrently up to the tag
// concurrency.
func (d *lbDriver) fillListeners(ctx context.Context, lbs []*driver.LoadBalancer) error {
	return awsclient.InBatches(ctx, lbs, 1, d.c.tagLimit, func(ctx context.Context, one []*driver.LoadBalancer) error {
		l, err := d.layoutOf(ctx, one[0].ID)
		if err != nil {
			return err
		}
		withListeners(one[0], l.listeners, l.groups)
		return nil
	})
}

// memberGroup is the target group that holds a balancer's members: the one its first
// listener (by port) forwards to by default.
func (d *lbDriver) memberGroup(ctx context.Context, id string) (types.TargetGroup, error) {
	desc, err := d.describe(ctx, id)
	if err != nil {
		return types.TargetGroup{}, err
	}
	l, err := d.layoutOf(ctx, aws.ToString(desc.LoadBalancerArn))
	if err != nil {
		return types.TargetGroup{}, err
	}
	for _, ls := range sortListeners(l.listeners) {
		arn := forwardGroup(ls.DefaultActions)
		if arn == "" {
			continue
		}
		if tg, ok := l.groups[arn]; ok {
			return tg, nil
		}
		return d.c.targetGroup(ctx, arn)
	}
	return types.TargetGroup{}, driver.Invalid(d.Provider(), "load balancer %q has no listener forwarding to a target group, so it has no members", id)
}

// targetGroup describes one target group by ARN.
func (c *Client) targetGroup(ctx context.Context, arn string) (types.TargetGroup, error) {
	out, err := c.api.DescribeTargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{TargetGroupArns: []string{arn}})
	if err != nil {
		return types.TargetGroup{}, c.wrap("DescribeTargetGroups", err)
	}
	return one(c, "DescribeTargetGroups", out.TargetGroups)
}
