package elbserver

// actions maps every Classic ELB 2012-06-01 operation to its handler.
var actions map[string]handler

func init() {
	actions = map[string]handler{
		"AddTags":                                 (*Server).addTags,
		"ApplySecurityGroupsToLoadBalancer":       (*Server).applySecurityGroups,
		"AttachLoadBalancerToSubnets":             func(s *Server, c *call) (any, error) { return s.changeSubnets(c, true) },
		"ConfigureHealthCheck":                    (*Server).configureHealthCheck,
		"CreateAppCookieStickinessPolicy":         (*Server).createAppCookieStickinessPolicy,
		"CreateLBCookieStickinessPolicy":          (*Server).createLBCookieStickinessPolicy,
		"CreateLoadBalancer":                      (*Server).createLoadBalancer,
		"CreateLoadBalancerListeners":             (*Server).createLoadBalancerListeners,
		"CreateLoadBalancerPolicy":                (*Server).createLoadBalancerPolicy,
		"DeleteLoadBalancer":                      (*Server).deleteLoadBalancer,
		"DeleteLoadBalancerListeners":             (*Server).deleteLoadBalancerListeners,
		"DeleteLoadBalancerPolicy":                (*Server).deleteLoadBalancerPolicy,
		"DeregisterInstancesFromLoadBalancer":     (*Server).deregisterInstances,
		"DescribeAccountLimits":                   (*Server).describeAccountLimits,
		"DescribeInstanceHealth":                  (*Server).describeInstanceHealth,
		"DescribeLoadBalancerAttributes":          (*Server).describeLoadBalancerAttributes,
		"DescribeLoadBalancerPolicies":            (*Server).describeLoadBalancerPolicies,
		"DescribeLoadBalancerPolicyTypes":         (*Server).describeLoadBalancerPolicyTypes,
		"DescribeLoadBalancers":                   (*Server).describeLoadBalancers,
		"DescribeTags":                            (*Server).describeTags,
		"DetachLoadBalancerFromSubnets":           func(s *Server, c *call) (any, error) { return s.changeSubnets(c, false) },
		"DisableAvailabilityZonesForLoadBalancer": func(s *Server, c *call) (any, error) { return s.changeZones(c, false) },
		"EnableAvailabilityZonesForLoadBalancer":  func(s *Server, c *call) (any, error) { return s.changeZones(c, true) },
		"ModifyLoadBalancerAttributes":            (*Server).modifyLoadBalancerAttributes,
		"RegisterInstancesWithLoadBalancer":       (*Server).registerInstances,
		"RemoveTags":                              (*Server).removeTags,
		"SetLoadBalancerListenerSSLCertificate":   (*Server).setLoadBalancerListenerSSLCertificate,
		"SetLoadBalancerPoliciesForBackendServer": (*Server).setLoadBalancerPoliciesForBackendServer,
		"SetLoadBalancerPoliciesOfListener":       (*Server).setLoadBalancerPoliciesOfListener,
	}
}
