package loadbalancer

import (
	"context"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// pagesInFlight bounds the read-ahead of readPages: how many pages it holds at once, read
// (waiting to be handed on) or being read, when the driver reports each page's token before
// it has decoded the page. Decoding a large page can take as long as the round trip of the
// next, so two may be read at once while a third waits for the next stage; memory stays
// bounded by this many pages.
const pagesInFlight = 3

// readPages fetches the pages in order and hands them on unbuffered. Each page needs its
// predecessor's token; as soon as a driver reports it (OnNextPageToken), the next page is
// asked for while the earlier one is still being read, and while a page waits for the next
// stage to take it, up to pagesInFlight pages. Whatever way the stage ends, every call it
// started has returned before done is closed.
func (s *Service) readPages(ctx context.Context, opts ListOptions) *stream {
	st := newStream()
	go func() {
		defer close(st.done)
		defer close(st.pages)
		// The calls in flight, in page order; each after the first was started from the
		// early token of the one before it.
		ahead := []*pageFetch{s.fetchPage(ctx, opts, "")}
		defer func() { stopFetches(ahead) }()
		var ready []*LoadBalancer      // a page read, waiting to be handed on
		var out chan<- []*LoadBalancer // st.pages while there is one, else nil (never ready)
		for len(ahead) > 0 || out != nil {
			var early chan string   // nil unless another call may start
			var res chan pageResult // nil while a page waits to be handed on
			if n := len(ahead); n > 0 {
				held := n
				if out != nil {
					held++
				}
				if tail := ahead[n-1]; held < pagesInFlight && !tail.followed {
					early = tail.early
				}
				if out == nil {
					res = ahead[0].res
				}
			}
			select {
			case token := <-early:
				ahead[len(ahead)-1].followed = true
				ahead = append(ahead, s.fetchPage(ctx, opts, token))
			case r := <-res:
				ahead[0].cancel()
				ahead = ahead[1:]
				if r.err != nil {
					st.err = r.err
					return
				}
				if next := r.page.NextPageToken; len(ahead) == 0 || ahead[0].token != next {
					// Not read ahead, or from a token the page did not end with.
					stopFetches(ahead)
					ahead = nil
					if next != "" {
						ahead = append(ahead, s.fetchPage(ctx, opts, next))
					}
				}
				ready, out = r.page.Balancers, st.pages
			case out <- ready:
				ready, out = nil, nil
			case <-ctx.Done():
				if res != nil {
					// The call being waited for ends with the cancellation, in the
					// provider's words (which call, its error type).
					r := <-res
					ahead[0].cancel()
					ahead = ahead[1:]
					st.err = r.err
				}
				return
			}
		}
	}()
	return st
}

// pageFetch is one ListPaged call running in a goroutine of its own.
type pageFetch struct {
	token    string             // the page token it asked with
	cancel   context.CancelFunc // cancels the call
	early    chan string        // the first token the driver reported early (buffered)
	res      chan pageResult    // the call's one result (buffered)
	followed bool               // whether its early token has been acted on
}

type pageResult struct {
	page *driver.ListPage
	err  error
}

// fetchPage starts the call for the page token names ("" for the first page).
func (s *Service) fetchPage(ctx context.Context, opts ListOptions, token string) *pageFetch {
	ctx, cancel := context.WithCancel(ctx)
	f := &pageFetch{token: token, cancel: cancel, early: make(chan string, 1), res: make(chan pageResult, 1)}
	in := &driver.ListPageOptions{Names: opts.Names, PageSize: opts.PageSize, PageToken: token,
		OnNextPageToken: func(next string) {
			if next == "" {
				return
			}
			select {
			case f.early <- next:
			default: // only the first call counts
			}
		}}
	go func() {
		lp, err := s.d.ListPaged(ctx, in)
		f.res <- pageResult{lp, err}
	}()
	return f
}

// stopFetches cancels calls whose result is no longer wanted and waits for them to return.
func stopFetches(fs []*pageFetch) {
	for _, f := range fs {
		f.cancel()
	}
	for _, f := range fs {
		<-f.res
	}
}
