package elb_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// motoClient opens the provider on a freshly reset moto, through a recorder.
func motoClient(t *testing.T, more ...elb.Option) (*elb.Client, *awstest.Recorder, string) {
	t.Helper()
	testenv.AWSEnv(t)
	u := testenv.Moto(t)
	rec := awstest.NewRecorder()
	more = append([]elb.Option{elb.WithHTTPClient(rec)}, more...)
	svc, err := elb.Open(testCtx(t), driver.Options{Region: "us-east-1", AccessKeyID: "test",
		SecretAccessKey: "test", Endpoint: u, MaxAttempts: 1}, more...)
	if err != nil {
		t.Fatal(err)
	}
	var c *elb.Client
	if !svc.As(&c) {
		t.Fatal("As(**elb.Client) = false")
	}
	return c, rec, u
}

// ec2Of is the EC2 client the provider resolves members with.
func ec2Of(t *testing.T, c *elb.Client) *ec2.Client {
	t.Helper()
	var e *ec2.Client
	if !c.Service().As(&e) {
		t.Fatal("As(**ec2.Client) = false")
	}
	return e
}

// runInstances starts n EC2 instances and returns their IDs and private IPs.
func runInstances(t *testing.T, d *elb.Client, n int) (ids, ips []string) {
	t.Helper()
	return awstest.StartInstances(t, testCtx(t), d.Service(), n)
}

// listEach lists through the portable layer, as users do, calling fn for each balancer; the
// first error of fn or of the listing is returned.
func listEach(ctx context.Context, d *elb.Client, opts driver.ListOptions, fn func(*driver.LoadBalancer) error) error {
	for lb, err := range d.Service().Balancers(ctx, opts) {
		if err != nil {
			return err
		}
		if err := fn(lb); err != nil {
			return err
		}
	}
	return nil
}
