package store

import (
	bolt "go.etcd.io/bbolt"
)

// Part is one account/region partition inside a transaction. Records are read and written
// through the typed Bucket and View values, never directly.
type Part struct {
	Account, Region string

	tx *bolt.Tx
	b  *bolt.Bucket // nil in a read-only transaction when the partition was never written
}

// View runs fn in a read-only transaction on the partition of account and region.
func (s *Store) View(account, region string, fn func(*Part) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		return fn(readPart(tx, account, region))
	})
}

// ViewAll runs fn on every partition that was ever written, in one read-only transaction, so
// that a reader beside the endpoint (the data plane) sees every account and region at the same
// moment.
func (s *Store) ViewAll(fn func(*Part) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		parts, err := partitions(tx)
		if err != nil {
			return err
		}
		for _, p := range parts {
			if err := fn(p); err != nil {
				return err
			}
		}
		return nil
	})
}

// readPart is the partition of account and region in tx, for reading: without records (a nil
// bucket) when it was never written, and never created.
func readPart(tx *bolt.Tx, account, region string) *Part {
	p := &Part{Account: account, Region: region, tx: tx}
	if a := tx.Bucket(bucketData).Bucket([]byte(account)); a != nil {
		p.b = a.Bucket([]byte(region))
	}
	return p
}

// Update runs fn in a read-write transaction on the partition of account and region; bbolt
// fsyncs on commit, so an acknowledged write survives a crash. Concurrent writes share one
// transaction and one fsync (bbolt's group commit), which is what lets durable writes scale
// with clients; fn may therefore run more than once and must change state only through p.
// Subscribers are told after the commit.
func (s *Store) Update(account, region string, fn func(*Part) error) error {
	err := s.db.Batch(func(tx *bolt.Tx) error {
		a, err := tx.Bucket(bucketData).CreateBucketIfNotExists([]byte(account))
		if err != nil {
			return err
		}
		b, err := a.CreateBucketIfNotExists([]byte(region))
		if err != nil {
			return err
		}
		return fn(&Part{Account: account, Region: region, tx: tx, b: b})
	})
	if err == nil {
		s.notify()
	}
	return err
}

// sub returns the named bucket of the partition, creating it in a write transaction; nil when
// it does not exist in a read-only one.
func (p *Part) sub(name []byte) (*bolt.Bucket, error) {
	if p.b == nil {
		return nil, nil
	}
	if b := p.b.Bucket(name); b != nil || !p.tx.Writable() {
		return b, nil
	}
	return p.b.CreateBucket(name)
}

// partitions lists every partition of the file. They are listed before anyone changes them:
// bbolt forbids changing a bucket while iterating over it.
func partitions(tx *bolt.Tx) ([]*Part, error) {
	data := tx.Bucket(bucketData)
	if data == nil {
		return nil, nil
	}
	var out []*Part
	err := data.ForEachBucket(func(account []byte) error {
		a := data.Bucket(account)
		return a.ForEachBucket(func(region []byte) error {
			out = append(out, &Part{Account: string(account), Region: string(region), tx: tx, b: a.Bucket(region)})
			return nil
		})
	})
	return out, err
}

// Regions lists, in name order, the partitions of account that were ever written: its
// regions, and IAMRegion once it has IAM records. It reads the list of partitions, no record.
func (s *Store) Regions(account string) ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		a := tx.Bucket(bucketData).Bucket([]byte(account))
		if a == nil {
			return nil
		}
		return a.ForEachBucket(func(region []byte) error {
			out = append(out, string(region))
			return nil
		})
	})
	return out, err
}

// Subscribe returns a channel that receives a value after writes are committed, and a function
// that ends the subscription. Notices are coalesced: a subscriber that has not yet read the
// previous one gets no second, and no writer ever waits for a subscriber.
func (s *Store) Subscribe() (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	s.subsMu.Lock()
	s.subs[ch] = struct{}{}
	s.subsMu.Unlock()
	return ch, func() {
		s.subsMu.Lock()
		delete(s.subs, ch)
		s.subsMu.Unlock()
	}
}

func (s *Store) notify() {
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	for ch := range s.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
