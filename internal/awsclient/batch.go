package awsclient

import (
	"context"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/semaphore"
)

// Chunks splits s into slices of at most n, the shape of AWS calls that take a bounded list
// (20 balancers a DescribeTags, 200 values an EC2 filter).
func Chunks[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// InBatches calls fn on each batch of at most size items, each call holding one unit of
// limit while it runs. limit is shared by every InBatches call of a driver, so all of them
// together never have more calls in flight than it allows, however many run at once. The
// first error cancels the context the other calls were given and is returned; so is ctx's
// error when it ends before every batch was started.
func InBatches[T any](ctx context.Context, items []T, size int, limit *semaphore.Weighted, fn func(ctx context.Context, batch []T) error) error {
	g, gctx := errgroup.WithContext(ctx)
	var stopped error
	for _, batch := range Chunks(items, size) {
		if stopped = limit.Acquire(gctx, 1); stopped != nil {
			break
		}
		g.Go(func() error {
			defer limit.Release(1)
			return fn(gctx, batch)
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return stopped
}
