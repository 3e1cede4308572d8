package elbv2_test

import (
	"context"
	"fmt"
	"log"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

// An Application Load Balancer in the default VPC, with two instances behind it (one given
// by its private address), least outstanding requests, then one more member and a look at
// their health. Credentials come from the SDK's default chain.
func Example_alb() {
	ctx := context.Background()
	svc, err := loadbalancer.Open(ctx, "alb", loadbalancer.Options{Region: "eu-west-1"})
	if err != nil {
		log.Fatal(err)
	}
	lb, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{
		Name: "web", Port: 80, Protocol: loadbalancer.HTTP, InstancePort: 8080,
		Algorithm: loadbalancer.LeastConnections,
		Members:   []loadbalancer.Member{{ID: "i-0123456789abcdef0"}, {IP: "172.31.16.20"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(lb.Name, lb.State, lb.DNSName)
	if _, err := svc.AttachComputeNode(ctx, lb.ID, "i-0fedcba9876543210"); err != nil {
		log.Fatal(err)
	}
	members, err := svc.ListMembers(ctx, lb.ID)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range members {
		fmt.Println(m.ID, m.Port, m.Condition, m.Health, m.Reason)
	}

	// Everything else ELBv2 does is on the Client: here, a path rule and an attribute.
	var c *elbv2.Client
	if !svc.As(&c) {
		log.Fatal("not an ELBv2 service")
	}
	if _, err := c.ModifyLoadBalancerAttributes(ctx, lb.ID, map[string]string{"idle_timeout.timeout_seconds": "120"}); err != nil {
		log.Fatal(err)
	}
	if err := svc.DestroyBalancer(ctx, lb.ID); err != nil { // its listener and target group go too
		log.Fatal(err)
	}
}

// A Network Load Balancer for UDP, its targets given by address (an ip target group when no
// instance holds them), then every NLB of the account with its tags.
func Example_nlb() {
	ctx := context.Background()
	svc, err := elbv2.Open(ctx, elbv2.NLB, loadbalancer.Options{Region: "eu-west-1"}, elbv2.WithListenersInListing())
	if err != nil {
		log.Fatal(err)
	}
	lb, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{
		Name: "dns", Port: 53, Protocol: loadbalancer.UDP, Scheme: "internal",
		Members: []loadbalancer.Member{{IP: "10.0.1.10"}, {IP: "10.0.2.10"}},
		Tags:    map[string]string{"team": "infra"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(lb.ID, lb.Listeners[0].Protocol, lb.Listeners[0].InstancePort)
	for lb, err := range svc.Balancers(ctx, loadbalancer.ListOptions{IncludeTags: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(lb.Name, lb.State, lb.Port, lb.Tags["team"])
	}
}
