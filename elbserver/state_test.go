package elbserver_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func TestRestartKeepsState(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	opts := elbserver.Options{StatePath: path}
	srv := elbtest.NewServer(elbtest.WithOptions(opts))
	c := elb.NewFromConfig(srv.AWSConfig())
	dns := sdkcheck.CreateLB(t, c, "durable")
	_, err := c.AddTags(context.Background(), &elb.AddTagsInput{LoadBalancerNames: []string{"durable"}, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	sdkcheck.NoErr(t, err)
	srv.Close()

	fi, err := os.Stat(path)
	sdkcheck.NoErr(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600", fi.Mode().Perm())
	}

	srv = elbtest.NewServer(elbtest.WithOptions(opts))
	defer srv.Close()
	c = elb.NewFromConfig(srv.AWSConfig())
	d := sdkcheck.DescribeOne(t, c, "durable")
	if aws.ToString(d.DNSName) != dns {
		t.Fatalf("after restart DNS %q, want %q", aws.ToString(d.DNSName), dns)
	}
	tags, err := c.DescribeTags(context.Background(), &elb.DescribeTagsInput{LoadBalancerNames: []string{"durable"}})
	sdkcheck.NoErr(t, err)
	if len(tags.TagDescriptions) != 1 || len(tags.TagDescriptions[0].Tags) != 1 || aws.ToString(tags.TagDescriptions[0].Tags[0].Value) != "prod" {
		t.Fatalf("tags after restart: %+v", tags.TagDescriptions)
	}
}

// A reader beside the endpoint learns of each committed write through the store, and reads the
// records it wrote; the rooms do not know it listens.
func TestStoreSubscribersSeeWrites(t *testing.T) {
	c, srv := sdkcheck.Client(t)
	notices, cancel := srv.Endpoint.Store().Subscribe()
	defer cancel()
	sdkcheck.CreateLB(t, c, "watched")
	select { // told before the create was answered
	case <-notices:
	default:
		t.Fatal("no notice of the create")
	}
	sdkcheck.NoErr(t, srv.Endpoint.Store().View("000000000000", "us-east-1", func(p *store.Part) error {
		lb, err := store.ClassicBalancers.Get(p, "watched")
		if err != nil || lb == nil || lb.Listeners[0].InstancePort != 8080 {
			t.Errorf("record read beside the endpoint: %+v %v", lb, err)
		}
		return err
	}))
}
