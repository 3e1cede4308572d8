package cli

import (
	"context"
	"slices"
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
	create := a.command(&cobra.Command{
		Use:     "create NAME --port PORT --instance-port PORT --protocol PROTOCOL",
		Short:   "Add a listener to a balancer",
		Example: "  lbctl listeners create web --port 443 --instance-port 80 --protocol https --instance-protocol http --certificate ARN",
		Args:    nArgs(1, 1),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			if err := checkPortFlags(cmd, "port", "instance-port"); err != nil {
				return err
			}
			if spec.Protocol, err = a.parseProtocol(cmd, "--protocol", proto); err != nil {
				return err
			}
			spec.InstanceProtocol = ""
			if instanceProto != "" {
				if spec.InstanceProtocol, err = a.parseProtocol(cmd, "--instance-protocol", instanceProto); err != nil {
					return err
				}
			}
			return requireCertificate(cmd, spec.Protocol, spec.CertificateID)
		},
	}, func(ctx context.Context, s *session, args []string) error {
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

	var ports []int
	del := a.command(&cobra.Command{
		Use:   "delete NAME PORT...",
		Short: "Remove listeners by front-end port",
		Args:  nArgs(2, -1),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			ports = make([]int, 0, len(args)-1)
			for _, p := range args[1:] {
				n, err := parsePort(cmd, p)
				if err != nil {
					return err
				}
				ports = append(ports, n)
			}
			return nil
		},
	}, func(ctx context.Context, s *session, args []string) error {
		// AWS ignores ports without a listener; the user is told which they were.
		lb, err := s.describe(ctx, args[0])
		if err != nil {
			return err
		}
		var found, absent []string
		for i, p := range ports {
			if slices.ContainsFunc(lb.Listeners, func(l loadbalancer.Listener) bool { return l.Port == p }) {
				found = append(found, args[1+i])
			} else {
				absent = append(absent, args[1+i])
			}
		}
		r := actionResult{LoadBalancer: args[0], Action: "deleted listeners", Items: found}
		if len(absent) > 0 {
			r.Note = "no listener on " + strings.Join(absent, ", ")
		}
		if len(found) == 0 {
			r.Action = "nothing to delete"
			return a.done(r)
		}
		if err := s.elb.DeleteBalancerListeners(ctx, args[0], ports...); err != nil {
			return err
		}
		return a.done(r)
	})

	return group("listeners", "Add and remove listeners", create, del)
}

func (a *app) certificateCommand() *cobra.Command {
	var port int
	set := a.command(&cobra.Command{
		Use:   "set NAME PORT ARN",
		Short: "Replace the certificate of an https or ssl listener",
		Args:  nArgs(3, 3),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			port, err = parsePort(cmd, args[1])
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.elb.SetListenerSSLCertificate(ctx, args[0], port, args[2]); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "set certificate", Port: port, Items: args[2:]})
	})
	return group("certificate", "Manage listener certificates", set)
}
