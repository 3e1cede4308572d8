package elbv2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func nlb(t *testing.T, c *lbv2.Client, subnets []string) types.LoadBalancer {
	t.Helper()
	out, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String("net"), Type: types.LoadBalancerTypeEnumNetwork, Subnets: subnets})
	sdkcheck.NoErr(t, err)
	return out.LoadBalancers[0]
}

func TestCreateListenerRules(t *testing.T) {
	c, srv := client(t)
	alb := createALB(t, c, srv, "web")
	net := nlb(t, c, defaultSubnets(srv))
	web := createTG(t, c, srv, "web", "HTTP", 80)
	tcp := createTG(t, c, srv, "tcp", "TCP", 80)
	udp := createTG(t, c, srv, "udp", "UDP", 53)
	cases := []struct {
		name string
		in   lbv2.CreateListenerInput
		code string
	}{
		{"https without certificate", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443), DefaultActions: forward(*web.TargetGroupArn)}, "ValidationError"},
		{"two default certificates", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443), DefaultActions: forward(*web.TargetGroupArn),
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}, {CertificateArn: aws.String(certARN + "x")}}}, "TooManyCertificates"},
		{"malformed certificate", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443), DefaultActions: forward(*web.TargetGroupArn),
			Certificates: []types.Certificate{{CertificateArn: aws.String("cert")}}}, "CertificateNotFound"},
		{"unknown SSL policy", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443), DefaultActions: forward(*web.TargetGroupArn),
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, SslPolicy: aws.String("ELBSecurityPolicy-Nope")}, "SSLPolicyNotFound"},
		{"TCP on an ALB", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "TCP", Port: aws.Int32(80), DefaultActions: forward(*tcp.TargetGroupArn)}, "UnsupportedProtocol"},
		{"TCP group behind HTTP", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(80), DefaultActions: forward(*tcp.TargetGroupArn)}, "IncompatibleProtocols"},
		{"UDP group behind TCP", lbv2.CreateListenerInput{LoadBalancerArn: net.LoadBalancerArn, Protocol: "TCP", Port: aws.Int32(80), DefaultActions: forward(*udp.TargetGroupArn)}, "IncompatibleProtocols"},
		{"redirect on an NLB", lbv2.CreateListenerInput{LoadBalancerArn: net.LoadBalancerArn, Protocol: "TCP", Port: aws.Int32(80), DefaultActions: fixed("200")}, "InvalidLoadBalancerAction"},
		{"ALPN on TCP", lbv2.CreateListenerInput{LoadBalancerArn: net.LoadBalancerArn, Protocol: "TCP", Port: aws.Int32(80), DefaultActions: forward(*tcp.TargetGroupArn),
			AlpnPolicy: []string{"HTTP2Only"}}, "InvalidConfigurationRequest"},
		{"unknown ALPN", lbv2.CreateListenerInput{LoadBalancerArn: net.LoadBalancerArn, Protocol: "TLS", Port: aws.Int32(443), DefaultActions: forward(*tcp.TargetGroupArn),
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, AlpnPolicy: []string{"HTTP3"}}, "ALPNPolicyNotFound"},
		{"unknown group", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(80),
			DefaultActions: forward("arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/x/0123456789abcdef")}, "TargetGroupNotFound"},
		{"unknown balancer", lbv2.CreateListenerInput{LoadBalancerArn: aws.String("arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/x/0123456789abcdef"),
			Protocol: "HTTP", Port: aws.Int32(80), DefaultActions: forward(*web.TargetGroupArn)}, "LoadBalancerNotFound"},
		{"mTLS on HTTP", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(80), DefaultActions: forward(*web.TargetGroupArn),
			MutualAuthentication: &types.MutualAuthenticationAttributes{Mode: aws.String("passthrough")}}, "InvalidConfigurationRequest"},
		{"verify without a store", lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTPS", Port: aws.Int32(443), DefaultActions: forward(*web.TargetGroupArn),
			Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, MutualAuthentication: &types.MutualAuthenticationAttributes{Mode: aws.String("verify")}}, "ValidationError"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateListener(ctx, &tc.in)
			sdkcheck.WantCode(t, err, tc.code)
		})
	}
}

func TestListenerLifeCycle(t *testing.T) {
	c, srv := client(t)
	alb := createALB(t, c, srv, "web")
	web := createTG(t, c, srv, "web", "HTTP", 80)
	l := createListener(t, c, *alb.LoadBalancerArn, "HTTPS", 443, forward(*web.TargetGroupArn))
	if aws.ToString(l.SslPolicy) != "ELBSecurityPolicy-2016-08" || len(l.Certificates) != 1 || *l.Certificates[0].CertificateArn != certARN ||
		l.MutualAuthentication == nil || aws.ToString(l.MutualAuthentication.Mode) != "off" {
		t.Errorf("HTTPS listener: %+v", l)
	}
	// The same listener again is the same listener; another on its port a DuplicateListener.
	again := createListener(t, c, *alb.LoadBalancerArn, "HTTPS", 443, forward(*web.TargetGroupArn))
	if *again.ListenerArn != *l.ListenerArn {
		t.Errorf("repeated create made %s", *again.ListenerArn)
	}
	_, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(443), DefaultActions: fixed("200")})
	sdkcheck.WantCode(t, err, "DuplicateListener")

	// Certificates beyond the default.
	extra := "arn:aws:iam::000000000000:server-certificate/extra"
	add, err := c.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(extra)}}})
	sdkcheck.NoErr(t, err)
	if len(add.Certificates) != 1 || *add.Certificates[0].CertificateArn != extra || aws.ToBool(add.Certificates[0].IsDefault) {
		t.Errorf("added: %+v", add.Certificates)
	}
	list, err := c.DescribeListenerCertificates(ctx, &lbv2.DescribeListenerCertificatesInput{ListenerArn: l.ListenerArn})
	sdkcheck.NoErr(t, err)
	if len(list.Certificates) != 2 || !aws.ToBool(list.Certificates[0].IsDefault) || *list.Certificates[1].CertificateArn != extra {
		t.Errorf("listed: %+v", list.Certificates)
	}
	_, err = c.RemoveListenerCertificates(ctx, &lbv2.RemoveListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	_, err = c.RemoveListenerCertificates(ctx, &lbv2.RemoveListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(extra)}}})
	sdkcheck.NoErr(t, err)

	// HTTPS to HTTP drops the policy and certificate.
	mod, err := c.ModifyListener(ctx, &lbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, Protocol: "HTTP", Port: aws.Int32(80)})
	sdkcheck.NoErr(t, err)
	m := mod.Listeners[0]
	if m.SslPolicy != nil || len(m.Certificates) != 0 || *m.Port != 80 || m.Protocol != "HTTP" || m.MutualAuthentication != nil {
		t.Errorf("modified to HTTP: %+v", m)
	}
	// Back to HTTPS needs a certificate again.
	_, err = c.ModifyListener(ctx, &lbv2.ModifyListenerInput{ListenerArn: l.ListenerArn, Protocol: "HTTPS"})
	sdkcheck.WantCode(t, err, "ValidationError")

	attrsOut, err := c.DescribeListenerAttributes(ctx, &lbv2.DescribeListenerAttributesInput{ListenerArn: l.ListenerArn})
	sdkcheck.NoErr(t, err)
	a := attrs(attrsOut.Attributes, lAttr)
	if a["routing.http.response.server.enabled"] != "true" || len(a) != 11 {
		t.Errorf("HTTP listener attributes: %v", a)
	}
	_, err = c.ModifyListenerAttributes(ctx, &lbv2.ModifyListenerAttributesInput{ListenerArn: l.ListenerArn, Attributes: []types.ListenerAttribute{
		{Key: aws.String("routing.http.response.x_frame_options.header_value"), Value: aws.String("SAMEORIGIN")}}})
	sdkcheck.NoErr(t, err)
	_, err = c.ModifyListenerAttributes(ctx, &lbv2.ModifyListenerAttributesInput{ListenerArn: l.ListenerArn, Attributes: []types.ListenerAttribute{
		{Key: aws.String("tcp.idle_timeout.seconds"), Value: aws.String("100")}}})
	sdkcheck.WantCode(t, err, "ValidationError")

	_, err = c.DeleteListener(ctx, &lbv2.DeleteListenerInput{ListenerArn: l.ListenerArn})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteListener(ctx, &lbv2.DeleteListenerInput{ListenerArn: l.ListenerArn})
	sdkcheck.WantCode(t, err, "ListenerNotFound")
	_, err = c.DeleteTargetGroup(ctx, &lbv2.DeleteTargetGroupInput{TargetGroupArn: web.TargetGroupArn})
	sdkcheck.NoErr(t, err)
}

func TestNetworkListeners(t *testing.T) {
	c, srv := client(t)
	net := nlb(t, c, defaultSubnets(srv))
	tcp := createTG(t, c, srv, "tcp", "TCP", 80)
	tls, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: net.LoadBalancerArn, Protocol: "TLS", Port: aws.Int32(443),
		Certificates: []types.Certificate{{CertificateArn: aws.String(certARN)}}, SslPolicy: aws.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
		AlpnPolicy: []string{"HTTP2Preferred"}, DefaultActions: forward(*tcp.TargetGroupArn)})
	sdkcheck.NoErr(t, err)
	if l := tls.Listeners[0]; len(l.AlpnPolicy) != 1 || l.AlpnPolicy[0] != "HTTP2Preferred" || *l.SslPolicy != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
		t.Errorf("TLS listener: %+v", l)
	}
	tcpL := createListener(t, c, *net.LoadBalancerArn, "TCP", 80, forward(*tcp.TargetGroupArn))
	out, err := c.DescribeListenerAttributes(ctx, &lbv2.DescribeListenerAttributesInput{ListenerArn: tcpL.ListenerArn})
	sdkcheck.NoErr(t, err)
	if a := attrs(out.Attributes, lAttr); len(a) != 1 || a["tcp.idle_timeout.seconds"] != "350" {
		t.Errorf("TCP listener attributes %v", a)
	}
	// Capacity reservations exclude balancers with TLS listeners.
	_, err = c.ModifyCapacityReservation(ctx, &lbv2.ModifyCapacityReservationInput{LoadBalancerArn: net.LoadBalancerArn,
		MinimumLoadBalancerCapacity: &types.MinimumLoadBalancerCapacity{CapacityUnits: aws.Int32(100)}})
	sdkcheck.WantCode(t, err, "OperationNotPermitted")
	page, err := c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{LoadBalancerArn: net.LoadBalancerArn, PageSize: aws.Int32(1)})
	sdkcheck.NoErr(t, err)
	if len(page.Listeners) != 1 || page.NextMarker == nil {
		t.Fatalf("first page: %+v", page)
	}
	page, err = c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{LoadBalancerArn: net.LoadBalancerArn, PageSize: aws.Int32(1), Marker: page.NextMarker})
	sdkcheck.NoErr(t, err)
	if len(page.Listeners) != 1 || page.NextMarker != nil {
		t.Errorf("second page: %+v", page)
	}
	_, err = c.DescribeListeners(ctx, &lbv2.DescribeListenersInput{})
	sdkcheck.WantCode(t, err, "ValidationError")
}

// A target group serves one balancer; a TCP_UDP listener needs a TCP_UDP group.
func TestTargetGroupAssociation(t *testing.T) {
	c, srv := client(t)
	a := createALB(t, c, srv, "a")
	b := createALB(t, c, srv, "b")
	web := createTG(t, c, srv, "web", "HTTP", 80)
	createListener(t, c, *a.LoadBalancerArn, "HTTP", 80, forward(*web.TargetGroupArn))
	_, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: b.LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(80), DefaultActions: forward(*web.TargetGroupArn)})
	sdkcheck.WantCode(t, err, "TargetGroupAssociationLimit")
}

func TestListenerLimits(t *testing.T) {
	c, srv := limited(t, map[string]int{"listeners-per-application-load-balancer": 1, "certificates-per-application-load-balancer": 1})
	alb := createALB(t, c, srv, "web")
	l := createListener(t, c, *alb.LoadBalancerArn, "HTTPS", 443, fixed("200"))
	_, err := c.CreateListener(ctx, &lbv2.CreateListenerInput{LoadBalancerArn: alb.LoadBalancerArn, Protocol: "HTTP", Port: aws.Int32(80), DefaultActions: fixed("200")})
	sdkcheck.WantCode(t, err, "TooManyListeners")
	for i, arn := range []string{"arn:aws:iam::000000000000:server-certificate/a", "arn:aws:iam::000000000000:server-certificate/b"} {
		_, err := c.AddListenerCertificates(ctx, &lbv2.AddListenerCertificatesInput{ListenerArn: l.ListenerArn, Certificates: []types.Certificate{{CertificateArn: aws.String(arn)}}})
		if i == 0 {
			sdkcheck.NoErr(t, err)
		} else {
			sdkcheck.WantCode(t, err, "TooManyCertificates")
		}
	}
}
