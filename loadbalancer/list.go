package loadbalancer

import (
	"context"
	"iter"
)

// ListBalancers returns every balancer (all pages).
func (s *Service) ListBalancers(ctx context.Context, opts ListOptions) ([]*LoadBalancer, error) {
	var out []*LoadBalancer
	for lb, err := range s.Balancers(ctx, opts) {
		if err != nil {
			return nil, err
		}
		out = append(out, lb)
	}
	return out, nil
}

// Balancers streams balancers page by page; memory stays flat however many there are (a
// few pages at a time). Pages are read ahead: while the loop body works on one page, the
// next are being fetched and, with IncludeTags, the ones before them tagged (two pages at
// once), so an inventory costs about one round trip per page rather than two. A driver
// that learns a page's token before decoding the page (see driver.ListPageOptions) has the
// next page asked for meanwhile, so decoding stays off the chain of page requests.
// Breaking out of the loop stops the listing; a listing error ends the sequence as its last
// pair (nil, err). No goroutine outlives the loop.
func (s *Service) Balancers(ctx context.Context, opts ListOptions) iter.Seq2[*LoadBalancer, error] {
	return func(yield func(*LoadBalancer, error) bool) {
		ctx, cancel := context.WithCancel(ctx)
		var stages []*stream
		defer func() {
			cancel()
			for _, st := range stages {
				<-st.done
			}
		}()
		last := s.readPages(ctx, opts)
		stages = append(stages, last)
		if opts.IncludeTags {
			last = s.tagPages(ctx, last)
			stages = append(stages, last)
		}
		for lbs := range last.pages {
			for _, lb := range lbs {
				if ctx.Err() != nil {
					break // the stages end too, and say why
				}
				if !yield(lb, nil) {
					return
				}
			}
		}
		err := last.err // set before pages was closed
		if err == nil && ctx.Err() != nil {
			err = &Error{Provider: s.d.Provider(), Op: "List", Message: ctx.Err().Error(), Err: ctx.Err()}
		}
		if err != nil {
			yield(nil, err)
		}
	}
}

// stream is one stage of the listing: pages of balancers, then, once pages is closed, err
// holds the error that ended the stage (nil at the end of the listing). done is closed when
// the stage's goroutine has returned.
type stream struct {
	pages chan []*LoadBalancer
	err   error
	done  chan struct{}
}

func newStream() *stream {
	return &stream{pages: make(chan []*LoadBalancer), done: make(chan struct{})}
}

// tagPagesInFlight is how many pages the tag stage tags at once: a page's tags start while
// the round of the page before it ends, so the stage keeps pace with the read-ahead.
const tagPagesInFlight = 2

// tagPages loads the tags of the pages of in, up to tagPagesInFlight pages at once, and hands
// them on in order, while in fetches the next pages.
func (s *Service) tagPages(ctx context.Context, in *stream) *stream {
	st := newStream()
	go func() {
		defer close(st.done)
		defer close(st.pages)
		ctx, cancel := context.WithCancel(ctx)
		var tagging []*pageTags // in page order
		defer func() {
			cancel()
			for _, t := range tagging {
				<-t.done
			}
		}()
		src := in.pages                // nil once in has ended
		var out chan<- []*LoadBalancer // st.pages while the first page is tagged, else nil
		for src != nil || len(tagging) > 0 {
			var recv <-chan []*LoadBalancer // nil while the stage is full
			if len(tagging) < tagPagesInFlight {
				recv = src
			}
			var head chan struct{}
			if len(tagging) > 0 && out == nil {
				head = tagging[0].done
			}
			var first []*LoadBalancer
			if out != nil {
				first = tagging[0].lbs
			}
			select {
			case lbs, ok := <-recv:
				if !ok {
					src = nil
					continue
				}
				tagging = append(tagging, s.loadTags(ctx, lbs))
			case <-head:
				if err := tagging[0].err; err != nil {
					// in, blocked on its next send, returns once the loop has cancelled ctx.
					st.err = err
					return
				}
				out = st.pages
			case out <- first:
				tagging, out = tagging[1:], nil
			case <-ctx.Done():
				return
			}
		}
		st.err = in.err // in.pages is closed, so in.err is set
	}()
	return st
}

// pageTags is the tagging of one page, in a goroutine of its own: err is set when done is
// closed.
type pageTags struct {
	lbs  []*LoadBalancer
	err  error
	done chan struct{}
}

func (s *Service) loadTags(ctx context.Context, lbs []*LoadBalancer) *pageTags {
	t := &pageTags{lbs: lbs, done: make(chan struct{})}
	go func() {
		defer close(t.done)
		if len(lbs) > 0 {
			t.err = s.d.LoadTags(ctx, lbs)
		}
	}()
	return t
}
