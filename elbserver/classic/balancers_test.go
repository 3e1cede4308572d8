package classic_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

func TestCreateDescribeDelete(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	dns := sdkcheck.CreateLB(t, c, "web-1")
	if !regexp.MustCompile(`^web-1-\d+\.us-east-1\.elb\.amazonaws\.com$`).MatchString(dns) {
		t.Fatalf("unexpected DNS name %q", dns)
	}
	d := sdkcheck.DescribeOne(t, c, "web-1")
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
	if aws.ToString(d.SourceSecurityGroup.OwnerAlias) != "000000000000" || !strings.HasPrefix(aws.ToString(d.SourceSecurityGroup.GroupName), "default_elb_") {
		t.Fatalf("source security group: %+v", d.SourceSecurityGroup)
	}
	// Identical create is idempotent; a different one is a duplicate.
	if again := sdkcheck.CreateLB(t, c, "web-1"); again != dns {
		t.Fatalf("idempotent create returned %q, want %q", again, dns)
	}
	_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("web-1"), Listeners: []types.Listener{sdkcheck.HTTPListener(81, 8080)},
	})
	sdkcheck.WantCode(t, err, "DuplicateLoadBalancerName")

	for range 2 { // deleting a missing balancer succeeds too
		_, err = c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("web-1")})
		sdkcheck.NoErr(t, err)
	}
	_, err = c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{"web-1"}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")
}

func TestPaginationUnderChanges(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 100}}))
	for i := range 10 {
		sdkcheck.CreateLB(t, c, fmt.Sprintf("lb-%02d", i))
	}
	page := func(marker *string) ([]string, *string) {
		out, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(3), Marker: marker})
		sdkcheck.NoErr(t, err)
		var names []string
		for _, d := range out.LoadBalancerDescriptions {
			names = append(names, aws.ToString(d.LoadBalancerName))
		}
		return names, out.NextMarker
	}
	first, marker := page(nil)
	if !slices.Equal(first, []string{"lb-00", "lb-01", "lb-02"}) || marker == nil {
		t.Fatalf("first page %v marker %v", first, marker)
	}
	// Changes behind and ahead of the cursor: the next page continues after lb-02.
	_, err := c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("lb-01")})
	sdkcheck.NoErr(t, err)
	_, err = c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String("lb-03")})
	sdkcheck.NoErr(t, err)
	sdkcheck.CreateLB(t, c, "lb-00a")
	sdkcheck.CreateLB(t, c, "lb-025")
	all := first
	for marker != nil {
		var names []string
		names, marker = page(marker)
		all = append(all, names...)
	}
	want := []string{"lb-00", "lb-01", "lb-02", "lb-025", "lb-04", "lb-05", "lb-06", "lb-07", "lb-08", "lb-09"}
	if !slices.Equal(all, want) {
		t.Fatalf("pages %v, want %v", all, want)
	}

	// The SDK paginator walks everything with the final state.
	p := elb.NewDescribeLoadBalancersPaginator(c, &elb.DescribeLoadBalancersInput{PageSize: aws.Int32(4)})
	n := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		n += len(out.LoadBalancerDescriptions)
	}
	if n != 10 {
		t.Fatalf("paginator saw %d balancers, want 10", n)
	}
}

func TestCreateValidation(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-load-balancers": 2}}))
	https := func(cert *string) types.Listener {
		return types.Listener{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), SSLCertificateId: cert}
	}
	cases := []struct {
		name string
		in   elb.CreateLoadBalancerInput
		code string
	}{
		{"leading hyphen", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("-bad"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}}, "ValidationError"},
		{"too long", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String(strings.Repeat("a", 33)), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}}, "ValidationError"},
		{"underscore", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("a_b"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}}, "ValidationError"},
		{"port zero", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{sdkcheck.HTTPListener(0, 80)}}, "ValidationError"},
		{"port too big", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 70000)}}, "ValidationError"},
		{"bad protocol", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{{Protocol: aws.String("UDP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80)}}}, "ValidationError"},
		{"protocol mix", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(80), InstanceProtocol: aws.String("TCP")}}}, "ValidationError"},
		{"https without cert", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{https(nil)}}, "ValidationError"},
		{"https bad cert", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{https(aws.String("nope"))}}, "CertificateNotFound"},
		{"internal without vpc", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Scheme: aws.String("internal"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}}, "InvalidScheme"},
		{"bad scheme", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Scheme: aws.String("public"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}}, "InvalidScheme"},
		{"foreign zone", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), AvailabilityZones: []string{"eu-west-1a"}, Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}}, "ValidationError"},
		{"duplicate tag keys", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
			Tags: []types.Tag{{Key: aws.String("a")}, {Key: aws.String("a")}}}, "DuplicateTagKeys"},
		{"conflicting listeners", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80), sdkcheck.HTTPListener(80, 81)}}, "DuplicateListener"},
		{"no listeners", elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{}}, "ValidationError"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.CreateLoadBalancer(ctx, &tc.in)
			sdkcheck.WantCode(t, err, tc.code)
		})
	}
	tooMany := make([]types.Tag, 11)
	for i := range tooMany {
		tooMany[i] = types.Tag{Key: aws.String(fmt.Sprintf("k%d", i))}
	}
	_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("p"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}, Tags: tooMany})
	sdkcheck.WantCode(t, err, "TooManyTags")

	sdkcheck.CreateLB(t, c, "one")
	sdkcheck.CreateLB(t, c, "two")
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("three"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}})
	sdkcheck.WantCode(t, err, "TooManyLoadBalancers")
}

func TestListeners(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t)
	cert := "arn:aws:iam::123456789012:server-certificate/web"
	sdkcheck.CreateLB(t, c, "ls")
	_, err := c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("ls"), Listeners: []types.Listener{
		{Protocol: aws.String("https"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), SSLCertificateId: aws.String(cert)},
		{Protocol: aws.String("SSL"), LoadBalancerPort: 8443, InstancePort: aws.Int32(8443), SSLCertificateId: aws.String(cert)},
	}})
	sdkcheck.NoErr(t, err)
	// Re-adding an identical listener is fine; changing it is not.
	_, err = c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("ls"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 8080)}})
	sdkcheck.NoErr(t, err)
	_, err = c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("ls"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 9090)}})
	sdkcheck.WantCode(t, err, "DuplicateListener")
	_, err = c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("nope"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 9090)}})
	sdkcheck.WantCode(t, err, "LoadBalancerNotFound")

	d := sdkcheck.DescribeOne(t, c, "ls")
	byPort := map[int32]types.Listener{}
	for _, l := range d.ListenerDescriptions {
		byPort[l.Listener.LoadBalancerPort] = *l.Listener
	}
	if len(byPort) != 3 || aws.ToString(byPort[443].Protocol) != "HTTPS" || aws.ToString(byPort[443].InstanceProtocol) != "HTTP" ||
		aws.ToString(byPort[8443].InstanceProtocol) != "TCP" || aws.ToString(byPort[443].SSLCertificateId) != cert {
		t.Fatalf("listeners: %+v", byPort)
	}

	newCert := "arn:aws:acm:us-east-1:123456789012:certificate/abc"
	_, err = c.SetLoadBalancerListenerSSLCertificate(ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{LoadBalancerName: aws.String("ls"), LoadBalancerPort: 443, SSLCertificateId: aws.String(newCert)})
	sdkcheck.NoErr(t, err)
	_, err = c.SetLoadBalancerListenerSSLCertificate(ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{LoadBalancerName: aws.String("ls"), LoadBalancerPort: 444, SSLCertificateId: aws.String(newCert)})
	sdkcheck.WantCode(t, err, "ListenerNotFound")
	_, err = c.SetLoadBalancerListenerSSLCertificate(ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{LoadBalancerName: aws.String("ls"), LoadBalancerPort: 80, SSLCertificateId: aws.String(newCert)})
	sdkcheck.WantCode(t, err, "InvalidConfigurationRequest")
	_, err = c.SetLoadBalancerListenerSSLCertificate(ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{LoadBalancerName: aws.String("ls"), LoadBalancerPort: 443, SSLCertificateId: aws.String("bogus")})
	sdkcheck.WantCode(t, err, "CertificateNotFound")

	_, err = c.DeleteLoadBalancerListeners(ctx, &elb.DeleteLoadBalancerListenersInput{LoadBalancerName: aws.String("ls"), LoadBalancerPorts: []int32{443, 9999}})
	sdkcheck.NoErr(t, err)
	d = sdkcheck.DescribeOne(t, c, "ls")
	if len(d.ListenerDescriptions) != 2 {
		t.Fatalf("after delete: %d listeners", len(d.ListenerDescriptions))
	}
	for _, l := range d.ListenerDescriptions {
		if l.Listener.LoadBalancerPort == 443 {
			t.Fatal("listener 443 still present")
		}
	}
}

func TestConcurrentIdenticalCreates(t *testing.T) {
	c, _ := sdkcheck.Client(t)
	var wg sync.WaitGroup
	dns := make([]string, 64)
	errs := make([]error, 64)
	for i := range 64 {
		wg.Go(func() {
			out, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
				LoadBalancerName: aws.String("race"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
			})
			errs[i] = err
			if err == nil {
				dns[i] = aws.ToString(out.DNSName)
			}
		})
	}
	wg.Wait()
	for i := range 64 {
		sdkcheck.NoErr(t, errs[i])
		if dns[i] != dns[0] {
			t.Fatalf("create %d returned %q, want %q", i, dns[i], dns[0])
		}
	}
	out, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
	sdkcheck.NoErr(t, err)
	if len(out.LoadBalancerDescriptions) != 1 {
		t.Fatalf("want exactly one balancer, got %d", len(out.LoadBalancerDescriptions))
	}
}

func TestPartitionsByAccountAndRegion(t *testing.T) {
	c, srv := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "east")
	cfg := srv.AWSConfig()
	cfg.Region = "eu-west-1"
	west := elb.NewFromConfig(cfg)
	out, err := west.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
	sdkcheck.NoErr(t, err)
	if len(out.LoadBalancerDescriptions) != 0 {
		t.Fatalf("region eu-west-1 sees %d balancers of us-east-1", len(out.LoadBalancerDescriptions))
	}
	_, err = west.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("east"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)},
	})
	sdkcheck.NoErr(t, err)
	d := sdkcheck.DescribeOne(t, west, "east")
	if !strings.HasSuffix(aws.ToString(d.DNSName), ".eu-west-1.elb.amazonaws.com") || d.AvailabilityZones[0] != "eu-west-1a" {
		t.Fatalf("eu-west-1 balancer: %+v", d)
	}
}
