package elbv2

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Mutual TLS modes.
const (
	mtlsOff         = "off"
	mtlsPassthrough = "passthrough"
	mtlsVerify      = "verify"
)

// listenerProtocols are the listener protocols of each balancer type.
var listenerProtocols = map[string][]string{
	typeALB: {protoHTTP, protoHTTPS},
	typeNLB: {protoTCP, protoTLS, protoUDP, protoTCPUDP, protoQUIC, protoTCPQUIC},
}

func isTLS(proto string) bool { return proto == protoHTTPS || proto == protoTLS }

// alpnPolicies are the ALPN policies a TLS listener may name.
var alpnPolicies = []string{"HTTP1Only", "HTTP2Only", "HTTP2Optional", "HTTP2Preferred", "None"}

// listenerInput is what CreateListener and ModifyListener read before their transaction.
type listenerInput struct {
	certs      []string
	certsGiven bool
}

// applyListenerSettings applies the protocol, port, certificate, security policy, ALPN
// policy and mutual authentication given to l (a new listener when create), for lb.
func applyListenerSettings(p *store.Part, params query.Params, lb *lbRec, l *store.V2Listener, in listenerInput, create bool) error {
	proto, protoGiven := params.Str("Protocol")
	_, portGiven := params.Str("Port")
	switch {
	case lb.Type == typeGWLB && (protoGiven || portGiven):
		return query.Validation("A protocol and port cannot be specified for a Gateway Load Balancer listener")
	case lb.Type != typeGWLB && create && !protoGiven:
		return query.Missing("Protocol")
	case lb.Type != typeGWLB && create && !portGiven:
		return query.Missing("Port")
	}
	if protoGiven {
		if !oneOf(proto, allProtocols...) {
			return enumError("Protocol", proto, allProtocols...)
		}
		if !oneOf(proto, listenerProtocols[lb.Type]...) {
			return sender("UnsupportedProtocol", "Protocol '%s' is not supported by %s load balancers", proto, lb.Type)
		}
		if lb.IPAddressType != ipv4 && oneOf(proto, protoUDP, protoTCPUDP, protoQUIC, protoTCPQUIC) &&
			!(lb.PrefixSourceNat == "on" && oneOf(proto, protoUDP, protoTCPUDP)) {
			return errConfig("%s listeners are not supported on dualstack load balancers", proto)
		}
		if isTLS(l.Protocol) && !isTLS(proto) {
			// Leaving TLS drops the certificates and the policies that go with them.
			lb.Certificates -= len(l.Certificates)
			l.Certificate, l.Certificates, l.SSLPolicy, l.ALPNPolicy, l.MutualAuth = "", nil, "", "", nil
		}
		l.Protocol = proto
	}
	if portGiven {
		port, err := params.IntReq("Port", 1, 65535)
		if err != nil {
			return err
		}
		l.Port = port
	}
	if err := applyCertificate(l, in); err != nil {
		return err
	}
	if err := applySSLPolicy(params, lb, l); err != nil {
		return err
	}
	if err := applyALPN(params, l); err != nil {
		return err
	}
	return applyMutualAuth(p, params, l)
}

func applyCertificate(l *store.V2Listener, in listenerInput) error {
	switch {
	case in.certsGiven && !isTLS(l.Protocol):
		return errConfig("Certificates apply to HTTPS and TLS listeners only")
	case len(in.certs) > 1:
		return sender("TooManyCertificates", "A listener has exactly one default certificate; add more with AddListenerCertificates")
	case len(in.certs) == 1:
		l.Certificate = in.certs[0]
	case isTLS(l.Protocol) && l.Certificate == "":
		return query.Validation("A certificate must be specified for %s listeners", l.Protocol)
	}
	return nil
}

func applySSLPolicy(params query.Params, lb *lbRec, l *store.V2Listener) error {
	name, given := params.Str("SslPolicy")
	switch {
	case given && !isTLS(l.Protocol):
		return errConfig("An SSL policy applies to HTTPS and TLS listeners only")
	case given:
		pol, ok := catalog.LookupSSLPolicyV2(name)
		if !ok {
			return errSSLPolicyNotFound(name)
		}
		if !slices.Contains(pol.LoadBalancerTypes, lb.Type) {
			return errConfig("SSL policy '%s' is not supported by %s load balancers", name, lb.Type)
		}
		l.SSLPolicy = name
	case isTLS(l.Protocol) && l.SSLPolicy == "":
		l.SSLPolicy = catalog.DefaultSSLPolicyV2
	}
	return nil
}

func applyALPN(params query.Params, l *store.V2Listener) error {
	names, given, err := params.StrList("AlpnPolicy")
	switch {
	case err != nil:
		return err
	case !given:
		return nil
	case len(names) == 0:
		l.ALPNPolicy = ""
		return nil
	case l.Protocol != protoTLS:
		return errConfig("An ALPN policy applies to TLS listeners only")
	case len(names) > 1:
		return query.Validation("Only one ALPN policy can be specified")
	case !oneOf(names[0], alpnPolicies...):
		return sender("ALPNPolicyNotFound", "ALPN policy '%s' is not supported", names[0])
	}
	l.ALPNPolicy = names[0]
	return nil
}

// applyMutualAuth reads MutualAuthentication (HTTPS listeners): off, passthrough, or verify
// with a trust store of the account.
func applyMutualAuth(p *store.Part, params query.Params, l *store.V2Listener) error {
	const pre = "MutualAuthentication."
	if !params.HasPrefix(pre) {
		return nil
	}
	if l.Protocol != protoHTTPS {
		return errConfig("Mutual authentication applies to HTTPS listeners only")
	}
	m := &store.V2MutualAuth{Mode: mtlsOff}
	if v, ok := params.Str(pre + "Mode"); ok {
		if !oneOf(v, mtlsOff, mtlsPassthrough, mtlsVerify) {
			return query.Validation("Mutual authentication mode '%s' must be off, passthrough or verify", v)
		}
		m.Mode = v
	}
	ts, tsGiven := params.Str(pre + "TrustStoreArn")
	ignore, ignoreGiven, err := params.BoolOpt(pre + "IgnoreClientCertificateExpiry")
	if err != nil {
		return err
	}
	advertise, advertiseGiven := params.Str(pre + "AdvertiseTrustStoreCaNames")
	switch {
	case m.Mode != mtlsVerify && (tsGiven || ignoreGiven || advertiseGiven):
		return errConfig("TrustStoreArn, IgnoreClientCertificateExpiry and AdvertiseTrustStoreCaNames apply to the verify mode only")
	case m.Mode == mtlsVerify && ts == "":
		return query.Validation("A trust store is required for the verify mode")
	case advertiseGiven && !oneOf(advertise, "on", "off"):
		return enumError(pre+"AdvertiseTrustStoreCaNames", advertise, "on", "off")
	}
	if m.Mode == mtlsVerify {
		if _, err := getTrustStore(p, ts); err != nil {
			return err
		}
		m.TrustStoreARN, m.IgnoreExpiry, m.AdvertiseCAs = ts, ignore, "off"
		if advertiseGiven {
			m.AdvertiseCAs = advertise
		}
	}
	l.MutualAuth = m
	return nil
}

// trustStoreOf is the trust store a listener verifies clients with ("" for none).
func trustStoreOf(l *store.V2Listener) string {
	if l.MutualAuth == nil {
		return ""
	}
	return l.MutualAuth.TrustStoreARN
}

// retrust moves the listener from the users of the trust store it used (old) to those of
// the one it uses now.
func retrust(p *store.Part, listener, old, now string) error {
	if old == now {
		return nil
	}
	for _, arn := range []string{old, now} {
		if arn == "" {
			continue
		}
		ts, err := getTrustStore(p, arn)
		if err != nil {
			if arn == old {
				continue // deleted: nothing to update
			}
			return err
		}
		ts.Users = slices.DeleteFunc(ts.Users, func(u string) bool { return u == listener })
		if arn == now {
			ts.Users = append(ts.Users, listener)
		}
		if err := store.V2TrustStores.Put(p, tsKey(ts), ts); err != nil {
			return err
		}
	}
	return nil
}
