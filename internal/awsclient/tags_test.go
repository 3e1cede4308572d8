package awsclient

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"golang.org/x/sync/semaphore"
)

var errGone = errors.New("gone")

// A batch meeting a resource that is gone is read again one ID at a time: the others keep
// their tags and the gone one is left out. Without gone, or with another error, the call fails.
func TestTagsSkipsTheGone(t *testing.T) {
	var ids []string
	for i := range 45 {
		ids = append(ids, fmt.Sprintf("r-%02d", i))
	}
	var mu sync.Mutex
	var calls [][]string
	describe := func(_ context.Context, batch []string) (map[string]map[string]string, error) {
		mu.Lock()
		calls = append(calls, batch)
		mu.Unlock()
		out := map[string]map[string]string{}
		for _, id := range batch {
			switch id {
			case "r-07":
				return nil, errGone
			case "r-40":
				return nil, errors.New("boom")
			}
			out[id] = map[string]string{"id": id}
		}
		return out, nil
	}
	isGone := func(err error) bool { return errors.Is(err, errGone) }
	got, err := Tags(t.Context(), ids[:40], 20, semaphore.NewWeighted(2), isGone, describe)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 39 || got["r-07"] != nil || got["r-08"]["id"] != "r-08" || got["r-39"]["id"] != "r-39" {
		t.Errorf("tags = %d resources, r-07 %v, r-08 %v", len(got), got["r-07"], got["r-08"])
	}
	if len(calls) != 2+20 {
		t.Errorf("%d describe calls, want 2 batches and the failed one again one by one", len(calls))
	}
	if _, err := Tags(t.Context(), ids[:40], 20, semaphore.NewWeighted(2), nil, describe); !errors.Is(err, errGone) {
		t.Errorf("without gone: %v, want the error", err)
	}
	if _, err := Tags(t.Context(), ids, 20, semaphore.NewWeighted(2), isGone, describe); err == nil || errors.Is(err, errGone) {
		t.Errorf("another error: %v, want it returned", err)
	}
}

type pair struct{ K, V *string }

func TestKeyValues(t *testing.T) {
	m := map[string]string{"b": "2", "a": "1", "c": ""}
	list := KeyValueList(m, func(k, v *string) pair { return pair{k, v} })
	var keys []string
	for _, p := range list {
		keys = append(keys, aws.ToString(p.K))
	}
	if !slices.Equal(keys, []string{"a", "b", "c"}) {
		t.Errorf("keys in order %v, want sorted", keys)
	}
	if back := KeyValueMap(list, func(p pair) (*string, *string) { return p.K, p.V }); !maps.Equal(back, m) {
		t.Errorf("round trip = %v, want %v", back, m)
	}
	if KeyValueList(map[string]string{}, func(k, v *string) pair { return pair{k, v} }) != nil {
		t.Error("an empty map must give no list")
	}
}
