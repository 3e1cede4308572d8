package elbv2

import (
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Which target groups have which attributes: by the family of balancer they serve and their
// target type.
func albTargets(tg *tgRec) bool { return tgFamily(tg) == typeALB && tg.TargetType != targetLambda }
func isLambda(tg *tgRec) bool   { return tg.TargetType == targetLambda }
func nlbGroup(tg *tgRec) bool   { return tgFamily(tg) == typeNLB }
func gwlbGroup(tg *tgRec) bool  { return tgFamily(tg) == typeGWLB }
func notLambda(tg *tgRec) bool  { return !isLambda(tg) }
func albOrNLBGroup(tg *tgRec) bool {
	return !isLambda(tg) && tgFamily(tg) != typeGWLB
}

func isUDP(tg *tgRec) bool { return tg.Protocol == protoUDP || tg.Protocol == protoTCPUDP }

// tgAttrs are the target group attributes, in DescribeTargetGroupAttributes order, with AWS's
// defaults.
var tgAttrs = []attrSpec[tgRec]{
	{"deregistration_delay.timeout_seconds", notLambda, constant[tgRec]("300"), intValue[tgRec](0, 3600)},
	{"deregistration_delay.connection_termination.enabled", nlbGroup, udpTrue, boolValue[tgRec]},
	{"stickiness.enabled", notLambda, constant[tgRec]("false"), boolValue[tgRec]},
	{"stickiness.type", notLambda, stickinessDefault, stickinessValue},
	{"stickiness.lb_cookie.duration_seconds", albTargets, constant[tgRec]("86400"), intValue[tgRec](1, 604800)},
	{"stickiness.app_cookie.cookie_name", albTargets, constant[tgRec](""), cookieNameValue},
	{"stickiness.app_cookie.duration_seconds", albTargets, constant[tgRec]("86400"), intValue[tgRec](1, 604800)},
	{"slow_start.duration_seconds", albTargets, constant[tgRec]("0"), slowStartValue},
	{"load_balancing.algorithm.type", albTargets, constant[tgRec]("round_robin"),
		enumValue[tgRec]("round_robin", "least_outstanding_requests", "weighted_random")},
	{"load_balancing.algorithm.anomaly_mitigation", albTargets, constant[tgRec]("off"), enumValue[tgRec]("on", "off")},
	{"load_balancing.cross_zone.enabled", notLambda, constant[tgRec]("use_load_balancer_configuration"),
		enumValue[tgRec]("true", "false", "use_load_balancer_configuration")},
	{"preserve_client_ip.enabled", nlbGroup, preserveIPDefault, preserveIPValue},
	{"proxy_protocol_v2.enabled", nlbGroup, constant[tgRec]("false"), boolValue[tgRec]},
	{"target_health_state.unhealthy.connection_termination.enabled", nlbGroup, udpFalse, terminationValue},
	{"target_health_state.unhealthy.draining_interval_seconds", nlbGroup, constant[tgRec]("0"), intValue[tgRec](0, 360000)},
	{"target_group_health.dns_failover.minimum_healthy_targets.count", albOrNLBGroup, constant[tgRec]("1"), offOrInt[tgRec](1, 5000)},
	{"target_group_health.dns_failover.minimum_healthy_targets.percentage", albOrNLBGroup, constant[tgRec]("off"), offOrInt[tgRec](1, 100)},
	{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.count", albOrNLBGroup, constant[tgRec]("1"), intValue[tgRec](1, 5000)},
	{"target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage", albOrNLBGroup, constant[tgRec]("off"), offOrInt[tgRec](1, 100)},
	{"target_failover.on_deregistration", gwlbGroup, constant[tgRec]("no_rebalance"), enumValue[tgRec]("rebalance", "no_rebalance")},
	{"target_failover.on_unhealthy", gwlbGroup, constant[tgRec]("no_rebalance"), enumValue[tgRec]("rebalance", "no_rebalance")},
	{"lambda.multi_value_headers.enabled", isLambda, constant[tgRec]("false"), boolValue[tgRec]},
}

func udpTrue(tg *tgRec) string  { return strconv.FormatBool(isUDP(tg)) }
func udpFalse(tg *tgRec) string { return strconv.FormatBool(!isUDP(tg)) }

func stickinessDefault(tg *tgRec) string {
	switch tgFamily(tg) {
	case typeALB:
		return "lb_cookie"
	case typeGWLB:
		return "source_ip_dest_ip_proto"
	}
	return "source_ip"
}

func stickinessValue(tg *tgRec, v string) error {
	allowed := map[string][]string{typeALB: {"lb_cookie", "app_cookie"}, typeNLB: {"source_ip"},
		typeGWLB: {"source_ip_dest_ip", "source_ip_dest_ip_proto"}}[tgFamily(tg)]
	return enumValue[tgRec](allowed...)(tg, v)
}

// cookieNameValue: the prefixes AWSALB, AWSALBAPP and AWSALBTG are the balancer's.
func cookieNameValue(tg *tgRec, v string) error {
	if len(v) > 1024 {
		return query.Validation("The cookie name must have at most 1024 characters")
	}
	if strings.HasPrefix(strings.ToUpper(v), "AWSALB") {
		return query.Validation("Cookie names starting with AWSALB, AWSALBAPP or AWSALBTG are reserved")
	}
	return nil
}

// slowStartValue: 0 (off) or 30 to 900 seconds.
func slowStartValue(tg *tgRec, v string) error {
	if v == "0" {
		return nil
	}
	return intValue[tgRec](30, 900)(tg, v)
}

// preserveIPDefault: off for ip targets over TCP or TLS, on otherwise.
func preserveIPDefault(tg *tgRec) string {
	return strconv.FormatBool(!(tg.TargetType == targetIP && (tg.Protocol == protoTCP || tg.Protocol == protoTLS)))
}

func preserveIPValue(tg *tgRec, v string) error {
	if err := boolValue(tg, v); err != nil {
		return err
	}
	if v == "false" && isUDP(tg) {
		return errConfig("Client IP preservation cannot be disabled for UDP and TCP_UDP target groups")
	}
	return nil
}

func terminationValue(tg *tgRec, v string) error {
	if err := boolValue(tg, v); err != nil {
		return err
	}
	if v == "true" && isUDP(tg) {
		return errConfig("Connection termination of unhealthy targets cannot be enabled for UDP and TCP_UDP target groups")
	}
	return nil
}

// checkTGAttrCombos checks what single values cannot: anomaly mitigation needs weighted
// random, an app cookie stickiness needs a cookie name, the draining interval needs
// termination off, and the two failover attributes go together.
func checkTGAttrCombos(tg *tgRec) error {
	get := func(k string) string { return attrValue(tgAttrs, tg, tg.Attrs, k) }
	switch {
	case albTargets(tg) && get("load_balancing.algorithm.anomaly_mitigation") == "on" && get("load_balancing.algorithm.type") != "weighted_random":
		return errConfig("Anomaly mitigation is available with the weighted_random algorithm only")
	case albTargets(tg) && get("stickiness.type") == "app_cookie" && get("stickiness.enabled") == "true" && get("stickiness.app_cookie.cookie_name") == "":
		return errConfig("stickiness.app_cookie.cookie_name is required for app_cookie stickiness")
	case nlbGroup(tg) && get("target_health_state.unhealthy.draining_interval_seconds") != "0" &&
		get("target_health_state.unhealthy.connection_termination.enabled") == "true":
		return errConfig("The draining interval can be set only when connection termination of unhealthy targets is disabled")
	case gwlbGroup(tg) && get("target_failover.on_deregistration") != get("target_failover.on_unhealthy"):
		return errConfig("target_failover.on_deregistration and target_failover.on_unhealthy must have the same value")
	}
	return nil
}

func (r *Room) describeTargetGroupAttributes(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TargetGroupArn")
	if err != nil {
		return nil, err
	}
	var res *attributesResult
	err = r.view(c, func(p *store.Part) error {
		tg, err := getTG(p, arn)
		if err == nil {
			res = attributesXML(TargetGroupAttributes(tg))
		}
		return err
	})
	return res, err
}

func (r *Room) modifyTargetGroupAttributes(c *query.Call) (any, error) {
	given, err := parseAttributes(c.Params, 1024)
	if err != nil {
		return nil, err
	}
	var res *attributesResult
	err = r.updateTG(c, func(p *store.Part, tg *tgRec) error {
		attrs, err := applyAttrs(tgAttrs, tg, tg.Attrs, given, "target group")
		if err != nil {
			return err
		}
		tg.Attrs = attrs
		if err := checkTGAttrCombos(tg); err != nil {
			return err
		}
		res = attributesXML(TargetGroupAttributes(tg))
		return nil
	})
	return res, err
}

// deregistrationDelay is a target group's deregistration delay in seconds.
func deregistrationDelay(tg *tgRec) int {
	n, _ := strconv.Atoi(attrValue(tgAttrs, tg, tg.Attrs, "deregistration_delay.timeout_seconds"))
	return n
}
