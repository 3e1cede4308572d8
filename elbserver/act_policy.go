package elbserver

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
)

const (
	policyTypeSSLNegotiation = "SSLNegotiationPolicyType"
	policyTypeProxyProtocol  = "ProxyProtocolPolicyType"
	policyTypeBackendAuth    = "BackendServerAuthenticationPolicyType"
)

func errDuplicatePolicy(name, lb string) error {
	return errf(http.StatusBadRequest, "DuplicatePolicyName", "Policy name '%s' already exists for load balancer %s", name, lb)
}

// addPolicy stores a new policy on a balancer, enforcing name uniqueness and
// the per-balancer policy quota.
func (s *Server) addPolicy(c *call, pol policyRec) error {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return err
	}
	return s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		if _, dup := lb.policy(pol.Name); dup {
			return errDuplicatePolicy(pol.Name, name)
		}
		if len(lb.Policies) >= maxPoliciesPerLB {
			return errf(http.StatusBadRequest, "TooManyPolicies", "Load balancer %s already has the maximum of %d policies", name, maxPoliciesPerLB)
		}
		lb.Policies = append(lb.Policies, pol)
		return nil
	})
}

func policyName(p params) (string, error) {
	n, err := p.required("PolicyName")
	if err != nil {
		return "", err
	}
	return n, validatePolicyName(n)
}

func (s *Server) createAppCookieStickinessPolicy(c *call) (any, error) {
	name, err := policyName(c.p)
	if err != nil {
		return nil, err
	}
	cookie, err := c.p.required("CookieName")
	if err != nil {
		return nil, err
	}
	return nil, s.addPolicy(c, policyRec{Name: name, TypeName: policyTypeAppCookie, Attrs: []attrRec{{"CookieName", cookie}}})
}

func (s *Server) createLBCookieStickinessPolicy(c *call) (any, error) {
	name, err := policyName(c.p)
	if err != nil {
		return nil, err
	}
	pol := policyRec{Name: name, TypeName: policyTypeLBCookie}
	// Without an expiration period the cookie lives as long as the browser session.
	if v, ok := c.p["CookieExpirationPeriod"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return nil, errValidation("CookieExpirationPeriod must be a positive integer, got '%s'", v)
		}
		pol.Attrs = []attrRec{{"CookieExpirationPeriod", strconv.FormatInt(n, 10)}}
	}
	return nil, s.addPolicy(c, pol)
}

func (s *Server) createLoadBalancerPolicy(c *call) (any, error) {
	name, err := policyName(c.p)
	if err != nil {
		return nil, err
	}
	typeName, err := c.p.required("PolicyTypeName")
	if err != nil {
		return nil, err
	}
	if _, ok := catalog.LookupType(typeName); !ok {
		return nil, errf(http.StatusBadRequest, "PolicyTypeNotFound", "There is no policy type with name '%s'", typeName)
	}
	n, _, aerr := c.p.members("PolicyAttributes")
	if aerr != nil {
		return nil, aerr
	}
	attrs := make([]catalog.Attribute, 0, n)
	for i := 1; i <= n; i++ {
		pre := member("PolicyAttributes", i) + "."
		an, err := c.p.required(pre + "AttributeName")
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, catalog.Attribute{Name: an, Value: c.p[pre+"AttributeValue"]})
	}
	if err := catalog.Validate(typeName, attrs); err != nil {
		return nil, err
	}
	pol := policyRec{Name: name, TypeName: typeName}
	for _, a := range catalog.Complete(typeName, attrs) {
		pol.Attrs = append(pol.Attrs, attrRec{a.Name, a.Value})
	}
	return nil, s.addPolicy(c, pol)
}

func (s *Server) deleteLoadBalancerPolicy(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	pol, err := c.p.required("PolicyName")
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		for _, l := range lb.Listeners {
			if slices.Contains(l.PolicyNames, pol) {
				return errConfig("Policy %s is enabled on the listener on port %d and cannot be deleted", pol, l.LoadBalancerPort)
			}
		}
		for _, b := range lb.Backends {
			if slices.Contains(b.PolicyNames, pol) {
				return errConfig("Policy %s is enabled for back-end port %d and cannot be deleted", pol, b.Port)
			}
		}
		lb.Policies = slices.DeleteFunc(lb.Policies, func(x policyRec) bool { return x.Name == pol })
		return nil
	})
}

// policyNamesToSet reads PolicyNames; an absent list or a single empty member
// means "remove all policies".
func policyNamesToSet(p params) ([]string, error) {
	names, _, err := p.strList("PolicyNames")
	if err != nil {
		return nil, err
	}
	if len(names) == 1 && names[0] == "" {
		return nil, nil
	}
	for _, n := range names {
		if n == "" {
			return nil, errValidation("PolicyNames must not contain empty names")
		}
	}
	return dedupe(names), nil
}

// policyFromCatalog is the stored form of a predefined policy.
func policyFromCatalog(pre catalog.Policy) policyRec {
	pol := policyRec{Name: pre.Name, TypeName: pre.TypeName}
	for _, a := range pre.Attributes {
		pol.Attrs = append(pol.Attrs, attrRec{a.Name, a.Value})
	}
	return pol
}

// resolvePolicies finds each named policy on the balancer, falling back to
// the predefined catalog policies, which are copied onto the balancer when
// first used (as AWS lists them among the balancer's policies).
func resolvePolicies(lb *lbRecord, names []string) ([]policyRec, error) {
	out := make([]policyRec, 0, len(names))
	for _, n := range names {
		pol, ok := lb.policy(n)
		if !ok {
			pre, found := catalog.LookupPredefined(n)
			if !found {
				return nil, errPolicyNotFound("There is no policy with name %s for load balancer %s", n, lb.Name)
			}
			pol = policyFromCatalog(pre)
			lb.Policies = append(lb.Policies, pol)
		}
		out = append(out, pol)
	}
	return out, nil
}

func (s *Server) setLoadBalancerPoliciesOfListener(c *call) (any, error) {
	name, port, err := c.p.nameAndPort("LoadBalancerPort")
	if err != nil {
		return nil, err
	}
	names, err := policyNamesToSet(c.p)
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		l := lb.listener(port)
		if l == nil {
			return errListenerNotFound(name, port)
		}
		pols, err := resolvePolicies(lb, names)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, pol := range pols {
			kind := pol.TypeName
			switch kind {
			case policyTypeAppCookie, policyTypeLBCookie:
				if protocolLayer(l.Protocol) != "http" {
					return errConfig("Stickiness policy %s can only be enabled on HTTP or HTTPS listeners, not %s", pol.Name, l.Protocol)
				}
				kind = "stickiness"
			case policyTypeSSLNegotiation:
				if l.Protocol != "HTTPS" && l.Protocol != "SSL" {
					return errConfig("SSL negotiation policy %s can only be enabled on HTTPS or SSL listeners", pol.Name)
				}
			default:
				return errConfig("Policy %s of type %s cannot be enabled on a listener", pol.Name, pol.TypeName)
			}
			if seen[kind] {
				return errConfig("Only one policy of each kind can be enabled on a listener")
			}
			seen[kind] = true
		}
		l.PolicyNames = names
		return nil
	})
}

func (s *Server) setLoadBalancerPoliciesForBackendServer(c *call) (any, error) {
	name, port, err := c.p.nameAndPort("InstancePort")
	if err != nil {
		return nil, err
	}
	names, err := policyNamesToSet(c.p)
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		pols, err := resolvePolicies(lb, names)
		if err != nil {
			return err
		}
		for _, pol := range pols {
			if pol.TypeName != policyTypeProxyProtocol && pol.TypeName != policyTypeBackendAuth {
				return errConfig("Policy %s of type %s cannot be enabled for a back-end server", pol.Name, pol.TypeName)
			}
		}
		lb.Backends = slices.DeleteFunc(lb.Backends, func(b backendRec) bool { return b.Port == port })
		if len(names) > 0 {
			lb.Backends = append(lb.Backends, backendRec{Port: port, PolicyNames: names})
			slices.SortFunc(lb.Backends, func(a, b backendRec) int { return a.Port - b.Port })
		}
		return nil
	})
}
