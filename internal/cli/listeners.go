package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func (a *app) listenersCommand() *cobra.Command {
	var (
		spec                 elb.ListenerSpec
		proto, instanceProto string
	)
	create := &cobra.Command{
		Use:     "create NAME --port PORT --instance-port PORT --protocol PROTOCOL",
		Short:   "Add a listener to a balancer",
		Example: "  lbctl listeners create web --port 443 --instance-port 80 --protocol https --instance-protocol http --certificate ARN",
		Args:    nArgs(1, 1),
	}
	a.command(create, func(ctx context.Context, s *session, args []string) error {
		spec.Protocol = loadbalancer.Protocol(strings.ToUpper(proto))
		spec.InstanceProtocol = loadbalancer.Protocol(strings.ToUpper(instanceProto))
		if err := s.elb.CreateBalancerListeners(ctx, args[0], []elb.ListenerSpec{spec}); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "created listener", Port: spec.LoadBalancerPort})
	})
	f := create.Flags()
	f.IntVar(&spec.LoadBalancerPort, "port", 0, "front-end port (required)")
	f.IntVar(&spec.InstancePort, "instance-port", 0, "back-end port (required)")
	f.StringVar(&proto, "protocol", "", "front-end protocol: http, https, tcp or ssl (required)")
	f.StringVar(&instanceProto, "instance-protocol", "", "back-end protocol (default: the front-end protocol)")
	f.StringVar(&spec.CertificateID, "certificate", "", "certificate ARN, for https and ssl")
	for _, name := range []string{"port", "instance-port", "protocol"} {
		_ = create.MarkFlagRequired(name)
	}
	for _, name := range []string{"protocol", "instance-protocol"} {
		_ = create.RegisterFlagCompletionFunc(name, fixedCompletion("http", "https", "tcp", "ssl"))
	}

	del := &cobra.Command{
		Use:   "delete NAME PORT...",
		Short: "Remove listeners by front-end port",
		Args:  nArgs(2, -1),
	}
	a.command(del, func(ctx context.Context, s *session, args []string) error {
		ports := make([]int, 0, len(args)-1)
		for _, p := range args[1:] {
			n, err := parsePort(del, p)
			if err != nil {
				return err
			}
			ports = append(ports, n)
		}
		if err := s.elb.DeleteBalancerListeners(ctx, args[0], ports...); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "deleted listeners", Items: args[1:]})
	})

	return group("listeners", "Add and remove listeners", create, del)
}

func (a *app) certificateCommand() *cobra.Command {
	set := &cobra.Command{
		Use:   "set NAME PORT ARN",
		Short: "Replace the certificate of an https or ssl listener",
		Args:  nArgs(3, 3),
	}
	a.command(set, func(ctx context.Context, s *session, args []string) error {
		port, err := parsePort(set, args[1])
		if err != nil {
			return err
		}
		if err := s.elb.SetListenerSSLCertificate(ctx, args[0], port, args[2]); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "set certificate", Port: port, Items: args[2:]})
	})
	return group("certificate", "Manage listener certificates", set)
}
