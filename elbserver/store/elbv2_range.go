package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// Range reads over key prefixes, for records kept under their parent's key (ELBv2's
// listeners under their balancer, targets under their group): a listing of one parent's
// children seeks to it, so it costs what it returns, whatever else the bucket holds.

// seekPrefix positions c on the first key after `after` (or the first key at all when after
// is "") that starts with prefix.
func seekPrefix(c *bolt.Cursor, prefix, after string) (k, v []byte) {
	if after == "" || after < prefix {
		k, v = c.Seek([]byte(prefix))
	} else if k, v = c.Seek([]byte(after)); k != nil && string(k) == after {
		k, v = c.Next()
	}
	if k != nil && !bytes.HasPrefix(k, []byte(prefix)) {
		return nil, nil
	}
	return k, v
}

// ForEachPrefix calls fn with every record whose key starts with prefix and sorts after
// `after` ("" = from the first), in key order, until fn returns false or an error.
func (b Bucket[T]) ForEachPrefix(p *Part, prefix, after string, fn func(key string, v *T) (bool, error)) error {
	sb, err := p.sub(b.name)
	if sb == nil || err != nil {
		return err
	}
	c := sb.Cursor()
	for k, raw := seekPrefix(c, prefix, after); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, raw = c.Next() {
		payload, ok := unseal(k, raw)
		if !ok {
			return p.damaged(b.name, k, "checksum mismatch")
		}
		v, err := b.decode(p, k, payload)
		if err != nil {
			return err
		}
		more, err := fn(string(k), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

// FirstWithPrefix returns the key of the first record whose key starts with prefix, or ""
// when there is none: the lookup of a record whose key is a unique name plus an id.
func (b Bucket[T]) FirstWithPrefix(p *Part, prefix string) (string, error) {
	sb, err := p.sub(b.name)
	if sb == nil || err != nil {
		return "", err
	}
	k, _ := seekPrefix(sb.Cursor(), prefix, "")
	return string(k), nil
}

// ScanPrefix is Scan over the renderings of the records whose keys start with prefix.
func (v *View[T]) ScanPrefix(p *Part, buf []byte, prefix, after string, limit int) (out []byte, last string, more bool, err error) {
	b, err := p.sub(v.name)
	if b == nil || err != nil {
		return buf, "", false, err
	}
	c := b.Cursor()
	n := 0
	for k, raw := seekPrefix(c, prefix, after); k != nil && bytes.HasPrefix(k, []byte(prefix)); k, raw = c.Next() {
		if n == limit {
			return buf, last, true, nil
		}
		payload, ok := unseal(k, raw)
		if !ok {
			return buf, last, false, p.damaged(v.name, k, "checksum mismatch")
		}
		buf = append(buf, payload...)
		last, n = string(k), n+1
	}
	return buf, last, false, nil
}
