package cli

import (
	"context"
	"strings"

	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/spf13/cobra"
)

// sslPoliciesCommand lists the security policies an ELBv2 https or tls listener can take
// (--ssl-policy): Classic's are predefined policies instead ('policies list --predefined').
func (a *app) sslPoliciesCommand() *cobra.Command {
	list := a.command(&cobra.Command{
		Use:               "list [POLICY...]",
		Short:             "List the security policies of the API's listeners (all, or those named)",
		Example:           "  lbctl --api alb ssl-policies list ELBSecurityPolicy-TLS13-1-2-2021-06 -o yaml",
		Args:              nArgs(0, -1),
		ValidArgsFunction: a.completeArgs(true, sslPolicyNames),
	}, func(ctx context.Context, s *session, args []string) error {
		in := &elbv2sdk.DescribeSSLPoliciesInput{Names: args}
		if len(args) == 0 {
			in.LoadBalancerType = lbTypes[s.api]
		}
		ps, err := collect(s.v2.SSLPolicies(ctx, in))
		if err != nil {
			return err
		}
		out := make([]sslPolicyJSON, len(ps))
		for i, p := range ps {
			out[i] = sslPolicyView(p)
		}
		return a.render(out, func() table {
			t := table{header: []string{"NAME", "PROTOCOLS", "CIPHERS"}}
			for _, p := range out {
				t.add(p.Name, join(p.Protocols), strings.Join(p.Ciphers, " "))
			}
			return t
		})
	})
	return onlyFor(group("ssl-policies", "List the security policies of ELBv2 https and tls listeners", list),
		"Classic's security policies are policies of type SSLNegotiationPolicyType: 'lbctl policies types'", v2Only...)
}
