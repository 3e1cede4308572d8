// Package sdkcheck holds what the endpoint's tests share: clients of an in-process endpoint,
// signed raw requests, and assertions on AWS error codes.
package sdkcheck

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// Client starts an endpoint for the test and returns a Classic ELB client of it.
func Client(t *testing.T, opts ...elbtest.Option) (*elb.Client, *elbtest.Server) {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return elb.NewFromConfig(Config(srv)), srv
}

// Config is srv's client configuration without retries: tests assert on error codes.
func Config(srv *elbtest.Server) aws.Config {
	cfg := srv.AWSConfig()
	cfg.RetryMaxAttempts = 1
	return cfg
}

// WantCode asserts err is an API error with the given code.
func WantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("want error code %s, got %s (%s)", code, ae.ErrorCode(), ae.ErrorMessage())
	}
}

// NoErr fails the test on err.
func NoErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// HTTPListener is a plain HTTP listener.
func HTTPListener(lbPort, instPort int32) types.Listener {
	return types.Listener{Protocol: aws.String("HTTP"), LoadBalancerPort: lbPort, InstancePort: aws.Int32(instPort)}
}

// CreateLB creates a balancer in us-east-1a (by default with one HTTP listener, 80 to 8080)
// and returns its DNS name.
func CreateLB(t *testing.T, c *elb.Client, name string, ls ...types.Listener) string {
	t.Helper()
	if len(ls) == 0 {
		ls = []types.Listener{HTTPListener(80, 8080)}
	}
	out, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String(name), Listeners: ls, AvailabilityZones: []string{"us-east-1a"},
	})
	NoErr(t, err)
	return aws.ToString(out.DNSName)
}

// DescribeOne describes one balancer by name.
func DescribeOne(t *testing.T, c *elb.Client, name string) types.LoadBalancerDescription {
	t.Helper()
	out, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{LoadBalancerNames: []string{name}})
	NoErr(t, err)
	if len(out.LoadBalancerDescriptions) != 1 {
		t.Fatalf("want 1 description, got %d", len(out.LoadBalancerDescriptions))
	}
	return out.LoadBalancerDescriptions[0]
}

// Instances are instance references by id.
func Instances(ids ...string) []types.Instance {
	out := make([]types.Instance, len(ids))
	for i, id := range ids {
		out[i] = types.Instance{InstanceId: aws.String(id)}
	}
	return out
}

// RawCall sends form as a signed POST for service and returns status, body and request id.
func RawCall(t *testing.T, srv *elbtest.Server, service string, form url.Values) (int, string, string) {
	t.Helper()
	return signedPost(t, srv, service, []byte(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded; charset=utf-8"}})
}

// JSONCall sends in as a signed JSON 1.1 POST of target (such as
// "CertificateManager.DescribeCertificate") for service, and returns status, body and request id.
func JSONCall(t *testing.T, srv *elbtest.Server, service, target string, in any) (int, string, string) {
	t.Helper()
	body, err := json.Marshal(in)
	NoErr(t, err)
	return signedPost(t, srv, service, body, http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amz-Target": {target}})
}

func signedPost(t *testing.T, srv *elbtest.Server, service string, body []byte, hdr http.Header) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewReader(body))
	NoErr(t, err)
	req.Header = hdr
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	NoErr(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), service, srv.Region, time.Now()))
	resp, err := http.DefaultClient.Do(req)
	NoErr(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	NoErr(t, err)
	return resp.StatusCode, string(b), resp.Header.Get("x-amzn-RequestId")
}

// ELBForm is a Classic ELB request: the action and its parameters as name, value pairs.
func ELBForm(action string, kv ...string) url.Values {
	v := url.Values{"Action": {action}, "Version": {"2012-06-01"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}
