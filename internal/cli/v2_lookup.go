package cli

import (
	"context"
	"iter"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/internal/awsclient"
)

// ELBv2 commands name things as people do (a balancer or target group by name, a listener
// by its balancer and port, a rule by its listener and priority) or by ARN; these find the
// ARNs the API wants. What is not there is an error with ELBv2's own code.

func isARN(id string) bool { return strings.HasPrefix(id, "arn:") }

// lbTypes are the ELBv2 load balancer types of the APIs.
var lbTypes = map[string]types.LoadBalancerTypeEnum{apiALB: types.LoadBalancerTypeEnumApplication, apiNLB: types.LoadBalancerTypeEnumNetwork}

// balancerARN returns the ARN of the balancer given by name or ARN, which must be of the
// session's type: an NLB is not found by the alb commands, and the error says which API has it.
func (s *session) balancerARN(ctx context.Context, id string) (string, error) {
	in := &elbv2sdk.DescribeLoadBalancersInput{Names: []string{id}}
	if isARN(id) {
		in = &elbv2sdk.DescribeLoadBalancersInput{LoadBalancerArns: []string{id}}
	}
	lb, err := first(s.v2.LoadBalancers(ctx, in))
	switch {
	case err != nil:
		return "", err
	case lb == nil:
		return "", s.notFound("DescribeLoadBalancers", "LoadBalancerNotFound", "there is no load balancer %q", id)
	case lb.Type != lbTypes[s.api]:
		other := apiALB
		if lb.Type == types.LoadBalancerTypeEnumNetwork {
			other = apiNLB
		}
		return "", s.notFound("DescribeLoadBalancers", "LoadBalancerNotFound", "%q is a load balancer of type %s: use --api %s", id, lb.Type, other)
	}
	return aws.ToString(lb.LoadBalancerArn), nil
}

// listenerAt returns the listener of the balancer lb on port.
func (s *session) listenerAt(ctx context.Context, lb string, port int) (types.Listener, error) {
	arn, err := s.balancerARN(ctx, lb)
	if err != nil {
		return types.Listener{}, err
	}
	for l, err := range s.v2.Listeners(ctx, arn) {
		if err != nil {
			return types.Listener{}, err
		}
		if int(aws.ToInt32(l.Port)) == port {
			return l, nil
		}
	}
	return types.Listener{}, s.notFound("DescribeListeners", "ListenerNotFound", "load balancer %s has no listener on port %d", lb, port)
}

// finder finds the ARN of the ELBv2 resource a command's arguments name.
type finder func(ctx context.Context, s *session, args []string) (string, error)

// onResource builds a command on the resource its first arguments name: found by find before
// run is given its ARN.
func (a *app) onResource(c *cobra.Command, find finder, run func(ctx context.Context, s *session, arn string, args []string) error) *cobra.Command {
	return a.command(c, func(ctx context.Context, s *session, args []string) error {
		arn, err := find(ctx, s, args)
		if err != nil {
			return err
		}
		return run(ctx, s, arn, args)
	})
}

// The finders of the resources commands name first: a balancer, target group or trust
// store by name or ARN, a listener by balancer and port.
func balancerArg(ctx context.Context, s *session, args []string) (string, error) {
	return s.balancerARN(ctx, args[0])
}

func targetGroupArg(ctx context.Context, s *session, args []string) (string, error) {
	return s.targetGroupARN(ctx, args[0])
}

func trustStoreArg(ctx context.Context, s *session, args []string) (string, error) {
	return s.trustStoreARN(ctx, args[0])
}

// listenerArg is the ARN of the listener that args name: balancer args[0], port args[1]
// (which the command has checked is a number).
func listenerArg(ctx context.Context, s *session, args []string) (string, error) {
	port, err := strconv.Atoi(args[1])
	if err != nil {
		return "", err
	}
	l, err := s.listenerAt(ctx, args[0], port)
	return aws.ToString(l.ListenerArn), err
}

// ruleAt returns the rule of the listener on lb's port with the given priority.
func (s *session) ruleAt(ctx context.Context, lb string, port int, priority string) (types.Rule, error) {
	l, err := s.listenerAt(ctx, lb, port)
	if err != nil {
		return types.Rule{}, err
	}
	for r, err := range s.v2.Rules(ctx, aws.ToString(l.ListenerArn)) {
		if err != nil {
			return types.Rule{}, err
		}
		if aws.ToString(r.Priority) == priority {
			return r, nil
		}
	}
	return types.Rule{}, s.notFound("DescribeRules", "RuleNotFound", "the listener of %s on port %d has no rule of priority %s", lb, port, priority)
}

// targetGroup returns the target group given by name or ARN.
func (s *session) targetGroup(ctx context.Context, id string) (types.TargetGroup, error) {
	in := &elbv2sdk.DescribeTargetGroupsInput{Names: []string{id}}
	if isARN(id) {
		in = &elbv2sdk.DescribeTargetGroupsInput{TargetGroupArns: []string{id}}
	}
	tg, err := first(s.v2.TargetGroups(ctx, in))
	if err == nil && tg == nil {
		err = s.notFound("DescribeTargetGroups", "TargetGroupNotFound", "there is no target group %q", id)
	}
	if err != nil {
		return types.TargetGroup{}, err
	}
	return *tg, nil
}

// targetGroupARN is the ARN of the target group given by name or ARN; an ARN is taken as it is.
func (s *session) targetGroupARN(ctx context.Context, id string) (string, error) {
	if isARN(id) {
		return id, nil
	}
	tg, err := s.targetGroup(ctx, id)
	return aws.ToString(tg.TargetGroupArn), err
}

// trustStoreARN is the ARN of the trust store given by name or ARN.
func (s *session) trustStoreARN(ctx context.Context, id string) (string, error) {
	if isARN(id) {
		return id, nil
	}
	ts, err := first(s.v2.TrustStores(ctx, &elbv2sdk.DescribeTrustStoresInput{Names: []string{id}}))
	if err == nil && ts == nil {
		err = s.notFound("DescribeTrustStores", "TrustStoreNotFound", "there is no trust store %q", id)
	}
	if err != nil {
		return "", err
	}
	return aws.ToString(ts.TrustStoreArn), nil
}

// defaultVPC is the region's default VPC, where target groups go unless told otherwise.
func (s *session) defaultVPC(ctx context.Context) (string, error) {
	var c *ec2.Client
	s.svc.As(&c)
	out, err := c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("is-default"), Values: []string{"true"}}}})
	if err != nil {
		return "", awsclient.Wrap(s.api, "DescribeVpcs", err)
	}
	if len(out.Vpcs) == 0 {
		return "", s.notFound("DescribeVpcs", "InvalidVpcID.NotFound", "the region has no default VPC: give --vpc")
	}
	return aws.ToString(out.Vpcs[0].VpcId), nil
}

func (s *session) notFound(op, code, format string, args ...any) error {
	return awsclient.NotFound(s.api, op, code, format, args...)
}

// first is the first item of a sequence, nil when it is empty.
func first[T any](seq iter.Seq2[T, error]) (*T, error) {
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		return &v, nil
	}
	return nil, nil
}

// collect gathers a sequence, stopping at the first error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// nameOfARN is the name inside an ELBv2 ARN (…:targetgroup/NAME/ID), or the ARN itself.
func nameOfARN(arn string) string {
	_, res, ok := strings.Cut(arn, ":targetgroup/")
	if !ok {
		_, res, ok = strings.Cut(arn, ":loadbalancer/")
		if ok {
			_, res, _ = strings.Cut(res, "/") // app/, net/
		}
	}
	if name, _, found := strings.Cut(res, "/"); ok && found {
		return name
	}
	return arn
}

// resolveActions replaces the target group names of forward actions by their ARNs.
func (s *session) resolveActions(ctx context.Context, actions []types.Action) error {
	resolve := func(p **string) error {
		if *p == nil || isARN(**p) {
			return nil
		}
		arn, err := s.targetGroupARN(ctx, **p)
		*p = aws.String(arn)
		return err
	}
	for i := range actions {
		if err := resolve(&actions[i].TargetGroupArn); err != nil {
			return err
		}
		if fc := actions[i].ForwardConfig; fc != nil {
			for j := range fc.TargetGroups {
				if err := resolve(&fc.TargetGroups[j].TargetGroupArn); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
