package store_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// tamper rewrites values straight through bbolt, below the store's checksums.
func tamper(t *testing.T, path string, fn func(b *bolt.Bucket) error) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	defer db.Close()
	must(t, db.Update(func(tx *bolt.Tx) error {
		return fn(tx.Bucket([]byte("data")).Bucket([]byte("a")).Bucket([]byte("r")))
	}))
}

func TestChecksumsCatchDamage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	s, err := store.Open(path)
	must(t, err)
	must(t, s.Update("a", "r", func(p *store.Part) error {
		for _, k := range []string{"flipped", "moved", "sound"} {
			if err := things.Put(p, k, &thing{Name: k}); err != nil {
				return err
			}
		}
		return nil
	}))
	must(t, s.Close())
	if r, err := store.Check(path); err != nil || !r.OK() || r.Records != 4 || r.Partitions != 1 {
		t.Fatalf("sound file: %+v %v", r, err)
	}
	tamper(t, path, func(data *bolt.Bucket) error {
		b := data.Bucket([]byte("things"))
		v := append([]byte(nil), b.Get([]byte("flipped"))...)
		v[len(v)-3] ^= 1
		if err := b.Put([]byte("flipped"), v); err != nil {
			return err
		}
		// A sound value under another key is damage too.
		if err := b.Put([]byte("moved"), append([]byte(nil), b.Get([]byte("sound"))...)); err != nil {
			return err
		}
		return data.Bucket([]byte("counts")).Put([]byte("things"), []byte("garbage!garbage!"))
	})
	r, err := store.Check(path)
	must(t, err)
	if len(r.Damaged) != 3 {
		t.Fatalf("damage found: %+v", r.Damaged)
	}

	s, err = store.Open(path)
	must(t, err)
	defer s.Close()
	must(t, s.View("a", "r", func(p *store.Part) error {
		for _, k := range []string{"flipped", "moved"} {
			_, err := things.Get(p, k)
			var de *store.DamageError
			if !errors.As(err, &de) || !errors.Is(err, store.ErrDamaged) || de.Key != k || de.Bucket != "things" || de.Account != "a" {
				t.Errorf("get %s: %v", k, err)
			}
		}
		if v, err := things.Get(p, "sound"); err != nil || v.Name != "sound" {
			t.Errorf("sound record: %+v %v", v, err)
		}
		// A counter is derived: a damaged one is counted again.
		if n, err := things.Count(p); n != 3 || err != nil {
			t.Errorf("count with a damaged counter: %d %v", n, err)
		}
		return nil
	}))
}

// An older file's values have no checksums to verify until it is migrated.
func TestCheckOlderFormat(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "format2.db"))
	must(t, err)
	path := filepath.Join(t.TempDir(), "state.db")
	must(t, os.WriteFile(path, raw, 0o600))
	r, err := store.Check(path)
	if err != nil || r.Format != 2 || !r.Unchecked || r.Records != 0 {
		t.Fatalf("format 2: %+v %v", r, err)
	}
	s, err := store.Open(path)
	must(t, err)
	must(t, s.Close())
	if r, err = store.Check(path); err != nil || r.Format != store.FormatVersion || r.Unchecked || !r.OK() || r.Records == 0 {
		t.Fatalf("after migration: %+v %v", r, err)
	}
}
