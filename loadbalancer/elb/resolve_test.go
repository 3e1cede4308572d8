package elb_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// countEC2 counts DescribeInstances calls on their way to the endpoint.
type countEC2 struct{ n atomic.Int32 }

func (c *countEC2) Do(r *http.Request) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if strings.Contains(string(body), "Action=DescribeInstances") {
		c.n.Add(1)
	}
	return http.DefaultClient.Do(r)
}

// TestManyMembersByAddress: 450 members given by private address resolve in batches of 200
// addresses per DescribeInstances, all to the right instances.
func TestManyMembersByAddress(t *testing.T) {
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	const n = 450
	members := make([]driver.Member, n)
	for i := range n {
		id, ip := fmt.Sprintf("i-%017x", i+1), fmt.Sprintf("10.1.%d.%d", i/200, i%200+1)
		if err := srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: id, PrivateIP: ip}); err != nil {
			t.Fatal(err)
		}
		members[i] = driver.Member{IP: ip}
	}
	counter := &countEC2{}
	d := elb.NewClient(srv.AWSConfig(), elb.WithHTTPClient(counter))
	ctx := testCtx(t)
	if _, err := d.Service().CreateBalancer(ctx, driver.CreateRequest{Name: "many", Port: 80, Protocol: driver.HTTP, Members: members}); err != nil {
		t.Fatal(err)
	}
	if got := counter.n.Load(); got != 3 {
		t.Errorf("DescribeInstances calls = %d, want 3 (200 + 200 + 50 addresses)", got)
	}
	got, err := d.Service().ListMembers(ctx, "many")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range got {
		ids[m.ID] = true
	}
	if len(ids) != n || !ids["i-00000000000000001"] || !ids[fmt.Sprintf("i-%017x", n)] {
		t.Errorf("registered %d distinct instances, want %d", len(ids), n)
	}
}
