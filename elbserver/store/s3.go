package store

import "time"

// S3 records. A bucket's name is unique across every account, as on AWS, so that the check
// and the claim of a name are one transaction, every bucket and object lives in one partition
// of its own, S3Account/S3Region, which no real account (twelve digits) can name. A bucket
// records its owner and the region it was created in; objects are keyed by bucket name and
// key, bytes apart from their metadata so that a listing decodes no data.

const (
	// S3Account and S3Region name the partition holding every S3 bucket and object.
	S3Account = "s3"
	S3Region  = "global"
)

// MaxObjectBytes bounds an S3 object. Objects here are CA bundles and CRLs; the bound leaves
// room, within the endpoint's 1 MiB request bound, for aws-chunked framing and, within the
// store's 1 MiB record bound, for the base64 of JSON (4/3 of the bytes).
const MaxObjectBytes = 512 << 10

var (
	// S3Buckets holds each bucket under its name.
	S3Buckets = NewBucket[S3Bucket]("s3-buckets", 0)
	// S3Owned indexes buckets by owner: "ACCOUNT/NAME", so that an account's buckets are listed
	// (and counted) in name order without walking everyone's.
	S3Owned = NewBucket[struct{}]("s3-owned", 0)
	// S3Objects holds each object's metadata under ObjectKey(bucket, key).
	S3Objects = NewBucket[S3Object]("s3-objects", 0)
	// S3ObjectData holds each object's bytes under ObjectKey(bucket, key).
	S3ObjectData = NewBucket[S3Data]("s3-data", 0)
)

// S3Bucket is one bucket.
type S3Bucket struct {
	Owner   string    `json:"owner"`
	Region  string    `json:"region"`
	Created time.Time `json:"created"`
	Objects int       `json:"objects"` // how many objects it holds: a non-empty bucket cannot be deleted
}

// S3Object is an object's metadata.
type S3Object struct {
	Size     int               `json:"size"`
	ETag     string            `json:"etag"` // hex MD5 of the bytes, unquoted
	Modified time.Time         `json:"modified"`
	Headers  map[string]string `json:"headers,omitempty"` // Content-Type and the other stored representation headers
	Metadata map[string]string `json:"meta,omitempty"`    // x-amz-meta-* without the prefix, names lower case
	// Checksum is the flexible checksum the object was uploaded with: its algorithm (lower
	// case, e.g. "crc32") and base64 value.
	ChecksumAlgorithm string `json:"ck_alg,omitempty"`
	Checksum          string `json:"ck,omitempty"`
}

// S3Data is an object's bytes.
type S3Data struct {
	Bytes []byte `json:"b"`
}

// ObjectKey is where an object of bucket is stored. Bucket names hold no '/', so the keys of
// one bucket are exactly those starting with "BUCKET/", in the order of the object keys.
func ObjectKey(bucket, key string) string { return bucket + "/" + key }

// OwnedKey is where S3Owned indexes bucket under its owner.
func OwnedKey(owner, bucket string) string { return owner + "/" + bucket }
