package s3

import (
	"bytes"
	"encoding/xml"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// usEast1 is where a bucket created without a location constraint lives; S3 reports its
// location constraint as empty.
const usEast1 = "us-east-1"

type createBucketConfiguration struct {
	LocationConstraint string
}

func (r *Room) createBucket(w http.ResponseWriter, req *room.Request, name string) error {
	if err := onlyParams(req); err != nil {
		return err
	}
	if err := validateBucketName(name); err != nil {
		return err
	}
	region, err := bucketRegion(req)
	if err != nil {
		return err
	}
	limit := r.env.Limits.Get(limitBuckets)
	err = r.update(func(p *store.Part) error {
		b, err := store.S3Buckets.Get(p, name)
		switch {
		case err != nil:
			return err
		case b != nil && b.Owner != req.Account:
			return errf(http.StatusConflict, "BucketAlreadyExists", "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
		case b != nil && (req.Region == usEast1 && b.Region == usEast1):
			// S3 answers 200 in us-east-1 for a bucket the caller already owns there, for
			// compatibility with its first clients; everywhere else it is an error.
			return nil
		case b != nil:
			e := errf(http.StatusConflict, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
			e.Bucket = name
			return e
		}
		n := 0
		if err := store.S3Owned.ForEachFrom(p, req.Account+"/", func(k string, _ *struct{}) error {
			if !strings.HasPrefix(k, req.Account+"/") {
				return errStop
			}
			n++
			return nil
		}); err != nil && err != errStop {
			return err
		}
		if n >= limit {
			return errf(http.StatusBadRequest, "TooManyBuckets", "You have attempted to create more buckets than allowed (%d).", limit)
		}
		if err := store.S3Buckets.Put(p, name, &store.S3Bucket{Owner: req.Account, Region: region, Created: r.env.Now().UTC()}); err != nil {
			return err
		}
		return store.S3Owned.Put(p, store.OwnedKey(req.Account, name), &struct{}{})
	})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/"+name)
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

// bucketRegion is the region a CreateBucket request places its bucket in: its location
// constraint, or us-east-1 without one. Only the us-east-1 endpoint places buckets elsewhere;
// a regional endpoint takes only its own region, as S3's do.
func bucketRegion(req *room.Request) (string, error) {
	var cfg createBucketConfiguration
	if len(bytes.TrimSpace(req.Body)) > 0 {
		if err := xml.Unmarshal(req.Body, &cfg); err != nil {
			return "", errf(http.StatusBadRequest, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
		}
	}
	lc := cfg.LocationConstraint
	switch {
	case lc == "":
		if req.Region != usEast1 {
			return "", errf(http.StatusBadRequest, "IllegalLocationConstraintException", "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
		}
		return usEast1, nil
	case lc == "EU":
		lc = "eu-west-1"
	case lc == usEast1 || !validRegion(lc):
		return "", errf(http.StatusBadRequest, "InvalidLocationConstraint", "The specified location-constraint is not valid")
	}
	if req.Region != usEast1 && req.Region != lc {
		return "", errf(http.StatusBadRequest, "IllegalLocationConstraintException", "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", lc)
	}
	return lc, nil
}

// validRegion accepts names shaped like AWS regions (eu-west-1, us-gov-east-1).
func validRegion(s string) bool {
	parts := strings.Split(s, "-")
	if len(s) > 32 || len(parts) < 3 {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" || strings.Trim(p, "abcdefghijklmnopqrstuvwxyz") != "" {
			return false
		}
	}
	_, err := strconv.Atoi(parts[len(parts)-1])
	return err == nil
}

// validateBucketName applies S3's rules for general purpose buckets.
func validateBucketName(name string) error {
	bad := func(why string) error {
		e := errf(http.StatusBadRequest, "InvalidBucketName", "The specified bucket is not valid: %s.", why)
		e.Bucket = name
		return e
	}
	if len(name) < 3 || len(name) > 63 {
		return bad("a name is 3 to 63 characters long")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return bad("a name holds only lower-case letters, digits, dots and hyphens")
		}
	}
	if !alnum(name[0]) || !alnum(name[len(name)-1]) {
		return bad("a name begins and ends with a letter or a digit")
	}
	if strings.Contains(name, "..") {
		return bad("a name has no two adjacent periods")
	}
	if net.ParseIP(name) != nil {
		return bad("a name is not formatted as an IP address")
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return bad("a name does not start with " + p)
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return bad("a name does not end with " + s)
		}
	}
	return nil
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func (r *Room) headBucket(w http.ResponseWriter, req *room.Request, name string) error {
	var region string
	err := r.view(func(p *store.Part) error {
		b, err := owned(p, req, name)
		if b != nil {
			region = b.Region
		}
		return err
	})
	if err != nil {
		return err
	}
	w.Header().Set("x-amz-bucket-region", region)
	w.Header().Set("x-amz-access-point-alias", "false")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (r *Room) deleteBucket(w http.ResponseWriter, req *room.Request, name string) error {
	if err := onlyParams(req); err != nil {
		return err
	}
	err := r.update(func(p *store.Part) error {
		b, err := owned(p, req, name)
		if err != nil {
			return err
		}
		if b.Objects > 0 {
			e := errf(http.StatusConflict, "BucketNotEmpty", "The bucket you tried to delete is not empty")
			e.Bucket = name
			return e
		}
		if _, err := store.S3Buckets.Delete(p, name); err != nil {
			return err
		}
		_, err = store.S3Owned.Delete(p, store.OwnedKey(req.Account, name))
		return err
	})
	if err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	XMLNS   string   `xml:"xmlns,attr"`
	Region  string   `xml:",chardata"`
}

func (r *Room) getBucketLocation(w http.ResponseWriter, req *room.Request, name string) error {
	if err := onlyParams(req, "location"); err != nil {
		return err
	}
	out := locationConstraint{XMLNS: namespace}
	err := r.view(func(p *store.Part) error {
		b, err := owned(p, req, name)
		if b != nil && b.Region != usEast1 {
			out.Region = b.Region
		}
		return err
	})
	if err != nil {
		return err
	}
	writeXML(w, http.StatusOK, out)
	return nil
}

// s3Time is how S3's XML writes a time.
func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
