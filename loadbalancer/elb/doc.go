// Package elb is the AWS Classic Elastic Load Balancing driver (API version 2012-06-01),
// built on aws-sdk-go-v2. Importing it registers the provider "elb" with the loadbalancer
// package, so the portable API works on Classic ELB:
//
//	svc, err := loadbalancer.Open(ctx, "elb", loadbalancer.Options{
//		AccessKeyID: id, SecretAccessKey: secret, Region: "us-east-1"})
//	lbs, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{})
//
// ELB-specific actions (policies, listeners, attributes, zones, tags) are methods of
// *Driver, reached with Open/New or with Service.As:
//
//	var d *elb.Driver
//	if svc.As(&d) {
//		err = d.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol",
//			"ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"})
//	}
//
// A balancer's ID is its name. Members are EC2 instances; a member given only by IP is
// resolved to its instance through EC2 before any change is made. Every Classic ELB action
// has a method: see Operations.
package elb

// Operations maps each action of the Classic ELB API to the Driver method that calls it.
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
	"DeleteLoadBalancer":                      "DestroyBalancer",
	"DeleteLoadBalancerListeners":             "DeleteBalancerListeners",
	"DeleteLoadBalancerPolicy":                "DeleteBalancerPolicy",
	"DeregisterInstancesFromLoadBalancer":     "DetachMembers",
	"DescribeAccountLimits":                   "AccountLimits",
	"DescribeInstanceHealth":                  "InstanceHealth",
	"DescribeLoadBalancerAttributes":          "Attributes",
	"DescribeLoadBalancerPolicies":            "DescribeBalancerPolicies",
	"DescribeLoadBalancerPolicyTypes":         "DescribePolicyTypes",
	"DescribeLoadBalancers":                   "ListPaged",
	"DescribeTags":                            "Tags",
	"DetachLoadBalancerFromSubnets":           "DetachSubnets",
	"DisableAvailabilityZonesForLoadBalancer": "DisableZones",
	"EnableAvailabilityZonesForLoadBalancer":  "EnableZones",
	"ModifyLoadBalancerAttributes":            "ModifyAttributes",
	"RegisterInstancesWithLoadBalancer":       "AttachMembers",
	"RemoveTags":                              "RemoveTags",
	"SetLoadBalancerListenerSSLCertificate":   "SetListenerSSLCertificate",
	"SetLoadBalancerPoliciesForBackendServer": "SetBalancerPoliciesBackendServer",
	"SetLoadBalancerPoliciesOfListener":       "SetBalancerPoliciesOfListener",
}
