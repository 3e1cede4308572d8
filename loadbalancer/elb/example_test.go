package elb_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// The libcloud ELB tutorial, step by step, against the embedded endpoint. With real AWS,
// drop the server and the Endpoint option (and the keys, for the SDK's default chain).
func Example() {
	srv := elbtest.NewServer()
	defer srv.Close()
	// The endpoint answers EC2 DescribeInstances for instances declared to it.
	for i, ip := range []string{"10.0.0.11", "192.168.88.2"} {
		in := elbserver.Instance{ID: fmt.Sprintf("i-0123456789abcdef%d", i), PrivateIP: ip}
		if err := srv.Endpoint.DeclareInstance("", srv.Region, in); err != nil {
			log.Fatal(err)
		}
	}
	ctx := context.Background()

	// Connect: the portable Service, and the ELB-only Client behind it.
	svc, err := elb.Open(ctx, loadbalancer.Options{AccessKeyID: srv.AccessKeyID,
		SecretAccessKey: srv.SecretAccessKey, Region: srv.Region, Endpoint: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()
	var c *elb.Client
	if !svc.As(&c) {
		log.Fatal("not the elb provider")
	}

	lbs, err := svc.ListBalancers(ctx, loadbalancer.ListOptions{IncludeTags: true}) // every page
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(lbs), "balancers")

	// Members given by IP are resolved to their EC2 instances.
	lb, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{
		Name: "web", Algorithm: loadbalancer.RoundRobin, Port: 80, Protocol: loadbalancer.HTTP,
		Members: []loadbalancer.Member{{IP: "10.0.0.11", Port: 8080}, {IP: "192.168.88.2", Port: 8080}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(lb.Name, lb.State, lb.Port, len(lb.Members))

	err = c.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol", "ProxyProtocolPolicyType",
		map[string]string{"ProxyProtocol": "true"})
	if err != nil {
		log.Fatal(err)
	}
	names, err := c.ListBalancerPolicies(ctx, "web")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(names)
	types, err := c.ListBalancerPolicyTypes(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(types) > 0)
	if err := c.SetBalancerPoliciesBackendServer(ctx, "web", 8080, []string{"EnableProxyProtocol"}); err != nil {
		log.Fatal(err)
	}
	// nil, {} and {""} all clear, as in the tutorial.
	if err := c.SetBalancerPoliciesBackendServer(ctx, "web", 8080, nil); err != nil {
		log.Fatal(err)
	}
	if err := c.DeleteBalancerPolicy(ctx, "web", "EnableProxyProtocol"); err != nil {
		log.Fatal(err)
	}

	https, err := elb.ParseListenerTuple(1024, 65533, "HTTPS", "arn:aws:iam::123456789012:server-certificate/servercert")
	if err != nil {
		log.Fatal(err)
	}
	if err := c.CreateBalancerListeners(ctx, "web", []elb.ListenerSpec{https}); err != nil {
		log.Fatal(err)
	}
	if err := c.CreateLBCookieStickinessPolicy(ctx, "web", "MyDurationStickyPolicy", 60*time.Second); err != nil {
		log.Fatal(err)
	}
	if err := c.SetBalancerPoliciesOfListener(ctx, "web", 80, []string{"MyDurationStickyPolicy"}); err != nil {
		log.Fatal(err)
	}
	if lb, err = svc.GetBalancer(ctx, "web"); err != nil {
		log.Fatal(err)
	}
	for _, l := range lb.Listeners {
		// The HTTPS listener, created without a policy, has AWS's default security policy.
		fmt.Println(l.Port, l.Protocol, "->", l.InstancePort, l.InstanceProtocol, l.Policies)
	}

	// Failures carry their kind (errors.Is), and the provider's own error (ErrorAs).
	_, err = svc.GetBalancer(ctx, "missing")
	var apiErr smithy.APIError
	fmt.Println(errors.Is(err, loadbalancer.ErrNotFound), svc.ErrorAs(err, &apiErr) && apiErr.ErrorCode() == "LoadBalancerNotFound")
	// Output:
	// 0 balancers
	// web RUNNING 80 2
	// [EnableProxyProtocol]
	// true
	// 80 HTTP -> 8080 HTTP [MyDurationStickyPolicy]
	// 1024 HTTPS -> 65533 HTTPS [ELBSecurityPolicy-2016-08]
	// true true
}
