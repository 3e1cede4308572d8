package elbserver_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// BenchmarkDescribeOne shows that describing one balancer by name costs the
// same whatever the number of balancers in the account.
func BenchmarkDescribeOne(b *testing.B) {
	for _, n := range []int{10, 2000} {
		b.Run(fmt.Sprintf("balancers=%d", n), func(b *testing.B) {
			srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": n}}))
			defer srv.Close()
			c := elb.NewFromConfig(srv.AWSConfig())
			ctx := context.Background()
			for i := range n {
				_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(fmt.Sprintf("lb-%05d", i)),
					Listeners: []types.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}})
				if err != nil {
					b.Fatal(err)
				}
			}
			in := &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{fmt.Sprintf("lb-%05d", n/2)}}
			b.ResetTimer()
			for b.Loop() {
				if _, err := c.DescribeLoadBalancers(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCreateDelete measures one durable write round trip (fsync included).
func BenchmarkCreateDelete(b *testing.B) {
	srv := elbtest.NewServer()
	defer srv.Close()
	c := elb.NewFromConfig(srv.AWSConfig())
	ctx := context.Background()
	name := aws.String("bench")
	for b.Loop() {
		if _, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: name,
			Listeners: []types.Listener{{Protocol: aws.String("TCP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}}); err != nil {
			b.Fatal(err)
		}
		if _, err := c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: name}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkServeDescribeByName measures the endpoint's own cost for one
// DescribeLoadBalancers by name: a request signed once and served in-process,
// without a client or a socket.
func BenchmarkServeDescribeByName(b *testing.B) {
	e := newFuzzEndpoint(b)
	w, _ := e.do(b, "Version=2012-06-01&Action=CreateLoadBalancer&LoadBalancerName=web&Listeners.member.1.Protocol=HTTP&Listeners.member.1.LoadBalancerPort=80&Listeners.member.1.InstancePort=8080")
	if w.Code != http.StatusOK {
		b.Fatalf("create: %d", w.Code)
	}
	body := "Version=2012-06-01&Action=DescribeLoadBalancers&LoadBalancerNames.member.1=web"
	signed := signedForm(b, body)
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "http://elb.local/", strings.NewReader(body))
		r.Header = signed.Header
		w := httptest.NewRecorder()
		e.srv.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("describe: %d %s", w.Code, w.Body)
		}
	}
}
