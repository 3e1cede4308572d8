package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Report is what Check found in a state file.
type Report struct {
	Path       string
	Format     int
	Partitions int
	Records    int // values whose checksum was verified
	// Unchecked is set for a file of an older format, whose values carry no checksums yet;
	// they get them when the file is next opened for use.
	Unchecked bool
	Damaged   []Damage
}

// OK reports whether nothing damaged was found.
func (r Report) OK() bool { return len(r.Damaged) == 0 }

// Damage is one stored value that fails its checksum.
type Damage struct {
	Account, Region, Bucket, Key string
	Problem                      string
}

func (d Damage) String() string {
	return fmt.Sprintf("%s/%s of account %s in %s: %s", d.Bucket, d.Key, d.Account, d.Region, d.Problem)
}

// Check reads the state file at path without changing it: bbolt's page checks, the format
// version, then every stored value against its checksum. The error is for a file that cannot
// be used at all (missing, corrupt, foreign, newer, in use); damaged values are in the report.
func Check(path string) (Report, error) {
	r := Report{Path: path}
	var err error
	r.Format, err = inspect(path, func(tx *bolt.Tx, format int) error {
		if format < firstChecksummed {
			r.Unchecked = true
			return nil
		}
		parts, err := partitions(tx)
		if err != nil {
			return err
		}
		r.Partitions = len(parts)
		for _, p := range parts {
			if err := r.checkPartition(p); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

func (r *Report) checkPartition(p *Part) error {
	return p.b.ForEachBucket(func(name []byte) error {
		return p.b.Bucket(name).ForEach(func(k, v []byte) error {
			r.Records++
			if _, ok := unseal(k, v); !ok {
				r.Damaged = append(r.Damaged, Damage{Account: p.Account, Region: p.Region, Bucket: string(name), Key: string(k), Problem: "checksum mismatch"})
			}
			return nil
		})
	})
}
