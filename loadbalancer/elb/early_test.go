package elb

import (
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// On real answers, the endpoint's and moto's, every page but the last reports its NextMarker
// through OnNextPageToken before ListPaged returns: the very token the page carries.
func TestListPagedReportsTheMarkerEarly(t *testing.T) {
	awstest.OnBackends(t, func(t *testing.T) string {
		srv := elbtest.NewServer()
		t.Cleanup(srv.Close)
		return srv.URL
	}, func(t *testing.T, url string) {
		ctx := shortCtx(t)
		c, err := openClient(ctx, driver.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test", Endpoint: url})
		if err != nil {
			t.Fatal(err)
		}
		names := []string{"a", "b", "c"}
		for _, n := range names {
			req := loadbalancer.CreateRequest{Name: n, Port: 80, Protocol: "TCP", Zones: []string{"us-east-1a"}}
			if _, err := c.Service().CreateBalancer(ctx, req); err != nil {
				t.Fatal(err)
			}
		}
		if got := awstest.CheckEarlyTokens(t, ctx, 2, newDriver(c).ListPaged); !slices.Equal(got, names) {
			t.Errorf("pages held %v, want %v", got, names)
		}
	})
}
