package awsclient

import (
	"context"
	"maps"
	"sync"

	"golang.org/x/sync/semaphore"
)

// Tags reads the tags of resources by ID, batch IDs a call (DescribeTags' limit), each call
// holding one unit of limit (see InBatches); describe reads one batch and returns each resource's tags by ID.
//
// With gone not nil, a batch failing with an error gone recognises (a resource deleted since
// it was listed) is read again one ID at a time, and the resources that are gone are left
// out: an inventory must not fail because one balancer went between its page and its tags.
func Tags(ctx context.Context, ids []string, batch int, limit *semaphore.Weighted, gone func(error) bool,
	describe func(ctx context.Context, ids []string) (map[string]map[string]string, error)) (map[string]map[string]string, error) {
	var mu sync.Mutex
	out := make(map[string]map[string]string, len(ids))
	read := func(ctx context.Context, ids []string) error {
		tags, err := describe(ctx, ids)
		if err != nil {
			return err
		}
		mu.Lock()
		defer mu.Unlock()
		maps.Copy(out, tags)
		return nil
	}
	err := InBatches(ctx, ids, batch, limit, func(ctx context.Context, ids []string) error {
		err := read(ctx, ids)
		if err == nil || gone == nil || !gone(err) {
			return err
		}
		for _, id := range ids {
			if err := read(ctx, []string{id}); err != nil && !gone(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
