package elbserver_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	bolt "go.etcd.io/bbolt"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// fixtureCopy copies testdata/format2.db (see testdata/README.md) to a temporary file and lets
// change alter it first.
func fixtureCopy(t *testing.T, change func(tx *bolt.Tx) error) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "format2.db"))
	sdkcheck.NoErr(t, err)
	path := filepath.Join(t.TempDir(), "state.db")
	sdkcheck.NoErr(t, os.WriteFile(path, raw, 0o600))
	if change != nil {
		db, err := bolt.Open(path, 0o600, nil)
		sdkcheck.NoErr(t, err)
		sdkcheck.NoErr(t, db.Update(change))
		sdkcheck.NoErr(t, db.Close())
	}
	return path
}

var fixtureDescribes = []struct {
	golden, region string
	form           url.Values
}{
	{"describe-all", "us-east-1", sdkcheck.ELBForm("DescribeLoadBalancers")},
	{"describe-page", "us-east-1", sdkcheck.ELBForm("DescribeLoadBalancers", "PageSize", "2")},
	{"describe-web", "us-east-1", sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "web")},
	{"describe-west", "eu-west-1", sdkcheck.ELBForm("DescribeLoadBalancers")},
	{"tags", "us-east-1", sdkcheck.ELBForm("DescribeTags", "LoadBalancerNames.member.1", "web", "LoadBalancerNames.member.2", "private")},
	{"policies", "us-east-1", sdkcheck.ELBForm("DescribeLoadBalancerPolicies", "LoadBalancerName", "web")},
	{"health", "us-east-1", sdkcheck.ELBForm("DescribeInstanceHealth", "LoadBalancerName", "web")},
	{"attributes", "us-east-1", sdkcheck.ELBForm("DescribeLoadBalancerAttributes", "LoadBalancerName", "web")},
	{"ec2-instances", "us-east-1", url.Values{"Action": {"DescribeInstances"}, "Version": {"2016-11-15"}}},
}

var requestIDRE = regexp.MustCompile(`(<RequestId>|<requestId>)[^<]*`)

// sameDescribes asserts the endpoint answers the fixture's describes as the release that wrote
// it did.
func sameDescribes(t *testing.T, srv *elbtest.Server, names ...string) {
	t.Helper()
	for _, d := range fixtureDescribes {
		if len(names) > 0 && !contains(names, d.golden) {
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata", "format2-"+d.golden+".xml"))
		sdkcheck.NoErr(t, err)
		at := *srv
		at.Region = d.region
		service := "elasticloadbalancing"
		if d.form.Get("Version") == "2016-11-15" {
			service = "ec2"
		}
		status, body, _ := sdkcheck.RawCall(t, &at, service, d.form)
		if got := requestIDRE.ReplaceAllString(body, "${1}REQID"); status != 200 || got != string(want) {
			t.Errorf("%s: status %d\n got %s\nwant %s", d.golden, status, got, want)
		}
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func formatOf(t *testing.T, path string) string {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	sdkcheck.NoErr(t, err)
	defer db.Close()
	var v string
	sdkcheck.NoErr(t, db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket([]byte("meta")).Get([]byte("format")))
		return nil
	}))
	return v
}

// A state file of format 2, written by an earlier release, is migrated on open: it serves the
// same describes, rendered afresh, takes writes, and says the current format afterwards.
func TestFormatTwoFileIsMigrated(t *testing.T) {
	path := fixtureCopy(t, func(tx *bolt.Tx) error {
		// A description from an older renderer: the stored views carry no version, so they are
		// rebuilt from the records.
		view := tx.Bucket([]byte("data")).Bucket([]byte("000000000000")).Bucket([]byte("us-east-1")).Bucket([]byte("lb-view"))
		return view.Put([]byte("web"), []byte("<member><LoadBalancerName>web</LoadBalancerName><Scheme>stale</Scheme></member>"))
	})
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: path, Strict: true}))
	sameDescribes(t, srv)

	c := elb.NewFromConfig(sdkcheck.Config(srv))
	ctx := context.Background()
	_, err := c.AddTags(ctx, &elb.AddTagsInput{LoadBalancerNames: []string{"web"}, Tags: []types.Tag{{Key: aws.String("after"), Value: aws.String("migration")}}})
	sdkcheck.NoErr(t, err)
	// The security group older releases stored as a bare VPC id is a group of that VPC.
	_, err = c.ApplySecurityGroupsToLoadBalancer(ctx, &elb.ApplySecurityGroupsToLoadBalancerInput{LoadBalancerName: aws.String("private"), SecurityGroups: []string{"sg-0000000c"}})
	sdkcheck.NoErr(t, err)
	// The balancer count carried over: three exist, so the 20-balancer quota leaves 17.
	for i := range 17 {
		_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("n" + string(rune('a'+i))),
			Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}})
		sdkcheck.NoErr(t, err)
	}
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("one-too-many"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}})
	sdkcheck.WantCode(t, err, "TooManyLoadBalancers")
	srv.Close()
	if v := formatOf(t, path); v != strconv.Itoa(store.FormatVersion) {
		t.Errorf("format after migration = %s, want %d", v, store.FormatVersion)
	}

	// Opened again, nothing more to migrate and the same answers.
	srv = elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: path}))
	defer srv.Close()
	sameDescribes(t, srv, "describe-west", "attributes", "policies")
}

// A state file of format 1 (format 2 without the stored descriptions) is migrated too: its
// descriptions are built on open.
func TestFormatOneFileIsMigrated(t *testing.T) {
	path := fixtureCopy(t, func(tx *bolt.Tx) error {
		for _, region := range []string{"us-east-1", "eu-west-1"} {
			if err := tx.Bucket([]byte("data")).Bucket([]byte("000000000000")).Bucket([]byte(region)).DeleteBucket([]byte("lb-view")); err != nil {
				return err
			}
		}
		return tx.Bucket([]byte("meta")).Put([]byte("format"), []byte("1"))
	})
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{StatePath: path}))
	defer srv.Close()
	sameDescribes(t, srv, "describe-all", "describe-page", "describe-west")
}
