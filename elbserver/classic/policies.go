package classic

import (
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	policyTypeAppCookie      = "AppCookieStickinessPolicyType"
	policyTypeLBCookie       = "LBCookieStickinessPolicyType"
	policyTypeSSLNegotiation = "SSLNegotiationPolicyType"
	policyTypeProxyProtocol  = "ProxyProtocolPolicyType"
	policyTypeBackendAuth    = "BackendServerAuthenticationPolicyType"
)

func errDuplicatePolicy(name, lb string) error {
	return query.Errorf(http.StatusBadRequest, "DuplicatePolicyName", "Policy name '%s' already exists for load balancer %s", name, lb)
}

// addPolicy stores a new policy on a balancer, enforcing name uniqueness and
// the per-balancer policy quota.
func (r *Room) addPolicy(c *query.Call, pol store.ClassicPolicy) error {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return err
	}
	return r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		if _, dup := policyNamed(lb, pol.Name); dup {
			return errDuplicatePolicy(pol.Name, name)
		}
		if len(lb.Policies) >= maxPoliciesPerLB {
			return query.Errorf(http.StatusBadRequest, "TooManyPolicies", "Load balancer %s already has the maximum of %d policies", name, maxPoliciesPerLB)
		}
		lb.Policies = append(lb.Policies, pol)
		return nil
	})
}

func policyName(p query.Params) (string, error) {
	n, err := p.Required("PolicyName")
	if err != nil {
		return "", err
	}
	return n, validatePolicyName(n)
}

func (r *Room) createAppCookieStickinessPolicy(c *query.Call) (any, error) {
	name, err := policyName(c.Params)
	if err != nil {
		return nil, err
	}
	cookie, err := c.Params.RequiredText("CookieName", maxCookieName)
	if err != nil {
		return nil, err
	}
	return nil, r.addPolicy(c, store.ClassicPolicy{Name: name, TypeName: policyTypeAppCookie, Attrs: []store.Attribute{{Name: "CookieName", Value: cookie}}})
}

func (r *Room) createLBCookieStickinessPolicy(c *query.Call) (any, error) {
	name, err := policyName(c.Params)
	if err != nil {
		return nil, err
	}
	pol := store.ClassicPolicy{Name: name, TypeName: policyTypeLBCookie}
	// Without an expiration period the cookie lives as long as the browser session.
	if v, ok := c.Params["CookieExpirationPeriod"]; ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return nil, query.Validation("CookieExpirationPeriod must be a positive integer, got '%s'", v)
		}
		pol.Attrs = []store.Attribute{{Name: "CookieExpirationPeriod", Value: strconv.FormatInt(n, 10)}}
	}
	return nil, r.addPolicy(c, pol)
}

func (r *Room) createLoadBalancerPolicy(c *query.Call) (any, error) {
	name, err := policyName(c.Params)
	if err != nil {
		return nil, err
	}
	typeName, err := c.Params.Required("PolicyTypeName")
	if err != nil {
		return nil, err
	}
	if _, ok := catalog.LookupType(typeName); !ok {
		return nil, query.Errorf(http.StatusBadRequest, "PolicyTypeNotFound", "There is no policy type with name '%s'", typeName)
	}
	n, _, aerr := c.Params.Members("PolicyAttributes")
	if aerr != nil {
		return nil, aerr
	}
	attrs := make([]catalog.Attribute, 0, n)
	for i := 1; i <= n; i++ {
		pre := query.Member("PolicyAttributes", i) + "."
		an, err := c.Params.Required(pre + "AttributeName")
		if err != nil {
			return nil, err
		}
		v, _, err := c.Params.Text(pre+"AttributeValue", maxAttributeValue)
		if err != nil {
			return nil, err
		}
		attrs = append(attrs, catalog.Attribute{Name: an, Value: v})
	}
	if err := catalog.Validate(typeName, attrs); err != nil {
		return nil, catalogError(err)
	}
	pol := store.ClassicPolicy{Name: name, TypeName: typeName}
	for _, a := range catalog.Complete(typeName, attrs) {
		pol.Attrs = append(pol.Attrs, store.Attribute{Name: a.Name, Value: a.Value})
	}
	return nil, r.addPolicy(c, pol)
}

func (r *Room) deleteLoadBalancerPolicy(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	pol, err := c.Params.Required("PolicyName")
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
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
		lb.Policies = slices.DeleteFunc(lb.Policies, func(x store.ClassicPolicy) bool { return x.Name == pol })
		return nil
	})
}

// policyNamesToSet reads PolicyNames; an absent list or a single empty member
// means "remove all policies".
func policyNamesToSet(p query.Params) ([]string, error) {
	names, _, err := p.StrList("PolicyNames")
	if err != nil {
		return nil, err
	}
	if len(names) == 1 && names[0] == "" {
		return nil, nil
	}
	for _, n := range names {
		if n == "" {
			return nil, query.Validation("PolicyNames must not contain empty names")
		}
	}
	return dedupe(names), nil
}

// catalogError puts a catalog rule's verdict on the wire.
func catalogError(err error) error {
	var ce *catalog.Error
	if !errors.As(err, &ce) {
		return err
	}
	if ce.Code == catalog.CodeInvalidConfigurationRequest {
		return errConfig("%s", ce.Message)
	}
	return query.Errorf(http.StatusBadRequest, ce.Code, "%s", ce.Message)
}

// policyFromCatalog is the stored form of a predefined policy.
func policyFromCatalog(pre catalog.Policy) store.ClassicPolicy {
	pol := store.ClassicPolicy{Name: pre.Name, TypeName: pre.TypeName}
	for _, a := range pre.Attributes {
		pol.Attrs = append(pol.Attrs, store.Attribute{Name: a.Name, Value: a.Value})
	}
	return pol
}

// resolvePolicies finds each named policy on the balancer, falling back to
// the predefined catalog policies, which are copied onto the balancer when
// first used (as AWS lists them among the balancer's policies).
func resolvePolicies(lb *store.ClassicBalancer, names []string) ([]store.ClassicPolicy, error) {
	out := make([]store.ClassicPolicy, 0, len(names))
	for _, n := range names {
		pol, ok := policyNamed(lb, n)
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

// DefaultSecurityPolicy is the predefined policy AWS associates with an HTTPS or SSL listener
// created without a security policy.
const DefaultSecurityPolicy = "ELBSecurityPolicy-2016-08"

// secureByDefault gives a new HTTPS or SSL listener without policies AWS's default security
// policy, copied onto the balancer, where DescribeLoadBalancers (OtherPolicies) and
// DescribeLoadBalancerPolicies list it, as AWS does.
func secureByDefault(lb *store.ClassicBalancer, l *store.ClassicListener) error {
	if (l.Protocol != "HTTPS" && l.Protocol != "SSL") || len(l.PolicyNames) > 0 {
		return nil
	}
	if _, err := resolvePolicies(lb, []string{DefaultSecurityPolicy}); err != nil {
		return err
	}
	l.PolicyNames = []string{DefaultSecurityPolicy}
	return nil
}

func (r *Room) setLoadBalancerPoliciesOfListener(c *query.Call) (any, error) {
	name, port, err := nameAndPort(c.Params, "LoadBalancerPort")
	if err != nil {
		return nil, err
	}
	names, err := policyNamesToSet(c.Params)
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		l := listenerOn(lb, port)
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

func (r *Room) setLoadBalancerPoliciesForBackendServer(c *query.Call) (any, error) {
	name, port, err := nameAndPort(c.Params, "InstancePort")
	if err != nil {
		return nil, err
	}
	names, err := policyNamesToSet(c.Params)
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		pols, err := resolvePolicies(lb, names)
		if err != nil {
			return err
		}
		for _, pol := range pols {
			if pol.TypeName != policyTypeProxyProtocol && pol.TypeName != policyTypeBackendAuth {
				return errConfig("Policy %s of type %s cannot be enabled for a back-end server", pol.Name, pol.TypeName)
			}
		}
		lb.Backends = slices.DeleteFunc(lb.Backends, func(b store.ClassicBackend) bool { return b.Port == port })
		if len(names) > 0 {
			lb.Backends = append(lb.Backends, store.ClassicBackend{Port: port, PolicyNames: names})
			slices.SortFunc(lb.Backends, func(a, b store.ClassicBackend) int { return a.Port - b.Port })
		}
		return nil
	})
}
