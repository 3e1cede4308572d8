package cli

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// ELBv2's target group protocols, as --protocol takes them.
var targetGroupProtocols = []string{"http", "https", "tcp", "tls", "udp", "tcp_udp", "quic", "tcp_quic", "geneve"}

func (a *app) targetGroupsCommand() *cobra.Command {
	var balancer string
	list := a.command(&cobra.Command{
		Use:   "list [--balancer NAME]",
		Short: "List target groups (all, or those of one balancer)",
		Args:  noArgs,
	}, func(ctx context.Context, s *session, _ []string) error {
		in := &elbv2sdk.DescribeTargetGroupsInput{}
		if balancer != "" {
			arn, err := s.balancerARN(ctx, balancer)
			if err != nil {
				return err
			}
			in.LoadBalancerArn = aws.String(arn)
		}
		tgs, err := collect(s.v2.TargetGroups(ctx, in))
		if err != nil {
			return err
		}
		out := make([]targetGroupJSON, len(tgs))
		for i, tg := range tgs {
			out[i] = targetGroupView(tg)
		}
		return a.render(out, func() table {
			t := table{header: []string{"NAME", "PROTOCOL", "PORT", "TARGET TYPE", "BALANCERS", "HEALTH CHECK"}}
			for _, tg := range out {
				lbs := make([]string, len(tg.LoadBalancers))
				for i, arn := range tg.LoadBalancers {
					lbs[i] = nameOfARN(arn)
				}
				t.add(tg.Name, tg.Protocol, itoa(tg.Port), tg.TargetType, join(lbs), healthCheckText(tg.HealthCheck))
			}
			return t
		})
	})
	list.Flags().StringVar(&balancer, "balancer", "", "only the groups of this load balancer (name or ARN)")
	_ = list.RegisterFlagCompletionFunc("balancer", a.completeNames(false))

	get := a.command(&cobra.Command{
		Use:               "get TARGET_GROUP",
		Short:             "Show a target group (by name or ARN)",
		Args:              nArgs(1, 1),
		ValidArgsFunction: a.completeTargetGroups(false),
	}, func(ctx context.Context, s *session, args []string) error {
		tg, err := s.targetGroup(ctx, args[0])
		if err != nil {
			return err
		}
		return a.renderTargetGroup(tg)
	})

	return onlyFor(group("target-groups", "Create, list, show, change and delete ELBv2 target groups, and their attributes",
		list, get, a.createTargetGroupCommand(), a.modifyTargetGroupCommand(), a.deleteTargetGroupsCommand(),
		a.attributesOf("target group", "TARGET_GROUP", a.completeTargetGroups(false), targetGroupAttributes)),
		"a Classic balancer's members are its instances: 'lbctl members'", v2Only...)
}

func (a *app) renderTargetGroup(tg types.TargetGroup) error {
	v := targetGroupView(tg)
	return a.render(v, func() table {
		t := table{}
		t.add("Name", v.Name)
		t.add("ARN", v.ARN)
		t.add("Protocol", strings.TrimSpace(v.Protocol+" "+v.ProtocolVersion))
		t.add("Port", itoa(v.Port))
		t.add("Target type", v.TargetType)
		t.add("VPC", v.VPCID)
		t.add("Health check", healthCheckText(v.HealthCheck))
		for _, lb := range v.LoadBalancers {
			t.add("Load balancer", lb)
		}
		return t
	})
}

// healthFlags are the health check settings of target-groups create and modify.
type healthFlags struct {
	enabled                       bool
	protocol, port, path, matcher string
	interval, timeout             time.Duration
	healthy, unhealthy            int
}

func (h *healthFlags) add(c *cobra.Command) {
	f := c.Flags()
	f.BoolVar(&h.enabled, "health-check", true, "check the targets' health (--health-check=false to stop)")
	f.StringVar(&h.protocol, "health-check-protocol", "", "protocol of the checks (default: the group's)")
	f.StringVar(&h.port, "health-check-port", "", "port of the checks: a number, or traffic-port")
	f.StringVar(&h.path, "health-check-path", "", "path of HTTP(S) checks, e.g. /health")
	f.DurationVar(&h.interval, "health-check-interval", 0, "time between checks, whole seconds (5s-300s)")
	f.DurationVar(&h.timeout, "health-check-timeout", 0, "time to wait for a check's answer, whole seconds (2s-120s)")
	f.IntVar(&h.healthy, "healthy", 0, "consecutive successes before a target is healthy (2-10)")
	f.IntVar(&h.unhealthy, "unhealthy", 0, "consecutive failures before a target is unhealthy (2-10)")
	f.StringVar(&h.matcher, "matcher", "", "codes of a healthy answer, e.g. 200-299 (gRPC codes for a GRPC group)")
	_ = c.RegisterFlagCompletionFunc("health-check-protocol", fixedCompletion(targetGroupProtocols...))
}

var healthFlagNames = []string{"health-check", "health-check-protocol", "health-check-port", "health-check-path",
	"health-check-interval", "health-check-timeout", "healthy", "unhealthy", "matcher"}

// input returns the settings given as a ModifyTargetGroupInput (CreateTargetGroupInput has
// the same fields); grpc says whether the matcher holds gRPC codes.
func (h *healthFlags) input(cmd *cobra.Command, grpc bool) (elbv2sdk.ModifyTargetGroupInput, error) {
	var in elbv2sdk.ModifyTargetGroupInput
	f := cmd.Flags()
	for _, d := range []struct {
		name string
		v    time.Duration
		to   **int32
	}{{"health-check-interval", h.interval, &in.HealthCheckIntervalSeconds}, {"health-check-timeout", h.timeout, &in.HealthCheckTimeoutSeconds}} {
		if !f.Changed(d.name) {
			continue
		}
		secs, err := wholeSeconds(d.v.String())
		if err != nil {
			return in, usagef(cmd, "--%s: %v", d.name, err)
		}
		*d.to = aws.Int32(int32(secs))
	}
	if f.Changed("health-check") {
		in.HealthCheckEnabled = aws.Bool(h.enabled)
	}
	if h.protocol != "" {
		in.HealthCheckProtocol = types.ProtocolEnum(strings.ToUpper(h.protocol))
	}
	in.HealthCheckPort = optional(h.port)
	in.HealthCheckPath = optional(h.path)
	if f.Changed("healthy") {
		in.HealthyThresholdCount = aws.Int32(int32(h.healthy))
	}
	if f.Changed("unhealthy") {
		in.UnhealthyThresholdCount = aws.Int32(int32(h.unhealthy))
	}
	if h.matcher != "" {
		in.Matcher = &types.Matcher{HttpCode: aws.String(h.matcher)}
		if grpc {
			in.Matcher = &types.Matcher{GrpcCode: aws.String(h.matcher)}
		}
	}
	return in, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func (a *app) createTargetGroupCommand() *cobra.Command {
	var (
		in                elbv2sdk.CreateTargetGroupInput
		proto, targetType string
		vpc, version, ipv string
		port              int
		tags              []string
		hf                healthFlags
	)
	c := &cobra.Command{
		Use:   "create TARGET_GROUP [--protocol PROTOCOL --port PORT] [flags]",
		Short: "Create a target group (in the default VPC unless --vpc)",
		Example: `  lbctl --api alb target-groups create web --protocol http --port 8080 --health-check-path /health
  lbctl --api nlb target-groups create tcp --protocol tcp --port 5432 --target-type ip`,
		Args:              nArgs(1, 1),
		ValidArgsFunction: cobra.NoFileCompletions,
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if !balancerNameRE().MatchString(args[0]) {
				return usagef(cmd, "target group name %q: AWS takes 1-32 letters, digits and hyphens, not starting or ending with a hyphen", args[0])
			}
			lambda := targetType == string(types.TargetTypeEnumLambda)
			if !lambda && (proto == "" || port == 0) {
				return usagef(cmd, "--protocol and --port are required, but for --target-type lambda")
			}
			if err := checkPortFlags(cmd, "port"); err != nil {
				return err
			}
			if proto != "" && !containsFold(targetGroupProtocols, proto) {
				return usagef(cmd, "--protocol must be %s, not %q", orList(targetGroupProtocols), proto)
			}
			hc, err := hf.input(cmd, strings.EqualFold(version, "grpc"))
			if err != nil {
				return err
			}
			tagMap, err := parseKeyValues(cmd, "--tag", tags)
			if err != nil {
				return err
			}
			in = elbv2sdk.CreateTargetGroupInput{Name: aws.String(args[0]), Protocol: types.ProtocolEnum(strings.ToUpper(proto)),
				TargetType: types.TargetTypeEnum(targetType), VpcId: optional(vpc), ProtocolVersion: optional(strings.ToUpper(version)),
				IpAddressType: types.TargetGroupIpAddressTypeEnum(ipv), Tags: toTags(tagMap),
				HealthCheckEnabled: hc.HealthCheckEnabled, HealthCheckProtocol: hc.HealthCheckProtocol, HealthCheckPort: hc.HealthCheckPort,
				HealthCheckPath: hc.HealthCheckPath, HealthCheckIntervalSeconds: hc.HealthCheckIntervalSeconds,
				HealthCheckTimeoutSeconds: hc.HealthCheckTimeoutSeconds, HealthyThresholdCount: hc.HealthyThresholdCount,
				UnhealthyThresholdCount: hc.UnhealthyThresholdCount, Matcher: hc.Matcher}
			if port != 0 {
				in.Port = aws.Int32(int32(port))
			}
			return nil
		},
	}
	a.command(c, func(ctx context.Context, s *session, _ []string) error {
		if in.VpcId == nil && in.TargetType != types.TargetTypeEnumLambda {
			vpc, err := s.defaultVPC(ctx)
			if err != nil {
				return err
			}
			in.VpcId = aws.String(vpc)
		}
		tg, err := s.v2.CreateTargetGroup(ctx, &in)
		if err != nil {
			return err
		}
		return a.renderTargetGroup(tg)
	})
	f := c.Flags()
	f.StringVar(&proto, "protocol", "", "protocol of the targets: "+orList(targetGroupProtocols))
	f.IntVar(&port, "port", 0, "port the targets listen on (targets may give their own)")
	f.StringVar(&targetType, "target-type", "", "instance (the default), ip, lambda or alb")
	f.StringVar(&vpc, "vpc", "", "VPC of the targets (default: the region's default VPC)")
	f.StringVar(&version, "protocol-version", "", "for http and https groups: http1 (the default), http2 or grpc")
	f.StringVar(&ipv, "ip-address-type", "", "ipv4 (the default) or ipv6, for ip targets")
	f.StringArrayVar(&tags, "tag", nil, "tag KEY=VALUE (repeatable)")
	hf.add(c)
	_ = c.RegisterFlagCompletionFunc("protocol", fixedCompletion(targetGroupProtocols...))
	_ = c.RegisterFlagCompletionFunc("target-type", fixedCompletion("instance", "ip", "lambda", "alb"))
	_ = c.RegisterFlagCompletionFunc("protocol-version", fixedCompletion("http1", "http2", "grpc"))
	return c
}

func (a *app) modifyTargetGroupCommand() *cobra.Command {
	var hf healthFlags
	c := &cobra.Command{
		Use:               "modify TARGET_GROUP [health check flags]",
		Short:             "Change a target group's health check",
		Example:           "  lbctl --api alb target-groups modify web --health-check-path /ready --health-check-interval 10s --healthy 2",
		Args:              nArgs(1, 1),
		ValidArgsFunction: a.completeTargetGroups(false),
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			if !anyChanged(cmd, healthFlagNames...) {
				return usagef(cmd, "give at least one health check setting to change (see --help)")
			}
			_, err := hf.input(cmd, false)
			return err
		},
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		tg, err := s.targetGroup(ctx, args[0])
		if err != nil {
			return err
		}
		in, _ := hf.input(c, aws.ToString(tg.ProtocolVersion) == "GRPC")
		in.TargetGroupArn = tg.TargetGroupArn
		if tg, err = s.v2.ModifyTargetGroup(ctx, &in); err != nil {
			return err
		}
		return a.renderTargetGroup(tg)
	})
	hf.add(c)
	return c
}

func (a *app) deleteTargetGroupsCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:               "delete TARGET_GROUP...",
		Short:             "Delete target groups no listener or rule uses",
		Args:              nArgs(1, -1),
		ValidArgsFunction: a.completeTargetGroups(true),
	}, func(ctx context.Context, s *session, args []string) error {
		// As for balancers, what is not there is reported, not an error.
		var deleted, absent []string
		for _, id := range args {
			arn, err := s.targetGroupARN(ctx, id)
			if err == nil {
				err = s.v2.DeleteTargetGroup(ctx, arn)
			}
			switch {
			case errors.Is(err, loadbalancer.ErrNotFound):
				absent = append(absent, id)
			case err != nil:
				return err
			default:
				deleted = append(deleted, id)
			}
		}
		r := actionResult{Action: "deleted target groups", Items: deleted}
		if len(deleted) == 0 {
			r.Action, r.Items = "nothing to delete", absent
			r.Note = "no target group of that name"
		} else if len(absent) > 0 {
			r.Note = "no target group " + strings.Join(absent, ", ")
		}
		return a.done(r)
	})
}

func toTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range sortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// targetGroupAttributes reads (set nil) or changes a target group's attributes.
func targetGroupAttributes(ctx context.Context, s *session, args []string, set map[string]string) (map[string]string, error) {
	arn, err := s.targetGroupARN(ctx, args[0])
	if err != nil {
		return nil, err
	}
	if set == nil {
		return s.v2.TargetGroupAttributes(ctx, arn)
	}
	return s.v2.ModifyTargetGroupAttributes(ctx, arn, set)
}
