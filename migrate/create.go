package migrate

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// balancer makes, or finds and completes, one planned balancer: its target groups first (the
// listeners forward to them), then the balancer, its listeners and the registrations.
func (r *run) balancer(ctx context.Context, b *Balancer) error {
	c := r.m.client(b.Type)
	groups := map[string]string{}
	for i := range b.TargetGroups {
		arn, err := r.targetGroup(ctx, c, &b.TargetGroups[i])
		if err != nil {
			return err
		}
		groups[b.TargetGroups[i].Name] = arn
	}
	lb, err := r.loadBalancer(ctx, c, b)
	if err != nil {
		return err
	}
	if err := r.listeners(ctx, c, b, aws.ToString(lb.LoadBalancerArn), groups); err != nil {
		return err
	}
	for i := range b.TargetGroups {
		if err := r.register(ctx, c, &b.TargetGroups[i], groups[b.TargetGroups[i].Name]); err != nil {
			return err
		}
	}
	r.res.Balancers = append(r.res.Balancers, BalancerCreated{Name: b.Name, Type: b.Type,
		ARN: aws.ToString(lb.LoadBalancerArn), DNSName: aws.ToString(lb.DNSName)})
	return nil
}

// owned reports whether the resource arn was made by a migration of this Classic balancer,
// and ErrTaken when it was not.
func (r *run) owned(ctx context.Context, c *elbv2.Client, kind, name, arn string) error {
	tags, err := c.Tags(ctx, arn)
	if err != nil {
		return err
	}
	if from := tags[arn][TagMigratedFrom]; from != r.plan.Source {
		return fmt.Errorf("%s %s: %w: it has no %s=%s tag, so a migration of %s did not make it; choose another name (--name)",
			kind, name, ErrTaken, TagMigratedFrom, r.plan.Source, r.plan.Source)
	}
	return nil
}

// findGroup is the target group named name, or nil when there is none.
func findGroup(ctx context.Context, c *elbv2.Client, name string) (*types.TargetGroup, error) {
	return first(c.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{Names: []string{name}}))
}

// findBalancer is the balancer named name, or nil when there is none.
func findBalancer(ctx context.Context, c *elbv2.Client, name string) (*types.LoadBalancer, error) {
	return first(c.LoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{Names: []string{name}}))
}

// first is the first item of a describe by name: nil when the name is unknown.
func first[T any](seq iter.Seq2[T, error]) (*T, error) {
	for item, err := range seq {
		if errors.Is(err, loadbalancer.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return &item, nil
	}
	return nil, nil
}

// targetGroup makes or finds the target group tg, and sets its attributes.
func (r *run) targetGroup(ctx context.Context, c *elbv2.Client, tg *TargetGroup) (string, error) {
	found, err := findGroup(ctx, c, tg.Name)
	if err != nil {
		return "", err
	}
	var arn string
	if found != nil {
		arn = aws.ToString(found.TargetGroupArn)
		if err := r.owned(ctx, c, kindGroup, tg.Name, arn); err != nil {
			return "", err
		}
		r.res.Found = append(r.res.Found, Resource{Kind: kindGroup, Name: tg.Name, ARN: arn})
	} else {
		made, err := c.CreateTargetGroup(ctx, groupInput(tg))
		if err != nil {
			r.mayHaveMade(err, r.deleteGroupNamed(c, tg.Name))
			return "", err
		}
		arn = aws.ToString(made.TargetGroupArn)
		r.made(kindGroup, tg.Name, arn, func(ctx context.Context) error { return deleteGroup(ctx, c, arn) })
	}
	if len(tg.Attributes) > 0 {
		if _, err := c.ModifyTargetGroupAttributes(ctx, arn, tg.Attributes); err != nil {
			return "", err
		}
	}
	return arn, nil
}

func groupInput(tg *TargetGroup) *elbv2sdk.CreateTargetGroupInput {
	hc := tg.HealthCheck
	in := &elbv2sdk.CreateTargetGroupInput{
		Name: aws.String(tg.Name), Protocol: types.ProtocolEnum(tg.Protocol), Port: aws.Int32(int32(tg.Port)),
		VpcId: aws.String(tg.VPCID), TargetType: types.TargetTypeEnumInstance,
		HealthCheckEnabled: aws.Bool(true), HealthCheckProtocol: types.ProtocolEnum(hc.Protocol),
		HealthCheckPort:            aws.String(hc.Port),
		HealthCheckIntervalSeconds: aws.Int32(int32(hc.IntervalSeconds)), HealthCheckTimeoutSeconds: aws.Int32(int32(hc.TimeoutSeconds)),
		HealthyThresholdCount: aws.Int32(int32(hc.HealthyThreshold)), UnhealthyThresholdCount: aws.Int32(int32(hc.UnhealthyThreshold)),
		Tags: sdkTags(tg.Tags),
	}
	if hc.Path != "" {
		in.HealthCheckPath = aws.String(hc.Path)
	}
	if hc.Matcher != "" {
		in.Matcher = &types.Matcher{HttpCode: aws.String(hc.Matcher)}
	}
	return in
}

// deleteGroup deletes a target group, waiting while a balancer being deleted still uses it.
func deleteGroup(ctx context.Context, c *elbv2.Client, arn string) error {
	for {
		err := c.DeleteTargetGroup(ctx, arn)
		if !awsclient.HasCode(err, "ResourceInUse") {
			return err
		}
		if werr := sleep(ctx, retryInUse); werr != nil {
			return errors.Join(err, werr)
		}
	}
}

// deleteGroupNamed takes back a target group a failed create may have made all the same.
func (r *run) deleteGroupNamed(c *elbv2.Client, name string) func(context.Context) error {
	return func(ctx context.Context) error {
		tg, err := findGroup(ctx, c, name)
		if err != nil || tg == nil || r.owned(ctx, c, kindGroup, name, aws.ToString(tg.TargetGroupArn)) != nil {
			return err
		}
		return deleteGroup(ctx, c, aws.ToString(tg.TargetGroupArn))
	}
}

// loadBalancer makes or finds the balancer b, and sets its attributes.
func (r *run) loadBalancer(ctx context.Context, c *elbv2.Client, b *Balancer) (*types.LoadBalancer, error) {
	lb, err := findBalancer(ctx, c, b.Name)
	if err != nil {
		return nil, err
	}
	if lb != nil {
		arn := aws.ToString(lb.LoadBalancerArn)
		if err := r.owned(ctx, c, kindBalancer, b.Name, arn); err != nil {
			return nil, err
		}
		if string(lb.Type) != b.Type {
			return nil, fmt.Errorf("%s %s: %w: it is of type %s, the plan's is %s", kindBalancer, b.Name, ErrTaken, lb.Type, b.Type)
		}
		r.res.Found = append(r.res.Found, Resource{Kind: kindBalancer, Name: b.Name, ARN: arn})
	} else {
		in := &elbv2sdk.CreateLoadBalancerInput{Name: aws.String(b.Name), Type: types.LoadBalancerTypeEnum(b.Type),
			Scheme: types.LoadBalancerSchemeEnum(b.Scheme), Subnets: b.Subnets, Tags: sdkTags(b.Tags)}
		if len(b.SecurityGroups) > 0 {
			in.SecurityGroups = b.SecurityGroups
		}
		made, err := c.CreateLoadBalancer(ctx, in)
		if err != nil {
			r.mayHaveMade(err, r.deleteBalancerNamed(c, b.Name))
			return nil, err
		}
		lb = &made
		arn := aws.ToString(made.LoadBalancerArn)
		r.made(kindBalancer, b.Name, arn, func(ctx context.Context) error { return c.DeleteLoadBalancer(ctx, arn) })
	}
	if len(b.Attributes) > 0 {
		if _, err := c.ModifyLoadBalancerAttributes(ctx, aws.ToString(lb.LoadBalancerArn), b.Attributes); err != nil {
			return nil, err
		}
	}
	return lb, nil
}

// deleteBalancerNamed takes back a balancer a failed create may have made all the same.
func (r *run) deleteBalancerNamed(c *elbv2.Client, name string) func(context.Context) error {
	return func(ctx context.Context) error {
		lb, err := findBalancer(ctx, c, name)
		if err != nil || lb == nil || r.owned(ctx, c, kindBalancer, name, aws.ToString(lb.LoadBalancerArn)) != nil {
			return err
		}
		return c.DeleteLoadBalancer(ctx, aws.ToString(lb.LoadBalancerArn))
	}
}

// listeners makes the planned listeners the balancer lacks; a listener on a planned port of
// a balancer the migration made is an earlier run's.
func (r *run) listeners(ctx context.Context, c *elbv2.Client, b *Balancer, lbARN string, groups map[string]string) error {
	existing := map[int32]string{}
	for l, err := range c.Listeners(ctx, lbARN) {
		if err != nil {
			return err
		}
		existing[aws.ToInt32(l.Port)] = aws.ToString(l.ListenerArn)
	}
	for _, l := range b.Listeners {
		name := l.Protocol + ":" + strconv.Itoa(l.Port)
		arn, ok := existing[int32(l.Port)]
		if ok {
			r.res.Found = append(r.res.Found, Resource{Kind: kindListener, Name: b.Name + " " + name, ARN: arn})
		} else {
			in := &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(int32(l.Port)),
				Protocol:       types.ProtocolEnum(l.Protocol),
				DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(groups[l.TargetGroup])}}}
			if l.Certificate != "" {
				in.Certificates = []types.Certificate{{CertificateArn: aws.String(l.Certificate)}}
			}
			if l.SSLPolicy != "" {
				in.SslPolicy = aws.String(l.SSLPolicy)
			}
			made, err := c.CreateListener(ctx, in)
			if err != nil {
				return err // a listener goes with its balancer, which the undo deletes when this run made it
			}
			arn = aws.ToString(made.ListenerArn)
			r.made(kindListener, b.Name+" "+name, arn, func(ctx context.Context) error { return c.DeleteListener(ctx, arn) })
		}
		if len(l.Attributes) > 0 {
			if _, err := c.ModifyListenerAttributes(ctx, arn, l.Attributes); err != nil {
				return err
			}
		}
	}
	return nil
}

// register registers the planned instances the target group lacks; a failure later takes back
// only the registrations this run made.
func (r *run) register(ctx context.Context, c *elbv2.Client, tg *TargetGroup, arn string) error {
	health, err := c.TargetHealth(ctx, arn)
	if err != nil {
		return err
	}
	var missing []types.TargetDescription
	for _, id := range tg.Targets {
		if !slices.ContainsFunc(health, func(h types.TargetHealthDescription) bool {
			return h.Target != nil && aws.ToString(h.Target.Id) == id && aws.ToInt32(h.Target.Port) == int32(tg.Port)
		}) {
			missing = append(missing, elbv2.Target(id, int32(tg.Port)))
		}
	}
	if len(missing) == 0 {
		return nil
	}
	if err := c.RegisterTargets(ctx, arn, missing...); err != nil {
		return err
	}
	r.changed(func(ctx context.Context) error {
		err := c.DeregisterTargets(ctx, arn, missing...)
		if errors.Is(err, loadbalancer.ErrNotFound) {
			return nil // the group went with this run's undo
		}
		return err
	})
	return nil
}

func sdkTags(tags map[string]string) []types.Tag {
	return awsclient.KeyValueList(tags, func(k, v *string) types.Tag { return types.Tag{Key: k, Value: v} })
}
