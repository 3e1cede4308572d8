package cli

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func (a *app) listenersCommand() *cobra.Command {
	return group("listeners", "Add, list, change and remove listeners (and, for ELBv2, their certificates and attributes)",
		a.createListenerCommand(), a.listListenersCommand(), a.modifyListenerCommand(), a.deleteListenersCommand(),
		onlyFor(a.listenerCertificatesCommand(), "a Classic listener has one certificate: 'lbctl certificate set'", v2Only...),
		onlyFor(a.attributesOf("listener", "NAME PORT", a.completeListeners(false), listenerAttributes),
			"a Classic listener has no attributes of its own: 'lbctl attributes' are the balancer's", v2Only...))
}

// createListenerCommand adds a listener: Classic's forwards to the instances' port, ELBv2's
// to its default actions.
func (a *app) createListenerCommand() *cobra.Command {
	var (
		spec                 elb.ListenerSpec
		proto, instanceProto string
		l                    v2ListenerFlags
	)
	c := &cobra.Command{
		Use:   "create NAME --port PORT --protocol PROTOCOL (--instance-port PORT | --action ACTION...) [flags]",
		Short: "Add a listener to a balancer",
		Example: `  lbctl listeners create web --port 443 --instance-port 80 --protocol https --instance-protocol http --certificate ARN
  lbctl --api alb listeners create web --port 443 --protocol https --certificate ARN --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06 --action forward=web
  lbctl --api alb listeners create web --port 80 --protocol http --action redirect=https://#{host}:443/#{path}?#{query}
  lbctl --api nlb listeners create db --port 5432 --protocol tls --certificate ARN --action forward=db --alpn None`,
		Args: nArgs(1, 1),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			if err := a.flagsFor(cmd, classicOnly, "an ELBv2 listener forwards to target groups: give --action forward=TARGET_GROUP", "instance-port", "instance-protocol"); err != nil {
				return err
			}
			if err := a.flagsFor(cmd, v2Only, "a Classic listener forwards to its --instance-port", v2ListenerFlagNames...); err != nil {
				return err
			}
			if !a.v2() && !cmd.Flags().Changed("instance-port") {
				return usagef(cmd, `required flag(s) "instance-port" not set`)
			}
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
			if err := requireCertificate(cmd, spec.Protocol, spec.CertificateID); err != nil {
				return err
			}
			if !a.v2() {
				return nil
			}
			if len(l.rules.actions) == 0 && l.rules.actionsJSON == "" {
				return usagef(cmd, "--action (or --actions-json) is required: what the listener does, e.g. --action forward=TARGET_GROUP")
			}
			if _, _, err := l.rules.parse(cmd); err != nil {
				return err
			}
			return l.check(cmd, a)
		},
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		if s.v2 != nil {
			return a.createV2Listener(ctx, c, s, args[0], spec.LoadBalancerPort, spec.Protocol, spec.CertificateID, &l)
		}
		if err := s.elb.CreateBalancerListeners(ctx, args[0], []elb.ListenerSpec{spec}); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "created listener", Port: spec.LoadBalancerPort})
	})
	f := c.Flags()
	f.IntVar(&spec.LoadBalancerPort, "port", 0, "front-end port (required)")
	f.StringVar(&proto, "protocol", "", "front-end protocol (required): classic http, https, tcp or ssl; alb http or https; nlb tcp, udp, tls, ...")
	f.StringVar(&spec.CertificateID, "certificate", "", "certificate ARN, for https, ssl and tls")
	f.IntVar(&spec.InstancePort, "instance-port", 0, "Classic: back-end port (required)")
	f.StringVar(&instanceProto, "instance-protocol", "", "Classic: back-end protocol (default: the front-end protocol)")
	f.StringArrayVar(&l.tags, "tag", nil, "ELBv2: tag KEY=VALUE (repeatable)")
	l.add(c, a)
	for _, name := range []string{"port", "protocol"} {
		_ = c.MarkFlagRequired(name)
	}
	for _, name := range []string{"protocol", "instance-protocol"} {
		_ = c.RegisterFlagCompletionFunc(name, a.completeProtocols)
	}
	return c
}

func (a *app) listListenersCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "list NAME",
		Short: "List a balancer's listeners",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, args []string) error {
		if s.v2 != nil {
			ls, err := s.listenersOf(ctx, args[0])
			if err != nil {
				return err
			}
			return a.renderListeners(ls)
		}
		lb, err := s.describe(ctx, args[0])
		if err != nil {
			return err
		}
		ls := lb.Listeners
		if ls == nil {
			ls = []loadbalancer.Listener{}
		}
		return a.render(ls, func() table {
			t := table{header: []string{"PORT", "PROTOCOL", "INSTANCE PORT", "INSTANCE PROTOCOL", "CERTIFICATE", "POLICIES"}}
			for _, l := range ls {
				t.add(strconv.Itoa(l.Port), string(l.Protocol), strconv.Itoa(l.InstancePort), string(l.InstanceProtocol), l.CertificateID, join(l.Policies))
			}
			return t
		})
	})
}

func (a *app) deleteListenersCommand() *cobra.Command {
	var ports []int
	return a.command(&cobra.Command{
		Use:               "delete NAME PORT...",
		Short:             "Remove listeners by front-end port",
		Args:              nArgs(2, -1),
		ValidArgsFunction: a.completeArgs(true, balancerNames, listenerPortsOf),
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
		// AWS ignores ports without a listener (Classic) or has no way to name them (ELBv2);
		// the user is told which they were.
		have, err := s.listenerPorts(ctx, args[0])
		if err != nil {
			return err
		}
		var found, absent, arns []string // arns: ELBv2's listeners; Classic's have none
		for i, p := range ports {
			if arn, ok := have[p]; ok {
				found = append(found, args[1+i])
				if arn != "" {
					arns = append(arns, arn)
				}
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
		if s.v2 == nil {
			err = s.elb.DeleteBalancerListeners(ctx, args[0], ports...)
		}
		for _, arn := range arns { // ELBv2 deletes one listener a call
			if err != nil {
				break
			}
			err = s.v2.DeleteListener(ctx, arn)
		}
		if err != nil {
			return err
		}
		return a.done(r)
	})
}

// listenerPorts maps the ports of a balancer's listeners to their ARNs (Classic's have none).
func (s *session) listenerPorts(ctx context.Context, name string) (map[int]string, error) {
	out := map[int]string{}
	if s.v2 != nil {
		ls, err := s.listenersOf(ctx, name)
		for _, l := range ls {
			out[int(aws.ToInt32(l.Port))] = aws.ToString(l.ListenerArn)
		}
		return out, err
	}
	lb, err := s.describe(ctx, name)
	if err != nil {
		return nil, err
	}
	for _, l := range lb.Listeners {
		out[l.Port] = ""
	}
	return out, nil
}

// listenerPortsOf completes the ports of a balancer's listeners, for any API.
func listenerPortsOf(ctx context.Context, s *session, args []string) ([]string, error) {
	have, err := s.listenerPorts(ctx, args[0])
	var out []string
	for _, p := range slices.Sorted(maps.Keys(have)) {
		out = append(out, strconv.Itoa(p))
	}
	return out, err
}

func (a *app) certificateCommand() *cobra.Command {
	var port int
	set := a.command(&cobra.Command{
		Use:               "set NAME PORT ARN",
		Short:             "Replace the (default) certificate of an https, ssl or tls listener",
		Args:              nArgs(3, 3),
		ValidArgsFunction: a.completeArgs(false, balancerNames, listenerPortsOf),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			port, err = parsePort(cmd, args[1])
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		if s.v2 != nil {
			if err := s.setDefaultCertificate(ctx, args[0], port, args[2]); err != nil {
				return err
			}
		} else if err := s.elb.SetListenerSSLCertificate(ctx, args[0], port, args[2]); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "set certificate", Port: port, Items: args[2:]})
	})
	return group("certificate", "Manage listener certificates", set)
}
