package s3

import (
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// storedHeaders are the representation headers PutObject keeps and GetObject gives back.
var storedHeaders = []string{"Content-Type", "Content-Encoding", "Content-Language", "Content-Disposition", "Cache-Control", "Expires"}

const (
	maxKeyBytes      = 1024 // S3's bound on a key's UTF-8
	maxMetadataBytes = 2048 // S3's bound on the user metadata of an object
	metaPrefix       = "X-Amz-Meta-"
)

func (r *Room) putObject(w http.ResponseWriter, req *room.Request, bucket, key string) error {
	if req.Header.Get("x-amz-copy-source") != "" {
		return errf(http.StatusNotImplemented, "NotImplemented", "This endpoint does not implement CopyObject: upload the object again.")
	}
	if err := onlyParams(req); err != nil {
		return err
	}
	if err := validateKey(key); err != nil {
		return err
	}
	data := req.Body
	if len(data) > store.MaxObjectBytes {
		return errf(http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size of this endpoint, %d bytes.", store.MaxObjectBytes)
	}
	sum := md5.Sum(data)
	if cmd5 := req.Header.Get("Content-MD5"); cmd5 != "" {
		given, err := base64.StdEncoding.DecodeString(cmd5)
		if err != nil || len(given) != md5.Size {
			return errf(http.StatusBadRequest, "InvalidDigest", "The Content-MD5 you specified was invalid.")
		}
		if string(given) != string(sum[:]) {
			return errf(http.StatusBadRequest, "BadDigest", "The Content-MD5 you specified did not match what we received.")
		}
	}
	alg, checksum, err := flexibleChecksum(req, data)
	if err != nil {
		return err
	}
	obj := &store.S3Object{Size: len(data), ETag: hex.EncodeToString(sum[:]), Modified: r.env.Now().UTC(), ChecksumAlgorithm: alg, Checksum: checksum}
	if obj.Headers, obj.Metadata, err = representation(req); err != nil {
		return err
	}
	err = r.update(func(p *store.Part) error {
		b, err := owned(p, req, bucket)
		if err != nil {
			return err
		}
		old, err := store.S3Objects.Get(p, store.ObjectKey(bucket, key))
		if err != nil {
			return err
		}
		if err := writeConditions(req, key, old); err != nil {
			return err
		}
		if old == nil {
			b.Objects++
			if err := store.S3Buckets.Put(p, bucket, b); err != nil {
				return err
			}
		}
		if err := store.S3Objects.Put(p, store.ObjectKey(bucket, key), obj); err != nil {
			return err
		}
		return store.S3ObjectData.Put(p, store.ObjectKey(bucket, key), &store.S3Data{Bytes: data})
	})
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("ETag", `"`+obj.ETag+`"`)
	h.Set(sigv4auth.ChecksumHeaderPrefix+alg, checksum)
	h.Set("x-amz-checksum-type", "FULL_OBJECT")
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// writeConditions applies a conditional write: If-None-Match "*" (only if absent) and
// If-Match (only over that ETag).
func writeConditions(req *room.Request, key string, old *store.S3Object) error {
	failed := errf(http.StatusPreconditionFailed, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
	if inm := req.Header.Get("If-None-Match"); inm != "" {
		if inm != "*" {
			return errf(http.StatusNotImplemented, "NotImplemented", "A header you provided implies functionality that is not implemented: If-None-Match other than *.")
		}
		if old != nil {
			return failed
		}
	}
	if im := req.Header.Get("If-Match"); im != "" {
		if old == nil {
			return errNoSuchKey(key)
		}
		if strings.Trim(im, `"`) != old.ETag {
			return failed
		}
	}
	return nil
}

func validateKey(key string) error {
	if len(key) > maxKeyBytes {
		return errf(http.StatusBadRequest, "KeyTooLongError", "Your key is too long")
	}
	if !utf8.ValidString(key) {
		return errInvalidArgument("Object key must be valid UTF-8.")
	}
	return nil
}

// flexibleChecksum is the checksum an object is stored with: the one a x-amz-checksum-*
// header gives (checked against the data), else the one the trailer carried (already checked
// by the signature's verification), else the algorithm x-amz-sdk-checksum-algorithm names,
// else CRC64NVME, which S3 computes for every object uploaded without one.
func flexibleChecksum(req *room.Request, data []byte) (alg, sum string, err error) {
	var given []string
	for name := range req.Header {
		a, ok := strings.CutPrefix(strings.ToLower(name), sigv4auth.ChecksumHeaderPrefix)
		if ok && a != "type" && a != "mode" && a != "algorithm" {
			given = append(given, a)
		}
	}
	switch {
	case len(given) > 1:
		return "", "", errf(http.StatusBadRequest, "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
	case len(given) == 1:
		alg = given[0]
	case req.Header.Get("X-Amz-Trailer") != "":
		alg, _ = strings.CutPrefix(strings.ToLower(req.Header.Get("X-Amz-Trailer")), sigv4auth.ChecksumHeaderPrefix)
	case req.Header.Get("x-amz-sdk-checksum-algorithm") != "":
		alg = strings.ToLower(req.Header.Get("x-amz-sdk-checksum-algorithm"))
	default:
		alg = "crc64nvme"
	}
	sum, ok := sigv4auth.Checksum(alg, data)
	if !ok {
		return "", "", errf(http.StatusBadRequest, "InvalidRequest", "The checksum algorithm given is not supported: use CRC32, CRC32C, CRC64NVME, SHA1, SHA256, SHA512 or MD5.")
	}
	if len(given) == 1 && req.Header.Get(sigv4auth.ChecksumHeaderPrefix+alg) != sum {
		return "", "", errf(http.StatusBadRequest, "BadDigest", "The %s you specified did not match the calculated checksum.", strings.ToUpper(alg))
	}
	return alg, sum, nil
}

// representation reads the headers an object keeps: its representation headers (the
// transfer's aws-chunked coding removed) and its user metadata.
func representation(req *room.Request) (headers, meta map[string]string, err error) {
	for _, name := range storedHeaders {
		v := req.Header.Get(name)
		if name == "Content-Encoding" {
			var codings []string
			for c := range strings.SplitSeq(v, ",") {
				if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
					codings = append(codings, c)
				}
			}
			v = strings.Join(codings, ",")
		}
		if v != "" {
			if headers == nil {
				headers = map[string]string{}
			}
			headers[name] = v
		}
	}
	size := 0
	for name, vs := range req.Header {
		if m, ok := strings.CutPrefix(name, metaPrefix); ok {
			if meta == nil {
				meta = map[string]string{}
			}
			meta[strings.ToLower(m)] = strings.Join(vs, ",")
			size += len(m) + len(meta[strings.ToLower(m)])
		}
	}
	if size > maxMetadataBytes {
		return nil, nil, errf(http.StatusBadRequest, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size (%d bytes).", maxMetadataBytes)
	}
	return headers, meta, nil
}

// responseOverrides are the query parameters with which a GetObject (a presigned URL's,
// typically) replaces a stored header in its response.
var responseOverrides = map[string]string{
	"response-content-type":        "Content-Type",
	"response-content-language":    "Content-Language",
	"response-expires":             "Expires",
	"response-cache-control":       "Cache-Control",
	"response-content-disposition": "Content-Disposition",
	"response-content-encoding":    "Content-Encoding",
}

// getObject is GetObject, and HeadObject for a HEAD: the same headers, no body.
func (r *Room) getObject(w http.ResponseWriter, req *room.Request, bucket, key string) error {
	allowed := []string{}
	for p := range responseOverrides {
		allowed = append(allowed, p)
	}
	if err := onlyParams(req, allowed...); err != nil {
		return err
	}
	var (
		obj  *store.S3Object
		data []byte
	)
	err := r.view(func(p *store.Part) error {
		if _, err := owned(p, req, bucket); err != nil {
			return err
		}
		var err error
		if obj, err = store.S3Objects.Get(p, store.ObjectKey(bucket, key)); err != nil || obj == nil {
			return err
		}
		if req.Method == http.MethodGet {
			d, err := store.S3ObjectData.Get(p, store.ObjectKey(bucket, key))
			if d != nil {
				data = d.Bytes
			}
			return err
		}
		return nil
	})
	if err == nil && obj == nil {
		err = errNoSuchKey(key)
	}
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "binary/octet-stream")
	for name, v := range obj.Headers {
		h.Set(name, v)
	}
	for name, v := range obj.Metadata {
		h["x-amz-meta-"+name] = []string{v} // lower case, as S3 sends them: clients keep the name's case
	}
	for param, name := range responseOverrides {
		if v := req.URL.Query().Get(param); v != "" {
			h.Set(name, v)
		}
	}
	h.Set("ETag", `"`+obj.ETag+`"`)
	h.Set("Last-Modified", obj.Modified.UTC().Format(http.TimeFormat))
	h.Set("Accept-Ranges", "bytes")
	status, start, end := http.StatusOK, 0, obj.Size
	if rng := req.Header.Get("Range"); rng != "" {
		s, e, ok, satisfiable := byteRange(rng, obj.Size)
		switch {
		case ok && !satisfiable:
			h.Set("Content-Range", "bytes */"+strconv.Itoa(obj.Size))
			return errf(http.StatusRequestedRangeNotSatisfiable, "InvalidRange", "The requested range is not satisfiable")
		case ok:
			status, start, end = http.StatusPartialContent, s, e
			h.Set("Content-Range", "bytes "+strconv.Itoa(s)+"-"+strconv.Itoa(e-1)+"/"+strconv.Itoa(obj.Size))
		}
	}
	if status == http.StatusOK && obj.ChecksumAlgorithm != "" && strings.EqualFold(req.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		h.Set(sigv4auth.ChecksumHeaderPrefix+obj.ChecksumAlgorithm, obj.Checksum)
		h.Set("x-amz-checksum-type", "FULL_OBJECT")
	}
	h.Set("Content-Length", strconv.Itoa(end-start))
	w.WriteHeader(status)
	if req.Method == http.MethodGet {
		_, _ = w.Write(data[start:end])
	}
	return nil
}

// byteRange reads a Range header of one byte range: bytes=FIRST-LAST, bytes=FIRST- or
// bytes=-SUFFIX, returning [start, end). ok is false for anything else, which S3 ignores,
// sending the whole object; satisfiable is false for a range past the object's end.
func byteRange(h string, size int) (start, end int, ok, satisfiable bool) {
	spec, isBytes := strings.CutPrefix(strings.TrimSpace(h), "bytes=")
	first, last, dash := strings.Cut(spec, "-")
	if !isBytes || !dash || strings.Contains(spec, ",") {
		return 0, 0, false, false
	}
	if first == "" {
		n, err := strconv.Atoi(last)
		if err != nil || n < 0 {
			return 0, 0, false, false
		}
		if n == 0 || size == 0 {
			return 0, 0, true, false
		}
		return max(size-n, 0), size, true, true
	}
	s, err := strconv.Atoi(first)
	if err != nil || s < 0 {
		return 0, 0, false, false
	}
	e := size - 1
	if last != "" {
		if e, err = strconv.Atoi(last); err != nil || e < s {
			return 0, 0, false, false
		}
	}
	if s >= size {
		return 0, 0, true, false
	}
	return s, min(e, size-1) + 1, true, true
}

func (r *Room) deleteObject(w http.ResponseWriter, req *room.Request, bucket, key string) error {
	if err := onlyParams(req); err != nil {
		return err
	}
	err := r.update(func(p *store.Part) error {
		b, err := owned(p, req, bucket)
		if err != nil {
			return err
		}
		existed, err := store.S3Objects.Delete(p, store.ObjectKey(bucket, key))
		if err != nil || !existed {
			return err
		}
		if _, err := store.S3ObjectData.Delete(p, store.ObjectKey(bucket, key)); err != nil {
			return err
		}
		b.Objects--
		return store.S3Buckets.Put(p, bucket, b)
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
