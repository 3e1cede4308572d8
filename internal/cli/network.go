package cli

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"
)

// listResult is the output of commands that return a balancer's new list of zones, subnets
// or security groups.
type listResult struct {
	LoadBalancer string   `json:"load_balancer"`
	Items        []string `json:"items"`
}

// listCommand builds NAME ITEM... commands whose call returns the balancer's resulting list.
func (a *app) listCommand(use, short, column string, call func(ctx context.Context, s *session, name string, items ...string) ([]string, error)) *cobra.Command {
	return a.command(&cobra.Command{
		Use:   use,
		Short: short,
		Args:  nArgs(2, -1),
	}, func(ctx context.Context, s *session, args []string) error {
		items, err := call(ctx, s, args[0], args[1:]...)
		if err != nil {
			return err
		}
		if items == nil {
			items = []string{}
		}
		r := listResult{LoadBalancer: args[0], Items: items}
		return a.render(r, func() table {
			t := table{header: []string{column}}
			for _, it := range items {
				t.add(it)
			}
			return t
		})
	})
}

func (a *app) zonesCommand() *cobra.Command {
	return group("zones", "Enable and disable availability zones (EC2-Classic and default VPC balancers)",
		a.listCommand("enable NAME ZONE...", "Add availability zones; prints the balancer's zones", "ZONE",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.EnableZones(ctx, name, items...)
			}),
		a.listCommand("disable NAME ZONE...", "Remove availability zones; prints the balancer's zones", "ZONE",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.DisableZones(ctx, name, items...)
			}))
}

func (a *app) subnetsCommand() *cobra.Command {
	classic := func(c *cobra.Command) *cobra.Command {
		return onlyFor(c, "an ELBv2 balancer's subnets are replaced: 'subnets set NAME SUBNET...'", apiClassic)
	}
	set := a.listCommand("set NAME SUBNET...", "Replace an ELBv2 balancer's subnets (an NLB's can only be added to); prints them", "SUBNET",
		func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
			arn, err := s.balancerARN(ctx, name)
			if err != nil {
				return nil, err
			}
			out, err := s.v2.SetSubnets(ctx, &elbv2sdk.SetSubnetsInput{LoadBalancerArn: aws.String(arn), Subnets: items})
			if err != nil {
				return nil, err
			}
			var subnets []string
			for _, z := range out.AvailabilityZones {
				subnets = append(subnets, aws.ToString(z.SubnetId))
			}
			return subnets, nil
		})
	return group("subnets", "Attach and detach (Classic) or set (ELBv2) a balancer's VPC subnets",
		classic(a.listCommand("attach NAME SUBNET...", "Attach subnets; prints the balancer's subnets", "SUBNET",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.AttachSubnets(ctx, name, items...)
			})),
		classic(a.listCommand("detach NAME SUBNET...", "Detach subnets; prints the balancer's subnets", "SUBNET",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.DetachSubnets(ctx, name, items...)
			})),
		onlyFor(set, "a Classic balancer's subnets are attached and detached: 'subnets attach|detach NAME SUBNET...'", v2Only...))
}

func (a *app) securityGroupsCommand() *cobra.Command {
	var enforce string
	apply := a.listCommand("apply NAME SG...", "Replace the security groups; prints the balancer's groups", "SECURITY GROUP",
		func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
			if s.v2 == nil {
				return s.elb.ApplySecurityGroups(ctx, name, items...)
			}
			arn, err := s.balancerARN(ctx, name)
			if err != nil {
				return nil, err
			}
			in := &elbv2sdk.SetSecurityGroupsInput{LoadBalancerArn: aws.String(arn), SecurityGroups: items,
				EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic: types.EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum(enforce)}
			out, err := s.v2.SetSecurityGroups(ctx, in)
			if err != nil {
				return nil, err
			}
			return out.SecurityGroupIds, nil
		})
	apply.PreRunE = func(cmd *cobra.Command, _ []string) error {
		if err := a.flagsFor(cmd, []string{apiNLB}, "only an NLB filters PrivateLink traffic by security group", "enforce-private-link"); err != nil {
			return err
		}
		return checkOnOff(cmd, "enforce-private-link", enforce)
	}
	apply.Flags().StringVar(&enforce, "enforce-private-link", "", "NLB: on|off, whether the inbound rules apply to PrivateLink traffic")
	_ = apply.RegisterFlagCompletionFunc("enforce-private-link", fixedCompletion("on", "off"))
	return group("security-groups", "Set a VPC balancer's security groups", apply)
}

// checkOnOff refuses a flag value other than on or off (unset is fine).
func checkOnOff(cmd *cobra.Command, flag, v string) error {
	if v != "" && v != "on" && v != "off" {
		return usagef(cmd, "--%s must be on or off, not %q", flag, v)
	}
	return nil
}
