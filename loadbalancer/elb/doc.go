// Package elb is the AWS Classic Elastic Load Balancing provider (API version 2012-06-01),
// built on aws-sdk-go-v2. Open returns the portable *loadbalancer.Service; importing the
// package also registers the provider "elb", so loadbalancer.Open opens it by name:
//
//	svc, err := elb.Open(ctx, loadbalancer.Options{
//		AccessKeyID: id, SecretAccessKey: secret, Region: "us-east-1"})
//	lbs, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{})
//
// ELB-only actions (policies, listeners, attributes, zones, tags) are methods of *Client,
// reached with Service.As, or built on their own from an aws.Config with NewClient:
//
//	var c *elb.Client
//	if svc.As(&c) {
//		err = c.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol",
//			"ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"})
//	}
//
// A balancer's ID is its name. Members are EC2 instances; a member given only by IP is
// resolved to its instance through EC2 before any change is made. Every Classic ELB action
// has a method: see Operations.
package elb

// Operations maps each action of the Classic ELB API to the Client method that calls it.
var Operations = map[string]string{
	"AddTags":                                 "AddTags",
	"ApplySecurityGroupsToLoadBalancer":       "ApplySecurityGroups",
	"AttachLoadBalancerToSubnets":             "AttachSubnets",
	"ConfigureHealthCheck":                    "ConfigureHealthCheck",
	"CreateAppCookieStickinessPolicy":         "CreateAppCookieStickinessPolicy",
	"CreateLBCookieStickinessPolicy":          "CreateLBCookieStickinessPolicy",
	"CreateLoadBalancer":                      "CreateBalancer",
	"CreateLoadBalancerListeners":             "CreateBalancerListeners",
	"CreateLoadBalancerPolicy":                "CreateBalancerPolicy",
	"DeleteLoadBalancer":                      "DeleteBalancer",
	"DeleteLoadBalancerListeners":             "DeleteBalancerListeners",
	"DeleteLoadBalancerPolicy":                "DeleteBalancerPolicy",
	"DeregisterInstancesFromLoadBalancer":     "DeregisterInstances",
	"DescribeAccountLimits":                   "AccountLimits",
	"DescribeInstanceHealth":                  "InstanceHealth",
	"DescribeLoadBalancerAttributes":          "Attributes",
	"DescribeLoadBalancerPolicies":            "DescribeBalancerPolicies",
	"DescribeLoadBalancerPolicyTypes":         "DescribePolicyTypes",
	"DescribeLoadBalancers":                   "DescribeBalancers",
	"DescribeTags":                            "Tags",
	"DetachLoadBalancerFromSubnets":           "DetachSubnets",
	"DisableAvailabilityZonesForLoadBalancer": "DisableZones",
	"EnableAvailabilityZonesForLoadBalancer":  "EnableZones",
	"ModifyLoadBalancerAttributes":            "ModifyAttributes",
	"RegisterInstancesWithLoadBalancer":       "RegisterInstances",
	"RemoveTags":                              "RemoveTags",
	"SetLoadBalancerListenerSSLCertificate":   "SetListenerSSLCertificate",
	"SetLoadBalancerPoliciesForBackendServer": "SetBalancerPoliciesBackendServer",
	"SetLoadBalancerPoliciesOfListener":       "SetBalancerPoliciesOfListener",
}
