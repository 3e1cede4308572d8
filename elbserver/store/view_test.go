package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

func renderAs(prefix string) func(*store.Part, string, *thing) ([]byte, error) {
	return func(p *store.Part, key string, v *thing) ([]byte, error) {
		return fmt.Appendf(nil, "<%s %s/%s %d>", prefix, p.Region, key, v.N), nil
	}
}

func scanAll(t *testing.T, s *store.Store, v *store.View[thing]) string {
	t.Helper()
	var out []byte
	must(t, s.View("a", "r", func(p *store.Part) error {
		var err error
		out, _, _, err = v.Scan(p, nil, "", 100)
		return err
	}))
	return string(out)
}

// A view is written with its record, read by key or in pages, and rebuilt when its version
// changes, so that a changed renderer reaches records stored before the change.
func TestViewRebuiltWhenVersionChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := store.Open(path)
	must(t, err)
	v1 := store.NewView("things-view", things, "1", renderAs("v1"))
	must(t, v1.Sync(s))
	must(t, s.Update("a", "r", func(p *store.Part) error {
		for i := range 3 {
			if err := v1.Put(p, fmt.Sprint("k", i), &thing{N: i}); err != nil {
				return err
			}
		}
		_, err := v1.Delete(p, "k2")
		return err
	}))
	if got := scanAll(t, s, v1); got != "<v1 r/k0 0><v1 r/k1 1>" {
		t.Fatalf("scan %q", got)
	}
	must(t, s.View("a", "r", func(p *store.Part) error {
		page, last, more, err := v1.Scan(p, nil, "", 1)
		if string(page) != "<v1 r/k0 0>" || last != "k0" || !more || err != nil {
			t.Errorf("first page %q %q %v %v", page, last, more, err)
		}
		page, ok, err := v1.Append(p, []byte("x"), "k1")
		if string(page) != "x<v1 r/k1 1>" || !ok || err != nil {
			t.Errorf("append k1: %q %v %v", page, ok, err)
		}
		if _, ok, err := v1.Append(p, nil, "k2"); ok || err != nil {
			t.Errorf("append of a deleted record: %v %v", ok, err)
		}
		return nil
	}))
	must(t, s.Close())

	// Same version: nothing is rebuilt (the new renderer is not used).
	s, err = store.Open(path)
	must(t, err)
	same := store.NewView("things-view", things, "1", renderAs("same"))
	must(t, same.Sync(s))
	if got := scanAll(t, s, same); got != "<v1 r/k0 0><v1 r/k1 1>" {
		t.Fatalf("same version rebuilt: %q", got)
	}
	v2 := store.NewView("things-view", things, "2", renderAs("v2"))
	must(t, v2.Sync(s))
	if got := scanAll(t, s, v2); got != "<v2 r/k0 0><v2 r/k1 1>" {
		t.Fatalf("after version change: %q", got)
	}
	must(t, s.Close())
}
