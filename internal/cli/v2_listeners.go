package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// alpnPolicies are the ALPN policies of an NLB's TLS listeners.
var alpnPolicies = []string{"HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"}

// v2ListenerFlags are the settings of an ELBv2 listener that listeners create and modify take.
type v2ListenerFlags struct {
	sslPolicy, alpn, mtls, trustStore string
	rules                             ruleFlags
	tags                              []string
}

// v2ListenerFlagNames are the flags that only ELBv2 listeners take.
var v2ListenerFlagNames = []string{"action", "actions-json", "ssl-policy", "alpn", "mtls", "trust-store", "tag"}

func (l *v2ListenerFlags) add(c *cobra.Command, a *app) {
	f := c.Flags()
	l.rules.add(c, false)
	f.StringVar(&l.sslPolicy, "ssl-policy", "", "ELBv2: security policy of an https or tls listener (see 'lbctl ssl-policies list')")
	f.StringVar(&l.alpn, "alpn", "", "NLB: ALPN policy of a tls listener: "+orList(alpnPolicies))
	f.StringVar(&l.mtls, "mtls", "", "ALB: mutual TLS of an https listener: off, passthrough or verify (with --trust-store)")
	f.StringVar(&l.trustStore, "trust-store", "", "ALB: trust store (name or ARN) that verifies client certificates")
	_ = c.RegisterFlagCompletionFunc("ssl-policy", a.completeArgs(true, sslPolicyNames))
	_ = c.RegisterFlagCompletionFunc("alpn", fixedCompletion(alpnPolicies...))
	_ = c.RegisterFlagCompletionFunc("mtls", fixedCompletion("off", "passthrough", "verify"))
	_ = c.RegisterFlagCompletionFunc("trust-store", a.completeArgs(true, trustStoreNames))
	_ = c.RegisterFlagCompletionFunc("action", a.completeActions)
}

// check refuses, before anything connects, what can be known wrong: flags of the other
// ELBv2 type, an ALPN policy or mTLS mode ELBv2 does not have, a trust store without verify.
func (l *v2ListenerFlags) check(cmd *cobra.Command, a *app) error {
	if err := a.flagsFor(cmd, []string{apiNLB}, "an ALB negotiates HTTP/2 itself (attribute routing.http2.enabled)", "alpn"); err != nil {
		return err
	}
	if err := a.flagsFor(cmd, []string{apiALB}, "mutual TLS is an ALB's (https listeners)", "mtls", "trust-store"); err != nil {
		return err
	}
	if l.alpn != "" && !containsFold(alpnPolicies, l.alpn) {
		return usagef(cmd, "--alpn must be %s, not %q", orList(alpnPolicies), l.alpn)
	}
	switch l.mtls {
	case "", "off", "passthrough":
		if l.trustStore != "" {
			return usagef(cmd, "--trust-store goes with --mtls verify")
		}
	case "verify":
		if l.trustStore == "" {
			return usagef(cmd, "--mtls verify needs --trust-store")
		}
	default:
		return usagef(cmd, "--mtls must be off, passthrough or verify, not %q", l.mtls)
	}
	return nil
}

// settings turns the flags given into a ModifyListenerInput (CreateListenerInput has the same
// fields), finding the ARNs of the target groups and trust store named.
func (l *v2ListenerFlags) settings(ctx context.Context, cmd *cobra.Command, s *session) (elbv2sdk.ModifyListenerInput, error) {
	var in elbv2sdk.ModifyListenerInput
	_, actions, err := l.rules.parse(cmd)
	if err != nil {
		return in, err
	}
	if err := s.resolveActions(ctx, actions); err != nil {
		return in, err
	}
	in.DefaultActions = actions
	in.SslPolicy = optional(l.sslPolicy)
	for _, p := range alpnPolicies {
		if strings.EqualFold(p, l.alpn) {
			in.AlpnPolicy = []string{p}
		}
	}
	if l.mtls != "" {
		in.MutualAuthentication = &types.MutualAuthenticationAttributes{Mode: aws.String(l.mtls)}
		if l.trustStore != "" {
			arn, err := s.trustStoreARN(ctx, l.trustStore)
			if err != nil {
				return in, err
			}
			in.MutualAuthentication.TrustStoreArn = aws.String(arn)
		}
	}
	return in, nil
}

// v2Protocol is an ELBv2 listener protocol: the portable SSL is an NLB's TLS.
func v2Protocol(p loadbalancer.Protocol) types.ProtocolEnum {
	if p == loadbalancer.SSL {
		p = elbv2.TLS
	}
	return types.ProtocolEnum(p)
}

// createV2Listener adds a listener to an ELBv2 balancer.
func (a *app) createV2Listener(ctx context.Context, cmd *cobra.Command, s *session, lb string, port int, proto loadbalancer.Protocol, certificate string, l *v2ListenerFlags) error {
	arn, err := s.balancerARN(ctx, lb)
	if err != nil {
		return err
	}
	set, err := l.settings(ctx, cmd, s)
	if err != nil {
		return err
	}
	tags, err := parseKeyValues(cmd, "--tag", l.tags)
	if err != nil {
		return err
	}
	in := &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(arn), Port: aws.Int32(int32(port)), Protocol: v2Protocol(proto),
		DefaultActions: set.DefaultActions, SslPolicy: set.SslPolicy, AlpnPolicy: set.AlpnPolicy,
		MutualAuthentication: set.MutualAuthentication, Tags: toTags(tags)}
	if certificate != "" {
		in.Certificates = []types.Certificate{{CertificateArn: aws.String(certificate)}}
	}
	listener, err := s.v2.CreateListener(ctx, in)
	if err != nil {
		return err
	}
	return a.renderListener(listener)
}

func (a *app) modifyListenerCommand() *cobra.Command {
	var (
		l           v2ListenerFlags
		port        int
		proto, cert string
		at          int
	)
	c := &cobra.Command{
		Use:   "modify NAME PORT [flags]",
		Short: "Change an ELBv2 listener: port, protocol, certificate, SSL policy, ALPN, mutual TLS, default actions",
		Example: `  lbctl --api alb listeners modify web 443 --ssl-policy ELBSecurityPolicy-TLS13-1-2-2021-06
  lbctl --api alb listeners modify web 80 --action redirect=https://#{host}:443/#{path}?#{query}
  lbctl --api nlb listeners modify db 5432 --protocol tls --certificate ARN --alpn None`,
		Args:              nArgs(2, 2),
		ValidArgsFunction: a.completeListeners(false),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			if at, err = parsePort(cmd, args[1]); err != nil {
				return err
			}
			if !anyChanged(cmd, append([]string{"port", "protocol", "certificate"}, v2ListenerFlagNames...)...) {
				return usagef(cmd, "give at least one setting to change (see --help)")
			}
			if err := checkPortFlags(cmd, "port"); err != nil {
				return err
			}
			if proto != "" {
				if _, err := a.parseProtocol(cmd, "--protocol", proto); err != nil {
					return err
				}
			}
			if _, _, err := l.rules.parse(cmd); err != nil {
				return err
			}
			return l.check(cmd, a)
		},
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		cur, err := s.listenerAt(ctx, args[0], at)
		if err != nil {
			return err
		}
		in, err := l.settings(ctx, c, s)
		if err != nil {
			return err
		}
		in.ListenerArn = cur.ListenerArn
		if port != 0 {
			in.Port = aws.Int32(int32(port))
		}
		if proto != "" {
			in.Protocol = v2Protocol(loadbalancer.Protocol(strings.ToUpper(proto)))
		}
		if cert != "" {
			in.Certificates = []types.Certificate{{CertificateArn: aws.String(cert)}}
		}
		listener, err := s.v2.ModifyListener(ctx, &in)
		if err != nil {
			return err
		}
		return a.renderListener(listener)
	})
	f := c.Flags()
	f.IntVar(&port, "port", 0, "new port")
	f.StringVar(&proto, "protocol", "", "new protocol")
	f.StringVar(&cert, "certificate", "", "new default certificate ARN")
	l.add(c, a)
	_ = c.RegisterFlagCompletionFunc("protocol", a.completeProtocols)
	return onlyFor(c, "a Classic listener is deleted and created again; 'lbctl certificate set' changes its certificate", v2Only...)
}

func (a *app) renderListener(l types.Listener) error {
	v := listenerView(l)
	return a.render(v, func() table {
		t := table{}
		t.add("ARN", v.ARN)
		t.add("Port", strconv.Itoa(v.Port))
		t.add("Protocol", v.Protocol)
		t.add("Default actions", actionsText(v.DefaultActions))
		t.add("Certificate", v.Certificate)
		t.add("SSL policy", v.SSLPolicy)
		t.add("ALPN policy", v.ALPNPolicy)
		if m := v.MutualTLS; m != nil {
			t.add("Mutual TLS", strings.TrimSpace(m.Mode+" "+m.TrustStore))
		}
		return t
	})
}

func (a *app) renderListeners(ls []types.Listener) error {
	out := make([]listenerJSON, len(ls))
	for i, l := range ls {
		out[i] = listenerView(l)
	}
	return a.render(out, func() table {
		t := table{header: []string{"PORT", "PROTOCOL", "DEFAULT ACTIONS", "SSL POLICY", "CERTIFICATE"}}
		for _, l := range out {
			t.add(strconv.Itoa(l.Port), l.Protocol, actionsText(l.DefaultActions), l.SSLPolicy, l.Certificate)
		}
		return t
	})
}

// listenersOf lists an ELBv2 balancer's listeners, by port.
func (s *session) listenersOf(ctx context.Context, lb string) ([]types.Listener, error) {
	arn, err := s.balancerARN(ctx, lb)
	if err != nil {
		return nil, err
	}
	return collect(s.v2.Listeners(ctx, arn))
}

// listenerAttributes reads (set nil) or changes the attributes of the listener on NAME PORT.
func listenerAttributes(ctx context.Context, s *session, args []string, set map[string]string) (map[string]string, error) {
	arn, err := listenerArg(ctx, s, args)
	if err != nil {
		return nil, err
	}
	if set == nil {
		return s.v2.ListenerAttributes(ctx, arn)
	}
	return s.v2.ModifyListenerAttributes(ctx, arn, set)
}

// completeActions offers the action kinds, and after forward= the target groups' names.
func (a *app) completeActions(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if !strings.HasPrefix(toComplete, "forward=") {
		return []cobra.Completion{"forward=", "redirect=", "fixed-response="}, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	}
	names, dir := a.completeArgs(true, targetGroupNames)(cmd, nil, "")
	var out []cobra.Completion
	for _, n := range names {
		if c := "forward=" + n; strings.HasPrefix(c, toComplete) {
			out = append(out, c)
		}
	}
	return out, dir
}
