package elbserver_test

import (
	"context"
	"regexp"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func TestCreateDescribeDelete(t *testing.T) {
	ctx := context.Background()
	c, _ := newClient(t)
	dns := createLB(t, c, "web-1")
	if !regexp.MustCompile(`^web-1-\d+\.us-east-1\.elb\.amazonaws\.com$`).MatchString(dns) {
		t.Fatalf("unexpected DNS name %q", dns)
	}
	d := describeOne(t, c, "web-1")
	if aws.ToString(d.DNSName) != dns || aws.ToString(d.CanonicalHostedZoneNameID) != "Z35SXDOTRQ7X7K" {
		t.Fatalf("bad description: %+v", d)
	}
	if got := aws.ToString(d.HealthCheck.Target); got != "TCP:8080" || aws.ToInt32(d.HealthCheck.Interval) != 30 ||
		aws.ToInt32(d.HealthCheck.Timeout) != 5 || aws.ToInt32(d.HealthCheck.UnhealthyThreshold) != 2 || aws.ToInt32(d.HealthCheck.HealthyThreshold) != 10 {
		t.Fatalf("default health check: %+v", d.HealthCheck)
	}
	if len(d.ListenerDescriptions) != 1 || aws.ToString(d.ListenerDescriptions[0].Listener.InstanceProtocol) != "HTTP" {
		t.Fatalf("listeners: %+v", d.ListenerDescriptions)
	}
	if aws.ToString(d.Scheme) != "internet-facing" || d.CreatedTime == nil || len(d.AvailabilityZones) != 1 {
		t.Fatalf("description: %+v", d)
	}
	if aws.ToString(d.SourceSecurityGroup.OwnerAlias) != "amazon-elb" {
		t.Fatalf("source security group: %+v", d.SourceSecurityGroup)
	}
	// Identical create is idempotent; a different one is a duplicate.
	if again := createLB(t, c, "web-1"); again != dns {
		t.Fatalf("idempotent create returned %q, want %q", again, dns)
	}
	_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("web-1"), Listeners: []types.Listener{httpListener(81, 8080)},
	})
	wantCode(t, err, "DuplicateLoadBalancerName")

	for range 2 { // deleting a missing balancer succeeds too
		_, err = c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("web-1")})
		noErr(t, err)
	}
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"web-1"}})
	wantCode(t, err, "LoadBalancerNotFound")
}
