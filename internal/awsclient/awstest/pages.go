package awstest

import (
	"context"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// CheckEarlyTokens reads every page of a driver's listing with listPaged (its ListPaged), in
// pages of size, and checks that each page but the last reported its NextPageToken through
// OnNextPageToken before returning, once and equal to the page's; it returns the names
// listed, sorted.
func CheckEarlyTokens(t *testing.T, ctx context.Context, size int,
	listPaged func(context.Context, *driver.ListPageOptions) (*driver.ListPage, error)) []string {
	t.Helper()
	var names []string
	in := &driver.ListPageOptions{PageSize: size}
	for {
		var early []string
		in.OnNextPageToken = func(token string) { early = append(early, token) }
		p, err := listPaged(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		if p.NextPageToken != "" {
			want = []string{p.NextPageToken}
		}
		if !slices.Equal(early, want) {
			t.Errorf("the page after %q reported %q early, want %q", in.PageToken, early, want)
		}
		for _, lb := range p.Balancers {
			names = append(names, lb.Name)
		}
		if p.NextPageToken == "" {
			slices.Sort(names)
			return names
		}
		in.PageToken = p.NextPageToken
	}
}

// OnBackends runs fn as a subtest on a fresh embedded endpoint (at the URL endpoint returns)
// and on a fresh moto.
func OnBackends(t *testing.T, endpoint func(t *testing.T) string, fn func(t *testing.T, url string)) {
	t.Run("endpoint", func(t *testing.T) { fn(t, endpoint(t)) })
	t.Run("moto", func(t *testing.T) {
		testenv.AWSEnv(t)
		fn(t, testenv.Moto(t))
	})
}
