package elbv2

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// viewDigests pin what each view renders for a record using every part of its description,
// at each version: stored renderings are rebuilt only when a view's version changes, so a
// change to a rendering must come with a new version, and its digest here.
var viewDigests = map[string]map[string]string{
	"lb":       {"1": "c5abad63e772eec03372d4aee316d00106ba86c30341c05330a1687f58bb628e"},
	"tg":       {"1": "bd09004a8b0ea819ba35c0d785bfbf909b7eb27ceb0ac692d2bdc3e680e07a4f"},
	"listener": {"1": "0f220c9f2557bc5696d62e3f2e80696cce662d2694b9560a3273570636616783"},
	"rule":     {"1": "2481ee8a173a6cbfc8d4055c502ac223e41d64630fbb4ef97451110d08dfdbaf"},
}

var richRecords = struct {
	lb       lbRec
	tg       tgRec
	listener store.V2Listener
	rule     store.V2Rule
}{
	lb: lbRec{ARN: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/net/web/0123456789abcdef", Name: "web", ID: "0123456789abcdef",
		Type: typeNLB, Scheme: schemeInternal, DNSName: "internal-web-0011223344556677.elb.us-east-1.amazonaws.com", Created: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		VPCID: "vpc-0000000a", IPAddressType: dualstack, Zones: []store.V2Zone{{Zone: "us-east-1a", Subnet: "subnet-0000000a", PrivateIPv4: "10.0.0.9",
			IPv6: "2001:db8::1", SourceNatIPv6: "2001:db8:0:0:1::/80"}}, SecurityGroups: []string{"sg-0000000a"}, EnforcePrivateLink: "on",
		PrefixSourceNat: "on", IPAMPool: "ipam-pool-0a", CoIPPool: "ipv4pool-coip-0a"},
	tg: tgRec{ARN: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web/0123456789abcdef", Name: "web", TargetType: targetIP,
		Protocol: protoHTTPS, ProtocolVersion: grpc, Port: 443, VPCID: "vpc-0000000a", IPAddressType: "ipv6", TargetControlPort: 9000,
		HealthCheck: store.V2HealthCheck{Enabled: true, Protocol: protoHTTPS, Port: "8443", Path: "/AWS.ALB/healthcheck", Interval: 10, Timeout: 5,
			Healthy: 3, Unhealthy: 4, GRPCCode: "0-5"}, LoadBalancer: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/web/0123456789abcdef"},
	listener: store.V2Listener{ARN: "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/web/0123456789abcdef/1111111111111111",
		Port: 443, Protocol: protoHTTPS, Certificate: "arn:aws:acm:us-east-1:000000000000:certificate/c", SSLPolicy: "ELBSecurityPolicy-2016-08",
		ALPNPolicy: "None", MutualAuth: &store.V2MutualAuth{Mode: mtlsVerify, TrustStoreARN: "arn:aws:elasticloadbalancing:us-east-1:000000000000:truststore/t/0123456789abcdef",
			IgnoreExpiry: true, AdvertiseCAs: "on"},
		DefaultActions: []store.V2Action{
			{Type: actionOIDC, Order: 1, OIDC: &store.V2OIDC{Issuer: "https://i", AuthorizationEndpoint: "https://a", TokenEndpoint: "https://t",
				UserInfoEndpoint: "https://u", ClientID: "c", ClientSecret: "never described", V2AuthCommon: store.V2AuthCommon{SessionCookieName: "S",
					Scope: "openid", SessionTimeout: 60, ExtraParams: []store.Attribute{{Name: "k", Value: "v<&>"}}, OnUnauthenticated: "deny"}}},
			{Type: actionForward, Order: 2, Forward: &store.V2Forward{TargetGroups: []store.V2WeightedGroup{{ARN: "tg1", Weight: 3}, {ARN: "tg2", Weight: 0}},
				Stickiness: true, Duration: 60}}}},
	rule: store.V2Rule{ARN: "arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/web/0123456789abcdef/1111111111111111/2222222222222222",
		Priority: 7,
		Conditions: []store.V2Condition{{Field: fieldHost, Values: []string{"*.example.com"}},
			{Field: fieldPath, Config: &store.V2CondConfig{RegexValues: []string{"^/a$"}}},
			{Field: fieldHeader, Config: &store.V2CondConfig{HeaderName: "X-A", Values: []string{"b"}, RegexValues: []string{"c"}}},
			{Field: fieldQuery, Config: &store.V2CondConfig{Query: []store.V2QueryPair{{Key: "k", Value: "v"}, {Value: "w"}}}},
			{Field: fieldMethod, Config: &store.V2CondConfig{Values: []string{"GET"}}},
			{Field: fieldIP, Config: &store.V2CondConfig{Values: []string{"10.0.0.0/8"}}}},
		Actions: []store.V2Action{
			{Type: actionJWT, Order: 1, JWT: &store.V2JWT{JWKSEndpoint: "https://j", Issuer: "i", Claims: []store.V2Claim{{Format: "string-array", Name: "n", Values: []string{"a", "b"}}}}},
			{Type: actionCognito, Order: 2, Cognito: &store.V2Cognito{UserPoolARN: "p", UserPoolClientID: "c", UserPoolDomain: "d"}},
			{Type: actionRedirect, Order: 3, Redirect: &store.V2Redirect{Protocol: "HTTPS", Port: "443", Host: "#{host}", Path: "/#{path}", Query: "#{query}", StatusCode: "HTTP_301"}},
			{Type: actionFixed, Order: 4, Fixed: &store.V2FixedResponse{StatusCode: "503", ContentType: "text/plain", Body: "down"}}},
		Transforms: []store.V2Transform{{Type: transformHost, Rewrites: []store.V2Rewrite{{Regex: "a", Replace: "b"}}},
			{Type: transformURL, Rewrites: []store.V2Rewrite{{Regex: "c", Replace: "d"}}}}},
}

func TestViewRenderingsPinnedToTheirVersions(t *testing.T) {
	r := richRecords
	renderings := map[string]struct {
		version string
		v       any
	}{
		"lb":       {lbViewVersion, lbXML(&r.lb, "us-east-1", stateActive)},
		"tg":       {tgViewVersion, tgXML(&r.tg)},
		"listener": {listenerViewVersion, listenerXML(&r.listener, lbARNOfListener(r.listener.ARN))},
		"rule":     {ruleViewVersion, ruleXML(&r.rule)},
	}
	for name, rd := range renderings {
		raw, err := xml.Marshal(rd.v)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(raw)
		got := hex.EncodeToString(sum[:])
		if want := viewDigests[name][rd.version]; got != want {
			t.Errorf("%s renders differently from what its version %q pins: give the version a new value (stored renderings are "+
				"then rebuilt on open) and pin that value to %q in viewDigests.\nrendering: %s", name, rd.version, got, raw)
		}
	}
}
