package cli

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// candidates lists what an argument may be, given the arguments before it.
type candidates func(ctx context.Context, s *session, args []string) ([]string, error)

// completeNames completes balancer names: the first argument only, or every one (many).
func (a *app) completeNames(many bool) cobra.CompletionFunc {
	return a.completeArgs(many, balancerNames)
}

// completeArgs completes argument i with at[i], and, with many, every argument past the
// end with the last. Completion must stay quick and harmless, so it gives up after a few
// seconds and, with the local provider, never creates a state file that does not exist yet.
func (a *app) completeArgs(many bool, at ...candidates) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		const none = cobra.ShellCompDirectiveNoFileComp
		i := len(args)
		if i >= len(at) && many {
			i = len(at) - 1
		}
		if i >= len(at) || a.resolveGlobals(cmd) != nil {
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
		all, err := at[i](ctx, s, args)
		if err != nil {
			return nil, none
		}
		var out []cobra.Completion
		for _, c := range all {
			if strings.HasPrefix(c, toComplete) {
				out = append(out, c)
			}
		}
		return out, none
	}
}

func balancerNames(ctx context.Context, s *session, _ []string) ([]string, error) {
	lbs, err := s.svc.ListBalancers(ctx, loadbalancer.ListOptions{})
	names := make([]string, len(lbs))
	for i, lb := range lbs {
		names[i] = lb.Name
	}
	return names, err
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
