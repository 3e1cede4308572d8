package elbv2_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	lbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

var ctx = context.Background()

// client starts an endpoint for the test and returns an ELBv2 client of it.
func client(t *testing.T, opts ...elbtest.Option) (*lbv2.Client, *elbtest.Server) {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return lbv2.NewFromConfig(sdkcheck.Config(srv)), srv
}

// defaultSubnets are the default VPC's subnets in zones a and b.
func defaultSubnets(srv *elbtest.Server) []string {
	dv := srv.Endpoint.DefaultVPC("", "")
	return []string{dv.Subnet("us-east-1a"), dv.Subnet("us-east-1b")}
}

func createALB(t *testing.T, c *lbv2.Client, srv *elbtest.Server, name string) types.LoadBalancer {
	t.Helper()
	out, err := c.CreateLoadBalancer(ctx, &lbv2.CreateLoadBalancerInput{Name: aws.String(name), Subnets: defaultSubnets(srv)})
	sdkcheck.NoErr(t, err)
	return out.LoadBalancers[0]
}

func createTG(t *testing.T, c *lbv2.Client, srv *elbtest.Server, name, proto string, port int32) types.TargetGroup {
	t.Helper()
	out, err := c.CreateTargetGroup(ctx, &lbv2.CreateTargetGroupInput{Name: aws.String(name), Protocol: types.ProtocolEnum(proto),
		Port: aws.Int32(port), VpcId: aws.String(srv.Endpoint.DefaultVPC("", "").ID)})
	sdkcheck.NoErr(t, err)
	return out.TargetGroups[0]
}

func forward(tg string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(tg)}}
}

// clock is a settable time for the endpoint, for the life cycles that follow the clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// clockedClient is client with the endpoint on a clock the test moves.
func clockedClient(t *testing.T, o elbserver.Options) (*lbv2.Client, *elbtest.Server, *clock) {
	t.Helper()
	clk := &clock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	o.Now = clk.Now
	c, srv := client(t, elbtest.WithOptions(o))
	return c, srv, clk
}

// limited is client with account limits overridden.
func limited(t *testing.T, limits map[string]int) (*lbv2.Client, *elbtest.Server) {
	t.Helper()
	return client(t, elbtest.WithOptions(elbserver.Options{Limits: limits}))
}

func createListener(t *testing.T, c *lbv2.Client, lb, proto string, port int32, actions []types.Action) types.Listener {
	t.Helper()
	in := &lbv2.CreateListenerInput{LoadBalancerArn: aws.String(lb), Protocol: types.ProtocolEnum(proto), Port: aws.Int32(port), DefaultActions: actions}
	if proto == "HTTPS" || proto == "TLS" {
		in.Certificates = []types.Certificate{{CertificateArn: aws.String(certARN)}}
	}
	out, err := c.CreateListener(ctx, in)
	sdkcheck.NoErr(t, err)
	return out.Listeners[0]
}

const certARN = "arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555"

func fixed(code string) []types.Action {
	return []types.Action{{Type: types.ActionTypeEnumFixedResponse, FixedResponseConfig: &types.FixedResponseActionConfig{StatusCode: aws.String(code)}}}
}

func pathIs(p string) []types.RuleCondition {
	return []types.RuleCondition{{Field: aws.String("path-pattern"), Values: []string{p}}}
}

// attrs turns attributes into a map.
func attrs[T any](l []T, kv func(T) (string, string)) map[string]string {
	m := map[string]string{}
	for _, a := range l {
		k, v := kv(a)
		m[k] = v
	}
	return m
}

func lbAttr(a types.LoadBalancerAttribute) (string, string) {
	return aws.ToString(a.Key), aws.ToString(a.Value)
}
func tgAttr(a types.TargetGroupAttribute) (string, string) {
	return aws.ToString(a.Key), aws.ToString(a.Value)
}
func lAttr(a types.ListenerAttribute) (string, string) {
	return aws.ToString(a.Key), aws.ToString(a.Value)
}
