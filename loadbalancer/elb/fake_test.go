package elb

import (
	"context"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// elbNS is the XML namespace of the ELB API.
const elbNS = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"

// fakeClient opens a client on f with isolated credentials, the way Open does.
func fakeClient(t *testing.T, f *awstest.Fake, attempts int, more ...Option) *Client {
	t.Helper()
	testenv.AWSEnv(t)
	c, err := openClient(context.Background(), driver.Options{Region: "eu-west-1", AccessKeyID: "AKIDTEST",
		SecretAccessKey: "s3cr3t-never-shown", Endpoint: f.URL, MaxAttempts: attempts}, more...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func shortCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// listEach lists through the portable layer, as users do, calling fn for each balancer; the
// first error of fn or of the listing is returned.
func listEach(ctx context.Context, c *Client, opts driver.ListOptions, fn func(*driver.LoadBalancer) error) error {
	for lb, err := range c.Service().Balancers(ctx, opts) {
		if err != nil {
			return err
		}
		if err := fn(lb); err != nil {
			return err
		}
	}
	return nil
}
