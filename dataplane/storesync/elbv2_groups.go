package storesync

import (
	"strconv"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// group builds the target group arn names (once per partition), or nil when there is none.
func (v *v2part) group(arn string) *dataplane.TargetGroup {
	if g, ok := v.made[arn]; ok {
		return g
	}
	tg := v.tgs[arn]
	if tg == nil {
		v.made[arn] = nil
		return nil
	}
	key := v.tgKeys[arn]
	attrs := attrMap(v.opts.Attributes.TargetGroup(tg))
	hc := tg.HealthCheck
	g := &dataplane.TargetGroup{Key: arn, Protocol: dataplane.Protocol(tg.Protocol),
		Algorithm:           dataplane.Algorithm(attrs["load_balancing.algorithm.type"]),
		Stickiness:          v2Stickiness(attrs),
		DeregistrationDelay: seconds(intAttr(attrs, "deregistration_delay.timeout_seconds")),
		SlowStart:           seconds(intAttr(attrs, "slow_start.duration_seconds")),
		HealthCheck: dataplane.HealthCheck{Disabled: !hc.Enabled, Protocol: dataplane.Protocol(hc.Protocol),
			Port: hc.Port, Path: hc.Path, Matcher: hc.HTTPCode, Interval: v.interval(seconds(hc.Interval)),
			Timeout: seconds(hc.Timeout), HealthyThreshold: hc.Healthy, UnhealthyThreshold: hc.Unhealthy},
	}
	if attrs["proxy_protocol_v2.enabled"] == "true" {
		g.ProxyProtocol = dataplane.ProxyV2
	}
	if tg.ProtocolVersion == "GRPC" {
		// gRPC status codes are not HTTP statuses: any HTTP answer is taken as a response.
		g.HealthCheck.Matcher = "200-499"
	}
	if g.Protocol == "" {
		g.Protocol = dataplane.HTTP // lambda groups: no protocol, no targets to dial
	}
	start := tg.InUseSince
	for _, t := range v.targets[key] {
		s := slot{v.p.Account, v.p.Region, false, store.V2TargetKey(key, t.ID, t.Port)}
		v.since[s] = later(t.Registered, start)
		be, ok := v.targetBackend(tg, t)
		switch {
		case !ok:
			continue // lambda: nothing to dial or report
		case !be.dialled():
			v.static[s] = notDialledV2(be.why, v.now)
			continue
		}
		id := t.ID + ":" + strconv.Itoa(t.Port)
		g.Targets = append(g.Targets, dataplane.Target{ID: id, Addr: be.addr, CheckAddr: be.checkAddr, Zone: be.zone})
		v.slots[targetRef{arn, id, be.addr}] = s
	}
	v.made[arn] = g
	return g
}

// targetBackend is where a target of tg answers. ok is false for targets the data plane has no
// notion of (lambda functions).
func (v *v2part) targetBackend(tg *store.V2TargetGroup, t *store.V2Target) (backend, bool) {
	switch tg.TargetType {
	case "instance":
		return instanceBackend(v.p, t.ID, t.Port), true
	case "ip":
		return ipBackend(t.ID, t.Port, t.Zone), true
	case "alb":
		return backend{why: "Application Load Balancer targets are not forwarded to"}, true
	}
	return backend{}, false
}

// v2Stickiness maps a group's stickiness attributes.
func v2Stickiness(attrs map[string]string) dataplane.Stickiness {
	if attrs["stickiness.enabled"] != "true" {
		return dataplane.Stickiness{}
	}
	switch t := attrs["stickiness.type"]; t {
	case "lb_cookie":
		return dataplane.Stickiness{Type: dataplane.StickyLBCookie, Duration: seconds(intAttr(attrs, "stickiness.lb_cookie.duration_seconds"))}
	case "app_cookie":
		return dataplane.Stickiness{Type: dataplane.StickyAppCookie, CookieName: attrs["stickiness.app_cookie.cookie_name"],
			Duration: seconds(intAttr(attrs, "stickiness.app_cookie.duration_seconds"))}
	case "source_ip":
		return dataplane.Stickiness{Type: dataplane.StickySourceIP}
	}
	return dataplane.Stickiness{} // gateway flows: the engine serves no GENEVE traffic
}
