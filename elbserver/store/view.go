package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// View keeps a rendering of each record of a bucket beside it (for Classic, the
// DescribeLoadBalancers <member> element of each balancer), written in the same transaction,
// so that reading copies stored bytes instead of decoding JSON and encoding XML on every
// request. The record stays the source of truth; the rendering is derived from it by the
// room's render function alone. Its version, kept beside that function, is stored with the
// view: when they differ on open, every rendering is rebuilt, so a renderer change reaches the
// balancers stored before it.
type View[T any] struct {
	name    []byte
	source  Bucket[T]
	version string
	render  func(p *Part, key string, v *T) ([]byte, error)
	index   *index[T] // nil: none
}

// NewView declares a view of source. version must change whenever render's output does.
func NewView[T any](name string, source Bucket[T], version string, render func(p *Part, key string, v *T) ([]byte, error)) *View[T] {
	return &View[T]{name: []byte(name), source: source, version: version, render: render}
}

// Put stores v under key in the source bucket, and its rendering in the view.
func (v *View[T]) Put(p *Part, key string, rec *T) error {
	if err := v.source.Put(p, key, rec); err != nil {
		return err
	}
	if err := v.putRendering(p, key, rec); err != nil {
		return err
	}
	return v.reindex(p, key, rec)
}

func (v *View[T]) reindex(p *Part, key string, rec *T) error {
	if v.index == nil {
		return nil
	}
	return v.index.set(p, key, rec)
}

func (v *View[T]) putRendering(p *Part, key string, rec *T) error {
	raw, err := v.render(p, key, rec)
	if err != nil {
		return fmt.Errorf("render %s/%s: %w", v.source.name, key, err)
	}
	// Escaping can make a rendering several times its record.
	_, err = p.put(v.name, []byte(key), raw, 4*v.source.max)
	return err
}

// Delete removes the record under key and its rendering, and reports whether there was one.
func (v *View[T]) Delete(p *Part, key string) (bool, error) {
	if _, err := p.del(v.name, []byte(key)); err != nil {
		return false, err
	}
	if err := v.reindex(p, key, nil); err != nil {
		return false, err
	}
	return v.source.Delete(p, key)
}

// Append appends the rendering of the record under key to buf; ok is false when there is no
// such record.
func (v *View[T]) Append(p *Part, buf []byte, key string) (out []byte, ok bool, err error) {
	raw, err := p.get(v.name, []byte(key))
	if err != nil {
		return buf, false, err
	}
	if raw != nil {
		return append(buf, raw...), true, nil
	}
	if !v.source.Has(p, key) {
		return buf, false, nil
	}
	// A record without its rendering was damaged when the view was last rebuilt: say how.
	if _, err := v.source.Get(p, key); err != nil {
		return buf, false, err
	}
	return buf, false, p.damaged(v.name, []byte(key), "missing")
}

// Scan appends up to limit renderings of the records whose keys sort after the given key (""
// = from the start), seeking with a cursor so a page costs O(page) whatever the number of
// records. It returns the last key appended and whether more follow.
func (v *View[T]) Scan(p *Part, buf []byte, after string, limit int) (out []byte, last string, more bool, err error) {
	return v.ScanPrefix(p, buf, "", after, limit)
}

func (v *View[T]) versionKey() []byte { return []byte("view:" + string(v.name)) }

// stamp is what the stored version must be for the view, and its index, to be up to date.
func (v *View[T]) stamp() string {
	if v.index == nil {
		return v.version
	}
	return v.version + " " + string(v.index.entries) + ":" + v.index.version
}

// Sync rebuilds every rendering of every partition when the version stored with the view is
// not v's, and records v's. A record that is damaged gets no rendering; reading it then reports
// the damage.
func (v *View[T]) Sync(s *Store) error {
	err := s.db.Update(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if string(m.Get(v.versionKey())) == v.stamp() {
			return nil
		}
		parts, err := partitions(tx)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := v.rebuild(p); err != nil {
				return err
			}
		}
		return m.Put(v.versionKey(), []byte(v.stamp()))
	})
	if err != nil {
		return fmt.Errorf("elbserver: rebuild view %s of %s: %w", v.name, s.path, err)
	}
	return nil
}

func (v *View[T]) rebuild(p *Part) error {
	if p.b.Bucket(v.name) != nil {
		if err := p.b.DeleteBucket(v.name); err != nil {
			return err
		}
	}
	if v.index != nil {
		if err := v.index.drop(p); err != nil {
			return err
		}
	}
	src := p.b.Bucket(v.source.name)
	if src == nil {
		return nil
	}
	type entry struct {
		key string
		rec *T
	}
	var recs []entry // rendered after the walk: bbolt forbids writing while iterating
	err := src.ForEach(func(k, raw []byte) error {
		payload, ok := unseal(k, raw)
		if !ok {
			return nil // damaged: reading it reports the damage
		}
		if rec, err := v.source.decode(p, k, payload); err == nil {
			recs = append(recs, entry{string(k), rec})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range recs {
		if err := v.putRendering(p, e.key, e.rec); err != nil {
			return err
		}
		if err := v.reindex(p, e.key, e.rec); err != nil {
			return err
		}
	}
	return nil
}
