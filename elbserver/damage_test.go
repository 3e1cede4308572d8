package elbserver_test

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	bolt "go.etcd.io/bbolt"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// damage changes one byte of the value stored under key in the partition bucket, as a
// flipped bit on disk would: bbolt's own checks still pass.
func damage(t *testing.T, path, bucket, key string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	sdkcheck.NoErr(t, err)
	defer db.Close()
	sdkcheck.NoErr(t, db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("data")).Bucket([]byte("000000000000")).Bucket([]byte("us-east-1")).Bucket([]byte(bucket))
		v := append([]byte(nil), b.Get([]byte(key))...)
		i := strings.Index(string(v), key) // inside the balancer's name: the value still looks plausible
		v[i] ^= 0x20
		return b.Put([]byte(key), v)
	}))
}

// A changed byte inside a structurally valid state file is caught and named: a describe that
// meets a damaged description is an InternalFailure saying which record, never malformed XML;
// a write to a damaged balancer says the same instead of failing unexplained; the other
// balancers are served; deleting the damaged ones works; and CheckState lists the damage.
func TestDamagedRecordIsNamed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	opts := elbserver.Options{StatePath: path}
	srv := elbtest.NewServer(elbtest.WithOptions(opts))
	c := elb.NewFromConfig(sdkcheck.Config(srv))
	for _, n := range []string{"described", "recorded", "sound"} {
		sdkcheck.CreateLB(t, c, n)
	}
	srv.Close()
	damage(t, path, "lb-view", "described")
	damage(t, path, "lb", "recorded")

	report, err := elbserver.CheckState(path)
	sdkcheck.NoErr(t, err)
	if report.OK() || len(report.Damaged) != 2 || report.Records < 6 {
		t.Fatalf("check report: %+v", report)
	}
	for _, d := range report.Damaged {
		if d.Account != "000000000000" || d.Region != "us-east-1" || !(d.Bucket == "lb-view" && d.Key == "described" || d.Bucket == "lb" && d.Key == "recorded") {
			t.Errorf("damage reported as %+v", d)
		}
	}

	srv = elbtest.NewServer(elbtest.WithOptions(opts))
	defer srv.Close()
	c = elb.NewFromConfig(sdkcheck.Config(srv))
	ctx := context.Background()
	// The stored description is read by describes, one by name or a page of all.
	for _, form := range []url.Values{
		sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "described"),
		sdkcheck.ELBForm("DescribeLoadBalancers"),
	} {
		status, body, _ := sdkcheck.RawCall(t, srv, "elasticloadbalancing", form)
		if err := testenv.WellFormedXML([]byte(body)); err != nil {
			t.Fatalf("describe: malformed XML: %s", body)
		}
		if status != http.StatusInternalServerError || !strings.Contains(body, "<Code>InternalFailure</Code>") || !strings.Contains(body, "lb-view/described") || !strings.Contains(body, "damaged") {
			t.Errorf("describe %v: %d %s", form, status, body)
		}
	}
	// The record is read by writes.
	_, err = c.ConfigureHealthCheck(ctx, &elb.ConfigureHealthCheckInput{LoadBalancerName: aws.String("recorded"), HealthCheck: &types.HealthCheck{
		Target: aws.String("TCP:80"), Interval: aws.Int32(10), Timeout: aws.Int32(5), UnhealthyThreshold: aws.Int32(2), HealthyThreshold: aws.Int32(2)}})
	sdkcheck.WantCode(t, err, "InternalFailure")
	if !strings.Contains(err.Error(), "lb/recorded") {
		t.Errorf("write to a damaged record: %v", err)
	}
	sdkcheck.DescribeOne(t, c, "sound")
	for _, n := range []string{"described", "recorded"} {
		_, err = c.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerName: aws.String(n)})
		sdkcheck.NoErr(t, err)
	}
	out, err := c.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	sdkcheck.NoErr(t, err)
	if len(out.LoadBalancerDescriptions) != 1 {
		t.Errorf("after deleting the damaged balancers: %d left", len(out.LoadBalancerDescriptions))
	}
	srv.Close()
	report, err = elbserver.CheckState(path)
	sdkcheck.NoErr(t, err)
	if !report.OK() {
		t.Errorf("check after repair: %+v", report)
	}
}
