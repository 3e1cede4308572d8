package elbv2

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func TestListPagedKeepsItsTypeAndFollowsMarker(t *testing.T) {
	nlbARN := strings.Replace(lbARN, "/app/", "/net/", 1)
	s := script{"DescribeLoadBalancers": func(form url.Values) (int, string) {
		if form.Get("Marker") == "" {
			return 200, awstest.QueryOK(ns, "DescribeLoadBalancers", members("LoadBalancers",
				lbXML("web", lbARN, "application", "provisioning"), lbXML("tcp", nlbARN, "network", "active"))+"<NextMarker>m2</NextMarker>")
		}
		return 200, awstest.QueryOK(ns, "DescribeLoadBalancers", members("LoadBalancers", lbXML("api", lbARN+"2", "application", "active_impaired")))
	}}
	f := s.fake(t)
	ctx := testCtx(t)
	albs, err := service(fakeDriver(t, f, ALB, 1)).ListBalancers(ctx, loadbalancer.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(albs) != 2 || albs[0].Name != "web" || albs[1].Name != "api" {
		t.Fatalf("alb listing = %v", albs)
	}
	web := albs[0]
	if web.ID != lbARN || web.State != driver.StatePending || albs[1].State != driver.StateError ||
		web.DNSName != "web-1.eu-west-1.elb.amazonaws.com" || web.VPCID != "vpc-1" || web.Scheme != "internet-facing" ||
		!slices.Equal(web.Zones, []string{"eu-west-1a", "eu-west-1b"}) || !slices.Equal(web.Subnets, []string{"subnet-a", "subnet-b"}) ||
		!web.CreatedAt.Equal(time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Errorf("mapped balancer = %+v", web)
	}
	if web.Listeners != nil || f.Count("DescribeListeners") != 0 {
		t.Errorf("listing described listeners (%d calls): the default path is one call per page", f.Count("DescribeListeners"))
	}
	sent := f.Sent("DescribeLoadBalancers")
	if len(sent) != 2 || sent[0].Get("PageSize") != "400" || sent[1].Get("Marker") != "m2" {
		t.Errorf("pages asked = %v", sent)
	}
	f.Reset()
	nlbs, err := service(fakeDriver(t, f, NLB, 1)).ListBalancers(ctx, loadbalancer.ListOptions{PageSize: 1000})
	if err != nil || len(nlbs) != 1 || nlbs[0].ID != nlbARN {
		t.Fatalf("nlb listing = %v, %v", nlbs, err)
	}
	if got := f.Sent("DescribeLoadBalancers")[0].Get("PageSize"); got != "400" {
		t.Errorf("page size 1000 sent as %s, want the maximum 400", got)
	}
}

func TestLoadTagsBatchesOf20AndSkipsTheGone(t *testing.T) {
	var lbs []*driver.LoadBalancer
	for i := range 45 {
		lbs = append(lbs, &driver.LoadBalancer{ID: fmt.Sprintf("arn:lb/%02d", i)})
	}
	gone := "arn:lb/07"
	s := script{"DescribeTags": func(form url.Values) (int, string) {
		var descs []string
		for i := 1; form.Get(fmt.Sprintf("ResourceArns.member.%d", i)) != ""; i++ {
			arn := form.Get(fmt.Sprintf("ResourceArns.member.%d", i))
			if arn == gone {
				return 400, awstest.QueryError(ns, "LoadBalancerNotFound", "gone")
			}
			descs = append(descs, `<ResourceArn>`+arn+`</ResourceArn><Tags><member><Key>id</Key><Value>`+arn+`</Value></member></Tags>`)
		}
		return 200, awstest.QueryOK(ns, "DescribeTags", members("TagDescriptions", descs...))
	}}
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1, WithTagConcurrency(2))
	if err := d.LoadTags(testCtx(t), lbs); err != nil {
		t.Fatal(err)
	}
	for _, lb := range lbs {
		if lb.ID == gone {
			if lb.Tags != nil {
				t.Errorf("gone balancer has tags %v", lb.Tags)
			}
		} else if lb.Tags["id"] != lb.ID {
			t.Errorf("%s tags = %v", lb.ID, lb.Tags)
		}
	}
	// 3 batches (20, 20, 5), then the failed batch one ARN at a time.
	if n := f.Count("DescribeTags"); n != 3+20 {
		t.Errorf("DescribeTags calls = %d, want 23", n)
	}
	if _, err := d.c.Tags(testCtx(t), "arn:lb/01", gone); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("Tags naming a gone balancer = %v, want ErrNotFound", err)
	}
}

func TestGetBalancerMapsListeners(t *testing.T) {
	https := strings.Replace(lisARN, "f2f7", "aaaa", 1)
	s := oneALB(script{}, "instance")
	s["DescribeListeners"] = ok("DescribeListeners", members("Listeners",
		listenerXML(https, "443", "HTTPS", tgARN, `<Certificates><member><CertificateArn>arn:cert</CertificateArn></member></Certificates><SslPolicy>ELBSecurityPolicy-TLS13-1-2-2021-06</SslPolicy>`),
		listenerXML(lisARN, "80", "HTTP", tgARN, "")))
	f := s.fake(t)
	d := fakeDriver(t, f, ALB, 1)
	ctx := testCtx(t)
	lb, err := d.GetBalancer(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	want := []driver.Listener{
		{Port: 80, Protocol: driver.HTTP, InstancePort: 8080, InstanceProtocol: driver.HTTP},
		{Port: 443, Protocol: driver.HTTPS, InstancePort: 8080, InstanceProtocol: driver.HTTP, CertificateID: "arn:cert",
			Policies: []string{"ELBSecurityPolicy-TLS13-1-2-2021-06"}},
	}
	if lb.Port != 80 || fmt.Sprint(lb.Listeners) != fmt.Sprint(want) {
		t.Errorf("port %d listeners %+v, want 80 and %+v", lb.Port, lb.Listeners, want)
	}
	if got := f.Sent("DescribeLoadBalancers")[0]; got.Get("Names.member.1") != "web" {
		t.Errorf("by name sent %v", got)
	}
	if _, err := d.GetBalancer(ctx, lbARN); err != nil {
		t.Fatal(err)
	}
	if got := f.Sent("DescribeLoadBalancers")[1]; got.Get("LoadBalancerArns.member.1") != lbARN {
		t.Errorf("by ARN sent %v", got)
	}
	// The nlb provider does not see an Application Load Balancer.
	_, err = fakeDriver(t, f, NLB, 1).GetBalancer(ctx, "web")
	var de *driver.Error
	if !errors.As(err, &de) || de.Kind != driver.ErrNotFound || de.Code != "LoadBalancerNotFound" || de.Provider != "nlb" {
		t.Errorf("nlb GetBalancer(an ALB) = %v, want LoadBalancerNotFound", err)
	}
}

func TestErrorsKeepCodeAndRequestIDAndHideTheSecret(t *testing.T) {
	f := script{"DescribeLoadBalancers": fail("LoadBalancerNotFound")}.fake(t)
	_, err := fakeDriver(t, f, ALB, 1).GetBalancer(testCtx(t), "x")
	var de *driver.Error
	if !errors.As(err, &de) {
		t.Fatalf("err = %T %v", err, err)
	}
	if de.Kind != driver.ErrNotFound || de.Provider != "alb" || de.Op != "DescribeLoadBalancers" ||
		de.Code != "LoadBalancerNotFound" || de.RequestID != "req-1234" || de.StatusCode != 400 {
		t.Errorf("error = %+v", de)
	}
	if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "req-1234") {
		t.Errorf("message = %q", err.Error())
	}
}

func TestThrottlingIsRetriedUpToMaxAttempts(t *testing.T) {
	f := script{"DescribeLoadBalancers": fail("Throttling")}.fake(t)
	_, err := fakeDriver(t, f, NLB, 2).GetBalancer(testCtx(t), "x")
	if !errors.Is(err, driver.ErrThrottled) {
		t.Fatalf("err = %v, want ErrThrottled", err)
	}
	if n := f.Count("DescribeLoadBalancers"); n != 2 {
		t.Errorf("attempts = %d, want 2", n)
	}
}

func TestListenersInListingAreOptIn(t *testing.T) {
	s := oneALB(script{}, "instance")
	f := s.fake(t)
	lbs, err := service(fakeDriver(t, f, ALB, 1, WithListenersInListing())).ListBalancers(testCtx(t), loadbalancer.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(lbs) != 1 || lbs[0].Port != 80 || len(lbs[0].Listeners) != 1 || lbs[0].Listeners[0].InstancePort != 8080 {
		t.Errorf("listing with listeners = %+v", lbs)
	}
	if f.Count("DescribeListeners") != 1 || f.Count("DescribeTargetGroups") != 1 {
		t.Errorf("calls %v, want one DescribeListeners and one DescribeTargetGroups per balancer", f.Actions())
	}
}
