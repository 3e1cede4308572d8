package classic_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// Every free-text field of the Classic actions has a bound: a value one over it is a
// ValidationError, one at it is stored and described back.
func TestFreeTextIsBounded(t *testing.T) {
	ctx := context.Background()
	c, srv := sdkcheck.Client(t)
	sdkcheck.CreateLB(t, c, "web")
	arn := func(n int) *string {
		const pre = "arn:aws:iam::123456789012:server-certificate/"
		return aws.String(pre + strings.Repeat("c", n-len(pre)))
	}
	cases := []struct {
		field string
		call  func(n int) error
		max   int
	}{
		{"CookieName", func(n int) error {
			_, err := c.CreateAppCookieStickinessPolicy(ctx, &elb.CreateAppCookieStickinessPolicyInput{LoadBalancerName: aws.String("web"),
				PolicyName: aws.String("cookie" + strings.Repeat("x", n%7)), CookieName: aws.String(strings.Repeat("k", n))})
			return err
		}, 1024},
		{"Listeners SSLCertificateId", func(n int) error {
			_, err := c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("web"), Listeners: []types.Listener{
				{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(80), SSLCertificateId: arn(n)}}})
			return err
		}, 2048},
		{"SetLoadBalancerListenerSSLCertificate", func(n int) error {
			_, err := c.SetLoadBalancerListenerSSLCertificate(ctx, &elb.SetLoadBalancerListenerSSLCertificateInput{LoadBalancerName: aws.String("web"),
				LoadBalancerPort: 443, SSLCertificateId: arn(n)})
			return err
		}, 2048},
		{"PolicyAttributes AttributeValue", func(n int) error {
			_, err := c.CreateLoadBalancerPolicy(ctx, &elb.CreateLoadBalancerPolicyInput{LoadBalancerName: aws.String("web"),
				PolicyName: aws.String("key" + strings.Repeat("x", n%7)), PolicyTypeName: aws.String("PublicKeyPolicyType"),
				PolicyAttributes: []types.PolicyAttribute{{AttributeName: aws.String("PublicKey"), AttributeValue: aws.String(strings.Repeat("A", n))}}})
			return err
		}, 4096},
		{"AccessLog S3BucketName", func(n int) error {
			_, err := c.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("web"),
				LoadBalancerAttributes: &types.LoadBalancerAttributes{AccessLog: &types.AccessLog{Enabled: false, S3BucketName: aws.String(strings.Repeat("b", n))}}})
			return err
		}, 63},
		{"AccessLog S3BucketPrefix", func(n int) error {
			_, err := c.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("web"),
				LoadBalancerAttributes: &types.LoadBalancerAttributes{AccessLog: &types.AccessLog{Enabled: true, S3BucketName: aws.String("logs"),
					EmitInterval: aws.Int32(60), S3BucketPrefix: aws.String(strings.Repeat("p", n))}}})
			return err
		}, 1024},
	}
	for _, tc := range cases {
		sdkcheck.WantCode(t, tc.call(tc.max+1), "ValidationError")
		if err := tc.call(tc.max); err != nil {
			t.Errorf("%s at its bound %d: %v", tc.field, tc.max, err)
		}
	}
	d := sdkcheck.DescribeOne(t, c, "web")
	if len(d.Policies.AppCookieStickinessPolicies) != 1 || len(aws.ToString(d.Policies.AppCookieStickinessPolicies[0].CookieName)) != 1024 {
		t.Errorf("cookie at its bound not described back: %+v", d.Policies.AppCookieStickinessPolicies)
	}
	if err := srv.Endpoint.DeclareSecurityGroupNamed("", "", "sg-0000000a", "vpc-11111111", strings.Repeat("g", 256)); err == nil {
		t.Error("a security group name over EC2's 255 characters was accepted")
	}
}

// The case that found it: fifty application cookie policies with a 1,000,000-character cookie
// name made a 279 MB state file and a 47 MB describe. Each is refused now, before reaching the
// store, and the file stays small.
func TestHugeCookieNamesRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{StatePath: path}))
	sdkcheck.CreateLB(t, c, "web")
	huge := strings.Repeat("c", 1_000_000)
	for i := range 50 {
		_, err := c.CreateAppCookieStickinessPolicy(context.Background(), &elb.CreateAppCookieStickinessPolicyInput{
			LoadBalancerName: aws.String("web"), PolicyName: aws.String("p" + strings.Repeat("x", i)), CookieName: aws.String(huge)})
		sdkcheck.WantCode(t, err, "ValidationError")
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > 1<<20 {
		t.Fatalf("state file: %v bytes, %v", fi.Size(), err)
	}
}

// Whatever the fields, a record has a bound in the store: a balancer whose listener limit was
// raised far enough meets it as a ValidationError naming the record, and keeps what it had.
func TestRecordBound(t *testing.T) {
	ctx := context.Background()
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Limits: map[string]int{"classic-listeners": 65535}}))
	sdkcheck.CreateLB(t, c, "big")
	cert := aws.String("arn:aws:iam::123456789012:server-certificate/" + strings.Repeat("c", 2000))
	var err error
	added := 0
	for port := int32(1000); err == nil && port < 2000; port += 100 {
		var ls []types.Listener
		for p := port; p < port+100; p++ {
			ls = append(ls, types.Listener{Protocol: aws.String("SSL"), LoadBalancerPort: p, InstancePort: aws.Int32(p), SSLCertificateId: cert})
		}
		if _, err = c.CreateLoadBalancerListeners(ctx, &elb.CreateLoadBalancerListenersInput{LoadBalancerName: aws.String("big"), Listeners: ls}); err == nil {
			added += len(ls)
		}
	}
	sdkcheck.WantCode(t, err, "ValidationError")
	if !strings.Contains(err.Error(), "lb/big") {
		t.Errorf("error does not name the record: %v", err)
	}
	if n := len(sdkcheck.DescribeOne(t, c, "big").ListenerDescriptions); n != added+1 || added < 300 {
		t.Errorf("%d listeners described, %d added before the bound", n, added)
	}
}
