package elb_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// The libcloud ELB tutorial, against the embedded endpoint. With real AWS, drop the server
// and the Endpoint option.
func Example() {
	srv := elbtest.NewServer()
	defer srv.Close()
	// The endpoint answers EC2 DescribeInstances for instances declared to it.
	err := srv.Endpoint.DeclareInstance("", srv.Region, elbserver.Instance{ID: "i-0123456789abcdef0", PrivateIP: "192.168.88.2"})
	if err != nil {
		log.Fatal(err)
	}

	ctx := context.Background()
	svc, err := loadbalancer.Open(ctx, "elb", loadbalancer.Options{AccessKeyID: srv.AccessKeyID,
		SecretAccessKey: srv.SecretAccessKey, Region: srv.Region, Endpoint: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	lb, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "web", Algorithm: loadbalancer.RoundRobin,
		Port: 80, Protocol: "http", Members: []loadbalancer.Member{{IP: "192.168.88.2", Port: 8080}}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(lb.Name, lb.State, lb.Port, lb.Members[0].ID)

	var d *elb.Driver
	if !svc.As(&d) {
		log.Fatal("not the elb driver")
	}
	if err := d.CreateBalancerPolicy(ctx, "web", "EnableProxyProtocol", "ProxyProtocolPolicyType",
		map[string]string{"ProxyProtocol": "true"}); err != nil {
		log.Fatal(err)
	}
	policies, err := d.ListBalancerPolicies(ctx, "web")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(policies)

	https, err := elb.ParseListenerTuple(1024, 65533, "HTTPS", "arn:aws:iam::123456789012:server-certificate/servercert")
	if err != nil {
		log.Fatal(err)
	}
	if err := d.CreateBalancerListeners(ctx, "web", []elb.ListenerSpec{https}); err != nil {
		log.Fatal(err)
	}
	if err := d.SetBalancerPoliciesBackendServer(ctx, "web", 8080, []string{"EnableProxyProtocol"}); err != nil {
		log.Fatal(err)
	}
	// [""] (like nil) removes every policy, as in the tutorial.
	if err := d.SetBalancerPoliciesBackendServer(ctx, "web", 8080, []string{""}); err != nil {
		log.Fatal(err)
	}
	if lb, err = svc.GetBalancer(ctx, "web"); err != nil {
		log.Fatal(err)
	}
	for _, l := range lb.Listeners {
		fmt.Println(l.Port, l.Protocol, "->", l.InstancePort, l.InstanceProtocol)
	}
	_, err = svc.GetBalancer(ctx, "missing")
	fmt.Println(errors.Is(err, loadbalancer.ErrNotFound))
	// Output:
	// web RUNNING 80 i-0123456789abcdef0
	// [EnableProxyProtocol]
	// 80 HTTP -> 8080 HTTP
	// 1024 HTTPS -> 65533 HTTPS
	// true
}
