package store_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// namesOf indexes a thing under each byte of its Name.
func namesOf(v *thing) []string {
	var out []string
	for _, n := range []byte(v.Name) {
		out = append(out, string(n))
	}
	return out
}

func naming(t *testing.T, s *store.Store, v *store.View[thing], term string) []string {
	t.Helper()
	var keys []string
	must(t, s.View("a", "r", func(p *store.Part) error {
		var err error
		keys, err = v.KeysNaming(p, term)
		return err
	}))
	return keys
}

// An index follows every write and delete of the view's records, and is built for records
// stored before it existed when the view is synced.
func TestIndexFollowsWritesAndIsBuiltOnSync(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := store.Open(path)
	must(t, err)
	plain := store.NewView("things-view", things, "1", renderAs("v"))
	must(t, plain.Sync(s))
	must(t, s.Update("a", "r", func(p *store.Part) error {
		if err := plain.Put(p, "k1", &thing{Name: "xy"}); err != nil {
			return err
		}
		return plain.Put(p, "k2", &thing{Name: "y"})
	}))
	must(t, s.Close())

	s, err = store.Open(path)
	must(t, err)
	defer s.Close()
	v := store.NewView("things-view", things, "1", renderAs("v")).WithIndex("things-by-letter", "1", namesOf)
	must(t, v.Sync(s))
	if got := naming(t, s, v, "y"); !slices.Equal(got, []string{"k1", "k2"}) {
		t.Fatalf("records stored before the index, naming y: %v", got)
	}
	must(t, s.Update("a", "r", func(p *store.Part) error {
		if err := v.Put(p, "k1", &thing{Name: "xz"}); err != nil {
			return err
		}
		if err := v.Put(p, "k3", &thing{Name: "zzz"}); err != nil {
			return err
		}
		_, err := v.Delete(p, "k2")
		return err
	}))
	for term, want := range map[string][]string{"x": {"k1"}, "y": nil, "z": {"k1", "k3"}, "": nil} {
		if got := naming(t, s, v, term); !slices.Equal(got, want) {
			t.Errorf("naming %q: %v, want %v", term, got, want)
		}
	}
	// A term holding a zero byte does not answer for a shorter one.
	must(t, s.Update("a", "r", func(p *store.Part) error { return v.Put(p, "k4", &thing{Name: "x\x00k9"}) }))
	if got := naming(t, s, v, "x"); !slices.Equal(got, []string{"k1", "k4"}) {
		t.Errorf("naming x beside a term with a zero byte: %v", got)
	}
	if got := naming(t, s, v, "\x00"); !slices.Equal(got, []string{"k4"}) {
		t.Errorf("naming the zero byte: %v", got)
	}
	if got := scanAll(t, s, v); got != "<v r/k1 0><v r/k3 0><v r/k4 0>" {
		t.Errorf("renderings beside the index: %q", got)
	}
}

// Regions reads an account's partitions: those written, in order, and none of another account.
func TestRegionsOfAnAccount(t *testing.T) {
	s := open(t)
	for _, ar := range [][2]string{{"a", "us-west-2"}, {"a", "global"}, {"a", "eu-west-1"}, {"b", "ap-south-1"}} {
		must(t, s.Update(ar[0], ar[1], func(p *store.Part) error { return things.Put(p, "k", &thing{}) }))
	}
	got, err := s.Regions("a")
	if err != nil || !slices.Equal(got, []string{"eu-west-1", "global", "us-west-2"}) {
		t.Errorf("regions of a: %v, %v", got, err)
	}
	if got, err := s.Regions("c"); err != nil || got != nil {
		t.Errorf("regions of an account never written: %v, %v", got, err)
	}
}
