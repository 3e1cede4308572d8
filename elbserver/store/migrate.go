package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// FormatVersion is the layout version written to the meta bucket. A file with a higher
// version was written by a newer release and is never touched; an older one is brought up to
// date on open by the migrations after its version, in order, in one transaction.
//
//	1: records in per-partition buckets, a balancer count under the partition's "lb-count" key
//	2: each balancer's description kept beside its record (the lb-view bucket)
//	3: record counts in each partition's counts bucket; views versioned, rebuilt on mismatch
const FormatVersion = 3

// firstChecksummed is the first format whose values carry checksums.
const firstChecksummed = 3

// A migration brings a file of version to-1 (or older, once the earlier ones ran) to version to.
type migration struct {
	to  int
	run func(tx *bolt.Tx) error
}

// migrations in order. Format 2 needs none of its own: its view has no stored version, so it
// is rebuilt when its room opens the store.
var migrations = []migration{
	{3, toFormat3},
}

func migrate(tx *bolt.Tx, from int) error {
	for _, m := range migrations {
		if m.to <= from {
			continue
		}
		if err := m.run(tx); err != nil {
			return fmt.Errorf("migrate to format %d: %w", m.to, err)
		}
	}
	return nil
}

// legacyCount is where formats 1 and 2 kept the number of balancers of a partition.
var legacyCount = []byte("lb-count")

// toFormat3 rewrites every record through the current encoding and turns security groups
// stored as a bare VPC id (a JSON string) into records. The old balancer count is dropped: a
// missing count is counted again on first use.
func toFormat3(tx *bolt.Tx) error {
	parts, err := partitions(tx)
	if err != nil {
		return err
	}
	for _, p := range parts {
		var names [][]byte
		if err := p.b.ForEachBucket(func(name []byte) error {
			names = append(names, name)
			return nil
		}); err != nil {
			return err
		}
		for _, name := range names {
			if err := rewriteBucket(p, name); err != nil {
				return err
			}
		}
		if p.b.Get(legacyCount) != nil {
			if err := p.b.Delete(legacyCount); err != nil {
				return err
			}
		}
	}
	return nil
}

func rewriteBucket(p *Part, name []byte) error {
	b := p.b.Bucket(name)
	type kv struct{ k, v []byte }
	var all []kv // rewritten after the walk: bbolt forbids writing while iterating
	if err := b.ForEach(func(k, v []byte) error {
		all = append(all, kv{append([]byte(nil), k...), append([]byte(nil), v...)})
		return nil
	}); err != nil {
		return err
	}
	for _, e := range all {
		v := e.v
		if string(name) == SecurityGroups.Name() {
			var vpc string
			if json.Unmarshal(v, &vpc) == nil {
				v, _ = json.Marshal(SecurityGroup{VPCID: vpc})
			}
		}
		if err := b.Put(e.k, seal(e.k, v)); err != nil {
			return err
		}
	}
	return nil
}
