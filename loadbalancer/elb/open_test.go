package elb

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func emptyDescribe(action string, _ url.Values) (int, string) {
	switch action {
	case "DescribeLoadBalancers":
		return 200, awstest.QueryOK(elbNS, action, "<LoadBalancerDescriptions/>")
	case "DescribeLoadBalancerPolicies":
		return 200, awstest.QueryOK(elbNS, action, "<PolicyDescriptions/>")
	}
	return 200, awstest.QueryOK(elbNS, action, "")
}

func TestOpenArguments(t *testing.T) {
	testenv.AWSEnv(t)
	ctx := context.Background()
	if _, err := Open(ctx, driver.Options{AccessKeyID: "AKID"}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("key without secret: %v", err)
	}
	if _, err := Open(ctx, driver.Options{MaxAttempts: -1}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("negative attempts: %v", err)
	}
	if _, err := Open(ctx, driver.Options{Profile: "nope"}); !errors.Is(err, driver.ErrInvalid) {
		t.Errorf("unknown profile: %v", err)
	}
	os.Unsetenv("AWS_REGION")
	os.Unsetenv("AWS_DEFAULT_REGION")
	svc, err := Open(ctx, driver.Options{})
	if err != nil || clientOf(t, svc).Region() != DefaultRegion {
		t.Errorf("default region: %v, %v", svc, err)
	}
}

// clientOf is the *Client behind svc.
func clientOf(t *testing.T, svc *loadbalancer.Service) *Client {
	t.Helper()
	var c *Client
	if !svc.As(&c) {
		t.Fatal("As(**Client) = false")
	}
	return c
}

func TestOpenProfileAndEndpointPrecedence(t *testing.T) {
	dir := testenv.AWSEnv(t)
	cfg := "[profile dev]\nregion = ap-south-1\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	os.Unsetenv("AWS_REGION") // AWSEnv's region would beat the profile's
	os.Unsetenv("AWS_DEFAULT_REGION")
	fromEnv := awstest.NewFake(t, emptyDescribe)
	fromOpts := awstest.NewFake(t, emptyDescribe)
	t.Setenv("AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING", fromEnv.URL)
	ctx := shortCtx(t)

	svc, err := Open(ctx, driver.Options{Profile: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	d := clientOf(t, svc)
	if d.Region() != "ap-south-1" {
		t.Errorf("region = %q, want the profile's", d.Region())
	}
	if err := listEach(ctx, d, driver.ListOptions{}, func(*driver.LoadBalancer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if fromEnv.Count("DescribeLoadBalancers") != 1 {
		t.Error("the service endpoint variable was not honoured")
	}
	svc, err = Open(ctx, driver.Options{Profile: "dev", Endpoint: fromOpts.URL})
	if err != nil {
		t.Fatal(err)
	}
	d = clientOf(t, svc)
	if _, err := d.DescribeBalancerPolicies(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if fromOpts.Count("DescribeLoadBalancerPolicies") != 1 || fromEnv.Count("DescribeLoadBalancerPolicies") != 0 {
		t.Error("the explicit endpoint did not win over the environment")
	}
	if _, ok := fromOpts.Last("DescribeLoadBalancerPolicies")["LoadBalancerName"]; ok {
		t.Error("an empty balancer name was sent")
	}
}

func TestRegistryAndAs(t *testing.T) {
	f := awstest.NewFake(t, emptyDescribe)
	testenv.AWSEnv(t)
	svc, err := loadbalancer.Open(shortCtx(t), "elb", driver.Options{Endpoint: f.URL, MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	var c *Client
	var ec *ec2.Client
	var lc *elasticloadbalancing.Client
	if !svc.As(&c) || !svc.As(&ec) || !svc.As(&lc) || c.elb != lc || c.ec2 != ec {
		t.Fatal("As did not expose the client and its SDK clients")
	}
	if c.Service() != svc {
		t.Error("opening by name gave another Service than the client's own")
	}
	var s string
	if svc.As(&s) || svc.As(nil) || svc.As((**Client)(nil)) || svc.As(c) {
		t.Error("As accepted nil, a nil pointer, an unrelated type or a value")
	}
	if lbs, err := svc.ListBalancers(shortCtx(t), driver.ListOptions{}); err != nil || len(lbs) != 0 {
		t.Errorf("ListBalancers = %v, %v", lbs, err)
	}
}

// TestWireShapes checks request parameters the service is strict about.
func TestWireShapes(t *testing.T) {
	f := awstest.NewFake(t, emptyDescribe)
	d := fakeClient(t, f, 1)
	ctx := shortCtx(t)
	if err := d.SetBalancerPoliciesOfListener(ctx, "web", 80, []string{""}); err != nil {
		t.Fatal(err)
	}
	if v, ok := f.Last("SetLoadBalancerPoliciesOfListener")["PolicyNames"]; !ok || len(v) != 1 || v[0] != "" {
		t.Errorf("clearing policies must send an empty PolicyNames, got %v (present %v)", v, ok)
	}
	if err := d.SetBalancerPoliciesBackendServer(ctx, "web", 8080, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Last("SetLoadBalancerPoliciesForBackendServer")["PolicyNames"]; !ok {
		t.Error("clearing back-end policies must send PolicyNames")
	}
	err := d.CreateBalancerPolicy(ctx, "web", "ssl", "SSLNegotiationPolicyType",
		map[string]string{"Protocol-TLSv1.2": "true", "ECDHE-RSA-AES128-GCM-SHA256": "true", "Reference-Security-Policy": "x"})
	if err != nil {
		t.Fatal(err)
	}
	p := f.Last("CreateLoadBalancerPolicy")
	if p.Get("PolicyAttributes.member.1.AttributeName") != "ECDHE-RSA-AES128-GCM-SHA256" ||
		p.Get("PolicyAttributes.member.3.AttributeName") != "Reference-Security-Policy" {
		t.Errorf("attributes not sent sorted: %v", p)
	}
	if err := d.CreateLBCookieStickinessPolicy(ctx, "web", "session", 0); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Last("CreateLBCookieStickinessPolicy")["CookieExpirationPeriod"]; ok {
		t.Error("a session cookie must not send an expiration")
	}
	if err := d.AddTags(ctx, []string{"a", "b"}, map[string]string{"k": "v"}); err != nil || f.Count("AddTags") != 2 {
		t.Errorf("AddTags: %v, %d calls, want one per balancer", err, f.Count("AddTags"))
	}
}

func TestArgumentChecksMakeNoCall(t *testing.T) {
	f := awstest.NewFake(t, func(string, url.Values) (int, string) { return http.StatusInternalServerError, "" })
	d := fakeClient(t, f, 1)
	ctx := shortCtx(t)
	checks := map[string]error{
		"policy without type":   d.CreateBalancerPolicy(ctx, "w", "p", "", nil),
		"delete unnamed policy": d.DeleteBalancerPolicy(ctx, "w", ""),
		"no listeners":          d.CreateBalancerListeners(ctx, "w", nil),
		"no ports":              d.DeleteBalancerListeners(ctx, "w"),
		"bad port":              d.DeleteBalancerListeners(ctx, "w", 0),
		"no certificate":        d.SetListenerSSLCertificate(ctx, "w", 443, ""),
		"listener port":         d.SetBalancerPoliciesOfListener(ctx, "w", 70000, nil),
		"no cookie":             d.CreateAppCookieStickinessPolicy(ctx, "w", "p", ""),
		"negative expiry":       d.CreateLBCookieStickinessPolicy(ctx, "w", "p", -1),
		"no tag keys":           d.RemoveTags(ctx, []string{"w"}),
		"no tags":               d.AddTags(ctx, []string{"w"}, nil),
		"no members":            d.Service().DetachMembers(ctx, "w", nil),
		"member without id/ip":  d.Service().DetachMembers(ctx, "w", []driver.Member{{Port: 80}}),
		"no balancer name":      d.DeleteBalancer(ctx, ""),
	}
	_, err := d.DeregisterInstances(ctx, "w")
	checks["no instances"] = err
	_, err = d.RegisterInstances(ctx, "w")
	checks["no instances to add"] = err
	_, err = d.CreateBalancer(ctx, BalancerSpec{Name: "w", Zones: []string{"a"}})
	checks["no listener"] = err
	_, err = d.EnableZones(ctx, "w")
	checks["no zones"] = err
	_, err = d.Tags(ctx)
	checks["no names"] = err
	_, err = d.ListBalancerPolicies(ctx, "")
	checks["no balancer"] = err
	for name, err := range checks {
		if !errors.Is(err, driver.ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	if len(f.Calls()) != 0 {
		t.Errorf("%d requests sent for invalid arguments", len(f.Calls()))
	}
}

// A config that chose no retryer gets the provider's policy, which retries ELB's
// DependencyThrottle (the SDK's own would not), with the attempts the config asks for; a
// config's own retryer is kept.
func TestNewClientRetryPolicy(t *testing.T) {
	f := awstest.NewFake(t, func(action string, _ url.Values) (int, string) {
		return http.StatusBadRequest, awstest.QueryError(elbNS, "DependencyThrottle", "slow down")
	})
	cfg := aws.Config{Region: "eu-west-1", BaseEndpoint: aws.String(f.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")}
	cfg.RetryMaxAttempts = 2
	_, err := NewClient(cfg).AccountLimits(shortCtx(t))
	if !errors.Is(err, driver.ErrThrottled) || f.Count("DescribeAccountLimits") != 2 {
		t.Errorf("policy: %v after %d attempts, want throttled after 2", err, f.Count("DescribeAccountLimits"))
	}
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	NewClient(cfg).AccountLimits(shortCtx(t))
	if n := f.Count("DescribeAccountLimits"); n != 3 {
		t.Errorf("own retryer: %d attempts in all, want one more", n)
	}
}
