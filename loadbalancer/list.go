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
// next are being fetched and, with IncludeTags, the one before them tagged, so an
// inventory costs about one round trip per page rather than two. A driver
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

// send hands a page on, unless the listing has been stopped.
func (st *stream) send(ctx context.Context, lbs []*LoadBalancer) bool {
	select {
	case st.pages <- lbs:
		return true
	case <-ctx.Done():
		return false
	}
}

// tagPages loads the tags of each page of in before handing it on, while in fetches the
// next page.
func (s *Service) tagPages(ctx context.Context, in *stream) *stream {
	st := newStream()
	go func() {
		defer close(st.done)
		defer close(st.pages)
		for lbs := range in.pages {
			if len(lbs) > 0 {
				if err := s.d.LoadTags(ctx, lbs); err != nil {
					// in, blocked on its next send, returns once the loop has cancelled ctx.
					st.err = err
					return
				}
			}
			if !st.send(ctx, lbs) {
				return
			}
		}
		st.err = in.err // in.pages is closed, so in.err is set
	}()
	return st
}
