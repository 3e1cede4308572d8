package loadbalancer_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// nextToken is the early token of a pager of that many pages that reports the right ones.
func nextToken(pages int) func(int) string {
	return func(n int) string {
		if n+1 < pages {
			return fmt.Sprint(n + 1)
		}
		return ""
	}
}

// askedFor returns one channel a page, closed by onPage when the page is asked for, and
// waitAsked, which waits (5 s at most) for page n to be asked for.
func askedFor(pages int) (asked []chan struct{}, waitAsked func(ctx context.Context, n, while int) error) {
	asked = make([]chan struct{}, pages)
	for i := range asked {
		asked[i] = make(chan struct{})
	}
	return asked, func(ctx context.Context, n, while int) error {
		select {
		case <-asked[n]:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Second):
			return fmt.Errorf("page %d was not asked for while page %d was being read", n, while)
		}
	}
}

// wantIDs checks a listing of pager pages: every balancer of pages from..to-1 once, in order.
func wantIDs(t *testing.T, lbs []*loadbalancer.LoadBalancer, to int) {
	t.Helper()
	var got, want []string
	for _, lb := range lbs {
		got = append(got, lb.ID)
	}
	for n := range to {
		want = append(want, fmt.Sprintf("%d-0", n), fmt.Sprintf("%d-1", n))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("listing = %v, want %v", got, want)
	}
}

// A page whose token the driver reports early is followed by the next page's request before
// it has been read to the end: here each page "decodes" until the next has been asked for,
// which a listing that waits for one page before asking for the next never does.
func TestBalancersAskForTheNextPageWhileDecoding(t *testing.T) {
	const pages = 5
	asked, waitAsked := askedFor(pages)
	p := &pager{pages: pages, early: nextToken(pages)}
	p.onPage = func(ctx context.Context, n int) error {
		close(asked[n])
		if n+1 == pages {
			return nil
		}
		return waitAsked(ctx, n+1, n)
	}
	lbs, err := loadbalancer.NewService(p).ListBalancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, lbs, pages)
	if lbs[len(lbs)-1].Tags["id"] != lbs[len(lbs)-1].ID {
		t.Errorf("the last balancer was not tagged: %+v", lbs[len(lbs)-1])
	}
}

// Pages are still asked for while the next stage is busy: page 0's tags load until page 3
// has been asked for, by which time page 1 waits to be tagged and page 2 to be handed on.
func TestBalancersReadAheadWhileTagging(t *testing.T) {
	const pages = 5
	asked, waitAsked := askedFor(pages)
	p := &pager{pages: pages, early: nextToken(pages)}
	p.onPage = func(_ context.Context, n int) error {
		close(asked[n])
		return nil
	}
	p.onTags = func(ctx context.Context, first string) error {
		if first != "0-0" {
			return nil
		}
		return waitAsked(ctx, 3, 0)
	}
	lbs, err := loadbalancer.NewService(p).ListBalancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, lbs, pages)
}

// The read-ahead is bounded: with every page reading until the one PagesInFlight-1 after it
// has been asked for, that many calls run at once, and never more.
func TestBalancersReadAheadIsBounded(t *testing.T) {
	const pages = 8
	ahead := loadbalancer.PagesInFlight - 1
	asked, waitAsked := askedFor(pages)
	p := &pager{pages: pages, early: nextToken(pages)}
	p.onPage = func(ctx context.Context, n int) error {
		close(asked[n])
		if n+ahead >= pages {
			return nil
		}
		return waitAsked(ctx, n+ahead, n)
	}
	lbs, err := loadbalancer.NewService(p).ListBalancers(context.Background(), loadbalancer.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, lbs, pages)
	if got := p.maxListed.Load(); got != loadbalancer.PagesInFlight {
		t.Errorf("at most %d ListPaged calls ran at once, want %d", got, loadbalancer.PagesInFlight)
	}
}

// A page that fails after reporting its token ends the listing with its error, after the
// pages before it; the read-ahead it started is cancelled and waited for.
func TestBalancersReadAheadStopsOnError(t *testing.T) {
	boom := &driver.Error{Kind: driver.ErrThrottled, Provider: "fake", Code: "Throttling"}
	const pages = 6
	asked, waitAsked := askedFor(pages)
	cancelled := make(chan struct{})
	p := &pager{pages: pages, early: nextToken(pages)}
	p.onPage = func(ctx context.Context, n int) error {
		close(asked[n])
		switch n {
		case 2:
			if err := waitAsked(ctx, 3, 2); err != nil {
				return err
			}
			return boom
		case 3:
			<-ctx.Done() // the page read ahead of the failing one hangs until cancelled
			close(cancelled)
			return ctx.Err()
		}
		return nil
	}
	lbs, last := listUntilError(t, loadbalancer.NewService(p))
	if !errors.Is(last, driver.ErrThrottled) {
		t.Fatalf("listing ended with %v, want page 2's error", last)
	}
	wantIDs(t, lbs, 2)
	select {
	case <-cancelled:
	default:
		t.Error("the request for page 3 was not cancelled")
	}
	if n := p.inflight.Load(); n != 0 {
		t.Errorf("%d driver calls still running after the loop returned", n)
	}
}

// An early token the page does not end with costs the request it started (cancelled), never
// the listing: the next page is asked for again with the token the page returned.
func TestBalancersIgnoreAWrongEarlyToken(t *testing.T) {
	const pages = 4
	cancelled := make(chan struct{})
	asked, waitAsked := askedFor(10)
	p := &pager{pages: pages, early: func(n int) string {
		if n == 1 {
			return "9" // not what page 1 ends with
		}
		return nextToken(pages)(n)
	}}
	p.onPage = func(ctx context.Context, n int) error {
		close(asked[n])
		switch n {
		case 1:
			return waitAsked(ctx, 9, 1)
		case 9:
			<-ctx.Done()
			close(cancelled)
			return ctx.Err()
		}
		return nil
	}
	lbs, err := loadbalancer.NewService(p).ListBalancers(context.Background(), loadbalancer.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, lbs, pages)
	select {
	case <-cancelled:
	case <-time.After(5 * time.Second):
		t.Error("the request made with the wrong token was not cancelled")
	}
	if n := p.inflight.Load(); n != 0 {
		t.Errorf("%d driver calls still running after the listing returned", n)
	}
}
