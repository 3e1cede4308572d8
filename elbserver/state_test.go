package elbserver_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	bolt "go.etcd.io/bbolt"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
)

func TestRestartKeepsState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	opts := elbserver.Options{StatePath: path}
	srv := elbtest.NewServer(elbtest.WithOptions(opts))
	c := elb.NewFromConfig(srv.AWSConfig())
	dns := createLB(t, c, "durable")
	_, err := c.AddTags(context.Background(), &elb.AddTagsInput{LoadBalancerNames: []string{"durable"}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	noErr(t, err)
	srv.Close()

	fi, err := os.Stat(path)
	noErr(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600", fi.Mode().Perm())
	}

	srv = elbtest.NewServer(elbtest.WithOptions(opts))
	defer srv.Close()
	c = elb.NewFromConfig(srv.AWSConfig())
	d := describeOne(t, c, "durable")
	if aws.ToString(d.DNSName) != dns {
		t.Fatalf("after restart DNS %q, want %q", aws.ToString(d.DNSName), dns)
	}
	tags, err := c.DescribeTags(context.Background(), &elb.DescribeTagsInput{LoadBalancerNames: []string{"durable"}})
	noErr(t, err)
	if len(tags.TagDescriptions) != 1 || len(tags.TagDescriptions[0].Tags) != 1 || aws.ToString(tags.TagDescriptions[0].Tags[0].Value) != "prod" {
		t.Fatalf("tags after restart: %+v", tags.TagDescriptions)
	}
}

func TestMemoryStateRemovedOnClose(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s, err := elbserver.New(elbserver.Options{})
	noErr(t, err)
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 1 {
		t.Fatalf("want one temporary state directory, got %d", len(entries))
	}
	noErr(t, s.Close())
	if entries, _ = os.ReadDir(tmp); len(entries) != 0 {
		t.Fatalf("temporary state left behind: %v", entries)
	}
}

// refuse asserts New fails with a message naming the path and leaves the file
// byte-for-byte unchanged.
func refuse(t *testing.T, path, wantMsg string) {
	t.Helper()
	before, err := os.ReadFile(path)
	noErr(t, err)
	s, err := elbserver.New(elbserver.Options{StatePath: path})
	if err == nil {
		s.Close()
		t.Fatal("New accepted the file")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), wantMsg) {
		t.Fatalf("error %q should name %s and say %q", err, path, wantMsg)
	}
	after, err := os.ReadFile(path)
	noErr(t, err)
	if !bytes.Equal(before, after) {
		t.Fatal("refused state file was modified")
	}
}

func TestRefusesNewerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	db, err := bolt.Open(path, 0o600, nil)
	noErr(t, err)
	noErr(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), []byte("99"))
	}))
	noErr(t, db.Close())
	refuse(t, path, "newer")
}

func TestRefusesGarbageFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "garbage.db")
	noErr(t, os.WriteFile(path, bytes.Repeat([]byte("not a database "), 1000), 0o600))
	refuse(t, path, "not an lbcloud state file")

	short := filepath.Join(t.TempDir(), "short.db")
	noErr(t, os.WriteFile(short, []byte("xyz"), 0o600))
	refuse(t, short, "not an lbcloud state file")
}

func TestRefusesFileInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	first, err := elbserver.New(elbserver.Options{StatePath: path})
	noErr(t, err)
	defer first.Close()
	_, err = elbserver.New(elbserver.Options{StatePath: path})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second open: %v", err)
	}
}

func TestConcurrentIdenticalCreates(t *testing.T) {
	c, _ := newClient(t)
	var wg sync.WaitGroup
	dns := make([]string, 64)
	errs := make([]error, 64)
	for i := range 64 {
		wg.Go(func() {
			out, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
				LoadBalancerName: aws.String("race"), Listeners: []types.Listener{httpListener(80, 80)},
			})
			errs[i] = err
			if err == nil {
				dns[i] = aws.ToString(out.DNSName)
			}
		})
	}
	wg.Wait()
	for i := range 64 {
		noErr(t, errs[i])
		if dns[i] != dns[0] {
			t.Fatalf("create %d returned %q, want %q", i, dns[i], dns[0])
		}
	}
	out, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
	noErr(t, err)
	if len(out.LoadBalancerDescriptions) != 1 {
		t.Fatalf("want exactly one balancer, got %d", len(out.LoadBalancerDescriptions))
	}
}

func TestPartitionsByAccountAndRegion(t *testing.T) {
	c, srv := newClient(t)
	createLB(t, c, "east")
	cfg := srv.AWSConfig()
	cfg.Region = "eu-west-1"
	west := elb.NewFromConfig(cfg)
	out, err := west.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
	noErr(t, err)
	if len(out.LoadBalancerDescriptions) != 0 {
		t.Fatalf("region eu-west-1 sees %d balancers of us-east-1", len(out.LoadBalancerDescriptions))
	}
	_, err = west.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{
		LoadBalancerName: aws.String("east"), Listeners: []types.Listener{httpListener(80, 80)},
	})
	noErr(t, err)
	d := describeOne(t, west, "east")
	if !strings.HasSuffix(aws.ToString(d.DNSName), ".eu-west-1.elb.amazonaws.com") || d.AvailabilityZones[0] != "eu-west-1a" {
		t.Fatalf("eu-west-1 balancer: %+v", d)
	}
}
