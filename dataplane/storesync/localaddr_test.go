package storesync_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	v2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// TestLocalAddrRequest: the listener addresses are read with a SigV4-signed request for the
// caller's account and region only; a wrong signature, another region and another method are
// refused or see nothing.
func TestLocalAddrRequest(t *testing.T) {
	one := sigv4auth.Credential{AccessKeyID: "AKIDACCOUNTONE00001", SecretAccessKey: "one-secret", AccountID: "111111111111"}
	two := sigv4auth.Credential{AccessKeyID: "AKIDACCOUNTTWO00001", SecretAccessKey: "two-secret", AccountID: "222222222222"}
	e := newEnv(t, elbtest.WithOptions(elbserver.Options{Credentials: []sigv4auth.Credential{one, two}}))
	e.account = one.AccountID
	lb, dns := e.v2Balancer(t, "mine", v2types.LoadBalancerTypeEnumApplication)
	e.listenerV2(t, lb, v2types.ProtocolEnumHttp, 80, fixed("200", "ok"))
	l, ok := e.listeners(t)["mine:80"]
	if !ok || l.LoadBalancerArn != lb || l.Type != "application" || l.DNSName != dns || l.Protocol != "HTTP" || l.LocalAddress == "" {
		t.Fatalf("listed %+v", l)
	}
	ctx := context.Background()
	as := func(c sigv4auth.Credential, region string) aws.Config {
		cfg := e.srv.AWSConfig()
		cfg.Credentials = credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")
		cfg.Region = region
		return cfg
	}
	for name, cfg := range map[string]aws.Config{"another account": as(two, "us-east-1"), "another region": as(one, "eu-west-1")} {
		if ls, err := localaddr.Fetch(ctx, cfg, e.srv.URL); err != nil || len(ls) != 0 {
			t.Errorf("%s: %v, %v", name, ls, err)
		}
	}
	bad := one
	bad.SecretAccessKey = "wrong"
	_, err := localaddr.Fetch(ctx, as(bad, "us-east-1"), e.srv.URL)
	var le *localaddr.Error
	if !errors.As(err, &le) || le.Code != sigv4auth.CodeSignatureDoesNotMatch || le.Status != http.StatusForbidden || le.RequestID == "" {
		t.Fatalf("a wrong secret: %v", err)
	}
	resp, err := http.Post(e.srv.URL+localaddr.Path, "text/plain", nil)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("POST: %d", resp.StatusCode)
	}
	// An endpoint without a data plane does not answer the request: Fetch says so.
	plain := elbtest.NewServer()
	defer plain.Close()
	if _, err := localaddr.Fetch(ctx, plain.AWSConfig(), plain.URL); err == nil {
		t.Fatal("an endpoint without a data plane answered")
	}
}
