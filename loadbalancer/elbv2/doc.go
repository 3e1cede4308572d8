// Package elbv2 is the AWS Elastic Load Balancing v2 driver (API version 2015-12-01) on
// aws-sdk-go-v2, as two providers of the portable loadbalancer API: "alb" for Application
// Load Balancers and "nlb" for Network Load Balancers. Importing the package registers both:
//
//	svc, err := loadbalancer.Open(ctx, "alb", loadbalancer.Options{Region: "eu-west-1"})
//	// or, with options of this package:
//	svc, err := elbv2.Open(ctx, elbv2.NLB, loadbalancer.Options{Region: "eu-west-1"}, elbv2.WithPageSize(100))
//	// or from an aws.Config you built:
//	svc := elbv2.NewClient(cfg, elbv2.ALB).Service()
//
// A balancer's ID is its ARN; every call that takes an ID also takes the balancer's name.
// Each provider sees only balancers of its own type.
//
// # How the portable operations map
//
// CreateBalancer makes a balancer, a target group (instance targets, or ip targets when
// every member is given only by an address no EC2 instance holds), a listener forwarding to
// it and the targets, and takes back what it made if a step fails. Without subnets it uses
// the default VPC's default subnets. The target group is tagged OwnerTag, so that
// DestroyBalancer deletes it, and only it: a group another balancer uses stays.
//
// A balancer's members are the targets of its member group: the target group its first
// listener (by port) forwards to by default. Members given by IP are registered as
// addresses with an ip group and resolved to instances through EC2 otherwise.
//
// ALB algorithms are the target group attribute load_balancing.algorithm.type:
// ROUND_ROBIN is round_robin, LEAST_CONNECTIONS least_outstanding_requests and RANDOM
// weighted_random. An NLB always routes by flow hash (FlowHash).
//
// Listing reads 400 balancers per DescribeLoadBalancers call and their tags 20 per
// DescribeTags call, concurrently; listeners (and so Port) are left out of listings unless
// WithListenersInListing, since they cost a call per balancer. GetBalancer always has them.
//
// # Everything else
//
// Every ELBv2 action has a method on *Client, reached with Service.As (or built with
// NewClient); see Operations. As also yields the SDK clients (**elasticloadbalancingv2.Client,
// **ec2.Client).
package elbv2

// Operations maps each action of the ELBv2 API (2015-12-01) to the Client method that calls
// it.
var Operations = map[string]string{
	"AddListenerCertificates":           "AddListenerCertificates",
	"AddTags":                           "AddTags",
	"AddTrustStoreRevocations":          "AddTrustStoreRevocations",
	"CreateListener":                    "CreateListener",
	"CreateLoadBalancer":                "CreateLoadBalancer",
	"CreateRule":                        "CreateRule",
	"CreateTargetGroup":                 "CreateTargetGroup",
	"CreateTrustStore":                  "CreateTrustStore",
	"DeleteListener":                    "DeleteListener",
	"DeleteLoadBalancer":                "DeleteLoadBalancer",
	"DeleteRule":                        "DeleteRule",
	"DeleteSharedTrustStoreAssociation": "DeleteSharedTrustStoreAssociation",
	"DeleteTargetGroup":                 "DeleteTargetGroup",
	"DeleteTrustStore":                  "DeleteTrustStore",
	"DeregisterTargets":                 "DeregisterTargets",
	"DescribeAccountLimits":             "AccountLimits",
	"DescribeCapacityReservation":       "CapacityReservation",
	"DescribeListenerAttributes":        "ListenerAttributes",
	"DescribeListenerCertificates":      "ListenerCertificates",
	"DescribeListeners":                 "Listeners",
	"DescribeLoadBalancerAttributes":    "LoadBalancerAttributes",
	"DescribeLoadBalancers":             "LoadBalancers",
	"DescribeRules":                     "Rules",
	"DescribeSSLPolicies":               "SSLPolicies",
	"DescribeTags":                      "Tags",
	"DescribeTargetGroupAttributes":     "TargetGroupAttributes",
	"DescribeTargetGroups":              "TargetGroups",
	"DescribeTargetHealth":              "TargetHealth",
	"DescribeTrustStoreAssociations":    "TrustStoreAssociations",
	"DescribeTrustStoreRevocations":     "TrustStoreRevocations",
	"DescribeTrustStores":               "TrustStores",
	"GetResourcePolicy":                 "ResourcePolicy",
	"GetTrustStoreCaCertificatesBundle": "TrustStoreCaCertificatesBundle",
	"GetTrustStoreRevocationContent":    "TrustStoreRevocationContent",
	"ModifyCapacityReservation":         "ModifyCapacityReservation",
	"ModifyIpPools":                     "ModifyIpPools",
	"ModifyListener":                    "ModifyListener",
	"ModifyListenerAttributes":          "ModifyListenerAttributes",
	"ModifyLoadBalancerAttributes":      "ModifyLoadBalancerAttributes",
	"ModifyRule":                        "ModifyRule",
	"ModifyTargetGroup":                 "ModifyTargetGroup",
	"ModifyTargetGroupAttributes":       "ModifyTargetGroupAttributes",
	"ModifyTrustStore":                  "ModifyTrustStore",
	"RegisterTargets":                   "RegisterTargets",
	"RemoveListenerCertificates":        "RemoveListenerCertificates",
	"RemoveTags":                        "RemoveTags",
	"RemoveTrustStoreRevocations":       "RemoveTrustStoreRevocations",
	"SetIpAddressType":                  "SetIpAddressType",
	"SetRulePriorities":                 "SetRulePriorities",
	"SetSecurityGroups":                 "SetSecurityGroups",
	"SetSubnets":                        "SetSubnets",
}
