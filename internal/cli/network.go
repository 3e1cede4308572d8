package cli

import (
	"context"

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
	return group("subnets", "Attach and detach VPC subnets",
		a.listCommand("attach NAME SUBNET...", "Attach subnets; prints the balancer's subnets", "SUBNET",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.AttachSubnets(ctx, name, items...)
			}),
		a.listCommand("detach NAME SUBNET...", "Detach subnets; prints the balancer's subnets", "SUBNET",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.DetachSubnets(ctx, name, items...)
			}))
}

func (a *app) securityGroupsCommand() *cobra.Command {
	return group("security-groups", "Set a VPC balancer's security groups",
		a.listCommand("apply NAME SG...", "Replace the security groups; prints the balancer's groups", "SECURITY GROUP",
			func(ctx context.Context, s *session, name string, items ...string) ([]string, error) {
				return s.elb.ApplySecurityGroups(ctx, name, items...)
			}))
}
