// Package store is the endpoint's durable state: one bbolt file, partitioned by account and
// region, holding checksummed JSON records in named buckets, derived views kept beside them,
// and a format version with ordered migrations run on open. It also holds the record types of
// every API, one file per API; records are plain Go values, rendering is the rooms' business.
package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// batchDelay bounds how long a write waits to share its commit with others.
const batchDelay = time.Millisecond

var (
	bucketMeta = []byte("meta")
	bucketData = []byte("data")
	keyFormat  = []byte("format")
)

// boltMagic identifies a bbolt file; it sits after the 16-byte page header of the first meta
// page.
const boltMagic = 0xED0CDAED

// Store is an open state file. It is safe for concurrent use.
type Store struct {
	db      *bolt.DB
	path    string
	tempDir string // removed on close when the store is in-memory

	subsMu sync.Mutex
	subs   map[chan struct{}]struct{}
}

// Open opens (or creates) the state file at path; "" means an in-memory store (a temporary
// file removed on Close). A file that is corrupt, foreign, written by a newer version or
// writable by others is refused without a byte being written; an older format is migrated.
func Open(path string) (*Store, error) {
	s := &Store{path: path, subs: map[chan struct{}]struct{}{}}
	if path == "" {
		dir, err := os.MkdirTemp("", "elbserver-")
		if err != nil {
			return nil, fmt.Errorf("elbserver: create temporary state: %w", err)
		}
		s.tempDir = dir
		s.path = dir + string(os.PathSeparator) + "state.db"
	} else if err := checkExisting(path); err != nil {
		return nil, err
	}
	db, err := bolt.Open(s.path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		s.removeTemp()
		if errors.Is(err, berrors.ErrTimeout) {
			return nil, refused(ErrInUse, "elbserver: state file %s is in use by another process", s.path)
		}
		return nil, fmt.Errorf("elbserver: open state file %s: %w", s.path, err)
	}
	// A lone writer waits this long for company before committing: small next to an fsync,
	// long enough for concurrent requests to join the same commit.
	db.MaxBatchDelay = batchDelay
	s.db = db
	if err := db.Update(initialise); err != nil {
		s.Close()
		return nil, fmt.Errorf("elbserver: initialise state file %s: %w", s.path, err)
	}
	return s, nil
}

// initialise creates the top-level buckets and brings an older format up to date, in the
// transaction that records the current format version.
func initialise(tx *bolt.Tx) error {
	m, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	if _, err := tx.CreateBucketIfNotExists(bucketData); err != nil {
		return err
	}
	// checkExisting refused newer versions; 0 is a new file, with nothing to migrate.
	if v, _ := strconv.Atoi(string(m.Get(keyFormat))); v != 0 {
		if err := migrate(tx, v); err != nil {
			return err
		}
	}
	return m.Put(keyFormat, []byte(strconv.Itoa(FormatVersion)))
}

// checkExisting validates an existing state file read-only, so that a foreign, corrupt or
// newer file is refused without a single byte being written.
func checkExisting(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("elbserver: open state file %s: %w", path, err)
	}
	head := make([]byte, 24)
	n, err := io.ReadFull(f, head)
	f.Close()
	if n == 0 && (err == io.EOF || err == nil) {
		return nil // empty file: bbolt initialises it
	}
	if err != nil || binary.LittleEndian.Uint32(head[16:20]) != boltMagic {
		return refused(ErrUnusable, "elbserver: %s is not an lbcloud state file (not a bbolt database); refusing to use it", path)
	}
	_, err = inspect(path, nil)
	return err
}

// inspect opens a bbolt file read-only and checks its pages before anything trusts them, then
// its format version, and returns that version; fn, if given, then reads the file. bbolt
// panics, or faults on its memory map, when it meets a damaged page, and a damaged state file
// must be an error that names it, never a crash.
func inspect(path string, fn func(tx *bolt.Tx, format int) error) (format int, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			err = refused(ErrUnusable, "elbserver: state file %s is corrupt (%v); refusing to use it", path, v)
		}
	}()
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("elbserver: open state file %s: %w", path, err)
	}
	// Whoever can write the file can change every balancer served from it. Refused rather than
	// re-moded: the file is left as found, like every refused file, and its owner decides.
	if perm := fi.Mode().Perm(); perm&0o022 != 0 {
		return 0, refused(ErrExposed, "elbserver: state file %s is writable by group or others (mode %04o); refusing to use it (chmod 600 %s)", path, perm, path)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return 0, refused(ErrInUse, "elbserver: state file %s is in use by another process", path)
		}
		return 0, refused(ErrUnusable, "elbserver: state file %s is corrupt or unreadable: %w", path, err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		// A file shorter than its own high-water mark was truncated; reading it would fault.
		if tx.Size() > fi.Size() {
			return refused(ErrUnusable, "elbserver: state file %s is truncated (%d bytes, %d expected); refusing to use it", path, fi.Size(), tx.Size())
		}
		var bad error
		for cerr := range tx.Check() { // drained to the end: Check's goroutine sends on an unbuffered channel
			if bad == nil {
				bad = cerr
			}
		}
		if bad != nil {
			return refused(ErrUnusable, "elbserver: state file %s is corrupt (%v); refusing to use it", path, bad)
		}
		m := tx.Bucket(bucketMeta)
		if m == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if empty {
				return nil
			}
			return refused(ErrUnusable, "elbserver: %s is a bbolt database without lbcloud metadata; refusing to use it", path)
		}
		v, err := strconv.Atoi(string(m.Get(keyFormat)))
		if err != nil || v < 1 {
			return refused(ErrUnusable, "elbserver: state file %s has an unreadable format version", path)
		}
		if v > FormatVersion {
			return refused(ErrNewer, "elbserver: state file %s has format version %d, newer than supported version %d; refusing to use it", path, v, FormatVersion)
		}
		format = v
		if fn != nil {
			return fn(tx, v)
		}
		return nil
	})
	return format, err
}

func (s *Store) removeTemp() {
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}

// Close releases the state file (and removes it when in-memory).
func (s *Store) Close() error {
	var err error
	if s.db != nil {
		err = s.db.Close()
	}
	s.removeTemp()
	return err
}
