package loadbalancer

import (
	"context"
	"iter"
	"sync"
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
// next are being fetched and, with IncludeTags, the two before them tagged, so an
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

// tagPages loads the tags of the pages of in before handing them on, in order, while in
// fetches the next pages. Two pages are tagged at once, so a page's calls need not wait for
// the slowest call of the page before; the driver bounds the calls in flight of both
// together (see driver.Driver.LoadTags).
//
// A starter begins each page's tagging and queues it; the sender waits for each queued
// page in turn and hands it on. The queue holds one page besides the one the sender waits
// for, which bounds the pages being tagged to two.
func (s *Service) tagPages(ctx context.Context, in *stream) *stream {
	st := newStream()
	queue := make(chan *tagging, 1)
	var end error // in's error, set by the starter before it closes queue
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(queue)
		for lbs := range in.pages {
			t := &tagging{lbs: lbs, done: make(chan struct{})}
			select {
			case queue <- t:
			case <-ctx.Done(): // the sender has stopped; in returns once cancelled too
				return
			}
			wg.Go(func() { t.run(ctx, s) })
		}
		end = in.err // in.pages is closed, so in.err is set
	})
	go func() {
		defer close(st.done)
		defer wg.Wait() // after pages is closed: the loop cancels ctx, which ends the others
		defer close(st.pages)
		for t := range queue {
			<-t.done
			if t.err != nil {
				st.err = t.err
				return
			}
			if !st.send(ctx, t.lbs) {
				return
			}
		}
		st.err = end
	}()
	return st
}

// tagging is one page whose tags are loading: err is set when done is closed.
type tagging struct {
	lbs  []*LoadBalancer
	err  error
	done chan struct{}
}

func (t *tagging) run(ctx context.Context, s *Service) {
	defer close(t.done)
	if len(t.lbs) > 0 {
		t.err = s.d.LoadTags(ctx, t.lbs)
	}
}
