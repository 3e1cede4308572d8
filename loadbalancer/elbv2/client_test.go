package elbv2

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
)

// clientCase calls one Client method against the fake and says what the request must carry.
type clientCase struct {
	action string
	result string // the answer's result body; "" for none
	paged  string // for a paged describe: the result's list element, answered over two pages
	call   func(ctx context.Context, c *Client) error
	want   map[string]string // form values the request must carry
}

// drain reads a sequence the fake answers over two pages of one item each.
func drain[T any](seq iter.Seq2[T, error]) error {
	items, err := collect(seq)
	if err == nil && len(items) != 2 {
		return fmt.Errorf("the iterator gave %d items over two pages, want 2", len(items))
	}
	return err
}

// errAnswer is a call that succeeded but decoded the answer wrongly.
var errAnswer = errors.New("the answer was not decoded as sent")

func clientCases() []clientCase {
	lb := "<LoadBalancers><member><LoadBalancerArn>" + lbARN + "</LoadBalancerArn></member></LoadBalancers>"
	listener := "<Listeners><member><ListenerArn>" + lisARN + "</ListenerArn></member></Listeners>"
	tg := "<TargetGroups><member><TargetGroupArn>" + tgARN + "</TargetGroupArn></member></TargetGroups>"
	rule := "<Rules><member><RuleArn>rule-1</RuleArn></member></Rules>"
	ts := "<TrustStores><member><TrustStoreArn>ts-1</TrustStoreArn></member></TrustStores>"
	attrs := "<Attributes><member><Key>k</Key><Value>v</Value></member></Attributes>"
	return []clientCase{
		{action: "AddListenerCertificates", call: func(ctx context.Context, c *Client) error {
			return c.AddListenerCertificates(ctx, lisARN, "cert-1", "cert-2")
		}, want: map[string]string{"ListenerArn": lisARN, "Certificates.member.2.CertificateArn": "cert-2"}},
		{action: "AddTags", call: func(ctx context.Context, c *Client) error {
			return c.AddTags(ctx, []string{lbARN}, map[string]string{"env": "prod"})
		}, want: map[string]string{"ResourceArns.member.1": lbARN, "Tags.member.1.Key": "env", "Tags.member.1.Value": "prod"}},
		{action: "AddTrustStoreRevocations", call: func(ctx context.Context, c *Client) error {
			_, err := c.AddTrustStoreRevocations(ctx, "ts-1", types.RevocationContent{S3Bucket: aws.String("b"), S3Key: aws.String("crl.pem")})
			return err
		}, want: map[string]string{"TrustStoreArn": "ts-1", "RevocationContents.member.1.S3Key": "crl.pem"}},
		{action: "CreateListener", result: listener, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateListener(ctx, &elbv2sdk.CreateListenerInput{LoadBalancerArn: aws.String(lbARN), Port: aws.Int32(80),
				Protocol: types.ProtocolEnumHttp, DefaultActions: forwardTo(tgARN)})
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN, "Port": "80", "Protocol": "HTTP", "DefaultActions.member.1.TargetGroupArn": tgARN}},
		{action: "CreateLoadBalancer", result: lb, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateLoadBalancer(ctx, &elbv2sdk.CreateLoadBalancerInput{Name: aws.String("web"), Type: types.LoadBalancerTypeEnumNetwork, Subnets: []string{"subnet-a"}})
			return err
		}, want: map[string]string{"Name": "web", "Type": "network", "Subnets.member.1": "subnet-a"}},
		{action: "CreateRule", result: rule, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateRule(ctx, &elbv2sdk.CreateRuleInput{ListenerArn: aws.String(lisARN), Priority: aws.Int32(10), Actions: forwardTo(tgARN),
				Conditions: []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{"/api/*"}}}})
			return err
		}, want: map[string]string{"ListenerArn": lisARN, "Priority": "10", "Conditions.member.1.Values.member.1": "/api/*"}},
		{action: "CreateTargetGroup", result: tg, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateTargetGroup(ctx, &elbv2sdk.CreateTargetGroupInput{Name: aws.String("tg"), Port: aws.Int32(8080), Protocol: types.ProtocolEnumHttp, VpcId: aws.String("vpc-1")})
			return err
		}, want: map[string]string{"Name": "tg", "Port": "8080", "VpcId": "vpc-1"}},
		{action: "CreateTrustStore", result: ts, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateTrustStore(ctx, &elbv2sdk.CreateTrustStoreInput{Name: aws.String("ts"), CaCertificatesBundleS3Bucket: aws.String("b"), CaCertificatesBundleS3Key: aws.String("ca.pem")})
			return err
		}, want: map[string]string{"Name": "ts", "CaCertificatesBundleS3Key": "ca.pem"}},
		{action: "DeleteListener", call: func(ctx context.Context, c *Client) error { return c.DeleteListener(ctx, lisARN) },
			want: map[string]string{"ListenerArn": lisARN}},
		{action: "DeleteLoadBalancer", call: func(ctx context.Context, c *Client) error { return c.DeleteLoadBalancer(ctx, lbARN) },
			want: map[string]string{"LoadBalancerArn": lbARN}},
		{action: "DeleteRule", call: func(ctx context.Context, c *Client) error { return c.DeleteRule(ctx, "rule-1") },
			want: map[string]string{"RuleArn": "rule-1"}},
		{action: "DeleteSharedTrustStoreAssociation", call: func(ctx context.Context, c *Client) error {
			return c.DeleteSharedTrustStoreAssociation(ctx, "ts-1", lisARN)
		}, want: map[string]string{"TrustStoreArn": "ts-1", "ResourceArn": lisARN}},
		{action: "DeleteTargetGroup", call: func(ctx context.Context, c *Client) error { return c.DeleteTargetGroup(ctx, tgARN) },
			want: map[string]string{"TargetGroupArn": tgARN}},
		{action: "DeleteTrustStore", call: func(ctx context.Context, c *Client) error { return c.DeleteTrustStore(ctx, "ts-1") },
			want: map[string]string{"TrustStoreArn": "ts-1"}},
		{action: "DeregisterTargets", call: func(ctx context.Context, c *Client) error {
			return c.DeregisterTargets(ctx, tgARN, Target("i-1", 8080), Target("10.0.0.5", 0))
		}, want: map[string]string{"TargetGroupArn": tgARN, "Targets.member.1.Id": "i-1", "Targets.member.1.Port": "8080", "Targets.member.2.Id": "10.0.0.5"}},
		{action: "DescribeAccountLimits", paged: "Limits", call: func(ctx context.Context, c *Client) error {
			return drain(c.AccountLimits(ctx))
		}, want: map[string]string{}},
		{action: "DescribeCapacityReservation", call: func(ctx context.Context, c *Client) error {
			_, err := c.CapacityReservation(ctx, lbARN)
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN}},
		{action: "DescribeListenerAttributes", result: attrs, call: func(ctx context.Context, c *Client) error {
			return wantAttrs(c.ListenerAttributes(ctx, lisARN))
		}, want: map[string]string{"ListenerArn": lisARN}},
		{action: "DescribeListenerCertificates", paged: "Certificates", call: func(ctx context.Context, c *Client) error {
			return drain(c.ListenerCertificates(ctx, lisARN))
		}, want: map[string]string{"ListenerArn": lisARN}},
		{action: "DescribeListeners", paged: "Listeners", call: func(ctx context.Context, c *Client) error {
			return drain(c.Listeners(ctx, lbARN))
		}, want: map[string]string{"LoadBalancerArn": lbARN}},
		{action: "DescribeLoadBalancerAttributes", result: attrs, call: func(ctx context.Context, c *Client) error {
			return wantAttrs(c.LoadBalancerAttributes(ctx, lbARN))
		}, want: map[string]string{"LoadBalancerArn": lbARN}},
		{action: "DescribeLoadBalancers", paged: "LoadBalancers", call: func(ctx context.Context, c *Client) error {
			return drain(c.LoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{Names: []string{"web", "api"}, PageSize: aws.Int32(1)}))
		}, want: map[string]string{"Names.member.2": "api", "PageSize": "1"}},
		{action: "DescribeRules", paged: "Rules", call: func(ctx context.Context, c *Client) error {
			return drain(c.Rules(ctx, lisARN))
		}, want: map[string]string{"ListenerArn": lisARN}},
		{action: "DescribeSSLPolicies", paged: "SslPolicies", call: func(ctx context.Context, c *Client) error {
			return drain(c.SSLPolicies(ctx, &elbv2sdk.DescribeSSLPoliciesInput{LoadBalancerType: types.LoadBalancerTypeEnumNetwork}))
		}, want: map[string]string{"LoadBalancerType": "network"}},
		{action: "DescribeTags", result: `<TagDescriptions><member><ResourceArn>` + lbARN + `</ResourceArn><Tags><member><Key>env</Key><Value>prod</Value></member></Tags></member></TagDescriptions>`,
			call: func(ctx context.Context, c *Client) error {
				tags, err := c.Tags(ctx, lbARN)
				if err == nil && tags[lbARN]["env"] != "prod" {
					return errAnswer
				}
				return err
			}, want: map[string]string{"ResourceArns.member.1": lbARN}},
		{action: "DescribeTargetGroupAttributes", result: attrs, call: func(ctx context.Context, c *Client) error {
			return wantAttrs(c.TargetGroupAttributes(ctx, tgARN))
		}, want: map[string]string{"TargetGroupArn": tgARN}},
		{action: "DescribeTargetGroups", paged: "TargetGroups", call: func(ctx context.Context, c *Client) error {
			return drain(c.TargetGroups(ctx, &elbv2sdk.DescribeTargetGroupsInput{LoadBalancerArn: aws.String(lbARN)}))
		}, want: map[string]string{"LoadBalancerArn": lbARN}},
		{action: "DescribeTargetHealth", call: func(ctx context.Context, c *Client) error {
			_, err := c.TargetHealth(ctx, tgARN, Target("i-1", 0))
			return err
		}, want: map[string]string{"TargetGroupArn": tgARN, "Targets.member.1.Id": "i-1"}},
		{action: "DescribeTrustStoreAssociations", paged: "TrustStoreAssociations", call: func(ctx context.Context, c *Client) error {
			return drain(c.TrustStoreAssociations(ctx, "ts-1"))
		}, want: map[string]string{"TrustStoreArn": "ts-1"}},
		{action: "DescribeTrustStoreRevocations", paged: "TrustStoreRevocations", call: func(ctx context.Context, c *Client) error {
			return drain(c.TrustStoreRevocations(ctx, "ts-1", 7))
		}, want: map[string]string{"TrustStoreArn": "ts-1", "RevocationIds.member.1": "7"}},
		{action: "DescribeTrustStores", paged: "TrustStores", call: func(ctx context.Context, c *Client) error {
			return drain(c.TrustStores(ctx, &elbv2sdk.DescribeTrustStoresInput{Names: []string{"ts"}}))
		}, want: map[string]string{"Names.member.1": "ts"}},
		{action: "GetResourcePolicy", result: "<Policy>{}</Policy>", call: func(ctx context.Context, c *Client) error {
			p, err := c.ResourcePolicy(ctx, "ts-1")
			if err == nil && p != "{}" {
				return errAnswer
			}
			return err
		}, want: map[string]string{"ResourceArn": "ts-1"}},
		{action: "GetTrustStoreCaCertificatesBundle", result: "<Location>https://example.com/ca</Location>", call: func(ctx context.Context, c *Client) error {
			_, err := c.TrustStoreCaCertificatesBundle(ctx, "ts-1")
			return err
		}, want: map[string]string{"TrustStoreArn": "ts-1"}},
		{action: "GetTrustStoreRevocationContent", result: "<Location>https://example.com/crl</Location>", call: func(ctx context.Context, c *Client) error {
			_, err := c.TrustStoreRevocationContent(ctx, "ts-1", 7)
			return err
		}, want: map[string]string{"TrustStoreArn": "ts-1", "RevocationId": "7"}},
		{action: "ModifyCapacityReservation", call: func(ctx context.Context, c *Client) error {
			_, err := c.ModifyCapacityReservation(ctx, &elbv2sdk.ModifyCapacityReservationInput{LoadBalancerArn: aws.String(lbARN), ResetCapacityReservation: aws.Bool(true)})
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN, "ResetCapacityReservation": "true"}},
		{action: "ModifyIpPools", call: func(ctx context.Context, c *Client) error {
			_, err := c.ModifyIpPools(ctx, &elbv2sdk.ModifyIpPoolsInput{LoadBalancerArn: aws.String(lbARN), RemoveIpamPools: []types.RemoveIpamPoolEnum{types.RemoveIpamPoolEnumIpv4}})
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN, "RemoveIpamPools.member.1": "ipv4"}},
		{action: "ModifyListener", result: listener, call: func(ctx context.Context, c *Client) error {
			_, err := c.ModifyListener(ctx, &elbv2sdk.ModifyListenerInput{ListenerArn: aws.String(lisARN), Port: aws.Int32(8443)})
			return err
		}, want: map[string]string{"ListenerArn": lisARN, "Port": "8443"}},
		{action: "ModifyListenerAttributes", result: attrs, call: func(ctx context.Context, c *Client) error {
			return wantAttrs(c.ModifyListenerAttributes(ctx, lisARN, map[string]string{"tcp.idle_timeout.seconds": "60"}))
		}, want: map[string]string{"ListenerArn": lisARN, "Attributes.member.1.Key": "tcp.idle_timeout.seconds", "Attributes.member.1.Value": "60"}},
		{action: "ModifyLoadBalancerAttributes", result: attrs, call: func(ctx context.Context, c *Client) error {
			return wantAttrs(c.ModifyLoadBalancerAttributes(ctx, lbARN, map[string]string{"deletion_protection.enabled": "true"}))
		}, want: map[string]string{"LoadBalancerArn": lbARN, "Attributes.member.1.Key": "deletion_protection.enabled"}},
		{action: "ModifyRule", result: rule, call: func(ctx context.Context, c *Client) error {
			_, err := c.ModifyRule(ctx, &elbv2sdk.ModifyRuleInput{RuleArn: aws.String("rule-1"), Actions: forwardTo(tgARN)})
			return err
		}, want: map[string]string{"RuleArn": "rule-1", "Actions.member.1.Type": "forward"}},
		{action: "ModifyTargetGroup", result: tg, call: func(ctx context.Context, c *Client) error {
			_, err := c.ModifyTargetGroup(ctx, &elbv2sdk.ModifyTargetGroupInput{TargetGroupArn: aws.String(tgARN), HealthCheckPath: aws.String("/ping")})
			return err
		}, want: map[string]string{"TargetGroupArn": tgARN, "HealthCheckPath": "/ping"}},
		{action: "ModifyTargetGroupAttributes", result: attrs, call: func(ctx context.Context, c *Client) error {
			return wantAttrs(c.ModifyTargetGroupAttributes(ctx, tgARN, map[string]string{algorithmAttr: "weighted_random"}))
		}, want: map[string]string{"TargetGroupArn": tgARN, "Attributes.member.1.Key": algorithmAttr, "Attributes.member.1.Value": "weighted_random"}},
		{action: "ModifyTrustStore", result: ts, call: func(ctx context.Context, c *Client) error {
			_, err := c.ModifyTrustStore(ctx, &elbv2sdk.ModifyTrustStoreInput{TrustStoreArn: aws.String("ts-1"), CaCertificatesBundleS3Bucket: aws.String("b"), CaCertificatesBundleS3Key: aws.String("ca2.pem")})
			return err
		}, want: map[string]string{"TrustStoreArn": "ts-1", "CaCertificatesBundleS3Key": "ca2.pem"}},
		{action: "RegisterTargets", call: func(ctx context.Context, c *Client) error {
			return c.RegisterTargets(ctx, tgARN, Target("i-1", 0))
		}, want: map[string]string{"TargetGroupArn": tgARN, "Targets.member.1.Id": "i-1"}},
		{action: "RemoveListenerCertificates", call: func(ctx context.Context, c *Client) error {
			return c.RemoveListenerCertificates(ctx, lisARN, "cert-2")
		}, want: map[string]string{"ListenerArn": lisARN, "Certificates.member.1.CertificateArn": "cert-2"}},
		{action: "RemoveTags", call: func(ctx context.Context, c *Client) error {
			return c.RemoveTags(ctx, []string{lbARN, tgARN}, "env")
		}, want: map[string]string{"ResourceArns.member.2": tgARN, "TagKeys.member.1": "env"}},
		{action: "RemoveTrustStoreRevocations", call: func(ctx context.Context, c *Client) error {
			return c.RemoveTrustStoreRevocations(ctx, "ts-1", 7, 8)
		}, want: map[string]string{"TrustStoreArn": "ts-1", "RevocationIds.member.2": "8"}},
		{action: "SetIpAddressType", result: "<IpAddressType>dualstack</IpAddressType>", call: func(ctx context.Context, c *Client) error {
			got, err := c.SetIpAddressType(ctx, lbARN, types.IpAddressTypeDualstack)
			if err == nil && got != types.IpAddressTypeDualstack {
				return errAnswer
			}
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN, "IpAddressType": "dualstack"}},
		{action: "SetRulePriorities", result: rule, call: func(ctx context.Context, c *Client) error {
			_, err := c.SetRulePriorities(ctx, map[string]int32{"rule-1": 5})
			return err
		}, want: map[string]string{"RulePriorities.member.1.RuleArn": "rule-1", "RulePriorities.member.1.Priority": "5"}},
		{action: "SetSecurityGroups", call: func(ctx context.Context, c *Client) error {
			_, err := c.SetSecurityGroups(ctx, &elbv2sdk.SetSecurityGroupsInput{LoadBalancerArn: aws.String(lbARN), SecurityGroups: []string{"sg-1"}})
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN, "SecurityGroups.member.1": "sg-1"}},
		{action: "SetSubnets", call: func(ctx context.Context, c *Client) error {
			_, err := c.SetSubnets(ctx, &elbv2sdk.SetSubnetsInput{LoadBalancerArn: aws.String(lbARN), Subnets: []string{"subnet-a", "subnet-b"}})
			return err
		}, want: map[string]string{"LoadBalancerArn": lbARN, "Subnets.member.2": "subnet-b"}},
	}
}

func wantAttrs(m map[string]string, err error) error {
	if err == nil && m["k"] != "v" {
		return errAnswer
	}
	return err
}

// TestClientMethods calls every Client method against the fake endpoint and checks the
// action and key parameters sent, the answer decoded and, for paged describes, that the
// iterator follows the marker to the second page.
func TestClientMethods(t *testing.T) {
	var cur clientCase
	f := awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		if action != cur.action {
			return 400, awstest.QueryError(ns, "InvalidAction", "unexpected action "+action)
		}
		if cur.paged != "" {
			if form.Get("Marker") == "" {
				return 200, awstest.QueryOK(ns, action, members(cur.paged, "")+"<NextMarker>page-2</NextMarker>")
			}
			return 200, awstest.QueryOK(ns, action, members(cur.paged, ""))
		}
		return 200, awstest.QueryOK(ns, action, cur.result)
	})
	d := fakeDriver(t, f, ALB, 1)
	ctx := testCtx(t)
	done := map[string]bool{}
	for _, tc := range clientCases() {
		cur = tc
		f.Reset()
		t.Run(tc.action, func(t *testing.T) {
			if err := tc.call(ctx, d.c); err != nil {
				t.Fatalf("%s: %v", tc.action, err)
			}
			sent := f.Sent(tc.action)
			want := 1
			if tc.paged != "" {
				want = 2
			}
			if len(sent) != want || len(f.Actions()) != want {
				t.Fatalf("%s sent %v, want %d call(s) of the action", tc.action, f.Actions(), want)
			}
			for k, v := range tc.want {
				if got := sent[0].Get(k); got != v {
					t.Errorf("%s: %s = %q, want %q (sent %v)", tc.action, k, got, v, sent[0])
				}
			}
			if tc.paged != "" && sent[1].Get("Marker") != "page-2" {
				t.Errorf("%s: second page asked with Marker %q, want page-2", tc.action, sent[1].Get("Marker"))
			}
		})
		done[tc.action] = true
	}
	for op := range Operations {
		if !done[op] {
			t.Errorf("no case calls %s", op)
		}
	}
	if len(done) != len(Operations) {
		t.Errorf("%d cases for %d operations", len(done), len(Operations))
	}
}
