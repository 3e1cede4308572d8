package elbv2_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// TestMotoDestroyKeepsGroupsItDidNotMake: a group create made that another balancer now
// uses, and a group the user made, both survive DestroyBalancer.
func TestMotoDestroyKeepsGroupsItDidNotMake(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	web, err := e.alb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "web", Port: 80, Protocol: "HTTP"})
	if err != nil {
		t.Fatal(err)
	}
	made, err := collectSeq(e.c.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(web.ID)}))
	if err != nil || len(made) != 1 {
		t.Fatalf("groups of web: %v, %v", made, err)
	}
	// A second balancer, made with the Client, forwards to web's group and to its own.
	api, err := e.alb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "api", Port: 80, Protocol: "HTTP"})
	if err != nil {
		t.Fatal(err)
	}
	own, err := e.c.CreateTargetGroup(ctx, &elbv2sdk.CreateTargetGroupInput{Name: aws.String("users-own"), Port: aws.Int32(9000),
		Protocol: types.ProtocolEnumHttp, VpcId: aws.String(api.VPCID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.CreateListener(ctx, &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(api.ID), Port: aws.Int32(8080),
		Protocol: types.ProtocolEnumHttp, DefaultActions: []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: made[0].TargetGroupArn}}}); err != nil {
		t.Fatal(err)
	}
	listeners, err := collectSeq(e.c.Listeners(ctx, web.ID))
	if err != nil {
		t.Fatal(err)
	}
	// web also forwards /own/* to the user's group, through a rule.
	if _, err := e.c.CreateRule(ctx, &elbv2sdk.CreateRuleInput{ListenerArn: listeners[0].ListenerArn, Priority: aws.Int32(10),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/own/*"}}},
		Actions:    []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: own.TargetGroupArn}}}); err != nil {
		t.Fatal(err)
	}
	if err := e.alb.DestroyBalancer(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	left, err := collectSeq(e.c.TargetGroups(ctx, nil))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range left {
		names = append(names, aws.ToString(g.TargetGroupName))
	}
	if len(left) != 3 || !slices.Contains(names, aws.ToString(made[0].TargetGroupName)) || !slices.Contains(names, "users-own") {
		t.Errorf("groups after destroying web: %v; want web's (still used by api), api's and the user's", names)
	}
	// Destroying api now removes its own group, and web's, which it used but did not make, stays.
	if err := e.alb.DestroyBalancer(ctx, api.ID); err != nil {
		t.Fatal(err)
	}
	left, _ = collectSeq(e.c.TargetGroups(ctx, nil))
	if len(left) != 2 {
		t.Errorf("%d groups after destroying api, want web's and the user's", len(left))
	}
}

// TestMotoClient drives the Client's actions that moto serves.
func TestMotoClient(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	c := e.c
	lb, err := e.alb.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "web", Port: 80, Protocol: "HTTP"})
	if err != nil {
		t.Fatal(err)
	}
	if attrs, err := c.ModifyLoadBalancerAttributes(ctx, lb.ID, map[string]string{"deletion_protection.enabled": "true"}); err != nil ||
		attrs["deletion_protection.enabled"] != "true" {
		t.Errorf("ModifyLoadBalancerAttributes = %v, %v", attrs, err)
	}
	if attrs, err := c.LoadBalancerAttributes(ctx, lb.ID); err != nil || attrs["deletion_protection.enabled"] != "true" {
		t.Errorf("LoadBalancerAttributes = %v, %v", attrs, err)
	}
	if _, err := c.ModifyLoadBalancerAttributes(ctx, lb.ID, map[string]string{"deletion_protection.enabled": "false"}); err != nil {
		t.Fatal(err)
	}
	if err := c.AddTags(ctx, []string{lb.ID}, map[string]string{"team": "edge"}); err != nil {
		t.Fatal(err)
	}
	if err := c.RemoveTags(ctx, []string{lb.ID}, "team"); err != nil {
		t.Fatal(err)
	}
	if tags, err := c.Tags(ctx, lb.ID); err != nil || len(tags[lb.ID]) != 0 {
		t.Errorf("Tags after remove = %v, %v", tags, err)
	}
	ls, err := collectSeq(c.Listeners(ctx, lb.ID))
	if err != nil || len(ls) != 1 {
		t.Fatalf("Listeners = %v, %v", ls, err)
	}
	lis := aws.ToString(ls[0].ListenerArn)
	if _, err := c.ModifyListenerAttributes(ctx, lis, map[string]string{"routing.http.response.server.enabled": "false"}); err != nil {
		t.Errorf("ModifyListenerAttributes: %v", err)
	}
	if attrs, err := c.ListenerAttributes(ctx, lis); err != nil || attrs["routing.http.response.server.enabled"] != "false" {
		t.Errorf("ListenerAttributes = %v, %v", attrs, err)
	}

	// Rules: create two, swap their priorities, change one, delete both.
	tg := forwardTarget(ls[0])
	var rules []string
	for i, path := range []string{"/a/*", "/b/*"} {
		r, err := c.CreateRule(ctx, &elbv2sdk.CreateRuleInput{ListenerArn: aws.String(lis), Priority: aws.Int32(int32(10 + i)),
			Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{path}}}, Actions: forward(tg)})
		if err != nil {
			t.Fatal(err)
		}
		rules = append(rules, aws.ToString(r.RuleArn))
	}
	if _, err := c.SetRulePriorities(ctx, map[string]int32{rules[0]: 21, rules[1]: 20}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyRule(ctx, &elbv2sdk.ModifyRuleInput{RuleArn: aws.String(rules[0]),
		Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/c/*"}}}}); err != nil {
		t.Fatal(err)
	}
	got, err := collectSeq(c.Rules(ctx, lis))
	if err != nil {
		t.Fatal(err)
	}
	prio := map[string]string{}
	for _, r := range got {
		prio[aws.ToString(r.RuleArn)] = aws.ToString(r.Priority)
	}
	if prio[rules[0]] != "21" || prio[rules[1]] != "20" || len(got) != 3 { // and the default rule
		t.Errorf("rules %v", prio)
	}
	for _, r := range rules {
		if err := c.DeleteRule(ctx, r); err != nil {
			t.Fatal(err)
		}
	}

	// Target group settings and health.
	if _, err := c.ModifyTargetGroup(ctx, &elbv2sdk.ModifyTargetGroupInput{TargetGroupArn: aws.String(tg), HealthCheckPath: aws.String("/ping")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyTargetGroupAttributes(ctx, tg, map[string]string{"deregistration_delay.timeout_seconds": "30"}); err != nil {
		t.Fatal(err)
	}
	if attrs, _ := c.TargetGroupAttributes(ctx, tg); attrs["deregistration_delay.timeout_seconds"] != "30" {
		t.Errorf("TargetGroupAttributes = %v", attrs)
	}
	ids, _ := e.runInstances(t, 1)
	if err := c.RegisterTargets(ctx, tg, elbv2.Target(ids[0], 8080)); err != nil {
		t.Fatal(err)
	}
	if hs, err := c.TargetHealth(ctx, tg); err != nil || len(hs) != 1 || aws.ToString(hs[0].Target.Id) != ids[0] {
		t.Errorf("TargetHealth = %v, %v", hs, err)
	}
	if err := c.DeregisterTargets(ctx, tg, elbv2.Target(ids[0], 8080)); err != nil {
		t.Fatal(err)
	}

	// Load balancer settings.
	if typ, err := c.SetIpAddressType(ctx, lb.ID, types.IpAddressTypeDualstack); err != nil || typ != types.IpAddressTypeDualstack {
		t.Errorf("SetIpAddressType = %v, %v", typ, err)
	}
	sg, err := e.ec2.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String("web"), Description: aws.String("web"), VpcId: aws.String(lb.VPCID)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetSecurityGroups(ctx, &elbv2sdk.SetSecurityGroupsInput{LoadBalancerArn: aws.String(lb.ID), SecurityGroups: []string{aws.ToString(sg.GroupId)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SetSubnets(ctx, &elbv2sdk.SetSubnetsInput{LoadBalancerArn: aws.String(lb.ID), Subnets: lb.Subnets[:2]}); err != nil {
		t.Fatal(err)
	}
	after, err := e.alb.GetBalancer(ctx, lb.ID)
	if err != nil || !slices.Equal(after.SecurityGroups, []string{aws.ToString(sg.GroupId)}) || len(after.Subnets) != 2 {
		t.Errorf("after settings: %+v, %v", after, err)
	}
	if _, err := c.CapacityReservation(ctx, lb.ID); err != nil {
		t.Errorf("CapacityReservation: %v", err)
	}

	// Account-wide describes, paged.
	if limits, err := collectSeq(c.AccountLimits(ctx)); err != nil || len(limits) == 0 {
		t.Errorf("AccountLimits = %d, %v", len(limits), err)
	}
	pols, err := collectSeq(c.SSLPolicies(ctx, nil))
	if err != nil || len(pols) == 0 {
		t.Errorf("SSLPolicies = %d, %v", len(pols), err)
	}

	// Listener and listener certificates, with a certificate moto's ACM issued through the
	// AWS CLI.
	cert := e.aws(t, "acm", "request-certificate", "--domain-name", "web.example.com", "--query", "CertificateArn")
	cert2 := e.aws(t, "acm", "request-certificate", "--domain-name", "api.example.com", "--query", "CertificateArn")
	https, err := c.CreateListener(ctx, &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(lb.ID), Port: aws.Int32(443),
		Protocol: types.ProtocolEnumHttps, Certificates: []types.Certificate{{CertificateArn: aws.String(cert)}}, DefaultActions: forward(tg)})
	if err != nil {
		t.Fatal(err)
	}
	hl := aws.ToString(https.ListenerArn)
	if err := c.AddListenerCertificates(ctx, hl, cert2); err != nil {
		t.Fatal(err)
	}
	certs, err := collectSeq(c.ListenerCertificates(ctx, hl))
	if err != nil || !slices.ContainsFunc(certs, func(x types.Certificate) bool { return aws.ToString(x.CertificateArn) == cert2 }) {
		t.Errorf("ListenerCertificates = %v, %v", certs, err)
	}
	if err := c.RemoveListenerCertificates(ctx, hl, cert2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ModifyListener(ctx, &elbv2sdk.ModifyListenerInput{ListenerArn: aws.String(hl), Port: aws.Int32(8443)}); err != nil {
		t.Fatal(err)
	}
	full, err := e.alb.GetBalancer(ctx, lb.ID)
	if err != nil || len(full.Listeners) != 2 || full.Listeners[1].Port != 8443 || full.Listeners[1].CertificateID != cert {
		t.Errorf("listeners %+v, %v", full.Listeners, err)
	}
	if err := c.DeleteListener(ctx, hl); err != nil {
		t.Fatal(err)
	}
}

// TestMotoUnservedActions: moto serves 37 of the 51 actions (no trust stores, resource
// policies, capacity changes or IPAM pools) and answers the others with an HTTP 500 page.
// That reaches the caller as a classified error, not a hang or a raw decoding failure.
func TestMotoUnservedActions(t *testing.T) {
	e := newMoto(t)
	ctx := testCtx(t)
	_, err := e.c.CreateTrustStore(ctx, &elbv2sdk.CreateTrustStoreInput{Name: aws.String("ts"),
		CaCertificatesBundleS3Bucket: aws.String("b"), CaCertificatesBundleS3Key: aws.String("ca.pem")})
	var de *driver.Error
	if !errors.As(err, &de) || !errors.Is(err, driver.ErrUnavailable) || de.Op != "CreateTrustStore" || de.StatusCode != 500 {
		t.Errorf("CreateTrustStore on moto = %#v, want ErrUnavailable with the status", err)
	}
}

func forwardTarget(l types.Listener) string {
	return aws.ToString(l.DefaultActions[0].TargetGroupArn)
}

func forward(tg string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
}
