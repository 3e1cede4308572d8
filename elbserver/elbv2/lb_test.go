package elbv2_test

import (
	"fmt"
	"regexp"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

var (
	albARNRE = regexp.MustCompile(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/[0-9a-f]{16}$`)
	albDNSRE = regexp.MustCompile(`^web-\d{10}\.us-east-1\.elb\.amazonaws\.com$`)
	nlbDNSRE = regexp.MustCompile(`^internal-net-[0-9a-f]{16}\.elb\.us-east-1\.amazonaws\.com$`)
)

func TestCreateLoadBalancerOfEachType(t *testing.T) {
	c, srv := client(t)
	subnets := defaultSubnets(srv)
	dv := srv.Endpoint.DefaultVPC("", "")

	alb := createALB(t, c, srv, "web")
	if !albARNRE.MatchString(*alb.LoadBalancerArn) || !albDNSRE.MatchString(*alb.DNSName) {
		t.Errorf("ALB ARN %s, DNS %s", *alb.LoadBalancerArn, *alb.DNSName)
	}
	if alb.State.Code != types.LoadBalancerStateEnumProvisioning || alb.Scheme != types.LoadBalancerSchemeEnumInternetFacing ||
		*alb.CanonicalHostedZoneId != "Z35SXDOTRQ7X7K" || *alb.VpcId != dv.ID || alb.IpAddressType != types.IpAddressTypeIpv4 {
		t.Errorf("ALB: %+v", alb)
	}
	// An ALB created without security groups gets its VPC's default group.
	if !slices.Equal(alb.SecurityGroups, []string{dv.SecurityGroupID}) {
		t.Errorf("ALB security groups %v, want the default VPC's default group %s", alb.SecurityGroups, dv.SecurityGroupID)
	}
	if len(alb.AvailabilityZones) != 2 || *alb.AvailabilityZones[0].ZoneName != "us-east-1a" || *alb.AvailabilityZones[1].SubnetId != subnets[1] {
		t.Errorf("ALB zones %+v", alb.AvailabilityZones)
	}

	nlb, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("net"), Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, SubnetMappings: []types.SubnetMapping{{SubnetId: &subnets[0], PrivateIPv4Address: aws.String("172.31.0.10")}}})
	sdkcheck.NoErr(t, err)
	n := nlb.LoadBalancers[0]
	if !nlbDNSRE.MatchString(*n.DNSName) || *n.CanonicalHostedZoneId != "Z26RNL4JYFTOTI" || len(n.SecurityGroups) != 0 {
		t.Errorf("NLB: DNS %s zone %s groups %v", *n.DNSName, *n.CanonicalHostedZoneId, n.SecurityGroups)
	}
	if a := n.AvailabilityZones[0].LoadBalancerAddresses; len(a) != 1 || *a[0].PrivateIPv4Address != "172.31.0.10" {
		t.Errorf("NLB addresses %+v", a)
	}

	gw, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("gw"), Type: types.LoadBalancerTypeEnumGateway, Subnets: subnets[:1]})
	sdkcheck.NoErr(t, err)
	g := gw.LoadBalancers[0]
	if g.DNSName != nil || g.Scheme != "" || g.CanonicalHostedZoneId != nil || !regexp.MustCompile(`:loadbalancer/gwy/gw/`).MatchString(*g.LoadBalancerArn) {
		t.Errorf("GWLB: %+v", g)
	}

	// Described afterwards, every balancer is active.
	out, err := c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{})
	sdkcheck.NoErr(t, err)
	if len(out.LoadBalancers) != 3 {
		t.Fatalf("%d balancers", len(out.LoadBalancers))
	}
	for _, lb := range out.LoadBalancers {
		if lb.State.Code != types.LoadBalancerStateEnumActive {
			t.Errorf("%s is %s", *lb.LoadBalancerName, lb.State.Code)
		}
	}
}

func TestCreateLoadBalancerValidation(t *testing.T) {
	c, srv := client(t)
	subnets := defaultSubnets(srv)
	cases := []struct {
		name string
		in   lbv2.CreateLoadBalancerInput
		code string
	}{
		{"bad name", lbv2.CreateLoadBalancerInput{Name: aws.String("-web"), Subnets: subnets}, "ValidationError"},
		{"internal- prefix", lbv2.CreateLoadBalancerInput{Name: aws.String("internal-web"), Subnets: subnets}, "ValidationError"},
		{"ALB in one zone", lbv2.CreateLoadBalancerInput{Name: aws.String("one"), Subnets: subnets[:1]}, "InvalidConfigurationRequest"},
		{"no subnets", lbv2.CreateLoadBalancerInput{Name: aws.String("none")}, "ValidationError"},
		{"bad scheme", lbv2.CreateLoadBalancerInput{Name: aws.String("s"), Subnets: subnets, Scheme: "public"}, "InvalidScheme"},
		{"gateway scheme", lbv2.CreateLoadBalancerInput{Name: aws.String("g"), Type: types.LoadBalancerTypeEnumGateway, Subnets: subnets,
			Scheme: types.LoadBalancerSchemeEnumInternal}, "InvalidConfigurationRequest"},
		{"gateway groups", lbv2.CreateLoadBalancerInput{Name: aws.String("g"), Type: types.LoadBalancerTypeEnumGateway, Subnets: subnets,
			SecurityGroups: []string{"sg-12345678"}}, "InvalidConfigurationRequest"},
		{"unknown subnet", lbv2.CreateLoadBalancerInput{Name: aws.String("u"), Subnets: []string{"subnet-zz"}}, "SubnetNotFound"},
		{"same zone twice", lbv2.CreateLoadBalancerInput{Name: aws.String("z"), Type: types.LoadBalancerTypeEnumNetwork,
			Subnets: []string{subnets[0], subnets[0]}}, "ValidationError"},
		{"EIP on ALB", lbv2.CreateLoadBalancerInput{Name: aws.String("e"), SubnetMappings: []types.SubnetMapping{
			{SubnetId: &subnets[0], AllocationId: aws.String("eipalloc-12345678")}, {SubnetId: &subnets[1]}}}, "InvalidConfigurationRequest"},
		{"EIP on internal NLB", lbv2.CreateLoadBalancerInput{Name: aws.String("e"), Type: types.LoadBalancerTypeEnumNetwork, Scheme: types.LoadBalancerSchemeEnumInternal,
			SubnetMappings: []types.SubnetMapping{{SubnetId: &subnets[0], AllocationId: aws.String("eipalloc-12345678")}}}, "InvalidConfigurationRequest"},
		{"malformed allocation", lbv2.CreateLoadBalancerInput{Name: aws.String("e"), Type: types.LoadBalancerTypeEnumNetwork,
			SubnetMappings: []types.SubnetMapping{{SubnetId: &subnets[0], AllocationId: aws.String("eip-1")}}}, "AllocationIdNotFound"},
		{"internal dualstack", lbv2.CreateLoadBalancerInput{Name: aws.String("d"), Subnets: subnets, Scheme: types.LoadBalancerSchemeEnumInternal,
			IpAddressType: types.IpAddressTypeDualstack}, "InvalidConfigurationRequest"},
		{"NLB without public IPv4", lbv2.CreateLoadBalancerInput{Name: aws.String("d"), Subnets: subnets, Type: types.LoadBalancerTypeEnumNetwork,
			IpAddressType: types.IpAddressTypeDualstackWithoutPublicIpv4}, "ValidationError"},
		{"unknown group", lbv2.CreateLoadBalancerInput{Name: aws.String("g"), Subnets: subnets, SecurityGroups: []string{"sg-zz"}}, "InvalidSecurityGroup"},
		{"aws: tag", lbv2.CreateLoadBalancerInput{Name: aws.String("t"), Subnets: subnets, Tags: []types.Tag{{Key: aws.String("aws:x")}}}, "ValidationError"},
		{"duplicate tag", lbv2.CreateLoadBalancerInput{Name: aws.String("t"), Subnets: subnets, Tags: []types.Tag{{Key: aws.String("k")}, {Key: aws.String("k")}}}, "DuplicateTagKeys"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateLoadBalancer(ctx, &tc.in)
			sdkcheck.WantCode(t, err, tc.code)
		})
	}
}

func TestCreateLoadBalancerIsIdempotent(t *testing.T) {
	c, srv := client(t)
	first := createALB(t, c, srv, "web")
	again := createALB(t, c, srv, "web")
	if *again.LoadBalancerArn != *first.LoadBalancerArn || *again.DNSName != *first.DNSName {
		t.Errorf("the same request created %s, then %s", *first.LoadBalancerArn, *again.LoadBalancerArn)
	}
	_, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: defaultSubnets(srv), Scheme: types.LoadBalancerSchemeEnumInternal})
	sdkcheck.WantCode(t, err, "DuplicateLoadBalancerName")
	_, err = c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: defaultSubnets(srv), Type: types.LoadBalancerTypeEnumNetwork})
	sdkcheck.WantCode(t, err, "DuplicateLoadBalancerName")
}

func TestLoadBalancerLimitsPerType(t *testing.T) {
	c, srv := limited(t, map[string]int{"application-load-balancers": 1, "network-load-balancers": 1})
	createALB(t, c, srv, "a1")
	_, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("a2"), Subnets: defaultSubnets(srv)})
	sdkcheck.WantCode(t, err, "TooManyLoadBalancers")
	nlb := &lbv2.CreateLoadBalancerInput{Name: aws.String("n1"), Type: types.LoadBalancerTypeEnumNetwork, Subnets: defaultSubnets(srv)}
	_, err = c.CreateLoadBalancer(ctx, nlb)
	sdkcheck.NoErr(t, err)
	nlb.Name = aws.String("n2")
	_, err = c.CreateLoadBalancer(ctx, nlb)
	sdkcheck.WantCode(t, err, "TooManyLoadBalancers")
	out, err := c.DescribeAccountLimits(ctx, &lbv2.DescribeAccountLimitsInput{})
	sdkcheck.NoErr(t, err)
	got := attrs(out.Limits, func(l types.Limit) (string, string) { return *l.Name, *l.Max })
	if got["application-load-balancers"] != "1" || got["target-groups"] != "3000" || got["condition-values-per-alb-rule"] != "5" {
		t.Errorf("limits: %v", got)
	}
}

func TestDescribeLoadBalancersByNameAndARN(t *testing.T) {
	c, srv := client(t)
	web := createALB(t, c, srv, "web")
	createALB(t, c, srv, "api")
	out, err := c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{Names: []string{"web"}})
	sdkcheck.NoErr(t, err)
	if len(out.LoadBalancers) != 1 || *out.LoadBalancers[0].LoadBalancerArn != *web.LoadBalancerArn {
		t.Errorf("by name: %+v", out.LoadBalancers)
	}
	out, err = c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{*web.LoadBalancerArn}})
	sdkcheck.NoErr(t, err)
	if len(out.LoadBalancers) != 1 || *out.LoadBalancers[0].LoadBalancerName != "web" {
		t.Errorf("by ARN: %+v", out.LoadBalancers)
	}
	_, err = c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{Names: []string{"nope"}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")
	_, err = c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{"arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0000000000000000"}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")
	_, err = c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{LoadBalancerArns: []string{"not-an-arn"}})
	sdkcheck.WantCode(t, err, "ValidationError")
	_, err = c.DescribeLoadBalancers(ctx, &lbv2.DescribeLoadBalancersInput{Names: []string{"web"}, LoadBalancerArns: []string{*web.LoadBalancerArn}})
	sdkcheck.WantCode(t, err, "ValidationError")
}

// Pages follow names, so a listing sees every balancer that exists throughout it exactly
// once, whatever is created or deleted meanwhile.
func TestDescribeLoadBalancersPagesAreStable(t *testing.T) {
	c, srv := limited(t, map[string]int{"application-load-balancers": 200})
	for i := range 30 {
		createALB(t, c, srv, fmt.Sprintf("lb-%02d", i))
	}
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // churn: balancers created and deleted while the listing pages
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			out, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String(fmt.Sprintf("churn-%d", i)), Subnets: defaultSubnets(srv)})
			if err == nil {
				_, _ = c.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: out.LoadBalancers[0].LoadBalancerArn})
			}
		}
	}()
	seen := map[string]int{}
	p := lbv2.NewDescribeLoadBalancersPaginator(c, &lbv2.DescribeLoadBalancersInput{PageSize: aws.Int32(7)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		pages++
		mu.Lock()
		for _, lb := range out.LoadBalancers {
			seen[*lb.LoadBalancerName]++
		}
		mu.Unlock()
	}
	close(stop)
	wg.Wait()
	for i := range 30 {
		if n := seen[fmt.Sprintf("lb-%02d", i)]; n != 1 {
			t.Errorf("lb-%02d listed %d times", i, n)
		}
	}
	if pages < 5 {
		t.Errorf("%d pages of 7 for at least 30 balancers", pages)
	}
}

func TestDeleteLoadBalancer(t *testing.T) {
	c, srv := client(t)
	lb := createALB(t, c, srv, "web")
	tg := createTG(t, c, srv, "tg", "HTTP", 80)
	l := createListener(t, c, *lb.LoadBalancerArn, "HTTP", 80, forward(*tg.TargetGroupArn))
	_, err := c.CreateRule(ctx, &lbv2.CreateRuleInput{ListenerArn: l.ListenerArn, Priority: aws.Int32(1), Conditions: pathIs("/a"), Actions: forward(*tg.TargetGroupArn)})
	sdkcheck.NoErr(t, err)

	_, err = c.ModifyLoadBalancerAttributes(ctx, &lbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("true")}}})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	_, err = c.DeleteTargetGroup(ctx, &lbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
	sdkcheck.WantCode(t, err, "ResourceInUse")

	_, err = c.ModifyLoadBalancerAttributes(ctx, &lbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: lb.LoadBalancerArn,
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String("deletion_protection.enabled"), Value: aws.String("false")}}})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.NoErr(t, err)
	// Its listener and rule went with it; the group is free again.
	_, err = c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{ListenerArns: []string{*l.ListenerArn}})
	sdkcheck.WantCode(t, err, "ListenerNotFound")
	tgs, err := c.DescribeTargetGroups(ctx, &lbv2.DescribeTargetGroupsInput{TargetGroupArns: []string{*tg.TargetGroupArn}})
	sdkcheck.NoErr(t, err)
	if len(tgs.TargetGroups[0].LoadBalancerArns) != 0 {
		t.Errorf("target group still used by %v", tgs.TargetGroups[0].LoadBalancerArns)
	}
	_, err = c.DeleteTargetGroup(ctx, &lbv2.DeleteTargetGroupInput{TargetGroupArn: tg.TargetGroupArn})
	sdkcheck.NoErr(t, err)
	// Deleting what is gone succeeds.
	_, err = c.DeleteLoadBalancer(ctx, &lbv2.DeleteLoadBalancerInput{LoadBalancerArn: lb.LoadBalancerArn})
	sdkcheck.NoErr(t, err)
}

func TestLoadBalancerAttributes(t *testing.T) {
	c, srv := client(t)
	alb := createALB(t, c, srv, "web")
	nlb, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("net"), Type: types.LoadBalancerTypeEnumNetwork,
		Scheme: types.LoadBalancerSchemeEnumInternal, Subnets: defaultSubnets(srv)})
	sdkcheck.NoErr(t, err)
	describe := func(arn *string) map[string]string {
		out, err := c.DescribeLoadBalancerAttributes(ctx, &lbv2.DescribeLoadBalancerAttributesInput{LoadBalancerArn: arn})
		sdkcheck.NoErr(t, err)
		return attrs(out.Attributes, lbAttr)
	}
	a := describe(alb.LoadBalancerArn)
	for k, v := range map[string]string{"idle_timeout.timeout_seconds": "60", "routing.http2.enabled": "true", "load_balancing.cross_zone.enabled": "true",
		"routing.http.desync_mitigation_mode": "defensive", "client_keep_alive.seconds": "3600", "ipv6.deny_all_igw_traffic": "false",
		"routing.http.xff_header_processing.mode": "append", "deletion_protection.enabled": "false"} {
		if a[k] != v {
			t.Errorf("ALB %s = %q, want %q", k, a[k], v)
		}
	}
	n := describe(nlb.LoadBalancers[0].LoadBalancerArn)
	if n["load_balancing.cross_zone.enabled"] != "false" || n["dns_record.client_routing_policy"] != "any_availability_zone" ||
		n["ipv6.deny_all_igw_traffic"] != "true" || n["idle_timeout.timeout_seconds"] != "" {
		t.Errorf("NLB attributes %v", n)
	}
	mod := func(arn *string, k, v string) error {
		_, err := c.ModifyLoadBalancerAttributes(ctx, &lbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: arn,
			Attributes: []types.LoadBalancerAttribute{{Key: aws.String(k), Value: aws.String(v)}}})
		return err
	}
	sdkcheck.NoErr(t, mod(alb.LoadBalancerArn, "idle_timeout.timeout_seconds", "4000"))
	if describe(alb.LoadBalancerArn)["idle_timeout.timeout_seconds"] != "4000" {
		t.Error("idle timeout not kept")
	}
	for _, bad := range [][2]string{{"idle_timeout.timeout_seconds", "4001"}, {"routing.http2.enabled", "yes"},
		{"routing.http.desync_mitigation_mode", "lax"}, {"access_logs.s3.enabled", "true"}, {"dns_record.client_routing_policy", "any_availability_zone"},
		{"no.such.attribute", "1"}} {
		sdkcheck.WantCode(t, mod(alb.LoadBalancerArn, bad[0], bad[1]), "ValidationError")
	}
	sdkcheck.WantCode(t, mod(alb.LoadBalancerArn, "load_balancing.cross_zone.enabled", "false"), "InvalidConfigurationRequest")
	sdkcheck.NoErr(t, mod(nlb.LoadBalancers[0].LoadBalancerArn, "secondary_ips.auto_assigned.per_subnet", "3"))
	sdkcheck.WantCode(t, mod(nlb.LoadBalancers[0].LoadBalancerArn, "secondary_ips.auto_assigned.per_subnet", "2"), "InvalidConfigurationRequest")
}

func TestSetSubnetsGroupsAndAddressType(t *testing.T) {
	c, srv := client(t)
	sub := func(z string) string { return srv.Endpoint.DefaultVPC("", "").Subnet(z) }
	sdkcheck.NoErr(t, srv.Endpoint.DeclareSecurityGroup("", "", "sg-0000000a", srv.Endpoint.DefaultVPC("", "").ID))
	lb := createALB(t, c, srv, "web")
	out, err := c.SetSubnets(ctx, &lbv2.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: []string{sub("us-east-1b"), sub("us-east-1c")}})
	sdkcheck.NoErr(t, err)
	if len(out.AvailabilityZones) != 2 || *out.AvailabilityZones[1].ZoneName != "us-east-1c" {
		t.Errorf("zones after SetSubnets: %+v", out.AvailabilityZones)
	}
	_, err = c.SetSubnets(ctx, &lbv2.SetSubnetsInput{LoadBalancerArn: lb.LoadBalancerArn, Subnets: []string{sub("us-east-1b")}})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")

	sg, err := c.SetSecurityGroups(ctx, &lbv2.SetSecurityGroupsInput{LoadBalancerArn: lb.LoadBalancerArn, SecurityGroups: []string{"sg-0000000a"}})
	sdkcheck.NoErr(t, err)
	if !slices.Equal(sg.SecurityGroupIds, []string{"sg-0000000a"}) {
		t.Errorf("groups %v", sg.SecurityGroupIds)
	}
	ip, err := c.SetIpAddressType(ctx, &lbv2.SetIpAddressTypeInput{LoadBalancerArn: lb.LoadBalancerArn, IpAddressType: types.IpAddressTypeDualstack})
	sdkcheck.NoErr(t, err)
	if ip.IpAddressType != types.IpAddressTypeDualstack {
		t.Errorf("address type %s", ip.IpAddressType)
	}

	// A Network Load Balancer created without groups cannot get any later.
	nlb, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("net"), Type: types.LoadBalancerTypeEnumNetwork, Subnets: defaultSubnets(srv)})
	sdkcheck.NoErr(t, err)
	_, err = c.SetSecurityGroups(ctx, &lbv2.SetSecurityGroupsInput{LoadBalancerArn: nlb.LoadBalancers[0].LoadBalancerArn, SecurityGroups: []string{"sg-0000000a"}})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")

	pools, err := c.ModifyIpPools(ctx, &lbv2.ModifyIpPoolsInput{LoadBalancerArn: lb.LoadBalancerArn, IpamPools: &types.IpamPools{Ipv4IpamPoolId: aws.String("ipam-pool-0abc")}})
	sdkcheck.NoErr(t, err)
	if aws.ToString(pools.IpamPools.Ipv4IpamPoolId) != "ipam-pool-0abc" {
		t.Errorf("IPAM pool %+v", pools.IpamPools)
	}
	pools, err = c.ModifyIpPools(ctx, &lbv2.ModifyIpPoolsInput{LoadBalancerArn: lb.LoadBalancerArn, RemoveIpamPools: []types.RemoveIpamPoolEnum{"ipv4"}})
	sdkcheck.NoErr(t, err)
	if pools.IpamPools != nil {
		t.Errorf("IPAM pool after removal %+v", pools.IpamPools)
	}
}

// Outside strict mode, undeclared subnets are accepted, each in a zone of its own.
func TestUndeclaredSubnetsGetDistinctZones(t *testing.T) {
	c, _ := client(t)
	out, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"subnet-11111111", "subnet-22222222", "subnet-33333333"}})
	sdkcheck.NoErr(t, err)
	zones := map[string]bool{}
	for _, z := range out.LoadBalancers[0].AvailabilityZones {
		zones[*z.ZoneName] = true
	}
	if len(zones) != 3 {
		t.Errorf("zones %v", zones)
	}
	strict, _ := client(t, elbtestStrict())
	_, err = strict.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("web"), Subnets: []string{"subnet-11111111", "subnet-22222222"}})
	sdkcheck.WantCode(t, err, "SubnetNotFound")
}

func elbtestStrict() elbtest.Option {
	return elbtest.WithOptions(elbserver.Options{Strict: true})
}
