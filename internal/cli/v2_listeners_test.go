package cli

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

const (
	iamCert = "arn:aws:iam::000000000000:server-certificate/a"
	acmCert = "arn:aws:acm:us-east-1:000000000000:certificate/0b8b4b22-7f2a-4c2e-9d65-1f0a3c5e6b7d"
)

// listenerOn describes, through the SDK, the listener of balancer name on port.
func listenerOn(t *testing.T, ts *elbtest.Server, name string, port int32) types.Listener {
	t.Helper()
	ctx := context.Background()
	lbs, err := sdk(ts).DescribeLoadBalancers(ctx, &elbv2sdk.DescribeLoadBalancersInput{Names: []string{name}})
	if err != nil {
		t.Fatal(err)
	}
	ls, err := sdk(ts).DescribeListeners(ctx, &elbv2sdk.DescribeListenersInput{LoadBalancerArn: lbs.LoadBalancers[0].LoadBalancerArn})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range ls.Listeners {
		if aws.ToInt32(l.Port) == port {
			return l
		}
	}
	t.Fatalf("%s has no listener on %d", name, port)
	return types.Listener{}
}

func TestALBListeners(t *testing.T) {
	ts, ep := v2Endpoint(t)
	alb := args(ep, "--api", "alb")
	ctx := context.Background()
	ok(t, args(alb, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)
	for _, g := range []string{"blue", "green"} {
		ok(t, args(alb, "target-groups", "create", g, "--protocol", "http", "--port", "8080")...)
	}

	var created listenerJSON
	okJSON(t, &created, args(alb, "listeners", "create", "web", "--port", "443", "--protocol", "https", "--certificate", iamCert,
		"--ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021-06", "--action", "forward=blue:80,green:20,stickiness=1h")...)
	if created.Port != 443 || created.SSLPolicy != "ELBSecurityPolicy-TLS13-1-2-2021-06" || created.Certificate != iamCert ||
		len(created.DefaultActions) != 1 || created.DefaultActions[0].Text != "forward=blue:80,green:20,stickiness=3600s" {
		t.Fatalf("created = %+v", created)
	}
	l := listenerOn(t, ts, "web", 443)
	fc := l.DefaultActions[0].ForwardConfig
	if l.Protocol != types.ProtocolEnumHttps || fc == nil || len(fc.TargetGroups) != 2 || aws.ToInt32(fc.TargetGroups[1].Weight) != 20 ||
		!strings.Contains(aws.ToString(fc.TargetGroups[1].TargetGroupArn), ":targetgroup/green/") ||
		aws.ToInt32(fc.TargetGroupStickinessConfig.DurationSeconds) != 3600 {
		t.Errorf("DescribeListeners: %+v %+v", l, fc)
	}

	// The HTTP listener redirects to HTTPS; the readable form is ELBv2's redirect.
	ok(t, args(alb, "listeners", "modify", "web", "80", "--action", "redirect=https://#{host}:443/#{path}?#{query}")...)
	rc := listenerOn(t, ts, "web", 80).DefaultActions[0].RedirectConfig
	if rc == nil || aws.ToString(rc.Protocol) != "HTTPS" || aws.ToString(rc.Port) != "443" || aws.ToString(rc.Host) != "#{host}" ||
		aws.ToString(rc.Path) != "/#{path}" || aws.ToString(rc.Query) != "#{query}" || rc.StatusCode != types.RedirectActionStatusCodeEnumHttp301 {
		t.Errorf("redirect: %+v", rc)
	}
	table := ok(t, args(alb, "listeners", "list", "web")...)
	for _, want := range []string{"redirect=301:https://#{host}:443/#{path}?#{query}", "forward=blue:80,green:20,stickiness=3600s", "ELBSecurityPolicy-TLS13-1-2-2021-06"} {
		if !strings.Contains(table, want) {
			t.Errorf("listeners list lacks %q:\n%s", want, table)
		}
	}

	// The JSON escape hatch takes awscli's shape.
	ok(t, args(alb, "listeners", "modify", "web", "80", "--actions-json",
		`[{"Type":"fixed-response","FixedResponseConfig":{"StatusCode":"503","ContentType":"text/plain","MessageBody":"down, back soon"}}]`)...)
	if fr := listenerOn(t, ts, "web", 80).DefaultActions[0].FixedResponseConfig; fr == nil || aws.ToString(fr.MessageBody) != "down, back soon" {
		t.Errorf("fixed response: %+v", fr)
	}

	// Certificates: the default one replaced, another added for SNI, then removed.
	ok(t, args(alb, "certificate", "set", "web", "443", acmCert)...)
	ok(t, args(alb, "listeners", "certificates", "add", "web", "443", iamCert)...)
	var certs []certificateJSON
	okJSON(t, &certs, args(alb, "listeners", "certificates", "list", "web", "443")...)
	if !slices.Contains(certs, certificateJSON{ARN: acmCert, Default: true}) || !slices.Contains(certs, certificateJSON{ARN: iamCert}) {
		t.Errorf("certificates = %+v", certs)
	}
	ok(t, args(alb, "listeners", "certificates", "remove", "web", "443", iamCert)...)
	lc, err := sdk(ts).DescribeListenerCertificates(ctx, &elbv2sdk.DescribeListenerCertificatesInput{ListenerArn: l.ListenerArn})
	if err != nil || len(lc.Certificates) != 1 || aws.ToString(lc.Certificates[0].CertificateArn) != acmCert {
		t.Errorf("DescribeListenerCertificates after remove: %v %+v", err, lc)
	}

	// Listener attributes.
	var attrs map[string]string
	okJSON(t, &attrs, args(alb, "listeners", "attributes", "set", "web", "443", "--attr", "routing.http.response.server.enabled=false")...)
	if attrs["routing.http.response.server.enabled"] != "false" {
		t.Errorf("listener attributes: %v", attrs)
	}

	if got := ok(t, args(alb, "listeners", "delete", "web", "443", "8443")...); got != "deleted listeners web: 443 (no listener on 8443)\n" {
		t.Errorf("delete = %q", got)
	}
	if got := ok(t, args(alb, "listeners", "delete", "web", "443")...); got != "nothing to delete web (no listener on 443)\n" {
		t.Errorf("delete again = %q", got)
	}
	r := fails(t, ExitFailed, args(alb, "listeners", "modify", "web", "443", "--ssl-policy", "ELBSecurityPolicy-2016-08")...)
	if !strings.HasPrefix(r.stderr, "lbctl: ListenerNotFound: load balancer web has no listener on port 443") ||
		!strings.Contains(r.stderr, "hint: run 'lbctl balancers get NAME'") {
		t.Errorf("modify of a missing listener: %s", r.stderr)
	}
}

func TestNLBListeners(t *testing.T) {
	ts, ep := v2Endpoint(t)
	nlb := args(ep, "--api", "nlb")
	ok(t, args(nlb, "balancers", "create", "db", "--port", "5432", "--protocol", "tcp")...)
	ok(t, args(nlb, "target-groups", "create", "pg", "--protocol", "tcp", "--port", "5432")...)
	ok(t, args(nlb, "listeners", "create", "db", "--port", "6432", "--protocol", "ssl", "--certificate", iamCert,
		"--alpn", "http2preferred", "--action", "forward=pg")...)
	l := listenerOn(t, ts, "db", 6432)
	if l.Protocol != types.ProtocolEnumTls || !slices.Equal(l.AlpnPolicy, []string{"HTTP2Preferred"}) || aws.ToString(l.SslPolicy) == "" ||
		!strings.Contains(aws.ToString(l.DefaultActions[0].TargetGroupArn), ":targetgroup/pg/") {
		t.Errorf("TLS listener: %+v", l)
	}
	// A balancer of the other type is not found, and the error says which API has it.
	r := fails(t, ExitFailed, args(ep, "--api", "alb", "listeners", "list", "db")...)
	if !strings.Contains(r.stderr, `LoadBalancerNotFound: "db" is a load balancer of type network: use --api nlb`) {
		t.Errorf("alb listeners of an NLB: %s", r.stderr)
	}
}

func TestListenerUsageErrors(t *testing.T) {
	create := []string{"listeners", "create", "web", "--port", "80", "--protocol", "http"}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{args([]string{"--api", "alb"}, append(create, "--instance-port", "80")...), "--instance-port is not for Application Load Balancers (--api alb); an ELBv2 listener forwards to target groups: give --action forward=TARGET_GROUP"},
		{append(create, "--instance-port", "80", "--action", "forward=web"), "--action is not for Classic ELB (--api classic); a Classic listener forwards to its --instance-port"},
		{create, `required flag(s) "instance-port" not set`},
		{args([]string{"--api", "alb"}, create...), "--action (or --actions-json) is required"},
		{args([]string{"--api", "alb"}, append(create, "--action", "forward=web", "--alpn", "None")...), "--alpn is not for Application Load Balancers (--api alb); an ALB negotiates HTTP/2 itself"},
		{args([]string{"--api", "nlb", "listeners", "create", "db", "--port", "80", "--protocol", "tcp", "--action", "forward=db", "--mtls", "verify"}), "--mtls is not for Network Load Balancers"},
		{args([]string{"--api", "nlb", "listeners", "create", "db", "--port", "80", "--protocol", "tls", "--certificate", "c", "--action", "forward=db", "--alpn", "h2"}), `--alpn must be HTTP1Only, HTTP2Only, HTTP2Optional, HTTP2Preferred or None, not "h2"`},
		{args([]string{"--api", "alb"}, append(create, "--action", "forward=web", "--mtls", "verify")...), "--mtls verify needs --trust-store"},
		{args([]string{"--api", "alb"}, append(create, "--action", "forward=web", "--trust-store", "ts")...), "--trust-store goes with --mtls verify"},
		{args([]string{"--api", "alb"}, append(create, "--action", "send=web")...), `--action "send=web": want forward=, redirect= or fixed-response=`},
		{args([]string{"--api", "alb"}, append(create, "--action", "forward=a:heavy")...), "a weight is a number in 0-999"},
		{args([]string{"--api", "alb"}, append(create, "--action", "fixed-response=OK")...), "want fixed-response=STATUS[,CONTENT_TYPE[,BODY]]"},
		{args([]string{"--api", "alb"}, append(create, "--action", "forward=web", "--actions-json", "[]")...), "--action and --actions-json cannot be given together"},
		{args([]string{"--api", "alb"}, append(create, "--actions-json", `[{"Type":"forward","TargetGroup":"web"}]`)...), `--actions-json is not the JSON it takes (as awscli's): json: unknown field "TargetGroup"`},
		{args([]string{"--api", "alb"}, append(create, "--actions-json", "file:///nonexistent/actions.json")...), "--actions-json: open /nonexistent/actions.json"},
		{[]string{"--api", "alb", "listeners", "modify", "web", "80"}, "give at least one setting to change"},
		{[]string{"listeners", "modify", "web", "80", "--port", "81"}, "'lbctl listeners modify' is for Application Load Balancers (--api alb) and Network Load Balancers (--api nlb) only, not --api classic; a Classic listener is deleted and created again"},
		{[]string{"listeners", "certificates", "list", "web", "443"}, "'lbctl listeners certificates' is for Application"},
		{[]string{"--api", "alb", "listeners", "certificates", "add", "web", "https", "arn"}, `port "https" is not a number`},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) { isUsageError(t, tc.want, tc.args...) })
	}
}
