package elbv2_test

import (
	"context"
	"io"
	"iter"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// recorder is an HTTP client that counts the Query API actions it carries.
type recorder struct {
	mu      sync.Mutex
	actions map[string]int
	next    *http.Client
}

func newRecorder() *recorder { return &recorder{actions: map[string]int{}, next: &http.Client{}} }

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

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.actions)
}

// motoEnv is a freshly reset moto with a Service of each type on it.
type motoEnv struct {
	url      string
	alb, nlb *loadbalancer.Service
	c        *elbv2.Client // the Client behind alb (the same for both types)
	ec2      *ec2.Client
	rec      *recorder
}

func newMoto(t *testing.T) *motoEnv {
	t.Helper()
	testenv.AWSEnv(t)
	e := &motoEnv{url: testenv.Moto(t), rec: newRecorder()}
	opts := loadbalancer.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test", Endpoint: e.url, MaxAttempts: 1}
	var err error
	if e.alb, err = elbv2.Open(testCtx(t), elbv2.ALB, opts, elbv2.WithHTTPClient(e.rec)); err != nil {
		t.Fatal(err)
	}
	if e.nlb, err = elbv2.Open(testCtx(t), elbv2.NLB, opts, elbv2.WithHTTPClient(e.rec)); err != nil {
		t.Fatal(err)
	}
	if !e.alb.As(&e.c) || !e.alb.As(&e.ec2) {
		t.Fatal("As did not yield the Client and the EC2 client")
	}
	return e
}

// runInstances starts n EC2 instances and returns their IDs and private IPs.
func (e *motoEnv) runInstances(t *testing.T, n int) (ids, ips []string) {
	t.Helper()
	ms, err := awstest.RunInstances(testCtx(t), e.alb, "", n)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		ids = append(ids, m.ID)
		ips = append(ips, m.IP)
	}
	return ids, ips
}

// aws runs the AWS CLI against moto and returns its output.
func (e *motoEnv) aws(t *testing.T, args ...string) string {
	t.Helper()
	cli := testenv.RequireAWSCLI(t)
	cmd := exec.Command(cli, append([]string{"--endpoint-url", e.url, "--region", "us-east-1", "--output", "text"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("aws %v: %v: %s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func memberIDs(ms []loadbalancer.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}
func collectSeq[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
