package storesync_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// TestChangesAndDeletion: a changed default action takes effect on the live listener, keeping its
// address; a deleted balancer closes its listeners and the connections open on them.
func TestChangesAndDeletion(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	lb, _ := e.v2Balancer(t, "live", v2types.LoadBalancerTypeEnumApplication)
	l := e.listenerV2(t, lb, v2types.ProtocolEnumHttp, 80, fixed("200", "one"))
	addr := e.addr(t, "live", 80)
	if _, body := get(t, addr, "/"); body != "one" {
		t.Fatalf("before the change: %q", body)
	}
	_, err := e.v2.ModifyListener(ctx, &elbv2.ModifyListenerInput{ListenerArn: aws.String(l), DefaultActions: []v2types.Action{fixed("200", "two")}})
	must(t, err)
	eventually(t, "the new default action", func() error {
		if _, body := get(t, addr, "/"); body != "two" {
			return fmt.Errorf("answer %q", body)
		}
		return nil
	})
	if now := e.addr(t, "live", 80); now != addr {
		t.Fatalf("the listener moved from %s to %s", addr, now)
	}

	echoTCP := dptest.TCP(t, func(c net.Conn) { _, _ = io.Copy(c, c) })
	tg := e.targetGroup(t, "echo", v2types.ProtocolEnumTcp, v2types.TargetTypeEnumIp, "", "127.0.0.1|"+portOf(echoTCP.Addr().String()))
	nlb, _ := e.v2Balancer(t, "gone", v2types.LoadBalancerTypeEnumNetwork)
	e.listenerV2(t, nlb, v2types.ProtocolEnumTcp, 9000, forward(tg))
	nlbAddr := e.addr(t, "gone", 9000)
	c, err := net.Dial("tcp", nlbAddr)
	must(t, err)
	defer c.Close()
	_, err = c.Write([]byte("x"))
	must(t, err)
	buf := make([]byte, 1)
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("echo through the NLB: %v", err)
	}
	_, err = e.v2.DeleteLoadBalancer(ctx, &elbv2.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(nlb)})
	must(t, err)
	must(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
	if n, err := c.Read(buf); !errors.Is(err, io.EOF) {
		t.Fatalf("the open connection after the balancer was deleted: read %d, %v; want EOF", n, err)
	}
	if _, ok := e.listeners(t)["gone:9000"]; ok {
		t.Fatal("the deleted balancer's listener is still listed")
	}
	if c2, err := net.DialTimeout("tcp", nlbAddr, time.Second); err == nil {
		c2.Close()
		t.Fatal("the deleted balancer's socket still accepts")
	}
}

// TestRestartRestoresListeners: a new endpoint on the same state serves every listener again;
// closing one removes the health records its data plane wrote.
func TestRestartRestoresListeners(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	e := newEnv(t, withState(path))
	be := dptest.Echo(t, "be")
	id := e.instance(t, dptest.HostOf(be))
	e.classicBalancer(t, "web", "HTTP:80/", []elbtypes.Listener{listener("HTTP", 80, "HTTP", 80), listener("TCP", 81, "TCP", 80)}, id)
	lb, _ := e.v2Balancer(t, "alb", v2types.LoadBalancerTypeEnumApplication)
	e.listenerV2(t, lb, v2types.ProtocolEnumHttp, 8080, fixed("200", "alb"))
	e.waitHealth(t, "web", "InService", id)
	e.srv.Close()
	st, err := store.Open(path)
	must(t, err)
	must(t, st.View(e.account, region, func(p *store.Part) error {
		if n, err := store.ClassicProbes.Count(p); n != 0 || err != nil {
			t.Errorf("%d health records left after the data plane closed (%v)", n, err)
		}
		return nil
	}))
	must(t, st.Close())

	e2 := newEnv(t, withState(path))
	ls := e2.listeners(t)
	for _, k := range []string{"web:80", "web:81", "alb:8080"} {
		if _, ok := ls[k]; !ok {
			t.Fatalf("listener %s not restored: %v", k, ls)
		}
	}
	e2.waitHealth(t, "web", "InService", id)
	if got := backendOf(t, ls["web:80"].LocalAddress, "/"); got != "be" {
		t.Fatalf("restored Classic listener answered by %q", got)
	}
	if _, body := get(t, ls["alb:8080"].LocalAddress, "/"); body != "alb" {
		t.Fatalf("restored ALB listener: %q", body)
	}
}

// TestBadBackends: targets that refuse, reset, hang or answer garbage cost their requests a 502 or
// a 504, never the data plane: a good target still answers.
func TestBadBackends(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	refused, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	refusedAddr := refused.Addr().String()
	refused.Close()
	reset := dptest.TCP(t, func(c net.Conn) {
		_ = c.(*net.TCPConn).SetLinger(0)
	})
	hang := dptest.TCP(t, func(c net.Conn) { _, _ = io.Copy(io.Discard, c) })
	garbage := dptest.TCP(t, func(c net.Conn) {
		_, _ = c.Read(make([]byte, 1024))
		_, _ = c.Write([]byte("this is not HTTP\r\n\r\n"))
	})
	good := dptest.Echo(t, "good")
	lb, _ := e.v2Balancer(t, "bad", v2types.LoadBalancerTypeEnumApplication)
	_, err = e.v2.ModifyLoadBalancerAttributes(ctx, &elbv2.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(lb),
		Attributes: []v2types.LoadBalancerAttribute{{Key: aws.String("idle_timeout.timeout_seconds"), Value: aws.String("1")}}})
	must(t, err)
	l := e.listenerV2(t, lb, v2types.ProtocolEnumHttp, 80, forward(e.targetGroup(t, "good", v2types.ProtocolEnumHttp,
		v2types.TargetTypeEnumIp, "/", "127.0.0.1|"+portOf(dptest.HostOf(good)))))
	want := map[string]int{}
	for i, b := range []struct {
		name, addr string
		status     int
	}{{"refuse", refusedAddr, 502}, {"reset", reset.Addr().String(), 502}, {"hang", hang.Addr().String(), 504},
		{"garbage", garbage.Addr().String(), 502}} {
		tg := e.targetGroup(t, b.name, v2types.ProtocolEnumHttp, v2types.TargetTypeEnumIp, "/", "127.0.0.1|"+portOf(b.addr))
		path := v2types.RuleCondition{Field: aws.String("path-pattern"), PathPatternConfig: &v2types.PathPatternConditionConfig{Values: []string{"/" + b.name}}}
		rule(t, e, l, int32(i+1), forward(tg), path)
		want["/"+b.name] = b.status
	}
	addr := e.addr(t, "bad", 80)
	eventually(t, "every rule in effect", func() error {
		resp, _ := get(t, addr, "/refuse")
		if resp.StatusCode != 502 {
			return fmt.Errorf("/refuse answered %d", resp.StatusCode)
		}
		return nil
	})
	for path, status := range want {
		if resp, _ := get(t, addr, path); resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, status)
		}
	}
	if got := backendOf(t, addr, "/"); got != "good" {
		t.Fatalf("after the bad targets, the good one: %q", got)
	}
}

// TestClassicListenersFollowTheAPI: Classic listeners created and deleted through the API appear
// and disappear.
func TestClassicListenersFollowTheAPI(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.classicBalancer(t, "grow", "TCP:80", []elbtypes.Listener{listener("HTTP", 80, "HTTP", 80)})
	_, err := e.classic.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("grow"),
		Listeners: []elbtypes.Listener{listener("TCP", 25, "TCP", 25)}})
	must(t, err)
	eventually(t, "the new listener", func() error {
		if _, ok := e.listeners(t)["grow:25"]; !ok {
			return errors.New("no listener on 25")
		}
		return nil
	})
	_, err = e.classic.DeleteLoadBalancerListeners(ctx, &elb.DeleteLoadBalancerListenersInput{LoadBalancerName: aws.String("grow"),
		LoadBalancerPorts: []int32{80}})
	must(t, err)
	eventually(t, "the deleted listener gone", func() error {
		if _, ok := e.listeners(t)["grow:80"]; ok {
			return errors.New("80 still listed")
		}
		return nil
	})
}

// TestRefusedBalancerLeftOut: a balancer the engine cannot serve (here an SSL negotiation policy
// allowing SSLv3 alone) is left out, and the others are served; once fixed, it is served too.
func TestRefusedBalancerLeftOut(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.classicBalancer(t, "fine", "TCP:80", []elbtypes.Listener{listener("TCP", 80, "TCP", 80)})
	https := listener("HTTPS", 443, "HTTP", 80)
	https.SSLCertificateId = aws.String("arn:aws:iam::000000000000:server-certificate/none")
	e.classicBalancer(t, "odd", "TCP:80", []elbtypes.Listener{https})
	_, err := e.classic.CreateLoadBalancerPolicy(ctx, &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: aws.String("odd"),
		PolicyName: aws.String("ssl3"), PolicyTypeName: aws.String("SSLNegotiationPolicyType"),
		PolicyAttributes: []elbtypes.PolicyAttribute{{AttributeName: aws.String("Protocol-SSLv3"), AttributeValue: aws.String("true")},
			{AttributeName: aws.String("DHE-RSA-AES256-SHA"), AttributeValue: aws.String("true")}}})
	must(t, err)
	setPolicies := func(names ...string) {
		_, err := e.classic.SetLoadBalancerPoliciesOfListener(ctx, &elb.SetLoadBalancerPoliciesOfListenerInput{
			LoadBalancerName: aws.String("odd"), LoadBalancerPort: 443, PolicyNames: names})
		must(t, err)
	}
	setPolicies("ssl3")
	eventually(t, "the odd balancer left out", func() error {
		ls := e.listeners(t)
		if _, odd := ls["odd:443"]; odd {
			return errors.New("odd:443 is served")
		}
		if _, ok := ls["fine:80"]; !ok {
			return errors.New("fine:80 is not served")
		}
		return nil
	})
	setPolicies("ELBSecurityPolicy-TLS-1-2-2017-01")
	eventually(t, "the odd balancer served once fixed", func() error {
		if _, ok := e.listeners(t)["odd:443"]; !ok {
			return errors.New("odd:443 is not served")
		}
		return nil
	})
}
