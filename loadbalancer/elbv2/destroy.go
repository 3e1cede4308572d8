package elbv2

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// DestroyBalancer deletes a balancer with its listeners and their rules, then the target
// groups CreateBalancer made for it (those tagged OwnerTag with its ARN) unless another
// balancer uses them; groups it did not make stay. As on AWS, destroying a balancer that
// does not exist succeeds.
//
// The listeners go first, so that the groups are free to delete, and the balancer last. If
// a step fails, destroying again finishes the balancer, but groups whose listeners were
// already deleted are no longer found and are left.
func (d *lbDriver) DestroyBalancer(ctx context.Context, id string) error {
	desc, err := d.describe(ctx, id)
	if errors.Is(err, driver.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	arn := aws.ToString(desc.LoadBalancerArn)
	listeners, err := collect(d.c.Listeners(ctx, arn))
	if err != nil {
		return err
	}
	owned, err := d.ownedGroups(ctx, arn, listeners)
	if err != nil {
		return err
	}
	for _, l := range listeners {
		if err := d.c.DeleteListener(ctx, aws.ToString(l.ListenerArn)); err != nil && !awsclient.HasCode(err, "ListenerNotFound") {
			return err
		}
	}
	for _, tg := range owned {
		if err := d.deleteGroup(ctx, tg); err != nil {
			return err
		}
	}
	return d.c.DeleteLoadBalancer(ctx, arn)
}

// ownedGroups lists the target groups the balancer's listeners and rules forward to that
// CreateBalancer made for it and that no other balancer uses.
func (d *lbDriver) ownedGroups(ctx context.Context, arn string, listeners []types.Listener) ([]string, error) {
	var refs []string
	for _, l := range listeners {
		refs = append(refs, forwardGroups(l.DefaultActions)...)
	}
	if d.typ == ALB {
		rules, err := d.rulesOf(ctx, listeners)
		if err != nil {
			return nil, err
		}
		for _, r := range rules {
			refs = append(refs, forwardGroups(r.Actions)...)
		}
	}
	refs = uniq(refs)
	if len(refs) == 0 {
		return nil, nil
	}
	tags, err := d.c.tags(ctx, refs, true)
	if err != nil {
		return nil, err
	}
	var mine []string
	for _, tg := range refs {
		if tags[tg][OwnerTag] == arn {
			mine = append(mine, tg)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	groups, err := collect(d.c.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{TargetGroupArns: mine}))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range groups {
		if !slices.ContainsFunc(g.LoadBalancerArns, func(other string) bool { return other != arn }) {
			out = append(out, aws.ToString(g.TargetGroupArn))
		}
	}
	return out, nil
}

// rulesOf reads the rules of each listener, concurrently.
func (d *lbDriver) rulesOf(ctx context.Context, listeners []types.Listener) ([]types.Rule, error) {
	var mu sync.Mutex
	var all []types.Rule
	err := awsclient.InBatches(ctx, listeners, 1, d.c.tagLimit, func(ctx context.Context, one []types.Listener) error {
		rules, err := collect(d.c.Rules(ctx, aws.ToString(one[0].ListenerArn)))
		mu.Lock()
		defer mu.Unlock()
		all = append(all, rules...)
		return err
	})
	return all, err
}

// inUseRetries bounds how often a group still reported in use just after its listeners went
// is asked again, doubling the wait from inUseWait.
const (
	inUseRetries = 4
	inUseWait    = 250 * time.Millisecond
)

// deleteGroup deletes a target group; one already gone is fine.
func (d *lbDriver) deleteGroup(ctx context.Context, arn string) error {
	wait := inUseWait
	for try := 0; ; try++ {
		err := d.c.DeleteTargetGroup(ctx, arn)
		if err == nil || awsclient.HasCode(err, "TargetGroupNotFound") {
			return nil
		}
		if !awsclient.HasCode(err, "ResourceInUse") || try == inUseRetries {
			return err
		}
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// deleteGroupNamed deletes the target group of that name, if there is one.
func (d *lbDriver) deleteGroupNamed(ctx context.Context, name string) error {
	groups, err := collect(d.c.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{Names: []string{name}}))
	if awsclient.HasCode(err, "TargetGroupNotFound") {
		return nil
	}
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := d.deleteGroup(ctx, aws.ToString(g.TargetGroupArn)); err != nil {
			return err
		}
	}
	return nil
}

// deleteListenersTo deletes the balancer's listeners that forward to the target group.
func (d *lbDriver) deleteListenersTo(ctx context.Context, lbARN, tgARN string) error {
	ls, err := collect(d.c.Listeners(ctx, lbARN))
	if err != nil {
		return err
	}
	for _, l := range ls {
		if forwardGroup(l.DefaultActions) == tgARN {
			if err := d.c.DeleteListener(ctx, aws.ToString(l.ListenerArn)); err != nil {
				return err
			}
		}
	}
	return nil
}
