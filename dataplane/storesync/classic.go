package storesync

import (
	"slices"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// classicKey is the engine's key of a Classic balancer: the ARN AWS gives it.
func classicKey(p *store.Part, name string) string {
	return "arn:aws:elasticloadbalancing:" + p.Region + ":" + p.Account + ":loadbalancer/" + name
}

// classic adds a Classic balancer: each listener forwards to a group of its own holding the
// balancer's instances on the listener's instance port, with the balancer's health check, the
// listener's stickiness policy, the instance port's PROXY protocol policy and the balancer's
// connection draining. The health of an instance is that of the first listener's group (the
// lowest port): every group checks the same target.
func (b *build) classic(p *store.Part, lb *store.ClassicBalancer) {
	key := classicKey(p, lb.Name)
	bal := dataplane.Balancer{Key: key, Kind: dataplane.KindClassic, DNSName: lb.DNSName,
		IdleTimeout: seconds(lb.Attrs.IdleTimeout), CrossZone: lb.Attrs.CrossZone, Zones: lb.Zones}
	listeners := slices.Clone(lb.Listeners)
	slices.SortFunc(listeners, func(a, c store.ClassicListener) int { return a.LoadBalancerPort - c.LoadBalancerPort })
	hc := classicHealthCheck(lb.HealthCheck)
	hc.Interval = b.interval(hc.Interval)
	var groups []*dataplane.TargetGroup
	for i, l := range listeners {
		gk := key + "|" + strconv.Itoa(l.LoadBalancerPort)
		g := &dataplane.TargetGroup{Key: gk, Protocol: dataplane.Protocol(l.InstanceProtocol), HealthCheck: hc,
			Stickiness: classicStickiness(lb, l)}
		if lb.Attrs.Draining {
			g.DeregistrationDelay = seconds(lb.Attrs.DrainingTimeout)
		}
		g.ProxyProtocol = classicProxyProtocol(lb, l.InstancePort)
		for _, id := range lb.Instances {
			s := slot{p.Account, p.Region, true, store.ClassicProbeKey(lb.Name, id)}
			be := instanceBackend(p, id, l.InstancePort)
			if !be.dialled() {
				b.static[s] = notDialledClassic(be.why, b.now)
				continue
			}
			g.Targets = append(g.Targets, dataplane.Target{ID: id, Addr: be.addr, CheckAddr: be.checkAddr, Zone: be.zone})
			if i == 0 {
				b.slots[targetRef{gk, id, be.addr}] = s
			}
		}
		dl := dataplane.Listener{Port: l.LoadBalancerPort, Protocol: dataplane.Protocol(l.Protocol), Rules: forwardTo(gk)}
		if l.Protocol == "HTTPS" || l.Protocol == "SSL" {
			dl.Certificates = []dataplane.Certificate{b.certificate(p, l.SSLCertificateID, lb.DNSName)}
			dl.TLSPolicy = classicTLSPolicy(lb, l)
		}
		bal.Listeners = append(bal.Listeners, dl)
		groups = append(groups, g)
	}
	b.addBalancer(bal, balancerRef{Account: p.Account, Region: p.Region, Name: lb.Name, Type: "classic",
		DNSName: lb.DNSName}, groups)
}

// forwardTo is the one rule of a listener that forwards everything to one group.
func forwardTo(group string) []dataplane.Rule {
	return []dataplane.Rule{{Actions: []dataplane.Action{{Type: dataplane.ActionForward,
		Forward: &dataplane.Forward{TargetGroups: []dataplane.WeightedGroup{{Key: group, Weight: 1}}}}}}}
}

// classicHealthCheck reads a health check target: TCP:PORT, SSL:PORT, HTTP:PORT/PATH or
// HTTPS:PORT/PATH. Classic counts only 200 as a success.
func classicHealthCheck(hc store.ClassicHealthCheck) dataplane.HealthCheck {
	proto, rest, _ := strings.Cut(hc.Target, ":")
	port, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		port, path = rest[:i], rest[i:]
	}
	return dataplane.HealthCheck{Protocol: dataplane.Protocol(proto), Port: port, Path: path, Matcher: "200",
		Interval: seconds(hc.Interval), Timeout: seconds(hc.Timeout),
		HealthyThreshold: hc.HealthyThreshold, UnhealthyThreshold: hc.UnhealthyThreshold}
}

// classicStickiness is the stickiness policy enabled on a listener, if any.
func classicStickiness(lb *store.ClassicBalancer, l store.ClassicListener) dataplane.Stickiness {
	for _, pol := range listenerPolicies(lb, l) {
		switch pol.TypeName {
		case "LBCookieStickinessPolicyType":
			n, _ := strconv.Atoi(pol.Attr("CookieExpirationPeriod"))
			return dataplane.Stickiness{Type: dataplane.StickyClassicLB, Duration: seconds(n)}
		case "AppCookieStickinessPolicyType":
			return dataplane.Stickiness{Type: dataplane.StickyClassicApp, CookieName: pol.Attr("CookieName")}
		}
	}
	return dataplane.Stickiness{}
}

// classicProxyProtocol is v1 when a ProxyProtocolPolicyType policy with ProxyProtocol=true is
// enabled on the instance port.
func classicProxyProtocol(lb *store.ClassicBalancer, port int) dataplane.ProxyProtocol {
	for _, be := range lb.Backends {
		if be.Port != port {
			continue
		}
		for _, name := range be.PolicyNames {
			pol, ok := lb.Policy(name)
			if ok && pol.TypeName == "ProxyProtocolPolicyType" && strings.EqualFold(pol.Attr("ProxyProtocol"), "true") {
				return dataplane.ProxyV1
			}
		}
	}
	return dataplane.ProxyNone
}

// classicTLSPolicy is the SSL negotiation policy enabled on an HTTPS or SSL listener (stored with
// every protocol and cipher spelled out), else AWS's default for new listeners.
func classicTLSPolicy(lb *store.ClassicBalancer, l store.ClassicListener) *dataplane.TLSPolicy {
	attrs := defaultClassicSSLPolicy()
	for _, pol := range listenerPolicies(lb, l) {
		if pol.TypeName == "SSLNegotiationPolicyType" {
			attrs = pol.Attrs
		}
	}
	tp := &dataplane.TLSPolicy{}
	for _, a := range attrs {
		if !strings.EqualFold(a.Value, "true") {
			continue
		}
		switch {
		case strings.HasPrefix(a.Name, "Protocol-"):
			tp.Protocols = append(tp.Protocols, strings.TrimPrefix(a.Name, "Protocol-"))
		case a.Name != "Server-Defined-Cipher-Order":
			tp.Ciphers = append(tp.Ciphers, a.Name)
		}
	}
	return tp
}

func listenerPolicies(lb *store.ClassicBalancer, l store.ClassicListener) []store.ClassicPolicy {
	var out []store.ClassicPolicy
	for _, name := range l.PolicyNames {
		if pol, ok := lb.Policy(name); ok {
			out = append(out, pol)
		}
	}
	return out
}

// defaultClassicSSLPolicy is the policy AWS gives an HTTPS or SSL listener created without one.
func defaultClassicSSLPolicy() []store.Attribute {
	pol, _ := catalog.LookupPredefined("ELBSecurityPolicy-2016-08")
	out := make([]store.Attribute, len(pol.Attributes))
	for i, a := range pol.Attributes {
		out[i] = store.Attribute{Name: a.Name, Value: a.Value}
	}
	return out
}
