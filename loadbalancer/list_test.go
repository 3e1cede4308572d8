package loadbalancer_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// pager is a driver whose listing the tests steer: pages of two balancers, hooks run inside
// ListPaged and LoadTags, and a count of the calls still running. With early set, ListPaged
// reports early(n) through OnNextPageToken (when not "") before running onPage, as a driver
// that learns the token from the raw answer does before decoding it.
type pager struct {
	recorder
	pages     int
	inflight  atomic.Int32
	listing   atomic.Int32 // ListPaged calls running
	maxListed atomic.Int32 // the most ListPaged calls that ran at once
	early     func(page int) string
	onPage    func(ctx context.Context, page int) error
	onTags    func(ctx context.Context, first string) error
}

func (p *pager) ListPaged(ctx context.Context, opts *driver.ListPageOptions) (*driver.ListPage, error) {
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	running := p.listing.Add(1)
	defer p.listing.Add(-1)
	for old := p.maxListed.Load(); running > old && !p.maxListed.CompareAndSwap(old, running); old = p.maxListed.Load() {
	}
	n := 0
	fmt.Sscan(opts.PageToken, &n)
	if p.early != nil && opts.OnNextPageToken != nil {
		if t := p.early(n); t != "" {
			opts.OnNextPageToken(t)
		}
	}
	if p.onPage != nil {
		if err := p.onPage(ctx, n); err != nil {
			return nil, err
		}
	}
	lp := &driver.ListPage{Balancers: []*driver.LoadBalancer{{ID: fmt.Sprintf("%d-0", n)}, {ID: fmt.Sprintf("%d-1", n)}}}
	if n+1 < p.pages {
		lp.NextPageToken = fmt.Sprint(n + 1)
	}
	return lp, nil
}

func (p *pager) LoadTags(ctx context.Context, lbs []*driver.LoadBalancer) error {
	p.inflight.Add(1)
	defer p.inflight.Add(-1)
	if p.onTags != nil {
		if err := p.onTags(ctx, lbs[0].ID); err != nil {
			return err
		}
	}
	for _, lb := range lbs {
		lb.Tags = map[string]string{"id": lb.ID}
	}
	return nil
}

// The next page is fetched while the current one's tags load: the tags of page 0 wait until
// page 1 has been asked for, which never happens in a listing that does one thing at a time.
func TestBalancersFetchesTheNextPageWhileTagging(t *testing.T) {
	page1 := make(chan struct{})
	p := &pager{pages: 3}
	p.onPage = func(_ context.Context, n int) error {
		if n == 1 {
			close(page1)
		}
		return nil
	}
	p.onTags = func(ctx context.Context, first string) error {
		if first != "0-0" {
			return nil
		}
		select {
		case <-page1:
			return nil
		case <-time.After(5 * time.Second):
			return errors.New("page 1 was not fetched while page 0 was being tagged")
		}
	}
	lbs, err := loadbalancer.NewService(p).ListBalancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(lbs) != 6 || lbs[5].ID != "2-1" || lbs[5].Tags["id"] != "2-1" {
		t.Fatalf("listing = %d balancers, last %+v", len(lbs), lbs[len(lbs)-1])
	}
}

// Two pages are tagged at once and still handed on in order: page 0's tags load until page
// 1's have been loaded (page 3 asked for meanwhile), and no more than two pages are ever
// being tagged.
func TestBalancersTagTwoPagesAtOnceInOrder(t *testing.T) {
	const pages = 6
	asked, waitAsked := askedFor(pages)
	page0Started, page1Tagged := make(chan struct{}), make(chan struct{})
	var tagging, peak atomic.Int32
	p := &pager{pages: pages, early: nextToken(pages)}
	p.onPage = func(_ context.Context, n int) error {
		close(asked[n])
		return nil
	}
	p.onTags = func(ctx context.Context, first string) error {
		n := tagging.Add(1)
		defer tagging.Add(-1)
		for old := peak.Load(); n > old && !peak.CompareAndSwap(old, n); old = peak.Load() {
		}
		switch first {
		case "0-0":
			close(page0Started)
			select {
			case <-page1Tagged:
			case <-time.After(5 * time.Second):
				return errors.New("page 1 was not tagged while page 0 was")
			}
			return waitAsked(ctx, 3, 0)
		case "1-0":
			<-page0Started // page 0's tagging may start after page 1's
			close(page1Tagged)
		}
		return nil
	}
	lbs, err := loadbalancer.NewService(p).ListBalancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, lbs, pages)
	for _, lb := range lbs {
		if lb.Tags["id"] != lb.ID {
			t.Errorf("%s tagged %v", lb.ID, lb.Tags)
		}
	}
	if got := peak.Load(); got != 2 {
		t.Errorf("at most %d pages were tagged at once, want 2", got)
	}
}

// A failure to tag a later page does not overtake the pages before it: page 2 fails while
// page 1, still loading, succeeds, and the listing ends with pages 0 and 1, then the error.
func TestBalancersTagErrorsComeInOrder(t *testing.T) {
	boom := &driver.Error{Kind: driver.ErrThrottled, Provider: "fake", Code: "Throttling"}
	page2Failed := make(chan struct{})
	p := &pager{pages: 4, onTags: func(_ context.Context, first string) error {
		switch first {
		case "1-0":
			select {
			case <-page2Failed:
			case <-time.After(5 * time.Second):
			}
		case "2-0":
			close(page2Failed)
			return boom
		}
		return nil
	}}
	lbs, last := listUntilError(t, loadbalancer.NewService(p))
	wantIDs(t, lbs, 2)
	if !errors.Is(last, driver.ErrThrottled) {
		t.Fatalf("listing ended with %v, want page 2's error", last)
	}
}

// However the loop ends, no driver call is still running when it has returned.
func TestBalancersLeaveNothingRunning(t *testing.T) {
	block := func(ctx context.Context, n int) error {
		if n > 0 {
			<-ctx.Done() // the read-ahead of later pages hangs until cancelled
			return ctx.Err()
		}
		return nil
	}
	cases := map[string]func(t *testing.T, svc *loadbalancer.Service){
		"break": func(t *testing.T, svc *loadbalancer.Service) {
			for range svc.Balancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true}) {
				break
			}
		},
		"cancel": func(t *testing.T, svc *loadbalancer.Service) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var last error
			for _, err := range svc.Balancers(ctx, loadbalancer.ListOptions{}) {
				cancel()
				last = err
			}
			if !errors.Is(last, context.Canceled) {
				t.Errorf("a cancelled listing ended with %v, want context.Canceled", last)
			}
		},
		"panic": func(t *testing.T, svc *loadbalancer.Service) {
			defer func() { _ = recover() }()
			for range svc.Balancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true}) {
				panic("loop body fails")
			}
		},
	}
	hangTags := func(ctx context.Context, first string) error {
		if first != "0-0" {
			<-ctx.Done() // tags after page 0's hang until cancelled
			return ctx.Err()
		}
		return nil
	}
	pagers := map[string]func() *pager{
		"plain": func() *pager { return &pager{pages: 5, onPage: block} },
		// pages 1 to 3 are asked for while page 1 blocks
		"early": func() *pager { return &pager{pages: 5, onPage: block, early: nextToken(5)} },
		"tags":  func() *pager { return &pager{pages: 5, early: nextToken(5), onTags: hangTags} },
	}
	for name, run := range cases {
		for variant, newPager := range pagers {
			t.Run(name+"/"+variant, func(t *testing.T) {
				p := newPager()
				run(t, loadbalancer.NewService(p))
				if n := p.inflight.Load(); n != 0 {
					t.Errorf("%d driver calls still running after the loop returned", n)
				}
			})
		}
	}
}

// listUntilError lists svc with tags and returns the balancers and the error that ended the
// listing, failing the test if a balancer comes after it.
func listUntilError(t *testing.T, svc *loadbalancer.Service) ([]*loadbalancer.LoadBalancer, error) {
	t.Helper()
	var lbs []*loadbalancer.LoadBalancer
	var last error
	for lb, err := range svc.Balancers(context.Background(), loadbalancer.ListOptions{IncludeTags: true}) {
		if err != nil {
			last = err
			continue
		}
		if last != nil {
			t.Fatalf("balancer %s yielded after the error", lb.ID)
		}
		lbs = append(lbs, lb)
	}
	return lbs, last
}

// A failure to load tags ends the listing with that error and nothing after it.
func TestBalancersTagFailureEndsTheListing(t *testing.T) {
	boom := &driver.Error{Kind: driver.ErrThrottled, Provider: "fake", Code: "Throttling"}
	p := &pager{pages: 4, onTags: func(_ context.Context, first string) error {
		if first == "1-0" {
			return boom
		}
		return nil
	}}
	lbs, last := listUntilError(t, loadbalancer.NewService(p))
	var got []string
	for _, lb := range lbs {
		got = append(got, lb.ID)
	}
	if !errors.Is(last, driver.ErrThrottled) || len(got) != 2 {
		t.Fatalf("listing = %v then %v; want page 0, then the tag error", got, last)
	}
}
