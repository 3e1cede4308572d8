// Package s3 is the endpoint's S3 room: the part of S3's REST-XML API (2006-03-01) that
// trust stores need, buckets and small objects, addressed path-style (/BUCKET/KEY), as
// clients address an endpoint named by an IP address.
//
// Bucket names are global, as on AWS: every bucket and object lives in the store's S3
// partition (store.S3Account), and a bucket records its owner and the region it was created
// in, which HeadBucket reports. A bucket is served whatever region a request is signed for.
package s3

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// limitBuckets is S3's quota of general purpose buckets per account.
const limitBuckets = "s3-buckets"

// Room is the S3 room.
type Room struct {
	env *room.Env
}

// New returns the S3 room over env.
func New(env *room.Env) *Room { return &Room{env: env} }

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	return room.Room{
		Service: "s3",
		Limits:  []room.Limit{{Name: limitBuckets, Default: 10000}},
		Raw:     r,
	}
}

// Serve answers one request: the service (GET /), a bucket (/BUCKET) or an object
// (/BUCKET/KEY).
func (r *Room) Serve(w http.ResponseWriter, req *room.Request) error {
	w.Header().Set("x-amz-request-id", req.RequestID)
	w.Header().Set("x-amz-id-2", hostID(req.RequestID))
	err := r.route(w, req)
	var e *s3Error
	if errors.As(err, &e) {
		writeError(w, req.RequestID, e)
		return nil
	}
	return err
}

func (r *Room) route(w http.ResponseWriter, req *room.Request) error {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(req.URL.Path, "/"), "/")
	switch {
	case bucket == "" && req.Method == http.MethodGet:
		return r.listBuckets(w, req)
	case bucket == "":
		return errMethod()
	case key == "":
		return r.bucketOp(w, req, bucket)
	default:
		return r.objectOp(w, req, bucket, key)
	}
}

func (r *Room) bucketOp(w http.ResponseWriter, req *room.Request, bucket string) error {
	q := req.URL.Query()
	switch req.Method {
	case http.MethodPut:
		return r.createBucket(w, req, bucket)
	case http.MethodHead:
		return r.headBucket(w, req, bucket)
	case http.MethodDelete:
		return r.deleteBucket(w, req, bucket)
	case http.MethodGet:
		switch {
		case q.Has("location"):
			return r.getBucketLocation(w, req, bucket)
		case q.Get("list-type") == "2":
			return r.listObjects(w, req, bucket, true)
		default:
			return r.listObjects(w, req, bucket, false)
		}
	}
	return errMethod()
}

func (r *Room) objectOp(w http.ResponseWriter, req *room.Request, bucket, key string) error {
	switch req.Method {
	case http.MethodPut:
		return r.putObject(w, req, bucket, key)
	case http.MethodGet, http.MethodHead:
		return r.getObject(w, req, bucket, key)
	case http.MethodDelete:
		return r.deleteObject(w, req, bucket, key)
	}
	return errMethod()
}

// onlyParams refuses a request carrying a query parameter outside allowed: another
// operation's sub-resource (?acl, ?tagging, ?uploads ...), which this room does not serve.
// The presigned form's X-Amz-* parameters are the signature's, not the operation's.
func onlyParams(req *room.Request, allowed ...string) error {
	for name := range req.URL.Query() {
		if strings.HasPrefix(strings.ToLower(name), "x-amz-") {
			continue
		}
		if !slices.Contains(allowed, name) {
			return errf(http.StatusNotImplemented, "NotImplemented", "This endpoint does not implement the ?%s sub-resource or parameter for this request.", name)
		}
	}
	return nil
}

func (r *Room) view(fn func(p *store.Part) error) error {
	return r.env.Store.View(store.S3Account, store.S3Region, fn)
}

func (r *Room) update(fn func(p *store.Part) error) error {
	return r.env.Store.Update(store.S3Account, store.S3Region, fn)
}

// owned returns the named bucket when the caller owns it: NoSuchBucket when there is none,
// AccessDenied when it is another account's or not the owner the request expects.
func owned(p *store.Part, req *room.Request, name string) (*store.S3Bucket, error) {
	b, err := store.S3Buckets.Get(p, name)
	switch {
	case err != nil:
		return nil, err
	case b == nil:
		return nil, errNoSuchBucket(name)
	case b.Owner != req.Account:
		return nil, errAccessDenied()
	}
	if want := req.Header.Get("x-amz-expected-bucket-owner"); want != "" && want != b.Owner {
		return nil, errAccessDenied()
	}
	return b, nil
}

// ErrNoSuchBucket, ErrNoSuchKey and ErrAccessDenied are matched (errors.Is) by Object's
// errors.
var (
	ErrNoSuchBucket = errors.New("s3: no such bucket")
	ErrNoSuchKey    = errors.New("s3: no such key")
	ErrAccessDenied = errors.New("s3: bucket belongs to another account")
)

// Object returns the bytes of an object of account's bucket, for the rooms that read S3 (the
// ELBv2 room's trust stores, from their CA bundles and revocation lists). region is where the
// reader is; a bucket is read whatever region it was created in, as S3 serves every region.
// It must not be called inside a store transaction.
func (r *Room) Object(account, region, bucket, key string) ([]byte, error) {
	var out []byte
	err := r.view(func(p *store.Part) error {
		b, err := store.S3Buckets.Get(p, bucket)
		switch {
		case err != nil:
			return err
		case b == nil:
			return ErrNoSuchBucket
		case b.Owner != account:
			return ErrAccessDenied
		}
		d, err := store.S3ObjectData.Get(p, store.ObjectKey(bucket, key))
		if err == nil && d == nil {
			return ErrNoSuchKey
		}
		if d != nil {
			out = d.Bytes
		}
		return err
	})
	return out, err
}

// ownerID is the canonical user id S3 reports for an account: 64 hex digits, derived from
// the account so that it is stable.
func ownerID(account string) string {
	sum := sha256.Sum256([]byte("lbcloud s3 owner " + account))
	return hex.EncodeToString(sum[:])
}

// hostID is the x-amz-id-2 of a response, derived from its request id.
func hostID(reqID string) string {
	sum := sha256.Sum256([]byte(reqID))
	return base64.StdEncoding.EncodeToString(sum[:])
}
