package elb_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// recorder is an HTTP client that counts the Query API actions it carries.
type recorder struct {
	mu      sync.Mutex
	actions map[string]int
	bodies  map[string]url.Values // the last request of each action
	next    *http.Client
}

func newRecorder() *recorder {
	return &recorder{actions: map[string]int{}, bodies: map[string]url.Values{}, next: &http.Client{}}
}

func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		if v, err := url.ParseQuery(string(b)); err == nil && v.Get("Action") != "" {
			r.mu.Lock()
			r.actions[v.Get("Action")]++
			r.bodies[v.Get("Action")] = v
			r.mu.Unlock()
		}
		req.Body = io.NopCloser(strings.NewReader(string(b)))
	}
	return r.next.Do(req)
}

func (r *recorder) count(action string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.actions[action]
}

func (r *recorder) last(action string) url.Values {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[action]
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.actions)
}

// motoClient opens the provider on a freshly reset moto, through a recorder.
func motoClient(t *testing.T, more ...elb.Option) (*elb.Client, *recorder, string) {
	t.Helper()
	testenv.AWSEnv(t)
	u := testenv.Moto(t)
	rec := newRecorder()
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
	ctx := testCtx(t)
	c := ec2Of(t, d)
	imgs, err := c.DescribeImages(ctx, &ec2.DescribeImagesInput{})
	if err != nil || len(imgs.Images) == 0 {
		t.Fatalf("no image to start instances from: %v", err)
	}
	out, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: imgs.Images[0].ImageId,
		MinCount: aws.Int32(int32(n)), MaxCount: aws.Int32(int32(n)), InstanceType: ec2types.InstanceTypeT2Micro})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range out.Instances {
		ids = append(ids, aws.ToString(in.InstanceId))
		ips = append(ips, aws.ToString(in.PrivateIpAddress))
	}
	return ids, ips
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
