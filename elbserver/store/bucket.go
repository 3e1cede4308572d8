package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
)

// DefaultMaxRecord bounds one record's JSON unless its bucket says otherwise: far above any
// legitimate record (a Classic balancer with its limits' worth of listeners, policies and
// instances is a few hundred kilobytes), far below what would hurt a describe.
const DefaultMaxRecord = 1 << 20

// bucketCounts holds, per partition, how many records each bucket has, so that quotas are
// checked without walking a bucket.
var bucketCounts = []byte("counts")

// Bucket is a named bucket of JSON records of type T in every partition. Declare one per
// record type, as a package-level variable of this package.
type Bucket[T any] struct {
	name []byte
	max  int
}

// NewBucket declares a bucket; maxBytes bounds each record's JSON (0: DefaultMaxRecord).
func NewBucket[T any](name string, maxBytes int) Bucket[T] {
	if maxBytes == 0 {
		maxBytes = DefaultMaxRecord
	}
	return Bucket[T]{name: []byte(name), max: maxBytes}
}

// Name is the bucket's name in the file.
func (b Bucket[T]) Name() string { return string(b.name) }

// Get returns the record stored under key, nil when there is none. A record that fails its
// checksum or does not decode is a *DamageError naming it.
func (b Bucket[T]) Get(p *Part, key string) (*T, error) {
	raw, err := p.get(b.name, []byte(key))
	if raw == nil || err != nil {
		return nil, err
	}
	return b.decode(p, []byte(key), raw)
}

func (b Bucket[T]) decode(p *Part, key, raw []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(raw, v); err != nil {
		return nil, p.damaged(b.name, key, "undecodable: "+err.Error())
	}
	return v, nil
}

// Has reports whether a record is stored under key, without reading it.
func (b Bucket[T]) Has(p *Part, key string) bool {
	sb, _ := p.sub(b.name)
	return sb != nil && sb.Get([]byte(key)) != nil
}

// Put stores v under key.
func (b Bucket[T]) Put(p *Part, key string, v *T) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	created, err := p.put(b.name, []byte(key), raw, b.max)
	if err != nil || !created {
		return err
	}
	return p.addCount(b.name, 1)
}

// Delete removes the record under key and reports whether there was one.
func (b Bucket[T]) Delete(p *Part, key string) (bool, error) {
	ok, err := p.del(b.name, []byte(key))
	if !ok || err != nil {
		return ok, err
	}
	return true, p.addCount(b.name, -1)
}

// Count returns how many records the bucket holds in the partition.
func (b Bucket[T]) Count(p *Part) (int, error) {
	return p.count(b.name)
}

// ForEach calls fn with every record of the partition, in key order, until fn fails.
func (b Bucket[T]) ForEach(p *Part, fn func(key string, v *T) error) error {
	return b.ForEachFrom(p, "", fn)
}

// ForEachFrom calls fn with every record whose key sorts at or after from, in key order, until
// fn fails: it seeks with a cursor, so a listing that starts at a prefix or a page's marker
// does not walk the keys before it.
func (b Bucket[T]) ForEachFrom(p *Part, from string, fn func(key string, v *T) error) error {
	sb, err := p.sub(b.name)
	if sb == nil || err != nil {
		return err
	}
	c := sb.Cursor()
	for k, raw := c.Seek([]byte(from)); k != nil; k, raw = c.Next() {
		payload, ok := unseal(k, raw)
		if !ok {
			return p.damaged(b.name, k, "checksum mismatch")
		}
		v, err := b.decode(p, k, payload)
		if err != nil {
			return err
		}
		if err := fn(string(k), v); err != nil {
			return err
		}
	}
	return nil
}

func (p *Part) count(bucket []byte) (int, error) {
	raw, err := p.get(bucketCounts, bucket)
	if err == nil && len(raw) == 8 {
		return int(binary.BigEndian.Uint64(raw)), nil
	}
	if err != nil && !errors.Is(err, ErrDamaged) {
		return 0, err
	}
	// A counter is derived data: one that is missing or damaged is counted again.
	sb, err := p.sub(bucket)
	if sb == nil || err != nil {
		return 0, err
	}
	return sb.Stats().KeyN, nil
}

func (p *Part) addCount(bucket []byte, delta int) error {
	n, err := p.count(bucket)
	if err != nil {
		return err
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(max(n+delta, 0)))
	_, err = p.put(bucketCounts, bucket, buf[:], len(buf))
	return err
}
