package storesync_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// BenchmarkChangeToEffect measures how long a change made through the API (ModifyListener's
// default action, acknowledged) takes to be what the listener answers: the target is under a
// second. go test -run '^$' -bench ChangeToEffect ./dataplane/storesync
func BenchmarkChangeToEffect(b *testing.B) {
	e := newEnv(b)
	lb, _ := e.v2Balancer(b, "bench", v2types.LoadBalancerTypeEnumApplication)
	l := e.listenerV2(b, lb, v2types.ProtocolEnumHttp, 80, fixed("200", "0"))
	addr := e.addr(b, "bench", 80)
	var worst time.Duration
	i := 0
	for b.Loop() {
		i++
		body := fmt.Sprint(i)
		_, err := e.v2.ModifyListener(context.Background(), &elbv2.ModifyListenerInput{ListenerArn: aws.String(l),
			DefaultActions: []v2types.Action{fixed("200", body)}})
		must(b, err)
		start := time.Now()
		for {
			if _, got := get(b, addr, "/"); got == body {
				break
			}
			if time.Since(start) > 10*time.Second {
				b.Fatalf("change %d not in effect after 10 s", i)
			}
			time.Sleep(time.Millisecond)
		}
		worst = max(worst, time.Since(start))
	}
	b.ReportMetric(float64(worst.Milliseconds()), "worst-ms")
}

// BenchmarkRebuild measures one rebuild (every record read, the Config made and compared with
// the one in effect) with 2,000 Classic balancers of two listeners each: the cost of every
// burst of writes, health writes included.
// go test -run '^$' -bench Rebuild -benchtime 20x ./dataplane/storesync
func BenchmarkRebuild(b *testing.B) {
	e := newEnv(b)
	const n = 2000
	must(b, e.srv.Endpoint.Store().Update(e.account, region, func(p *store.Part) error {
		for i := range n {
			name := fmt.Sprintf("lb-%04d", i)
			lb := &store.ClassicBalancer{Name: name, DNSName: name + ".elb.test", Zones: []string{"us-east-1a"},
				Listeners: []store.ClassicListener{{Protocol: "HTTP", LoadBalancerPort: 80, InstanceProtocol: "HTTP", InstancePort: 80},
					{Protocol: "TCP", LoadBalancerPort: 81, InstanceProtocol: "TCP", InstancePort: 81}},
				HealthCheck: store.ClassicHealthCheck{Target: "TCP:80", Interval: 30, Timeout: 5, UnhealthyThreshold: 2, HealthyThreshold: 10},
				Attrs:       store.ClassicAttributes{IdleTimeout: 60}}
			if err := store.ClassicBalancers.Put(p, name, lb); err != nil {
				return err
			}
		}
		return nil
	}))
	must(b, e.srv.DataPlane.Refresh(context.Background()))
	if got := len(e.srv.DataPlane.Engine().Listeners()); got != 2*n {
		b.Fatalf("%d listeners, want %d", got, 2*n)
	}
	for b.Loop() {
		must(b, e.srv.DataPlane.Refresh(context.Background()))
	}
}
