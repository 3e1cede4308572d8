package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/store"
	bolt "go.etcd.io/bbolt"
)

func TestMemoryStateRemovedOnClose(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	s, err := store.Open("")
	must(t, err)
	entries, _ := os.ReadDir(tmp)
	if len(entries) != 1 {
		t.Fatalf("want one temporary state directory, got %d", len(entries))
	}
	must(t, s.Close())
	if entries, _ = os.ReadDir(tmp); len(entries) != 0 {
		t.Fatalf("temporary state left behind: %v", entries)
	}
}

// refuse asserts Open fails with a message naming the path and the reason errors.Is finds,
// and leaves the file byte-for-byte unchanged.
func refuse(t *testing.T, path, wantMsg string, reason error) {
	t.Helper()
	before, err := os.ReadFile(path)
	must(t, err)
	s, err := store.Open(path)
	if err == nil {
		s.Close()
		t.Fatal("Open accepted the file")
	}
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), wantMsg) || !errors.Is(err, reason) {
		t.Fatalf("error %q should name %s, say %q and be %v", err, path, wantMsg, reason)
	}
	after, err := os.ReadFile(path)
	must(t, err)
	if !bytes.Equal(before, after) {
		t.Fatal("refused state file was modified")
	}
}

func TestRefusesNewerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	db, err := bolt.Open(path, 0o600, nil)
	must(t, err)
	must(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), []byte("99"))
	}))
	must(t, db.Close())
	refuse(t, path, "newer", store.ErrNewer)
}

func TestRefusesGarbageFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "garbage.db")
	must(t, os.WriteFile(path, bytes.Repeat([]byte("not a database "), 1000), 0o600))
	refuse(t, path, "not an lbcloud state file", store.ErrUnusable)

	short := filepath.Join(t.TempDir(), "short.db")
	must(t, os.WriteFile(short, []byte("xyz"), 0o600))
	refuse(t, short, "not an lbcloud state file", store.ErrUnusable)
}

func TestRefusesFileInUse(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.db")
	first, err := store.Open(path)
	must(t, err)
	defer first.Close()
	_, err = store.Open(path)
	if err == nil || !strings.Contains(err.Error(), "in use") || !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second open: %v", err)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A state file others may write is refused, unchanged, with the command that fixes it: anyone
// who can write it can change every balancer the endpoint serves.
func TestRefusesFileWritableByOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	s, err := store.Open(path)
	must(t, err)
	must(t, s.Close())
	for _, mode := range []os.FileMode{0o666, 0o620, 0o602} {
		must(t, os.Chmod(path, mode))
		refuse(t, path, "writable by group or others", store.ErrExposed)
		if _, err := store.Check(path); err == nil {
			t.Errorf("mode %o: Check accepted the file", mode)
		}
		fi, err := os.Stat(path)
		must(t, err)
		if fi.Mode().Perm() != mode {
			t.Errorf("mode changed to %o", fi.Mode().Perm())
		}
	}
	must(t, os.Chmod(path, 0o640)) // readable by the group is fine: the state holds no secrets
	s, err = store.Open(path)
	must(t, err)
	must(t, s.Close())
}
