package elbserver

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// formatVersion is the layout version written to the meta bucket (2: with the describe
// view, see view.go). A file with
// a higher version was written by a newer release and is never touched.
const formatVersion = 2

// batchDelay bounds how long a write waits to share its commit with others.
const batchDelay = time.Millisecond

var (
	bucketMeta   = []byte("meta")
	bucketData   = []byte("data")
	keyFormat    = []byte("format")
	bucketLBs    = []byte("lb")
	bucketInst   = []byte("instances")
	bucketSubnet = []byte("subnets")
	bucketSG     = []byte("security-groups")
	keyLBCount   = []byte("lb-count")
)

// boltMagic identifies a bbolt file; it sits after the 16-byte page header of
// the first meta page.
const boltMagic = 0xED0CDAED

type store struct {
	db      *bolt.DB
	path    string
	tempDir string // removed on close when the store is in-memory
}

func openStore(path string) (*store, error) {
	s := &store{path: path}
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
			return nil, fmt.Errorf("elbserver: state file %s is in use by another process", s.path)
		}
		return nil, fmt.Errorf("elbserver: open state file %s: %w", s.path, err)
	}
	// A lone writer waits this long for company before committing: small next to an fsync,
	// long enough for concurrent requests to join the same commit.
	db.MaxBatchDelay = batchDelay
	s.db = db
	if err := db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketData); err != nil {
			return err
		}
		// checkExisting refused newer versions; an older one is brought up to date here.
		if v, _ := strconv.Atoi(string(m.Get(keyFormat))); v != 0 && v < 2 {
			if err := migrateViews(tx); err != nil {
				return err
			}
		}
		return m.Put(keyFormat, []byte(strconv.Itoa(formatVersion)))
	}); err != nil {
		s.Close()
		return nil, fmt.Errorf("elbserver: initialise state file %s: %w", s.path, err)
	}
	return s, nil
}

// checkExisting validates an existing state file read-only, so that a foreign,
// corrupt or newer file is refused without a single byte being written.
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
		return fmt.Errorf("elbserver: %s is not an lbcloud state file (not a bbolt database); refusing to use it", path)
	}
	return checkDB(path)
}

// checkDB opens a bbolt file read-only and checks its pages before anything trusts them:
// bbolt panics, or faults on its memory map, when it meets a damaged page, and a damaged
// state file must be an error that names it, never a crash.
func checkDB(path string) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("elbserver: state file %s is corrupt (%v); refusing to use it", path, v)
		}
	}()
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("elbserver: open state file %s: %w", path, err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		if errors.Is(err, berrors.ErrTimeout) {
			return fmt.Errorf("elbserver: state file %s is in use by another process", path)
		}
		return fmt.Errorf("elbserver: state file %s is corrupt or unreadable: %w", path, err)
	}
	defer db.Close()
	return db.View(func(tx *bolt.Tx) error {
		// A file shorter than its own high-water mark was truncated; reading it would fault.
		if tx.Size() > fi.Size() {
			return fmt.Errorf("elbserver: state file %s is truncated (%d bytes, %d expected); refusing to use it", path, fi.Size(), tx.Size())
		}
		var bad error
		for cerr := range tx.Check() { // drained to the end: Check's goroutine sends on an unbuffered channel
			if bad == nil {
				bad = cerr
			}
		}
		if bad != nil {
			return fmt.Errorf("elbserver: state file %s is corrupt (%v); refusing to use it", path, bad)
		}
		m := tx.Bucket(bucketMeta)
		if m == nil {
			empty := true
			_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
			if empty {
				return nil
			}
			return fmt.Errorf("elbserver: %s is a bbolt database without lbcloud metadata; refusing to use it", path)
		}
		v, err := strconv.Atoi(string(m.Get(keyFormat)))
		if err != nil {
			return fmt.Errorf("elbserver: state file %s has an unreadable format version", path)
		}
		if v > formatVersion {
			return fmt.Errorf("elbserver: state file %s has format version %d, newer than supported version %d; refusing to use it", path, v, formatVersion)
		}
		return nil
	})
}

func (s *store) removeTemp() {
	if s.tempDir != "" {
		os.RemoveAll(s.tempDir)
	}
}

func (s *store) Close() error {
	var err error
	if s.db != nil {
		err = s.db.Close()
	}
	s.removeTemp()
	return err
}

// part is one account/region partition inside a transaction. b is nil in a
// read-only transaction when the partition has never been written.
type part struct {
	tx              *bolt.Tx
	b               *bolt.Bucket
	account, region string
}

func (s *store) view(account, region string, fn func(*part) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		p := &part{tx: tx, account: account, region: region}
		if a := tx.Bucket(bucketData).Bucket([]byte(account)); a != nil {
			p.b = a.Bucket([]byte(region))
		}
		return fn(p)
	})
}

// update runs fn in a read-write transaction; bbolt fsyncs on commit, so an
// acknowledged write survives a crash. Concurrent writes share one transaction
// and one fsync (bbolt's group commit), which is what lets durable writes scale
// with clients; fn may therefore run more than once and must only change state
// through p.
func (s *store) update(account, region string, fn func(*part) error) error {
	return s.db.Batch(func(tx *bolt.Tx) error {
		a, err := tx.Bucket(bucketData).CreateBucketIfNotExists([]byte(account))
		if err != nil {
			return err
		}
		b, err := a.CreateBucketIfNotExists([]byte(region))
		if err != nil {
			return err
		}
		for _, name := range [][]byte{bucketLBs, bucketLBView, bucketInst, bucketSubnet, bucketSG} {
			if _, err := b.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return fn(&part{tx: tx, b: b, account: account, region: region})
	})
}

func (p *part) sub(name []byte) *bolt.Bucket {
	if p.b == nil {
		return nil
	}
	return p.b.Bucket(name)
}

func (p *part) getJSON(bucket []byte, key string, v any) (bool, error) {
	b := p.sub(bucket)
	if b == nil {
		return false, nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return false, nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return false, fmt.Errorf("decode %s/%s: %w", bucket, key, err)
	}
	return true, nil
}

func (p *part) putJSON(bucket []byte, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return p.b.Bucket(bucket).Put([]byte(key), raw)
}

func (p *part) getLB(name string) (*lbRecord, error) {
	var lb lbRecord
	ok, err := p.getJSON(bucketLBs, name, &lb)
	if err != nil || !ok {
		return nil, err
	}
	return &lb, nil
}

// mustLB loads a balancer or fails with LoadBalancerNotFound.
func (p *part) mustLB(name string) (*lbRecord, error) {
	lb, err := p.getLB(name)
	if err != nil {
		return nil, err
	}
	if lb == nil {
		return nil, errLBNotFound(name)
	}
	return lb, nil
}

func (p *part) putLB(lb *lbRecord) error {
	if err := p.putJSON(bucketLBs, lb.Name, lb); err != nil {
		return err
	}
	return p.putView(lb)
}

func (p *part) lbCount() int {
	if p.b == nil {
		return 0
	}
	raw := p.b.Get(keyLBCount)
	if len(raw) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(raw))
}

func (p *part) addLBCount(delta int) error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(max(p.lbCount()+delta, 0)))
	return p.b.Put(keyLBCount, buf[:])
}

// createLB stores a new balancer and bumps the partition counter.
func (p *part) createLB(lb *lbRecord) error {
	if err := p.putLB(lb); err != nil {
		return err
	}
	return p.addLBCount(1)
}

func (p *part) deleteLB(name string) (bool, error) {
	b := p.sub(bucketLBs)
	if b.Get([]byte(name)) == nil {
		return false, nil
	}
	if err := b.Delete([]byte(name)); err != nil {
		return false, err
	}
	if err := p.sub(bucketLBView).Delete([]byte(name)); err != nil {
		return false, err
	}
	return true, p.addLBCount(-1)
}

// updateLB loads the named balancer in one write transaction, lets fn change it and stores
// it: the shape of most actions. A missing balancer is LoadBalancerNotFound.
func (s *store) updateLB(account, region, name string, fn func(p *part, lb *lbRecord) error) error {
	return s.update(account, region, func(p *part) error {
		lb, err := p.mustLB(name)
		if err != nil {
			return err
		}
		if err := fn(p, lb); err != nil {
			return err
		}
		return p.putLB(lb)
	})
}
