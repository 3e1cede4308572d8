package cli

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// policyJSON is the stable output form of a policy (the library type has no JSON names).
type policyJSON struct {
	Name       string            `json:"name"`
	Type       string            `json:"type"`
	Attributes map[string]string `json:"attributes"`
}

type policyTypeJSON struct {
	Name        string              `json:"name"`
	Description string              `json:"description"`
	Attributes  []attributeTypeJSON `json:"attributes"`
}

type attributeTypeJSON struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Cardinality string `json:"cardinality"`
	Default     string `json:"default,omitempty"`
	Description string `json:"description,omitempty"`
}

func (a *app) policiesCommand() *cobra.Command {
	list := a.command(&cobra.Command{
		Use:   "list NAME",
		Short: "List a balancer's policies with their types and attributes",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, args []string) error {
		ps, err := s.elb.DescribeBalancerPolicies(ctx, args[0])
		if err != nil {
			return err
		}
		out := make([]policyJSON, len(ps))
		for i, p := range ps {
			out[i] = policyJSON{Name: p.Name, Type: p.Type, Attributes: p.Attributes}
			if out[i].Attributes == nil {
				out[i].Attributes = map[string]string{}
			}
		}
		return a.render(out, func() table {
			t := table{header: []string{"NAME", "TYPE", "ATTRIBUTES"}}
			for _, p := range out {
				t.add(p.Name, p.Type, abbreviate(attributesSummary(p.Attributes), 100))
			}
			return t
		})
	})

	types := a.command(&cobra.Command{
		Use:   "types [TYPE...]",
		Short: "List the policy types and the attributes they take",
		Args:  nArgs(0, -1),
	}, func(ctx context.Context, s *session, args []string) error {
		pts, err := s.elb.DescribePolicyTypes(ctx, args...)
		if err != nil {
			return err
		}
		out := make([]policyTypeJSON, len(pts))
		for i, pt := range pts {
			out[i] = policyTypeJSON{Name: pt.Name, Description: pt.Description, Attributes: []attributeTypeJSON{}}
			for _, at := range pt.Attributes {
				out[i].Attributes = append(out[i].Attributes, attributeTypeJSON(at))
			}
		}
		return a.render(out, func() table {
			t := table{header: []string{"NAME", "ATTRIBUTES", "DESCRIPTION"}}
			for _, pt := range out {
				names := make([]string, len(pt.Attributes))
				for i, at := range pt.Attributes {
					names[i] = at.Name
				}
				t.add(pt.Name, abbreviate(join(names), 50), abbreviate(pt.Description, 70))
			}
			return t
		})
	})

	var (
		ptype string
		attrs []string
		m     map[string]string
	)
	create := a.command(&cobra.Command{
		Use:     "create NAME POLICY --type TYPE [--attr KEY=VALUE]...",
		Short:   "Create a policy on a balancer",
		Example: "  lbctl policies create web EnableProxyProtocol --type ProxyProtocolPolicyType --attr ProxyProtocol=true",
		Args:    nArgs(2, 2),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			m, err = parseKeyValues(cmd, "--attr", attrs)
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.elb.CreateBalancerPolicy(ctx, args[0], args[1], ptype, m); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "created", Policy: args[1]})
	})
	create.Flags().StringVar(&ptype, "type", "", "policy type (see 'lbctl policies types') (required)")
	create.Flags().StringArrayVar(&attrs, "attr", nil, "attribute KEY=VALUE (repeatable)")
	_ = create.MarkFlagRequired("type")

	del := a.command(&cobra.Command{
		Use:   "delete NAME POLICY",
		Short: "Delete a policy that no listener or backend uses",
		Args:  nArgs(2, 2),
	}, func(ctx context.Context, s *session, args []string) error {
		// AWS answers success for a policy that does not exist; the user is told which it was.
		names, err := s.elb.ListBalancerPolicies(ctx, args[0])
		if err != nil {
			return err
		}
		if !slices.Contains(names, args[1]) {
			return a.done(actionResult{LoadBalancer: args[0], Action: "nothing to delete", Policy: args[1], Note: "the balancer has no policy of that name"})
		}
		if err := s.elb.DeleteBalancerPolicy(ctx, args[0], args[1]); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "deleted", Policy: args[1]})
	})

	return group("policies", "Manage balancer policies (proxy protocol, stickiness, SSL negotiation)",
		list, types, create, del,
		a.setPoliciesCommand("set-listener", "Set the policies of a listener (none: clear)", (*elb.Client).SetBalancerPoliciesOfListener),
		a.setPoliciesCommand("set-backend", "Set the policies of a backend instance port (none: clear)", (*elb.Client).SetBalancerPoliciesBackendServer),
		a.stickyAppCommand(), a.stickyLBCommand())
}

func (a *app) setPoliciesCommand(use, short string, set func(*elb.Client, context.Context, string, int, []string) error) *cobra.Command {
	var port int
	return a.command(&cobra.Command{
		Use:   use + " NAME PORT [POLICY...]",
		Short: short,
		Args:  nArgs(2, -1),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			port, err = parsePort(cmd, args[1])
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		policies := args[2:]
		if err := set(s.elb, ctx, args[0], port, policies); err != nil {
			return err
		}
		action := "set policies"
		if len(policies) == 0 {
			action = "cleared policies"
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: action, Port: port, Items: policies})
	})
}

func (a *app) stickyAppCommand() *cobra.Command {
	var cookie string
	c := a.command(&cobra.Command{
		Use:   "sticky-app NAME POLICY --cookie COOKIE",
		Short: "Create a stickiness policy that follows an application cookie",
		Args:  nArgs(2, 2),
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.elb.CreateAppCookieStickinessPolicy(ctx, args[0], args[1], cookie); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "created", Policy: args[1]})
	})
	c.Flags().StringVar(&cookie, "cookie", "", "name of the application's cookie (required)")
	_ = c.MarkFlagRequired("cookie")
	return c
}

func (a *app) stickyLBCommand() *cobra.Command {
	var expiration time.Duration
	c := a.command(&cobra.Command{
		Use:   "sticky-lb NAME POLICY [--expiration DURATION]",
		Short: "Create a stickiness policy with a balancer-generated cookie",
		Args:  nArgs(2, 2),
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.elb.CreateLBCookieStickinessPolicy(ctx, args[0], args[1], expiration); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "created", Policy: args[1]})
	})
	c.Flags().DurationVar(&expiration, "expiration", 0, "cookie lifetime, whole seconds (default: the browser session)")
	return c
}

// abbreviate shortens s to at most n runes for table cells.
func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimSpace(string(r[:n-3])) + "..."
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// attributesSummary lists a policy's attributes for the table. SSL negotiation policies have
// over a hundred switches, nearly all false, so false ones are counted rather than listed.
func attributesSummary(attrs map[string]string) string {
	var parts []string
	off := 0
	for _, k := range sortedKeys(attrs) {
		if attrs[k] == "false" && len(attrs) > 5 {
			off++
			continue
		}
		parts = append(parts, k+"="+attrs[k])
	}
	s := strings.Join(parts, ",")
	if off > 0 {
		// First, so that abbreviating a long list never hides it.
		s = fmt.Sprintf("(%d false) %s", off, s)
	}
	return s
}
