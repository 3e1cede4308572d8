package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
)

// attributeCall reads (set nil) or changes the attributes of the ELBv2 resource args name,
// returning them all as they now are.
type attributeCall func(ctx context.Context, s *session, args []string, set map[string]string) (map[string]string, error)

// attributesOf builds the 'attributes get|set' commands of an ELBv2 resource named by use
// ("TARGET_GROUP", "NAME PORT").
func (a *app) attributesOf(what, use string, complete cobra.CompletionFunc, call attributeCall) *cobra.Command {
	n := len(strings.Fields(use))
	get := a.command(&cobra.Command{
		Use:               "get " + use,
		Short:             "Show every attribute of a " + what,
		Args:              nArgs(n, n),
		ValidArgsFunction: complete,
	}, func(ctx context.Context, s *session, args []string) error {
		m, err := call(ctx, s, args, nil)
		if err != nil {
			return err
		}
		return a.renderAttributeMap(m)
	})

	var kvs []string
	var set map[string]string
	setCmd := a.command(&cobra.Command{
		Use:               "set " + use + " --attr KEY=VALUE...",
		Short:             "Change attributes of a " + what + "; prints them all",
		Args:              nArgs(n, n),
		ValidArgsFunction: complete,
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			if len(kvs) == 0 {
				return usagef(cmd, "at least one --attr KEY=VALUE is required ('%s get' lists the keys)", cmd.Parent().CommandPath())
			}
			set, err = parseKeyValues(cmd, "--attr", kvs)
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		m, err := call(ctx, s, args, set)
		if err != nil {
			return err
		}
		return a.renderAttributeMap(m)
	})
	setCmd.Flags().StringArrayVar(&kvs, "attr", nil, "attribute KEY=VALUE, as ELBv2 names it (repeatable)")
	return group("attributes", "Show and change a "+what+"'s attributes", get, setCmd)
}

func (a *app) renderAttributeMap(m map[string]string) error {
	if m == nil {
		m = map[string]string{}
	}
	return a.render(m, func() table {
		t := table{header: []string{"KEY", "VALUE"}}
		for _, k := range sortedKeys(m) {
			t.add(k, m[k])
		}
		return t
	})
}

// balancerAttributes reads (set nil) or changes the attributes of the ELBv2 balancer args[0].
func balancerAttributes(ctx context.Context, s *session, args []string, set map[string]string) (map[string]string, error) {
	arn, err := s.balancerARN(ctx, args[0])
	if err != nil {
		return nil, err
	}
	if set == nil {
		return s.v2.LoadBalancerAttributes(ctx, arn)
	}
	return s.v2.ModifyLoadBalancerAttributes(ctx, arn, set)
}
