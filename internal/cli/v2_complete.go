package cli

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/spf13/cobra"
)

// Completion of ELBv2 arguments: target groups, trust stores and SSL policies by name, a
// balancer's listeners by port, a listener's rules by priority.

func (a *app) completeTargetGroups(many bool) cobra.CompletionFunc {
	return a.completeArgs(many, targetGroupNames)
}

// completeListeners completes NAME PORT, and with rules, PRIORITY after them.
func (a *app) completeListeners(rules bool) cobra.CompletionFunc {
	if rules {
		return a.completeArgs(false, balancerNames, listenerPortsOf, rulePriorities)
	}
	return a.completeArgs(false, balancerNames, listenerPortsOf)
}

func targetGroupNames(ctx context.Context, s *session, _ []string) ([]string, error) {
	var names []string
	for tg, err := range s.v2.TargetGroups(ctx, nil) {
		if err != nil {
			return nil, err
		}
		names = append(names, aws.ToString(tg.TargetGroupName))
	}
	return names, nil
}

func trustStoreNames(ctx context.Context, s *session, _ []string) ([]string, error) {
	var names []string
	for ts, err := range s.v2.TrustStores(ctx, nil) {
		if err != nil {
			return nil, err
		}
		names = append(names, aws.ToString(ts.Name))
	}
	return names, nil
}

func sslPolicyNames(ctx context.Context, s *session, _ []string) ([]string, error) {
	var names []string
	for p, err := range s.v2.SSLPolicies(ctx, &elbv2sdk.DescribeSSLPoliciesInput{LoadBalancerType: lbTypes[s.api]}) {
		if err != nil {
			return nil, err
		}
		names = append(names, aws.ToString(p.Name))
	}
	return names, nil
}

func rulePriorities(ctx context.Context, s *session, args []string) ([]string, error) {
	arn, err := listenerArg(ctx, s, args)
	if err != nil {
		return nil, err
	}
	var out []string
	for r, err := range s.v2.Rules(ctx, arn) {
		if err != nil {
			return nil, err
		}
		if !aws.ToBool(r.IsDefault) {
			out = append(out, aws.ToString(r.Priority))
		}
	}
	return out, nil
}
