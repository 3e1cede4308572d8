package elbserver

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Each balancer's DescribeLoadBalancers <member> element is kept beside its record and written
// in the same transaction, so describing copies stored bytes instead of decoding JSON and
// encoding XML on every read: the hot path of inventories and of clients that poll. The
// record stays the source of truth; the view is derived from it by toXML alone.
var bucketLBView = []byte("lb-view")

// putView renders lb's description into the partition's view.
func (p *part) putView(lb *lbRecord) error {
	raw, err := xml.Marshal(lb.toXML(p.region))
	if err != nil {
		return fmt.Errorf("render balancer %s: %w", lb.Name, err)
	}
	return p.b.Bucket(bucketLBView).Put([]byte(lb.Name), raw)
}

// appendView appends the named balancer's description to buf; ok is false when there is no
// such balancer.
func (p *part) appendView(buf []byte, name string) ([]byte, bool, error) {
	b := p.sub(bucketLBView)
	if b == nil {
		return buf, false, nil
	}
	raw := b.Get([]byte(name))
	if raw == nil {
		if p.sub(bucketLBs).Get([]byte(name)) != nil {
			return buf, false, fmt.Errorf("balancer %s has no stored description", name)
		}
		return buf, false, nil
	}
	return append(buf, raw...), true, nil
}

// scanView appends up to limit descriptions of the balancers whose names sort after the
// given name ("" = from the start), seeking with a cursor so a page costs O(page) whatever
// the number of balancers. It returns the last name appended and whether more follow.
func (p *part) scanView(buf []byte, after string, limit int) ([]byte, string, bool) {
	b := p.sub(bucketLBView)
	if b == nil {
		return buf, "", false
	}
	c := b.Cursor()
	var k, v []byte
	if after == "" {
		k, v = c.First()
	} else if k, v = c.Seek([]byte(after)); k != nil && bytes.Equal(k, []byte(after)) {
		k, v = c.Next()
	}
	last := ""
	for n := 0; k != nil; k, v = c.Next() {
		if n == limit {
			return buf, last, true
		}
		buf = append(buf, v...)
		last, n = string(k), n+1
	}
	return buf, last, false
}

// migrateViews brings a format-1 file, written before the view existed, up to date: every
// balancer of every partition gets its description, in the transaction that records the new
// format version.
func migrateViews(tx *bolt.Tx) error {
	data := tx.Bucket(bucketData)
	if data == nil {
		return nil
	}
	// Partitions are listed first: bbolt forbids changing a bucket while iterating over it.
	type partition struct{ account, region string }
	var parts []partition
	err := data.ForEachBucket(func(account []byte) error {
		return data.Bucket(account).ForEachBucket(func(region []byte) error {
			parts = append(parts, partition{string(account), string(region)})
			return nil
		})
	})
	if err != nil {
		return err
	}
	for _, pt := range parts {
		b := data.Bucket([]byte(pt.account)).Bucket([]byte(pt.region))
		lbs := b.Bucket(bucketLBs)
		if lbs == nil {
			continue
		}
		if _, err := b.CreateBucketIfNotExists(bucketLBView); err != nil {
			return err
		}
		p := &part{tx: tx, b: b, account: pt.account, region: pt.region}
		err := lbs.ForEach(func(name, raw []byte) error {
			var lb lbRecord
			if err := json.Unmarshal(raw, &lb); err != nil {
				return fmt.Errorf("decode balancer %s: %w", name, err)
			}
			return p.putView(&lb)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
