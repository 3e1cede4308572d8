package elbv2

import (
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// toBalancer maps a DescribeLoadBalancers entry, without listeners (see withListeners).
func toBalancer(lb types.LoadBalancer) *driver.LoadBalancer {
	out := &driver.LoadBalancer{
		ID:             aws.ToString(lb.LoadBalancerArn),
		Name:           aws.ToString(lb.LoadBalancerName),
		State:          driver.StateUnknown,
		DNSName:        aws.ToString(lb.DNSName),
		SecurityGroups: lb.SecurityGroups,
		Scheme:         string(lb.Scheme),
		VPCID:          aws.ToString(lb.VpcId),
		CreatedAt:      aws.ToTime(lb.CreatedTime),
	}
	if lb.State != nil {
		out.State = stateOf(lb.State.Code)
	}
	for _, z := range lb.AvailabilityZones {
		if n := aws.ToString(z.ZoneName); n != "" {
			out.Zones = append(out.Zones, n)
		}
		if s := aws.ToString(z.SubnetId); s != "" {
			out.Subnets = append(out.Subnets, s)
		}
	}
	return out
}

// stateOf maps ELBv2's state code: a balancer serves once active; an impaired or failed one
// needs attention.
func stateOf(code types.LoadBalancerStateEnum) driver.State {
	switch code {
	case types.LoadBalancerStateEnumProvisioning:
		return driver.StatePending
	case types.LoadBalancerStateEnumActive:
		return driver.StateRunning
	case types.LoadBalancerStateEnumActiveImpaired, types.LoadBalancerStateEnumFailed:
		return driver.StateError
	}
	return driver.StateUnknown
}

// withListeners sets lb's listeners, sorted by port, and Port, the first one's port as
// libcloud reports it. The instance side of a listener is the port and protocol of the
// target group its default action forwards to (groups maps ARNs to groups).
func withListeners(lb *driver.LoadBalancer, ls []types.Listener, groups map[string]types.TargetGroup) {
	lb.Listeners = make([]driver.Listener, 0, len(ls))
	for _, l := range sortListeners(ls) {
		out := driver.Listener{Port: int(aws.ToInt32(l.Port)), Protocol: driver.Protocol(l.Protocol)}
		if tg, ok := groups[forwardGroup(l.DefaultActions)]; ok {
			out.InstancePort = int(aws.ToInt32(tg.Port))
			out.InstanceProtocol = driver.Protocol(tg.Protocol)
		}
		if len(l.Certificates) > 0 {
			out.CertificateID = aws.ToString(l.Certificates[0].CertificateArn)
		}
		// Only a TLS-terminating listener has a security policy (some endpoints report one on
		// every listener).
		if p := aws.ToString(l.SslPolicy); p != "" && needsCertificate(l.Protocol) {
			out.Policies = []string{p}
		}
		lb.Listeners = append(lb.Listeners, out)
	}
	lb.Port = 0
	if len(lb.Listeners) > 0 {
		lb.Port = lb.Listeners[0].Port
	}
}

// sortListeners orders listeners by port, so "the first listener" is the same on every call.
func sortListeners(ls []types.Listener) []types.Listener {
	s := slices.Clone(ls)
	sort.SliceStable(s, func(i, j int) bool { return aws.ToInt32(s[i].Port) < aws.ToInt32(s[j].Port) })
	return s
}

// forwardGroup is the target group a listener's default actions forward to: the forward
// action's group, or the first of a weighted forward. "" when they forward nowhere.
func forwardGroup(actions []types.Action) string {
	for _, a := range sortActions(actions) {
		if a.Type != types.ActionTypeEnumForward {
			continue
		}
		if arn := aws.ToString(a.TargetGroupArn); arn != "" {
			return arn
		}
		if a.ForwardConfig != nil && len(a.ForwardConfig.TargetGroups) > 0 {
			return aws.ToString(a.ForwardConfig.TargetGroups[0].TargetGroupArn)
		}
	}
	return ""
}

// forwardGroups lists every target group actions forward to.
func forwardGroups(actions []types.Action) []string {
	var out []string
	for _, a := range actions {
		if a.Type != types.ActionTypeEnumForward {
			continue
		}
		if arn := aws.ToString(a.TargetGroupArn); arn != "" {
			out = append(out, arn)
		}
		if a.ForwardConfig != nil {
			for _, tg := range a.ForwardConfig.TargetGroups {
				out = append(out, aws.ToString(tg.TargetGroupArn))
			}
		}
	}
	return out
}

func sortActions(actions []types.Action) []types.Action {
	s := slices.Clone(actions)
	sort.SliceStable(s, func(i, j int) bool { return aws.ToInt32(s[i].Order) < aws.ToInt32(s[j].Order) })
	return s
}

// toMember maps a DescribeTargetHealth entry. Health and Reason keep ELBv2's own words
// (healthy, Target.FailedHealthChecks...). An ip target's ID is its address, as in ELBv2.
func toMember(h types.TargetHealthDescription, ipTargets bool) driver.Member {
	var m driver.Member
	if h.Target != nil {
		m.ID = aws.ToString(h.Target.Id)
		m.Port = int(aws.ToInt32(h.Target.Port))
	}
	if ipTargets {
		m.IP = m.ID
	}
	m.Condition = driver.MemberUnknown
	if h.TargetHealth != nil {
		m.Health = string(h.TargetHealth.State)
		m.Reason = string(h.TargetHealth.Reason)
		if d := aws.ToString(h.TargetHealth.Description); d != "" {
			m.Reason = strings.TrimPrefix(m.Reason+": "+d, ": ")
		}
		m.Condition = conditionOf(h.TargetHealth.State)
	}
	return m
}

// conditionOf maps a target's health state: healthy targets serve; unhealthy and
// unavailable ones do not; draining ones (unhealthy.draining: still registered) finish their
// requests; initial and unused ones (being checked, or not in a zone or listener) are not
// known yet.
func conditionOf(s types.TargetHealthStateEnum) driver.MemberCondition {
	switch s {
	case types.TargetHealthStateEnumHealthy:
		return driver.MemberEnabled
	case types.TargetHealthStateEnumUnhealthy, types.TargetHealthStateEnumUnavailable:
		return driver.MemberDisabled
	case types.TargetHealthStateEnumDraining, types.TargetHealthStateEnumUnhealthyDraining:
		return driver.MemberDraining
	}
	return driver.MemberUnknown
}

// uniq is s sorted, each value once.
func uniq(s []string) []string {
	return slices.Compact(slices.Sorted(slices.Values(s)))
}
