package cli

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"
)

// An ELBv2 https or tls listener has a default certificate and, for SNI, a list of more.

// setDefaultCertificate replaces the default certificate of the listener on lb's port.
func (s *session) setDefaultCertificate(ctx context.Context, lb string, port int, arn string) error {
	l, err := s.listenerAt(ctx, lb, port)
	if err != nil {
		return err
	}
	_, err = s.v2.ModifyListener(ctx, &elbv2sdk.ModifyListenerInput{ListenerArn: l.ListenerArn,
		Certificates: []types.Certificate{{CertificateArn: aws.String(arn)}}})
	return err
}

func (a *app) listenerCertificatesCommand() *cobra.Command {
	var port int
	parsePortArg := func(cmd *cobra.Command, args []string) (err error) {
		port, err = parsePort(cmd, args[1])
		return err
	}
	complete := a.completeListeners(false)

	list := a.onResource(&cobra.Command{
		Use:               "list NAME PORT",
		Short:             "List a listener's certificates, the default one marked",
		Args:              nArgs(2, 2),
		ValidArgsFunction: complete,
		PreRunE:           parsePortArg,
	}, listenerArg, func(ctx context.Context, s *session, arn string, args []string) error {
		certs, err := collect(s.v2.ListenerCertificates(ctx, arn))
		if err != nil {
			return err
		}
		out := make([]certificateJSON, len(certs))
		for i, c := range certs {
			out[i] = certificateJSON{ARN: aws.ToString(c.CertificateArn), Default: aws.ToBool(c.IsDefault)}
		}
		return a.render(out, func() table {
			t := table{header: []string{"CERTIFICATE", "DEFAULT"}}
			for _, c := range out {
				t.add(c.ARN, strconv.FormatBool(c.Default))
			}
			return t
		})
	})

	change := func(verb, did, short string, call func(ctx context.Context, s *session, listener string, arns ...string) error) *cobra.Command {
		return a.onResource(&cobra.Command{
			Use:               verb + " NAME PORT ARN...",
			Short:             short,
			Args:              nArgs(3, -1),
			ValidArgsFunction: complete,
			PreRunE:           parsePortArg,
		}, listenerArg, func(ctx context.Context, s *session, arn string, args []string) error {
			if err := call(ctx, s, arn, args[2:]...); err != nil {
				return err
			}
			return a.done(actionResult{LoadBalancer: args[0], Action: did + " certificates", Port: port, Items: args[2:]})
		})
	}
	add := change("add", "added", "Add certificates to a listener's list (SNI)", func(ctx context.Context, s *session, l string, arns ...string) error {
		return s.v2.AddListenerCertificates(ctx, l, arns...)
	})
	remove := change("remove", "removed", "Remove certificates from a listener's list", func(ctx context.Context, s *session, l string, arns ...string) error {
		return s.v2.RemoveListenerCertificates(ctx, l, arns...)
	})
	return group("certificates", "List, add and remove the certificates of an ELBv2 listener (SNI)", list, add, remove)
}
