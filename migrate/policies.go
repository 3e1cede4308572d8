package migrate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// proxySetting opens the name of a PROXY protocol setting, which ends with the instance port.
const proxySetting = "PROXY protocol (instance port "

// Stickiness durations: ELBv2 takes 1 second to 1 week (docTGAttributes), 1 day by default.
const (
	maxStickySeconds     = 604800
	defaultStickySeconds = 86400
)

// stickiness carries the listener's cookie stickiness policy to its ALB target group.
func (b *builder) stickiness(l ClassicListener, attrs map[string]string) {
	ps := b.policiesOf(l.Policies, policyLBCookie, policyAppCookie)
	if len(ps) == 0 {
		return
	}
	p := ps[0]
	row := Setting{Setting: "stickiness (listener " + listenerName(l) + ")", Source: docSticky, Status: Carried}
	if p.Type == policyAppCookie {
		row.Classic = p.Name + ": AWSELB cookie following the application cookie " + p.CookieName
		if reservedCookie(p.CookieName) {
			row.Status = NotCarried
			row.Reason = "ELBv2 reserves cookie names starting with AWSALB, AWSALBAPP and AWSALBTG for itself; " + p.CookieName + " cannot name the application cookie"
			row.Instead = "rename the application's cookie, then migrate again; or use duration-based stickiness (lb_cookie)"
			b.row(row)
			return
		}
		attrs["stickiness.enabled"] = "true"
		attrs["stickiness.type"] = "app_cookie"
		attrs["stickiness.app_cookie.cookie_name"] = p.CookieName
		attrs["stickiness.app_cookie.duration_seconds"] = strconv.Itoa(defaultStickySeconds)
		row.ELBv2 = "app_cookie on " + p.CookieName + ", AWSALBAPP cookie for " + seconds(defaultStickySeconds)
		row.Reason = "the application cookie's name is kept; the balancer's own cookie is AWSALBAPP-* instead of AWSELB and lasts stickiness.app_cookie.duration_seconds (1 day, ELBv2's default) rather than the application cookie's lifetime"
		row.Instead = "set stickiness.app_cookie.duration_seconds to the application session's lifetime if it is longer than a day"
		b.row(row)
		return
	}
	d := int(p.Expiration)
	row.Classic = p.Name + ": AWSELB cookie for " + seconds(d)
	row.Reason = "the balancer's cookie is AWSALB instead of AWSELB: clients' AWSELB cookies are not read, so each client is pinned anew on its first request to the new balancer"
	switch {
	case d <= 0:
		row.Classic = p.Name + ": AWSELB cookie for the browser session"
		d, row.Status = defaultStickySeconds, Adjusted
		row.Reason = "ELBv2's lb_cookie always expires: 1 day (ELBv2's default) stands for the browser session"
	case d > maxStickySeconds:
		row.Status = Adjusted
		row.Reason = fmt.Sprintf("ELBv2 caps lb_cookie stickiness at 7 days (%d s): %s becomes %s", maxStickySeconds, seconds(d), seconds(maxStickySeconds))
		d = maxStickySeconds
	}
	attrs["stickiness.enabled"] = "true"
	attrs["stickiness.type"] = "lb_cookie"
	attrs["stickiness.lb_cookie.duration_seconds"] = strconv.Itoa(d)
	row.ELBv2 = "lb_cookie, AWSALB cookie for " + seconds(d)
	b.row(row)
}

func reservedCookie(name string) bool { return strings.HasPrefix(strings.ToUpper(name), "AWSALB") }

// cookiesAtLayer4 explains why an HTTP listener's cookie stickiness is lost on an NLB.
func (b *builder) cookiesAtLayer4(l ClassicListener) {
	for _, p := range b.policiesOf(l.Policies, policyLBCookie, policyAppCookie) {
		b.row(Setting{Setting: "stickiness (listener " + listenerName(l) + ")", Classic: p.Name, Status: NotCarried, Source: docNLBSticky,
			Reason:  "a Network Load Balancer does not read HTTP, so it can neither set nor read a stickiness cookie",
			Instead: "enable stickiness.type=source_ip on the target group to keep each client address on one target (clients behind one NAT then share a target), or migrate with --to alb"})
	}
}

// proxyPorts lists the back-end ports with an enabled ProxyProtocol policy, marking them used.
func (b *builder) proxyPorts() map[int]string {
	out := map[int]string{}
	for port, names := range b.c.Backends {
		for _, p := range b.policiesOf(names, policyProxy) {
			if strings.EqualFold(p.Attributes["ProxyProtocol"], "true") {
				out[port] = p.Name
			}
		}
	}
	return out
}

// sendsProxyHeader reports whether Classic starts l's back-end connections with a PROXY header:
// when its instance port has an enabled ProxyProtocol policy (docProxyClassic), whatever the
// listener's protocol, as lbcloud's data plane does.
func (b *builder) sendsProxyHeader(l ClassicListener) bool {
	_, on := b.proxyPorts()[l.InstancePort]
	return on
}

// proxyProtocol says, for each back-end port with ProxyProtocol enabled, what the new
// balancers send: a network balancer version 2, an application balancer none.
func (b *builder) proxyProtocol() {
	ports := b.proxyPorts()
	for _, port := range slices.Sorted(maps.Keys(ports)) {
		name := proxySetting + strconv.Itoa(port) + ")"
		classic := ports[port] + ": PROXY protocol v1"
		var v2, none []string
		for _, l := range b.c.Listeners {
			switch {
			case l.InstancePort != port:
			case b.placed[l.Port].Type == typeNetwork:
				v2 = append(v2, listenerName(l))
			default:
				none = append(none, listenerName(l))
			}
		}
		if len(v2) > 0 {
			b.row(Setting{Setting: name, Classic: classic, Source: docProxyNLB, Status: Adjusted,
				ELBv2:   "proxy_protocol_v2.enabled=true on the target groups of " + strings.Join(v2, ", "),
				Reason:  "a Network Load Balancer sends PROXY protocol version 2 (binary), where Classic sent version 1 (text): back ends must read version 2 before traffic moves, or they take the header for data",
				Instead: "switch the back ends to PROXY protocol v2 first (nginx's proxy_protocol and HAProxy's accept-proxy read both versions)"})
		}
		if len(none) > 0 {
			b.row(Setting{Setting: name, Classic: classic, Source: docALBHeaders, Status: NotCarried,
				ELBv2:   "no PROXY header on " + strings.Join(none, ", "),
				Reason:  "an Application Load Balancer sends no PROXY header: it gives the client's address in X-Forwarded-For; back ends that require the header refuse its connections",
				Instead: "before moving traffic, let the back ends on port " + strconv.Itoa(port) + " accept connections without a PROXY header and read X-Forwarded-For, or migrate with --to nlb to keep a PROXY header (version 2)"})
		}
		if len(v2)+len(none) == 0 {
			b.row(Setting{Setting: name, Classic: classic, Source: docProxyClassic, Status: NotCarried,
				Reason: "no listener forwards to this port, so the policy has no effect to carry"})
		}
	}
}

// backendAuthentication explains the back-end server authentication (docBackendAuth) ELBv2 does
// not do (docTargetTLS).
func (b *builder) backendAuthentication() {
	for _, port := range slices.Sorted(maps.Keys(b.c.Backends)) {
		for _, p := range b.policiesOf(b.c.Backends[port], policyBackendAuth) {
			for _, k := range slices.Sorted(maps.Keys(p.Attributes)) {
				if strings.HasPrefix(k, "PublicKeyPolicyName") {
					b.used[p.Attributes[k]] = true
				}
			}
			b.row(Setting{Setting: "back-end authentication (instance port " + strconv.Itoa(port) + ")",
				Classic: p.Name + ": instances must present the listed public keys", Status: NotCarried, Source: docTargetTLS,
				Reason: "ELBv2 does not authenticate targets: an HTTPS or TLS target group encrypts the traffic but accepts any certificate an instance presents, even self-signed or expired",
				Instead: "keep the traffic encrypted (the target group's protocol stays HTTPS or TLS) and let only the new balancer reach the instances: " +
					"their security groups should admit the balancer's security groups alone on this port"})
		}
	}
}

// unusedPolicies lists the policies enabled nowhere: there is nothing of them to carry.
func (b *builder) unusedPolicies() {
	for _, name := range slices.Sorted(maps.Keys(b.c.Policies)) {
		if b.used[name] {
			continue
		}
		p := b.c.Policies[name]
		b.row(Setting{Setting: "policy " + name, Classic: p.Type + ", enabled on no listener or back-end port", Status: NotCarried,
			Reason: "the policy is not in use on the Classic balancer, so it has no effect to carry", Source: docMigrate})
	}
}
