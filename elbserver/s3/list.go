package s3

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// errStop ends a walk over the store early.
var errStop = errors.New("stop")

// maxKeys is S3's page bound for both listings.
const maxKeys = 1000

type owner struct {
	ID string
}

type bucketEntry struct {
	Name         string
	CreationDate string
	BucketRegion string
}

type listAllMyBucketsResult struct {
	XMLName           xml.Name      `xml:"ListAllMyBucketsResult"`
	XMLNS             string        `xml:"xmlns,attr"`
	Owner             owner         `xml:"Owner"`
	Buckets           []bucketEntry `xml:"Buckets>Bucket"`
	ContinuationToken string        `xml:",omitempty"`
	Prefix            string        `xml:",omitempty"`
}

// listBuckets lists the caller's buckets in name order, from every region unless
// bucket-region names one, max-buckets a page.
func (r *Room) listBuckets(w http.ResponseWriter, req *room.Request) error {
	if err := onlyParams(req, "max-buckets", "continuation-token", "prefix", "bucket-region"); err != nil {
		return err
	}
	q := req.URL.Query()
	limit, err := intParam(q, "max-buckets", 10000, 1, 10000)
	if err != nil {
		return err
	}
	after, err := token(q.Get("continuation-token"))
	if err != nil {
		return err
	}
	prefix, region := q.Get("prefix"), q.Get("bucket-region")
	out := listAllMyBucketsResult{XMLNS: namespace, Owner: owner{ID: ownerID(req.Account)}, Prefix: prefix}
	mine := req.Account + "/"
	err = r.view(func(p *store.Part) error {
		return store.S3Owned.ForEachFrom(p, mine+max(prefix, after), func(k string, _ *struct{}) error {
			name, ok := strings.CutPrefix(k, mine)
			if !ok || !strings.HasPrefix(name, prefix) {
				return errStop
			}
			b, err := store.S3Buckets.Get(p, name)
			if err != nil || b == nil || name == after || region != "" && b.Region != region {
				return err
			}
			if len(out.Buckets) == limit {
				out.ContinuationToken = newToken(out.Buckets[limit-1].Name)
				return errStop
			}
			out.Buckets = append(out.Buckets, bucketEntry{Name: name, CreationDate: s3Time(b.Created), BucketRegion: b.Region})
			return nil
		})
	})
	if err != nil && err != errStop {
		return err
	}
	writeXML(w, http.StatusOK, out)
	return nil
}

type objectEntry struct {
	Key               string
	LastModified      string
	ETag              string
	ChecksumAlgorithm string `xml:",omitempty"`
	ChecksumType      string `xml:",omitempty"`
	Size              int
	Owner             *owner `xml:",omitempty"`
	StorageClass      string
}

type commonPrefix struct {
	Prefix string
}

type listBucketResult struct {
	XMLName xml.Name `xml:"ListBucketResult"`
	XMLNS   string   `xml:"xmlns,attr"`
	Name    string
	Prefix  string
	Marker  *string `xml:",omitempty"` // V1
	// V2
	ContinuationToken string `xml:",omitempty"`
	StartAfter        string `xml:",omitempty"`
	KeyCount          *int   `xml:",omitempty"`

	MaxKeys               int
	Delimiter             string `xml:",omitempty"`
	EncodingType          string `xml:",omitempty"`
	IsTruncated           bool
	NextMarker            string         `xml:",omitempty"` // V1
	NextContinuationToken string         `xml:",omitempty"` // V2
	Contents              []objectEntry  `xml:"Contents"`
	CommonPrefixes        []commonPrefix `xml:"CommonPrefixes"`
}

// listObjects is ListObjectsV2 (v2) or ListObjects: keys under prefix in order, those with
// the delimiter after the prefix rolled up into common prefixes, max-keys entries a page.
func (r *Room) listObjects(w http.ResponseWriter, req *room.Request, bucket string, v2 bool) error {
	allowed := []string{"prefix", "delimiter", "max-keys", "encoding-type", "marker"}
	if v2 {
		allowed = []string{"list-type", "prefix", "delimiter", "max-keys", "encoding-type", "continuation-token", "start-after", "fetch-owner"}
	}
	if err := onlyParams(req, allowed...); err != nil {
		return err
	}
	q := req.URL.Query()
	limit, err := intParam(q, "max-keys", maxKeys, 0, 1<<31-1)
	if err != nil {
		return err
	}
	limit = min(limit, maxKeys)
	enc := q.Get("encoding-type")
	if enc != "" && enc != "url" {
		return errInvalidArgument("Invalid Encoding Method specified in Request")
	}
	encode := func(s string) string { return s }
	if enc == "url" {
		encode = func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "%2F", "/") }
	}
	prefix, delim := q.Get("prefix"), q.Get("delimiter")
	out := listBucketResult{XMLNS: namespace, Name: bucket, Prefix: encode(prefix), MaxKeys: limit, Delimiter: encode(delim), EncodingType: enc}
	after := q.Get("marker")
	if v2 {
		out.StartAfter = encode(q.Get("start-after"))
		after = q.Get("start-after")
		if ct, present := q["continuation-token"]; present {
			if after, err = token(ct[0]); err != nil {
				return err
			}
			out.ContinuationToken = ct[0]
		}
	} else {
		m := encode(after)
		out.Marker = &m
	}
	var page listing
	err = r.view(func(p *store.Part) error {
		if _, err := owned(p, req, bucket); err != nil {
			return err
		}
		page, err = list(p, bucket, prefix, delim, after, limit)
		return err
	})
	if err != nil {
		return err
	}
	out.IsTruncated = page.truncated
	var own *owner
	if !v2 || q.Get("fetch-owner") == "true" {
		own = &owner{ID: ownerID(req.Account)}
	}
	for _, e := range page.contents {
		entry := objectEntry{Key: encode(e.key), LastModified: s3Time(e.obj.Modified), ETag: `"` + e.obj.ETag + `"`,
			Size: e.obj.Size, Owner: own, StorageClass: "STANDARD"}
		if e.obj.ChecksumAlgorithm != "" {
			entry.ChecksumAlgorithm, entry.ChecksumType = strings.ToUpper(e.obj.ChecksumAlgorithm), "FULL_OBJECT"
		}
		out.Contents = append(out.Contents, entry)
	}
	for _, cp := range page.prefixes {
		out.CommonPrefixes = append(out.CommonPrefixes, commonPrefix{Prefix: encode(cp)})
	}
	switch {
	case v2:
		n := len(page.contents) + len(page.prefixes)
		out.KeyCount = &n
		if page.truncated {
			out.NextContinuationToken = newToken(page.last)
		}
	case page.truncated && delim != "":
		out.NextMarker = encode(page.last) // without a delimiter, the last key is the marker
	}
	writeXML(w, http.StatusOK, out)
	return nil
}

type listing struct {
	contents  []listed
	prefixes  []string
	truncated bool
	last      string // the last key or common prefix in the page
}

type listed struct {
	key string
	obj *store.S3Object
}

// list reads one page of bucket's keys under prefix that sort after after. A key holding
// delim after the prefix counts once, as its common prefix; a page resumed after a key inside
// a common prefix skips the rest of that prefix, which the previous page already gave.
func list(p *store.Part, bucket, prefix, delim, after string, limit int) (listing, error) {
	var out listing
	rolled := "" // the common prefix being skipped
	if delim != "" && strings.HasPrefix(after, prefix) {
		if i := strings.Index(after[len(prefix):], delim); i >= 0 {
			rolled = after[:len(prefix)+i+len(delim)]
		}
	}
	base := store.ObjectKey(bucket, "")
	err := store.S3Objects.ForEachFrom(p, base+max(prefix, after), func(k string, o *store.S3Object) error {
		key, _ := strings.CutPrefix(k, base)
		switch {
		case !strings.HasPrefix(k, base) || !strings.HasPrefix(key, prefix):
			return errStop
		case key == after || rolled != "" && strings.HasPrefix(key, rolled):
			return nil
		}
		entry := key
		if i := strings.Index(key[len(prefix):], delim); delim != "" && i >= 0 {
			entry = key[:len(prefix)+i+len(delim)]
			rolled = entry
		}
		if len(out.contents)+len(out.prefixes) == limit {
			out.truncated = true
			return errStop
		}
		if entry == key {
			out.contents = append(out.contents, listed{key, o})
		} else {
			out.prefixes = append(out.prefixes, entry)
		}
		out.last = entry
		return nil
	})
	if err == errStop {
		err = nil
	}
	return out, err
}

// A continuation token is the last key (or common prefix) of the page before, base64url: the
// page after it needs nothing else.
func newToken(last string) string { return base64.RawURLEncoding.EncodeToString([]byte(last)) }

func token(s string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return "", errInvalidArgument("The continuation token provided is incorrect")
	}
	return string(b), nil
}

// intParam reads an integer query parameter within [lo, hi], def when absent.
func intParam(q url.Values, name string, def, lo, hi int) (int, error) {
	v, present := q[name]
	if !present {
		return def, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < lo || n > hi {
		return 0, errInvalidArgument("Provided %s not an integer or within integer range", name)
	}
	return n, nil
}
