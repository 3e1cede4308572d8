package elb_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// deleteBeforeTags deletes one balancer just before the first DescribeTags reaches the
// endpoint, as a concurrent user would between a page and its tags.
type deleteBeforeTags struct {
	once   sync.Once
	delete func()
}

func (d *deleteBeforeTags) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if strings.Contains(string(body), "Action=DescribeTags") {
		d.once.Do(d.delete)
	}
	return http.DefaultClient.Do(r)
}

// TestListingSurvivesABalancerDeletedMidway: a balancer deleted between its page and its
// tags does not fail the inventory; the others keep their tags. Asking for its tags by name
// is still an error.
func TestListingSurvivesABalancerDeletedMidway(t *testing.T) {
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	ctx := testCtx(t)
	admin := elb.NewClient(srv.AWSConfig())
	for _, n := range []string{"a", "b", "c"} {
		if _, err := admin.Service().CreateBalancer(ctx, driver.CreateRequest{Name: n, Port: 80, Protocol: driver.HTTP, Tags: map[string]string{"name": n}}); err != nil {
			t.Fatal(err)
		}
	}
	hook := &deleteBeforeTags{delete: func() {
		if err := admin.Service().DestroyBalancer(ctx, "b"); err != nil {
			t.Errorf("deleting b: %v", err)
		}
	}}
	d := elb.NewClient(srv.AWSConfig(), elb.WithHTTPClient(hook))
	tags := map[string]map[string]string{}
	err := listEach(ctx, d, driver.ListOptions{IncludeTags: true}, func(lb *driver.LoadBalancer) error {
		tags[lb.Name] = lb.Tags
		return nil
	})
	if err != nil {
		t.Fatalf("ListBalancers with a balancer deleted midway: %v", err)
	}
	if tags["a"]["name"] != "a" || tags["c"]["name"] != "c" || len(tags["b"]) != 0 {
		t.Errorf("tags = %v, want a and c tagged and b (gone) without tags", tags)
	}
	if _, err := d.Tags(ctx, "a", "b"); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("Tags naming a deleted balancer = %v, want ErrNotFound", err)
	}
}

// TestTaggingSeveralIsAllOrNothing: tagging several balancers when one does not exist changes
// none of them, although ELB takes one name per tagging call.
func TestTaggingSeveralIsAllOrNothing(t *testing.T) {
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	ctx := testCtx(t)
	d := elb.NewClient(srv.AWSConfig())
	if _, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "a", Port: 80, Protocol: driver.HTTP, Tags: map[string]string{"keep": "1"}}); err != nil {
		t.Fatal(err)
	}
	if err := d.AddTags(ctx, []string{"a", "missing"}, map[string]string{"new": "x"}); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("AddTags with a missing balancer = %v, want ErrNotFound", err)
	}
	if err := d.RemoveTags(ctx, []string{"a", "missing"}, "keep"); !errors.Is(err, driver.ErrNotFound) {
		t.Errorf("RemoveTags with a missing balancer = %v, want ErrNotFound", err)
	}
	tags, err := d.Tags(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"keep": "1"}; len(tags["a"]) != 1 || tags["a"]["keep"] != "1" {
		t.Errorf("tags of a after the refused calls = %v, want %v", tags["a"], want)
	}
}
