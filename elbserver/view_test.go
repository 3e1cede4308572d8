package elbserver_test

import (
	"context"
	"path/filepath"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	bolt "go.etcd.io/bbolt"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

// A state file of format 1 (records without their stored descriptions) is brought up to
// date on open: every balancer is described as before, and the file says format 2.
func TestFormatOneFileIsMigrated(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	opts := elbserver.Options{StatePath: path}
	srv := elbtest.NewServer(elbtest.WithOptions(opts))
	c := elb.NewFromConfig(srv.AWSConfig())
	for _, n := range []string{"one", "two", "three"} {
		createLB(t, c, n)
	}
	before := describeOne(t, c, "two")
	srv.Close()

	// Take the file back to format 1: no lb-view buckets.
	db, err := bolt.Open(path, 0o600, nil)
	noErr(t, err)
	noErr(t, db.Update(func(tx *bolt.Tx) error {
		region := tx.Bucket([]byte("data")).Bucket([]byte("000000000000")).Bucket([]byte("us-east-1"))
		if err := region.DeleteBucket([]byte("lb-view")); err != nil {
			return err
		}
		return tx.Bucket([]byte("meta")).Put([]byte("format"), []byte("1"))
	}))
	noErr(t, db.Close())

	srv = elbtest.NewServer(elbtest.WithOptions(opts))
	c = elb.NewFromConfig(srv.AWSConfig())
	after := describeOne(t, c, "two")
	if *after.DNSName != *before.DNSName || len(after.ListenerDescriptions) != len(before.ListenerDescriptions) {
		t.Errorf("after migration: %+v, before: %+v", after, before)
	}
	out, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
	noErr(t, err)
	if len(out.LoadBalancerDescriptions) != 3 {
		t.Errorf("listed %d balancers after migration, want 3", len(out.LoadBalancerDescriptions))
	}
	srv.Close()

	db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	noErr(t, err)
	defer db.Close()
	noErr(t, db.View(func(tx *bolt.Tx) error {
		if v := string(tx.Bucket([]byte("meta")).Get([]byte("format"))); v != "2" {
			t.Errorf("format after migration = %q, want 2", v)
		}
		return nil
	}))
}
