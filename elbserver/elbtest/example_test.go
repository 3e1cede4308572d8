package elbtest_test

import (
	"context"
	"fmt"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// A test of code that manages load balancers, run against an in-process endpoint: no AWS
// account, no network beyond loopback, fresh state each time.
func Example() {
	srv := elbtest.NewServer()
	defer srv.Close()
	// Instances the code under test will refer to by address.
	_ = srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0123456789abcdef0", PrivateIP: "10.0.0.11"})

	ctx := context.Background()
	svc := elb.NewClient(srv.AWSConfig()).Service()
	lb, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{
		Name: "web", Port: 80, Protocol: loadbalancer.HTTP,
		Members: []loadbalancer.Member{{IP: "10.0.0.11"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	members, err := svc.ListMembers(ctx, lb.ID)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(lb.Name, lb.State, members[0].ID, members[0].Health)
	// Output: web RUNNING i-0123456789abcdef0 InService
}
