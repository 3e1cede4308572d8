package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// Every stored value is its CRC-32C (over the key, a zero byte and the payload) followed by
// the payload: bbolt checks its pages but not the bytes it hands back, so a changed byte in a
// record would otherwise be served, or fail to decode, without anyone knowing why. The key is
// summed too, so that a value found under the wrong key is caught as well.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const sumLen = 4

func checksum(key, payload []byte) uint32 {
	c := crc32.Update(0, castagnoli, key)
	c = crc32.Update(c, castagnoli, []byte{0})
	return crc32.Update(c, castagnoli, payload)
}

func seal(key, payload []byte) []byte {
	out := make([]byte, sumLen+len(payload))
	binary.BigEndian.PutUint32(out, checksum(key, payload))
	copy(out[sumLen:], payload)
	return out
}

// unseal returns the payload of a stored value, or false when it does not match its checksum.
func unseal(key, raw []byte) ([]byte, bool) {
	if len(raw) < sumLen {
		return nil, false
	}
	payload := raw[sumLen:]
	return payload, binary.BigEndian.Uint32(raw) == checksum(key, payload)
}

// ErrDamaged is matched (errors.Is) by every DamageError.
var ErrDamaged = errors.New("stored record is damaged")

// DamageError reports a stored value that fails its checksum or cannot be decoded.
type DamageError struct {
	Account, Region, Bucket, Key string
	Problem                      string
}

func (e *DamageError) Error() string {
	return fmt.Sprintf("stored record %s/%s of account %s in %s is damaged (%s)", e.Bucket, e.Key, e.Account, e.Region, e.Problem)
}

func (e *DamageError) Is(target error) bool { return target == ErrDamaged }

// ErrTooLarge is matched (errors.Is) by every TooLargeError.
var ErrTooLarge = errors.New("record too large")

// TooLargeError refuses a write that would store a value over its bucket's bound.
type TooLargeError struct {
	Bucket, Key string
	Size, Max   int
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("record %s/%s would be %d bytes, over the %d-byte bound", e.Bucket, e.Key, e.Size, e.Max)
}

func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

func (p *Part) damaged(bucket, key []byte, problem string) *DamageError {
	return &DamageError{Account: p.Account, Region: p.Region, Bucket: string(bucket), Key: string(key), Problem: problem}
}

// get returns the verified payload stored under key, nil when there is none. It is valid only
// during the transaction.
func (p *Part) get(bucket, key []byte) ([]byte, error) {
	b, err := p.sub(bucket)
	if b == nil || err != nil {
		return nil, err
	}
	raw := b.Get(key)
	if raw == nil {
		return nil, nil
	}
	payload, ok := unseal(key, raw)
	if !ok {
		return nil, p.damaged(bucket, key, "checksum mismatch")
	}
	return payload, nil
}

// put stores payload under key, at most max bytes, and reports whether the key is new.
func (p *Part) put(bucket, key, payload []byte, max int) (created bool, err error) {
	if len(payload) > max {
		return false, &TooLargeError{Bucket: string(bucket), Key: string(key), Size: len(payload), Max: max}
	}
	b, err := p.sub(bucket)
	if err != nil {
		return false, err
	}
	created = b.Get(key) == nil
	return created, b.Put(key, seal(key, payload))
}

// del removes key and reports whether it was there.
func (p *Part) del(bucket, key []byte) (bool, error) {
	b, err := p.sub(bucket)
	if b == nil || err != nil || b.Get(key) == nil {
		return false, err
	}
	return true, b.Delete(key)
}
