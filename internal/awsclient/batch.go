package awsclient

import (
	"context"

	"golang.org/x/sync/errgroup"
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

// InBatches calls fn on each batch of at most size items, up to limit calls at once. The
// first error cancels the context the other calls were given and is returned.
func InBatches[T any](ctx context.Context, items []T, size, limit int, fn func(ctx context.Context, batch []T) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for _, batch := range Chunks(items, size) {
		g.Go(func() error { return fn(gctx, batch) })
	}
	return g.Wait()
}
