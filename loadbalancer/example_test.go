package loadbalancer_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	_ "github.com/lbcloud/lbcloud/loadbalancer/elb" // registers the "elb" provider
)

// Open a provider by name, create balancers, stream them back and classify failures. The
// embedded ELB endpoint stands in for AWS; with AWS, leave out Endpoint (and the keys, to use
// the SDK's default credential chain).
func Example() {
	srv := elbtest.NewServer()
	defer srv.Close()

	ctx := context.Background()
	svc, err := loadbalancer.Open(ctx, "elb", loadbalancer.Options{AccessKeyID: srv.AccessKeyID,
		SecretAccessKey: srv.SecretAccessKey, Region: srv.Region, Endpoint: srv.URL})
	if err != nil {
		log.Fatal(err)
	}
	defer svc.Close()

	for _, name := range []string{"api", "web"} {
		_, err := svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: name, Port: 80,
			Protocol: loadbalancer.HTTP, InstancePort: 8080, Tags: map[string]string{"team": name + "-team"}})
		if err != nil {
			log.Fatal(err)
		}
	}

	// Every page, one balancer at a time; breaking out of the loop stops the listing.
	for lb, err := range svc.Balancers(ctx, loadbalancer.ListOptions{IncludeTags: true}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(lb.Name, lb.Port, "->", lb.Listeners[0].InstancePort, lb.Tags["team"])
	}

	_, err = svc.GetBalancer(ctx, "missing")
	var e *loadbalancer.Error
	if errors.Is(err, loadbalancer.ErrNotFound) && errors.As(err, &e) {
		fmt.Println("not found:", e.Provider, e.Op, e.Code)
	}

	// An algorithm the provider cannot honour is refused, not ignored.
	_, err = svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: "random", Port: 80,
		Protocol: loadbalancer.HTTP, Algorithm: loadbalancer.Random})
	fmt.Println("unsupported:", errors.Is(err, loadbalancer.ErrUnsupported))
	// Output:
	// api 80 -> 8080 api-team
	// web 80 -> 8080 web-team
	// not found: elb DescribeLoadBalancers LoadBalancerNotFound
	// unsupported: true
}
