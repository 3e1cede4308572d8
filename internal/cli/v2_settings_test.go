package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/elbserver/elbv2/roomtest"
)

// Balancer attributes, account limits, SSL policies and tags of any ELBv2 resource, each
// checked against what the endpoint holds.
func TestV2AttributesLimitsPoliciesTags(t *testing.T) {
	ts, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ctx := context.Background()
	ok(t, args(alb, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
	ok(t, args(alb, "target-groups", "create", "blue", "--protocol", "http", "--port", "8080")...)

	var attrs map[string]string
	okJSON(t, &attrs, args(alb, "attributes", "set", "web", "--attr", "idle_timeout.timeout_seconds=120", "--attr", "routing.http2.enabled=false")...)
	if attrs["idle_timeout.timeout_seconds"] != "120" || attrs["routing.http2.enabled"] != "false" || attrs["deletion_protection.enabled"] != "false" {
		t.Errorf("attributes set = %v", attrs)
	}
	lbs, err := sdk(ts).DescribeLoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{Names: []string{"web"}})
	if err != nil {
		t.Fatal(err)
	}
	lbARN := aws.ToString(lbs.LoadBalancers[0].LoadBalancerArn)
	got, err := sdk(ts).DescribeLoadBalancerAttributes(ctx, &elbv2sdk.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lbARN)})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range got.Attributes {
		if aws.ToString(a.Key) == "idle_timeout.timeout_seconds" && aws.ToString(a.Value) != "120" {
			t.Errorf("DescribeLoadBalancerAttributes: %s=%s", aws.ToString(a.Key), aws.ToString(a.Value))
		}
	}
	if table := ok(t, args(alb, "attributes", "get", "web")...); !strings.Contains(table, "routing.http2.enabled") {
		t.Errorf("attributes get:\n%s", table)
	}
	r := fails(t, ExitFailed, args(alb, "attributes", "set", "web", "--attr", "no.such.key=1")...)
	if !strings.Contains(r.stderr, "ValidationError") {
		t.Errorf("an unknown attribute: %s", r.stderr)
	}

	var limits []limitJSON
	okJSON(t, &limits, args(alb, "limits")...)
	names := map[string]bool{}
	for _, l := range limits {
		names[l.Name] = l.Max != ""
	}
	if !names["application-load-balancers"] || !names["target-groups"] {
		t.Errorf("ELBv2 limits = %+v", limits)
	}

	var policies []sslPolicyJSON
	okJSON(t, &policies, args(alb, "ssl-policies", "list", "ELBSecurityPolicy-TLS13-1-2-2021-06")...)
	if len(policies) != 1 || len(policies[0].Protocols) == 0 || len(policies[0].Ciphers) == 0 {
		t.Errorf("ssl-policies list NAME = %+v", policies)
	}
	okJSON(t, &policies, args(ep, "--api", "nlb", "ssl-policies", "list")...)
	if len(policies) < 2 {
		t.Errorf("ssl-policies list = %+v", policies)
	}

	// Tags on a balancer, a target group and a listener, by name, read back through the SDK.
	ok(t, args(alb, "tags", "add", "web", "--target-group", "blue", "--listener", "web:80", "--tag", "team=edge", "--tag", "env=prod")...)
	ok(t, args(alb, "tags", "remove", "--target-group", "blue", "--key", "env")...)
	var tags map[string]map[string]string
	okJSON(t, &tags, args(alb, "tags", "list", "web", "--target-group", "blue", "--listener", "web:80")...)
	if tags["web"]["env"] != "prod" || tags["target-group blue"]["team"] != "edge" || tags["target-group blue"]["env"] != "" ||
		tags["listener web:80"]["team"] != "edge" {
		t.Errorf("tags list = %v", tags)
	}
	desc, err := sdk(ts).DescribeTags(ctx, &elbv2sdk.DescribeTagsInput{ResourceArns: []string{lbARN}})
	if err != nil || len(desc.TagDescriptions) != 1 || len(desc.TagDescriptions[0].Tags) != 2 {
		t.Errorf("DescribeTags: %v %+v", err, desc)
	}
	r = fails(t, ExitFailed, args(alb, "tags", "list", "--target-group", "nosuch")...)
	if !strings.Contains(r.stderr, "TargetGroupNotFound") {
		t.Errorf("tags of a missing group: %s", r.stderr)
	}
}

func TestTrustStores(t *testing.T) {
	ts, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ctx := context.Background()
	ca, err := roomtest.NewCA("clients CA")
	if err != nil {
		t.Fatal(err)
	}
	crl, err := ca.CRL(3, 4)
	if err != nil {
		t.Fatal(err)
	}
	for key, data := range map[string][]byte{"ca.pem": ca.BundlePEM(), "crl.der": crl} {
		if err := ts.PutObject(ctx, "pki", key, data); err != nil {
			t.Fatal(err)
		}
	}
	var stores []trustStoreJSON
	okJSON(t, &stores, args(alb, "trust-stores", "create", "clients", "--ca-bucket", "pki", "--ca-key", "ca.pem", "--tag", "env=test")...)
	if len(stores) != 1 || stores[0].Name != "clients" || stores[0].CACertificates != 1 || stores[0].Status != "ACTIVE" {
		t.Fatalf("created = %+v", stores)
	}
	var revs []revocationJSON
	okJSON(t, &revs, args(alb, "trust-stores", "revocations", "add", "clients", "--crl-bucket", "pki", "--crl-key", "crl.der")...)
	if len(revs) != 1 || revs[0].Entries != 2 || revs[0].Type != "CRL" {
		t.Errorf("revocations add = %+v", revs)
	}
	out, err := sdk(ts).DescribeTrustStores(ctx, &elbv2sdk.DescribeTrustStoresInput{Names: []string{"clients"}})
	if err != nil || aws.ToInt64(out.TrustStores[0].TotalRevokedEntries) != 2 {
		t.Errorf("DescribeTrustStores: %v %+v", err, out)
	}

	// A listener verifying client certificates with the store is its association.
	ok(t, args(alb, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
	ok(t, args(alb, "target-groups", "create", "blue", "--protocol", "http", "--port", "8080")...)
	var l listenerJSON
	okJSON(t, &l, args(alb, "listeners", "create", "web", "--port", "443", "--protocol", "https", "--certificate", iamCert,
		"--action", "forward=blue", "--mtls", "verify", "--trust-store", "clients")...)
	if l.MutualTLS == nil || l.MutualTLS.Mode != "verify" || l.MutualTLS.TrustStore != stores[0].ARN {
		t.Errorf("mutual TLS listener = %+v", l)
	}
	var assoc []string
	okJSON(t, &assoc, args(alb, "trust-stores", "associations", "list", "clients")...)
	if len(assoc) != 1 || assoc[0] != l.ARN {
		t.Errorf("associations = %v, want [%s]", assoc, l.ARN)
	}
	r := fails(t, ExitFailed, args(alb, "trust-stores", "delete", "clients")...)
	if !strings.Contains(r.stderr, "TrustStoreInUse") {
		t.Errorf("delete of a store in use: %s", r.stderr)
	}
	ok(t, args(alb, "listeners", "delete", "web", "443")...)

	ok(t, args(alb, "trust-stores", "revocations", "remove", "clients", "1")...)
	okJSON(t, &revs, args(alb, "trust-stores", "revocations", "list", "clients")...)
	if len(revs) != 0 {
		t.Errorf("after remove: %+v", revs)
	}
	ok(t, args(alb, "trust-stores", "delete", "clients")...)
	okJSON(t, &stores, args(alb, "trust-stores", "list")...)
	if len(stores) != 0 {
		t.Errorf("after delete: %+v", stores)
	}
	r = fails(t, ExitFailed, args(alb, "trust-stores", "create", "x", "--ca-bucket", "pki", "--ca-key", "crl.der")...)
	if !strings.Contains(r.stderr, "InvalidCaCertificatesBundle") {
		t.Errorf("create from a CRL: %s", r.stderr)
	}
}

func TestV2SettingsUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--api", "alb", "attributes", "set", "web", "--cross-zone"}, "--cross-zone is not for Application Load Balancers (--api alb); an ELBv2 balancer's attributes are set by ELBv2's keys"},
		{[]string{"--api", "alb", "attributes", "set", "web"}, "at least one --attr KEY=VALUE is required"},
		{[]string{"attributes", "set", "web", "--attr", "a=b"}, "--attr is not for Classic ELB"},
		{[]string{"tags", "list", "--target-group", "blue"}, "--target-group is not for Classic ELB (--api classic); Classic ELB tags balancers only"},
		{[]string{"--api", "alb", "tags", "list"}, "name at least one balancer"},
		{[]string{"--api", "alb", "tags", "add", "--listener", "web", "--tag", "a=b"}, `--listener "web": want BALANCER:PORT`},
		{[]string{"ssl-policies", "list"}, "'lbctl ssl-policies' is for Application Load Balancers (--api alb) and Network Load Balancers (--api nlb) only"},
		{[]string{"--api", "nlb", "trust-stores", "list"}, "mutual TLS is an ALB's"},
		{[]string{"--api", "alb", "trust-stores", "create", "ts", "--ca-bucket", "b"}, `required flag(s) "ca-key" not set`},
		{[]string{"--api", "alb", "trust-stores", "revocations", "remove", "ts", "one"}, `revocation id "one" must be a positive number`},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) { isUsageError(t, tc.want, tc.args...) })
	}
}
