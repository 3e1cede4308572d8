package cli

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// completeNames completes balancer names: the first argument only, or every one (many).
// Completion must stay quick and harmless, so it gives up after a few seconds and, with the
// local provider, never creates a state file that does not exist yet.
func (a *app) completeNames(many bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		const none = cobra.ShellCompDirectiveNoFileComp
		if (len(args) > 0 && !many) || a.resolveGlobals(cmd) != nil {
			return nil, none
		}
		if a.where.local {
			path, err := statePath()
			if err != nil {
				return nil, none
			}
			if _, err := os.Stat(path); err != nil {
				return nil, none
			}
		}
		ctx := cmd.Context()
		if ctx == nil {
			ctx = context.Background()
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		s, err := a.connect(ctx)
		if err != nil {
			return nil, none
		}
		defer s.close()
		lbs, err := s.svc.ListBalancers(ctx, loadbalancer.ListOptions{})
		if err != nil {
			return nil, none
		}
		var names []cobra.Completion
		for _, lb := range lbs {
			if strings.HasPrefix(lb.Name, toComplete) {
				names = append(names, lb.Name)
			}
		}
		return names, none
	}
}

// completeProtocols offers the API's listener protocols.
func (a *app) completeProtocols(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if a.resolveGlobals(cmd) != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return lowerAll(a.protocols()), cobra.ShellCompDirectiveNoFileComp
}

// completeAlgorithms offers the algorithms the API can honour.
func (a *app) completeAlgorithms(cmd *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if a.resolveGlobals(cmd) != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return a.algorithms(), cobra.ShellCompDirectiveNoFileComp
}
