package store

import (
	"bytes"
	"encoding/json"
	"slices"
)

// An index keeps, beside a view, which of its records name a term (the certificate ARNs a
// listener names, say), so that "who names this" reads the few entries that answer instead
// of every record. It is written with the records (View.Put, View.Delete) and rebuilt with
// the view's renderings, when either's version changes.
type index[T any] struct {
	entries []byte // TERM "\x00" KEY -> KEY
	terms   []byte // KEY -> the record's terms (JSON), so a rewrite finds what to drop without the old record
	version string
	of      func(*T) []string
}

// WithIndex gives the view an index of the terms of each record (empty terms are left out),
// read with KeysNaming. version must change whenever of's output does: a stored index of
// another version, or none, is rebuilt when the view is synced.
func (v *View[T]) WithIndex(name, version string, of func(*T) []string) *View[T] {
	v.index = &index[T]{entries: []byte(name), terms: []byte(name + "-terms"), version: version, of: of}
	return v
}

// KeysNaming returns, in key order, the keys of the records whose terms include term.
func (v *View[T]) KeysNaming(p *Part, term string) ([]string, error) {
	b, err := p.sub(v.index.entries)
	if b == nil || err != nil {
		return nil, err
	}
	prefix := []byte(term + "\x00")
	var keys []string
	c := b.Cursor()
	for k, raw := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, raw = c.Next() {
		key, ok := unseal(k, raw)
		if !ok {
			return nil, p.damaged(v.index.entries, k, "checksum mismatch")
		}
		// A term holding a zero byte could share another's prefix: the whole entry key says.
		if len(k) == len(prefix)+len(key) {
			keys = append(keys, string(key))
		}
	}
	return keys, nil
}

// set makes the index say that the record under key (nil: deleted) names its terms.
func (x *index[T]) set(p *Part, key string, rec *T) error {
	var terms []string
	if rec != nil {
		terms = slices.DeleteFunc(slices.Compact(slices.Sorted(slices.Values(x.of(rec)))), func(t string) bool { return t == "" })
	}
	var old []string
	raw, err := p.get(x.terms, []byte(key))
	if err != nil {
		return err
	}
	if raw != nil && json.Unmarshal(raw, &old) != nil {
		return p.damaged(x.terms, []byte(key), "undecodable")
	}
	if slices.Equal(old, terms) {
		return nil
	}
	for _, t := range old {
		if _, err := p.del(x.entries, []byte(t+"\x00"+key)); err != nil {
			return err
		}
	}
	for _, t := range terms {
		if _, err := p.put(x.entries, []byte(t+"\x00"+key), []byte(key), DefaultMaxRecord); err != nil {
			return err
		}
	}
	if len(terms) == 0 {
		_, err := p.del(x.terms, []byte(key))
		return err
	}
	raw, err = json.Marshal(terms)
	if err == nil {
		_, err = p.put(x.terms, []byte(key), raw, DefaultMaxRecord)
	}
	return err
}

// drop removes the whole index from a partition, before a rebuild.
func (x *index[T]) drop(p *Part) error {
	for _, name := range [][]byte{x.entries, x.terms} {
		if p.b.Bucket(name) != nil {
			if err := p.b.DeleteBucket(name); err != nil {
				return err
			}
		}
	}
	return nil
}
