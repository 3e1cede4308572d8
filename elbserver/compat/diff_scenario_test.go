package compat

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// side is one implementation under comparison, with the EC2 resources made
// for it (moto picks its own ids; ours are declared to the endpoint).
type side struct {
	name    string
	elb     *elb.Client
	inst    [2]string
	subnets [2]string // in us-east-1a and us-east-1b
	sgs     [2]string
	vpc     string
	account string
	// The default VPC, where balancers created by zone are placed: its
	// default subnets in us-east-1a and us-east-1b, its "default" group, and
	// (ours only) the group Elastic Load Balancing provides there.
	defVPC, defSG, elbSG, elbSGName string
	defSubnets                      [2]string
	// findELBSG fills elbSG and elbSGName once the group exists (moto makes
	// it with the first balancer created by zone); nil when known up front.
	findELBSG func(context.Context) error
}

// placeholders maps the side's resource ids onto names shared by both sides.
func (s *side) placeholders() *strings.Replacer {
	pairs := []string{
		s.inst[0], "<instance-1>", s.inst[1], "<instance-2>",
		s.subnets[0], "<subnet-1>", s.subnets[1], "<subnet-2>",
		s.sgs[0], "<sg-1>", s.sgs[1], "<sg-2>", s.vpc, "<vpc>", s.account, "<account>",
		s.defVPC, "<default-vpc>", s.defSG, "<default-sg>",
		s.defSubnets[0], "<default-subnet-1>", s.defSubnets[1], "<default-subnet-2>",
	}
	if s.elbSG != "" {
		pairs = append(pairs, s.elbSG, "<elb-sg>", s.elbSGName, "<elb-sg-name>")
	}
	return strings.NewReplacer(pairs...)
}

type step struct {
	action string
	call   func(ctx context.Context, s *side) (any, error)
}

func listener(proto string, lbPort, instPort int32) types.Listener {
	return types.Listener{Protocol: aws.String(proto), LoadBalancerPort: lbPort, InstanceProtocol: aws.String(proto), InstancePort: aws.Int32(instPort)}
}

func createWeb(ls ...types.Listener) func(context.Context, *side) (any, error) {
	return func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("web"),
			AvailabilityZones: []string{"us-east-1a"}, Listeners: ls, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("test")}}})
	}
}

func describeLBs(names ...string) func(context.Context, *side) (any, error) {
	return func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: names})
	}
}

func setListenerPolicies(port int32, names ...string) func(context.Context, *side) (any, error) {
	if names == nil {
		names = []string{} // an empty list clears the listener's policies; nil is not sent at all
	}
	return func(ctx context.Context, s *side) (any, error) {
		return s.elb.SetLoadBalancerPoliciesOfListener(ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{
			LoadBalancerName: aws.String("web"), LoadBalancerPort: port, PolicyNames: names})
	}
}

func instances(ids ...string) []types.Instance {
	var out []types.Instance
	for _, id := range ids {
		out = append(out, types.Instance{InstanceId: aws.String(id)})
	}
	return out
}

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

var webName = aws.String("web")

// scenario is the differential scenario; both sides run it in order.
var scenario = []step{
	{"CreateLoadBalancer", createWeb(listener("HTTP", 80, 8080), listener("TCP", 9000, 9000))},
	{"CreateLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("app"),
			Subnets: []string{s.subnets[0]}, SecurityGroups: []string{s.sgs[0]}, Scheme: aws.String("internal"),
			Listeners: []types.Listener{listener("TCP", 5432, 5432)}})
	}},
	{"DescribeLoadBalancers", describeLBs()},
	{"CreateLoadBalancer", createWeb(listener("HTTP", 80, 8080), listener("TCP", 9000, 9000))},
	{"CreateLoadBalancer", createWeb(listener("TCP", 81, 81))},
	{"CreateLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("bad_name!"),
			AvailabilityZones: []string{"us-east-1a"}, Listeners: []types.Listener{listener("HTTP", 80, 80)}})
	}},
	{"DescribeLoadBalancers", describeLBs("nope")},

	{"RegisterInstancesWithLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.RegisterInstancesWithLoadBalancer(ctx, &elb.RegisterInstancesWithLoadBalancerInput{LoadBalancerName: webName, Instances: instances(s.inst[:]...)})
	}},
	{"DescribeInstanceHealth", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: webName})
	}},
	{"DeregisterInstancesFromLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DeregisterInstancesFromLoadBalancer(ctx, &elb.DeregisterInstancesFromLoadBalancerInput{LoadBalancerName: webName, Instances: instances(s.inst[1])})
	}},
	{"DescribeInstanceHealth", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeInstanceHealth(ctx, &elb.DescribeInstanceHealthInput{LoadBalancerName: webName})
	}},
	{"ConfigureHealthCheck", func(ctx context.Context, s *side) (any, error) {
		return s.elb.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: webName, HealthCheck: &types.HealthCheck{
			Target: aws.String("HTTP:8080/ping"), Interval: aws.Int32(15), Timeout: aws.Int32(4), UnhealthyThreshold: aws.Int32(2), HealthyThreshold: aws.Int32(3)}})
	}},

	{"DescribeLoadBalancerAttributes", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: webName})
	}},
	{"ModifyLoadBalancerAttributes", func(ctx context.Context, s *side) (any, error) {
		return s.elb.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: webName, LoadBalancerAttributes: &types.LoadBalancerAttributes{
			CrossZoneLoadBalancing: &types.CrossZoneLoadBalancing{Enabled: true},
			ConnectionDraining:     &types.ConnectionDraining{Enabled: true, Timeout: aws.Int32(45)},
			ConnectionSettings:     &types.ConnectionSettings{IdleTimeout: aws.Int32(120)}}})
	}},
	{"DescribeLoadBalancerAttributes", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: webName})
	}},

	{"AddTags", func(ctx context.Context, s *side) (any, error) {
		return s.elb.AddTags(ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"web"}, Tags: tags("team", "core", "env", "prod")})
	}},
	{"DescribeTags", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"web", "app"}})
	}},
	{"RemoveTags", func(ctx context.Context, s *side) (any, error) {
		return s.elb.RemoveTags(ctx, &elb.RemoveTagsInput{LoadBalancerNames: []string{"web"}, Tags: []types.TagKeyOnly{{Key: aws.String("team")}}})
	}},
	{"DescribeTags", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: []string{"web"}})
	}},
	{"AddTags", func(ctx context.Context, s *side) (any, error) {
		var kv []string
		for i := range 10 {
			kv = append(kv, fmt.Sprintf("k%d", i), "v")
		}
		return s.elb.AddTags(ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"web"}, Tags: tags(kv...)})
	}},

	{"CreateLBCookieStickinessPolicy", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLBCookieStickinessPolicy(ctx, &elb.CreateLBCookieStickinessPolicyInput{LoadBalancerName: webName, PolicyName: aws.String("lbc"), CookieExpirationPeriod: aws.Int64(60)})
	}},
	{"CreateAppCookieStickinessPolicy", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateAppCookieStickinessPolicy(ctx, &elb.CreateAppCookieStickinessPolicyInput{LoadBalancerName: webName, PolicyName: aws.String("appc"), CookieName: aws.String("SESSIONID")})
	}},
	{"CreateLoadBalancerPolicy", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLoadBalancerPolicy(ctx, &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: webName, PolicyName: aws.String("proxy"),
			PolicyTypeName: aws.String("ProxyProtocolPolicyType"), PolicyAttributes: []types.PolicyAttribute{{AttributeName: aws.String("ProxyProtocol"), AttributeValue: aws.String("true")}}})
	}},
	{"SetLoadBalancerPoliciesOfListener", setListenerPolicies(80, "lbc")},
	{"SetLoadBalancerPoliciesForBackendServer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.SetLoadBalancerPoliciesForBackendServer(ctx, &elb.SetLoadBalancerPoliciesForBackendServerInput{LoadBalancerName: webName, InstancePort: aws.Int32(9000), PolicyNames: []string{"proxy"}})
	}},
	{"DescribeLoadBalancerPolicies", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: webName})
	}},
	{"DescribeLoadBalancers", describeLBs("web")},
	{"SetLoadBalancerPoliciesOfListener", setListenerPolicies(9000, "appc")},
	{"SetLoadBalancerPoliciesOfListener", setListenerPolicies(80, "nope")},
	{"SetLoadBalancerPoliciesOfListener", setListenerPolicies(80)},
	{"DeleteLoadBalancerPolicy", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DeleteLoadBalancerPolicy(ctx, &elb.DeleteLoadBalancerPolicyInput{LoadBalancerName: webName, PolicyName: aws.String("lbc")})
	}},
	{"DescribeLoadBalancerPolicies", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: webName})
	}},
	{"DescribeLoadBalancerPolicies", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{PolicyNames: []string{"ELBSecurityPolicy-2016-08"}})
	}},

	{"CreateLoadBalancerListeners", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: webName, Listeners: []types.Listener{listener("TCP", 8081, 8081)}})
	}},
	{"CreateLoadBalancerListeners", func(ctx context.Context, s *side) (any, error) {
		return s.elb.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: webName, Listeners: []types.Listener{listener("TCP", 80, 80)}})
	}},
	{"DeleteLoadBalancerListeners", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DeleteLoadBalancerListeners(ctx, &elb.DeleteLoadBalancerListenersInput{LoadBalancerName: webName, LoadBalancerPorts: []int32{8081}})
	}},
	// An HTTPS listener created without a security policy.
	{"CreateLoadBalancerListeners", func(ctx context.Context, s *side) (any, error) {
		l := listener("HTTPS", 443, 8443)
		l.SSLCertificateId = aws.String("arn:aws:iam::" + s.account + ":server-certificate/web")
		return s.elb.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: webName, Listeners: []types.Listener{l}})
	}},
	{"DescribeLoadBalancers", describeLBs("web")},
	{"DescribeLoadBalancerPolicies", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DescribeLoadBalancerPolicies(ctx, &elb.DescribeLoadBalancerPoliciesInput{LoadBalancerName: webName})
	}},
	{"DeleteLoadBalancerListeners", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DeleteLoadBalancerListeners(ctx, &elb.DeleteLoadBalancerListenersInput{LoadBalancerName: webName, LoadBalancerPorts: []int32{443}})
	}},

	{"EnableAvailabilityZonesForLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.EnableAvailabilityZonesForLoadBalancer(ctx, &elb.EnableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: webName, AvailabilityZones: []string{"us-east-1b"}})
	}},
	{"DisableAvailabilityZonesForLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DisableAvailabilityZonesForLoadBalancer(ctx, &elb.DisableAvailabilityZonesForLoadBalancerInput{LoadBalancerName: webName, AvailabilityZones: []string{"us-east-1a"}})
	}},
	{"AttachLoadBalancerToSubnets", func(ctx context.Context, s *side) (any, error) {
		return s.elb.AttachLoadBalancerToSubnets(ctx, &elb.AttachLoadBalancerToSubnetsInput{LoadBalancerName: aws.String("app"), Subnets: []string{s.subnets[1]}})
	}},
	{"DetachLoadBalancerFromSubnets", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DetachLoadBalancerFromSubnets(ctx, &elb.DetachLoadBalancerFromSubnetsInput{LoadBalancerName: aws.String("app"), Subnets: []string{s.subnets[0]}})
	}},
	{"ApplySecurityGroupsToLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("app"), SecurityGroups: []string{s.sgs[1]}})
	}},
	{"DescribeLoadBalancers", describeLBs()},

	{"DeleteLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("app")})
	}},
	{"DeleteLoadBalancer", func(ctx context.Context, s *side) (any, error) {
		return s.elb.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("app")})
	}},
	{"DescribeLoadBalancers", describeLBs("app")},
}
