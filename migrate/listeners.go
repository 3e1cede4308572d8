package migrate

import (
	"fmt"
	"slices"
	"strconv"
)

// listeners plans a listener and a target group for each Classic listener, with the
// stickiness, PROXY protocol and security policy each carries.
func (b *builder) listeners() {
	for _, l := range b.c.Listeners {
		b.listener(l)
	}
	b.balancerRows()
	b.proxyProtocol()
	b.backendAuthentication()
}

func (b *builder) listener(l ClassicListener) {
	lb, protocol, row := b.route(l)
	groupProtocol := targetProtocol(lb.Type, l.InstanceProtocol)
	attrs := map[string]string{}
	mark := len(b.rows) // the listener's row goes before those of its policies
	if lb.Type == typeApplication {
		b.stickiness(l, attrs)
	} else {
		b.cookiesAtLayer4(l)
		if b.sendsProxyHeader(l) {
			attrs["proxy_protocol_v2.enabled"] = "true"
		}
	}
	tg := b.group(lb, groupProtocol, l.InstancePort, attrs)
	nl := Listener{Port: l.Port, Protocol: protocol, TargetGroup: tg.Name, From: l.String()}
	if protocol == protoHTTPS || protocol == protoTLS {
		nl.Certificate = l.Certificate
		b.row(Setting{Setting: "certificate (listener " + listenerName(l) + ")", Classic: l.Certificate, ELBv2: l.Certificate,
			Status: Carried, Reason: "the same certificate ARN: ELBv2 listeners take IAM and ACM certificates alike", Source: docMigrate})
		nl.SSLPolicy = b.securityPolicy(l, lb.Type)
	}
	lb.Listeners = append(lb.Listeners, nl)
	b.placed[l.Port] = lb
	row.Setting = "listener " + listenerName(l)
	row.Classic = l.String()
	row.ELBv2 = fmt.Sprintf("%s:%d -> target group %s (%s:%d) on %s", protocol, l.Port, tg.Name, groupProtocol, l.InstancePort, kindName(lb))
	b.rows = slices.Insert(b.rows, mark, row)
}

// route picks the balancer and protocol that carry a Classic listener, and the setting that
// says so (without its names, which listener fills in).
func (b *builder) route(l ClassicListener) (*Balancer, string, Setting) {
	primary := b.lbs[0]
	switch layer7 := layer7(l); {
	case primary.Type == typeApplication && layer7:
		return primary, l.Protocol, Setting{Status: Carried, Source: docALBListeners}
	case primary.Type == typeApplication:
		nlb := b.networkBalancer()
		return nlb, layer4(l.Protocol), Setting{Status: Adjusted, Source: docMigrate,
			Reason: "an Application Load Balancer serves HTTP and HTTPS only, so this " + l.Protocol +
				" listener goes to a second balancer, the network load balancer " + nlb.Name,
			Instead: "migrate with --to nlb to keep every listener on one balancer (HTTP and HTTPS then at layer 4)"}
	case layer7:
		return primary, layer4(l.Protocol), Setting{Status: Adjusted, Source: docNLBListeners,
			Reason: "a Network Load Balancer works at layer 4: " + l.Protocol + " becomes " + layer4(l.Protocol) +
				", so requests are no longer read: no X-Forwarded-For, X-Forwarded-Proto or X-Forwarded-Port headers, no cookie stickiness",
			Instead: "migrate with --to alb to keep HTTP routing; behind the NLB, client addresses reach instances as the connection's source (client IP preservation)"}
	}
	return primary, layer4(l.Protocol), Setting{Status: Carried, Source: docNLBListeners,
		Reason: reasonIf(l.Protocol == protoSSL, "Classic's SSL listener is an NLB's TLS listener")}
}

func layer7(l ClassicListener) bool { return l.Protocol == protoHTTP || l.Protocol == protoHTTPS }

// layer4 is the NLB protocol of a Classic front-end protocol: TLS for the encrypted ones.
func layer4(protocol string) string {
	if protocol == protoHTTPS || protocol == protoSSL {
		return protoTLS
	}
	return protoTCP
}

// targetProtocol is the target group protocol that reaches instances the way the Classic
// back-end protocol did: encrypted or not.
func targetProtocol(lbType, instanceProtocol string) string {
	encrypted := instanceProtocol == protoHTTPS || instanceProtocol == protoSSL
	switch {
	case lbType == typeApplication && encrypted:
		return protoHTTPS
	case lbType == typeApplication:
		return protoHTTP
	case encrypted:
		return protoTLS
	}
	return protoTCP
}

func listenerName(l ClassicListener) string { return l.Protocol + ":" + strconv.Itoa(l.Port) }

func reasonIf(cond bool, s string) string {
	if cond {
		return s
	}
	return ""
}

// policiesOf returns the listener's policies of the given type, marking them used.
func (b *builder) policiesOf(names []string, types ...string) []ClassicPolicy {
	var out []ClassicPolicy
	for _, n := range names {
		p, ok := b.c.Policies[n]
		if !ok {
			continue
		}
		for _, t := range types {
			if p.Type == t {
				b.used[n] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// securityPolicy maps the listener's SSL negotiation policy to an ELBv2 security policy.
func (b *builder) securityPolicy(l ClassicListener, lbType string) string {
	source := docALBSSL
	if lbType == typeNetwork {
		source = docNLBSSL
	}
	row := Setting{Setting: "security policy (listener " + listenerName(l) + ")", Source: source}
	policies := b.policiesOf(l.Policies, policySSL)
	var v2 string
	switch {
	case len(policies) == 0:
		row.Classic = "none listed"
		v2, row.Status = defaultSSLPolicy, Carried
		row.Reason = "the listener lists no SSL negotiation policy; " + defaultSSLPolicy + " is the default of both APIs"
	case reference(policies[0]) != "":
		ref := reference(policies[0])
		row.Classic = policies[0].Name + " (" + ref + ")"
		m := mapSecurityPolicy(ref)
		v2, row.Status, row.Reason = m.v2, m.status, m.reason
	default:
		row.Classic = policies[0].Name + " (custom)"
		v2 = customPolicy(policies[0].Attributes)
		row.Status = Adjusted
		row.Reason = "ELBv2 has no custom security policies: " + v2 + " offers the same lowest TLS version; its ciphers are its own, not the listed ones"
		row.Instead = "compare " + v2 + "'s ciphers (aws elbv2 describe-ssl-policies --names " + v2 + ") with the clients you serve"
	}
	row.ELBv2 = v2
	b.row(row)
	return v2
}

// reference is the predefined policy an SSL negotiation policy follows: its
// Reference-Security-Policy attribute, or its own name when it is named for a predefined one,
// as the policy Classic gives an HTTPS listener by default is.
func reference(p ClassicPolicy) string {
	if ref := p.Attributes[referencePolicy]; ref != "" {
		return ref
	}
	if _, ok := securityPolicies[p.Name]; ok {
		return p.Name
	}
	return ""
}
