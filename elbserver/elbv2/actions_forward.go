package elbv2

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// parseForward reads a forward action: TargetGroupArn, ForwardConfig, or both naming the same
// single group. Each group must exist and suit the listener.
func (r *Room) parseForward(p *store.Part, params query.Params, pre string, ac actionCtx, a *store.V2Action) error {
	single := params[pre+"TargetGroupArn"]
	var groups []store.V2WeightedGroup
	_, cfgGiven, err := params.Structs(pre+"ForwardConfig.TargetGroups", func(tp string) error {
		g := store.V2WeightedGroup{ARN: params[tp+"TargetGroupArn"], Weight: 1}
		if g.ARN == "" {
			return query.Missing(tp + "TargetGroupArn")
		}
		w, given, err := params.IntOpt(tp+"Weight", 0, 999)
		if err != nil {
			return err
		}
		if given {
			g.Weight = w
		}
		if slices.ContainsFunc(groups, func(o store.V2WeightedGroup) bool { return o.ARN == g.ARN }) {
			return errAction("Target group '%s' is specified more than once", g.ARN)
		}
		groups = append(groups, g)
		return nil
	})
	switch {
	case err != nil:
		return err
	case single != "" && cfgGiven && (len(groups) != 1 || groups[0].ARN != single):
		return errAction("With both TargetGroupArn and ForwardConfig, ForwardConfig must name that one target group only")
	case single == "" && len(groups) == 0:
		return errAction("A forward action needs TargetGroupArn or ForwardConfig.TargetGroups")
	case len(groups) == 0:
		groups = []store.V2WeightedGroup{{ARN: single, Weight: 1}}
	}
	max := r.limit(limitGroupsPerActionALB)
	if ac.lb.Type != typeALB {
		max = r.limit(limitGroupsPerActionNLB)
	}
	if len(groups) > max {
		return errAction("A forward action on a %s load balancer can name at most %d target groups", ac.lb.Type, max)
	}
	fw := &store.V2Forward{TargetGroups: groups}
	sticky, _, err := params.BoolOpt(pre + "ForwardConfig.TargetGroupStickinessConfig.Enabled")
	if err != nil {
		return err
	}
	dur, durGiven, err := params.IntOpt(pre+"ForwardConfig.TargetGroupStickinessConfig.DurationSeconds", 1, 604800)
	switch {
	case err != nil:
		return err
	case sticky && ac.lb.Type != typeALB:
		return errAction("Target group stickiness is supported by Application Load Balancers only")
	case sticky && !durGiven:
		return errAction("DurationSeconds is required when target group stickiness is enabled")
	case sticky:
		fw.Stickiness, fw.Duration = true, dur
	}
	for _, g := range groups {
		if err := r.checkForwardTarget(p, g.ARN, ac); err != nil {
			return err
		}
	}
	a.Forward = fw
	return nil
}

// checkForwardTarget checks one target group of a forward action against the listener: it
// exists, serves the listener's protocol, lives in the balancer's VPC and is not used by
// another balancer.
func (r *Room) checkForwardTarget(p *store.Part, arn string, ac actionCtx) error {
	tg, err := getTG(p, arn)
	if err != nil {
		return err
	}
	if !compatible(ac, tg) {
		proto := tg.Protocol
		if tg.TargetType == targetLambda {
			proto = "lambda"
		}
		return errIncompatible("Target group '%s' (%s) cannot serve a %s listener of a %s load balancer", arn, proto, ac.protocol, ac.lb.Type)
	}
	if tg.VPCID != "" && tg.VPCID != ac.lb.VPCID && !ac.lb.VPCInferred {
		return errConfig("Target group '%s' is in VPC %s, not in the load balancer's VPC %s", arn, tg.VPCID, ac.lb.VPCID)
	}
	if tg.LoadBalancer != "" && tg.LoadBalancer != ac.lb.ARN {
		return sender("TargetGroupAssociationLimit", "Target group '%s' is already associated with load balancer '%s'", arn, tg.LoadBalancer)
	}
	return nil
}

// compatible reports whether a listener may forward to tg.
func compatible(ac actionCtx, tg *tgRec) bool {
	switch ac.lb.Type {
	case typeALB:
		return tg.TargetType == targetLambda || isHTTP(tg.Protocol)
	case typeGWLB:
		return tg.Protocol == protoGENEVE
	}
	allowed := map[string][]string{
		protoTCP:     {protoTCP, protoTCPUDP},
		protoTLS:     {protoTCP, protoTLS},
		protoUDP:     {protoUDP, protoTCPUDP},
		protoTCPUDP:  {protoTCPUDP},
		protoQUIC:    {protoQUIC},
		protoTCPQUIC: {protoTCPQUIC},
	}[ac.protocol]
	if tg.TargetType == targetALB && ac.protocol != protoTCP {
		return false
	}
	return oneOf(tg.Protocol, allowed...)
}

// forwardGroups lists the target groups actions forward to.
func forwardGroups(actions []store.V2Action) []string {
	var out []string
	for _, a := range actions {
		if a.Forward == nil {
			continue
		}
		for _, g := range a.Forward.TargetGroups {
			if !slices.Contains(out, g.ARN) {
				out = append(out, g.ARN)
			}
		}
	}
	return out
}
