package elbv2

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
	endpoint := func(t *testing.T) string {
		srv := elbtest.NewServer()
		t.Cleanup(srv.Close)
		return srv.URL
	}
	awstest.OnBackends(t, endpoint, func(t *testing.T, url string) {
		ctx := testCtx(t)
		c, err := openClient(ctx, ALB, driver.Options{Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test", Endpoint: url})
		if err != nil {
			t.Fatal(err)
		}
		d := newDriver(c)
		want := []string{"a", "b", "c"}
		for _, n := range want {
			if _, err := service(d).CreateBalancer(ctx, loadbalancer.CreateRequest{Name: n, Port: 80, Protocol: "HTTP"}); err != nil {
				t.Fatal(err)
			}
		}
		if got := awstest.CheckEarlyTokens(t, ctx, 2, d.ListPaged); !slices.Equal(got, want) {
			t.Errorf("pages held %v, want %v", got, want)
		}
	})
}
