package cli

import (
	"context"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// parseTarget reads a target: an instance ID or IP address with an optional port
// (i-0123:8080, 10.0.0.5:80, [fd00::5]:80), or a Lambda function's or an ALB's ARN.
func parseTarget(cmd *cobra.Command, s string) (types.TargetDescription, error) {
	if isARN(s) {
		return elbv2.Target(s, 0), nil
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return elbv2.Target(ap.Addr().String(), int32(ap.Port())), nil
	}
	if ip, err := netip.ParseAddr(s); err == nil {
		return elbv2.Target(ip.String(), 0), nil
	}
	id, port, hasPort := strings.Cut(s, ":")
	p, err := strconv.Atoi(port)
	if id == "" || strings.ContainsAny(id, " \t") || (hasPort && (err != nil || p < 1 || p > 65535)) {
		return types.TargetDescription{}, usagef(cmd, "target %q is not ID[:PORT], IP[:PORT] or an ARN", s)
	}
	return elbv2.Target(id, int32(p)), nil
}

func (a *app) targetsCommand() *cobra.Command {
	var (
		targets                        []types.TargetDescription
		waitReg, waitDereg, waitHealth bool
	)
	parseArgs := func(cmd *cobra.Command, args []string) error {
		targets = nil
		for _, s := range args[1:] {
			t, err := parseTarget(cmd, s)
			if err != nil {
				return err
			}
			targets = append(targets, t)
		}
		return nil
	}
	complete := a.completeTargetGroups(false)

	register := a.onResource(&cobra.Command{
		Use:               "register TARGET_GROUP ID|IP[:PORT]...",
		Short:             "Register targets with a target group",
		Example:           "  lbctl --api alb targets register web i-0123456789abcdef0 i-0fedcba9876543210:8081 --wait",
		Args:              nArgs(2, -1),
		ValidArgsFunction: complete,
		PreRunE:           parseArgs,
	}, targetGroupArg, func(ctx context.Context, s *session, arn string, args []string) error {
		if err := s.v2.RegisterTargets(ctx, arn, targets...); err != nil {
			return err
		}
		return a.showTargets(ctx, s, args[0], arn, targets, waitReg)
	})
	register.Flags().BoolVar(&waitReg, "wait", false, "wait until the targets are healthy (bounded by --timeout)")

	deregister := a.onResource(&cobra.Command{
		Use:               "deregister TARGET_GROUP ID|IP[:PORT]...",
		Short:             "Deregister targets from a target group",
		Args:              nArgs(2, -1),
		ValidArgsFunction: complete,
		PreRunE:           parseArgs,
	}, targetGroupArg, func(ctx context.Context, s *session, arn string, args []string) error {
		// ELBv2 refuses targets that are not registered: they are left out and named.
		hs, err := s.v2.TargetHealth(ctx, arn)
		if err != nil {
			return err
		}
		var have []types.TargetDescription
		var given, absent []string
		for i, t := range targets {
			if slices.ContainsFunc(hs, func(h types.TargetHealthDescription) bool { return sameTarget(h.Target, t) }) {
				have, given = append(have, t), append(given, args[i+1])
			} else {
				absent = append(absent, args[i+1])
			}
		}
		r := actionResult{Action: "deregistered", Items: given}
		if len(absent) > 0 {
			r.Note = "not registered: " + strings.Join(absent, ", ")
		}
		if len(have) == 0 {
			r.Action, r.Items, r.Note = "nothing to deregister", absent, "not registered with "+args[0]
			return a.done(r)
		}
		if err := s.v2.DeregisterTargets(ctx, arn, have...); err != nil {
			return err
		}
		if waitDereg {
			err := a.wait(ctx, waitFor{name: args[0], noun: "targets", goal: "deregistered", total: len(have),
				poll: func(ctx context.Context) ([]string, error) {
					hs, err := s.v2.TargetHealth(ctx, arn)
					return pendingTargets(hs, have, false), err
				}})
			if err != nil {
				return err
			}
		}
		return a.done(r)
	})
	deregister.Flags().BoolVar(&waitDereg, "wait", false, "wait until the targets are gone, after draining (bounded by --timeout)")

	health := a.onResource(&cobra.Command{
		Use:               "health TARGET_GROUP [ID|IP[:PORT]...]",
		Short:             "Show the health of a target group's targets (all, or those given)",
		Args:              nArgs(1, -1),
		ValidArgsFunction: complete,
		PreRunE:           parseArgs,
	}, targetGroupArg, func(ctx context.Context, s *session, arn string, args []string) error {
		return a.showTargets(ctx, s, args[0], arn, targets, waitHealth)
	})
	health.Flags().BoolVar(&waitHealth, "wait", false, "wait until the targets are healthy (bounded by --timeout)")

	return onlyFor(group("targets", "Register, deregister and check the targets of ELBv2 target groups", register, deregister, health),
		"a Classic balancer's members are its instances: 'lbctl members'", v2Only...)
}

// showTargets renders the health of targets (all when none), first waiting until they are
// healthy with wait.
func (a *app) showTargets(ctx context.Context, s *session, name, arn string, targets []types.TargetDescription, wait bool) error {
	hs, err := s.v2.TargetHealth(ctx, arn, targets...)
	if err != nil {
		return err
	}
	if wait {
		if len(targets) == 0 { // every target registered now
			for _, h := range hs {
				if h.Target != nil {
					targets = append(targets, *h.Target)
				}
			}
		}
		err := a.wait(ctx, waitFor{name: name, noun: "targets", goal: "healthy", total: len(targets),
			poll: func(ctx context.Context) ([]string, error) {
				var err error
				if hs, err = s.v2.TargetHealth(ctx, arn, targets...); err != nil {
					return nil, err
				}
				return pendingTargets(hs, nil, true), nil
			}})
		if err != nil {
			return err
		}
	}
	out := make([]targetJSON, len(hs))
	for i, h := range hs {
		out[i] = targetView(h)
	}
	return a.render(out, func() table {
		t := table{header: []string{"ID", "PORT", "STATE", "REASON", "DESCRIPTION"}}
		for _, v := range out {
			t.add(v.ID, itoa(v.Port), v.State, v.Reason, v.Description)
		}
		return t
	})
}

// pendingTargets lists what is not yet at the goal: with healthy, the targets of hs that are
// not healthy; without, the targets of want still in hs (draining).
func pendingTargets(hs []types.TargetHealthDescription, want []types.TargetDescription, healthy bool) []string {
	var out []string
	for _, h := range hs {
		v := targetView(h)
		if healthy && v.State == string(types.TargetHealthStateEnumHealthy) {
			continue
		}
		if !healthy && !slices.ContainsFunc(want, func(t types.TargetDescription) bool { return sameTarget(h.Target, t) }) {
			continue
		}
		reason := strings.TrimPrefix(v.Reason+": "+v.Description, ": ")
		out = append(out, pendingString(v.key(), v.State, strings.TrimSuffix(reason, ": ")))
	}
	return out
}

// sameTarget reports whether the described target is t (a port of 0 in t is any port).
func sameTarget(d *types.TargetDescription, t types.TargetDescription) bool {
	return d != nil && aws.ToString(d.Id) == aws.ToString(t.Id) && (t.Port == nil || aws.ToInt32(d.Port) == aws.ToInt32(t.Port))
}
