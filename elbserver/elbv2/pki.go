package elbv2

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Bounds on what trust stores read: AWS's quotas where it has them (16 KB per CA certificate,
// 25 per store), lbcloud's on a bundle and on the entries of one revocation file, which keep a
// stored file under its record bound.
const (
	maxBundleBytes     = 1 << 20
	maxCACertBytes     = 16 << 10
	maxCRLBytes        = 50 << 20
	maxRevokedPerFile  = 50000
	maxS3Key           = 1024
	maxS3ObjectVersion = 1024
	revocationTypeCRL  = "CRL"
	trustStoreActive   = "ACTIVE"
	firstRevocationID  = 1
)

// readS3Location reads an S3 bucket, key and optional version from params.
func readS3Location(params query.Params, bucket, key, version string) (store.V2S3Object, error) {
	loc := store.V2S3Object{Bucket: params[bucket]}
	if loc.Bucket == "" {
		return loc, query.Missing(bucket)
	}
	if !query.BucketName(loc.Bucket) {
		return loc, query.Validation("'%s' is not a valid S3 bucket name", loc.Bucket)
	}
	var err error
	if loc.Key, err = params.RequiredText(key, maxS3Key); err != nil {
		return loc, err
	}
	if loc.Version, _, err = params.Text(version, maxS3ObjectVersion); err != nil {
		return loc, err
	}
	return loc, nil
}

// fetch reads an object from the object source; a missing one (or no source at all) is
// notFound.
func (r *Room) fetch(c *query.Call, loc store.V2S3Object, notFound *query.Error) ([]byte, error) {
	if r.src.Objects == nil {
		return nil, notFound
	}
	raw, err := r.src.Objects.Object(c.Ctx, c.Account, c.Region, loc.Bucket, loc.Key, loc.Version)
	if errors.Is(err, ErrObjectNotFound) {
		return nil, notFound
	}
	return raw, err
}

func errBundleNotFound(loc store.V2S3Object) *query.Error {
	return sender("CaCertificatesBundleNotFound", "The CA certificates bundle s3://%s/%s was not found", loc.Bucket, loc.Key)
}

func errInvalidBundle(format string, args ...any) *query.Error {
	return sender("InvalidCaCertificatesBundle", "The CA certificates bundle is not valid: "+format, args...)
}

// parseBundle checks a CA certificates bundle: PEM CERTIFICATE blocks only, each a CA
// certificate crypto/x509 parses, 1 to 25 of them. It returns how many.
func parseBundle(raw []byte) (int, error) {
	if len(raw) > maxBundleBytes {
		return 0, errInvalidBundle("it is larger than %d bytes", maxBundleBytes)
	}
	n := 0
	rest := raw
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			return 0, errInvalidBundle("it holds a %s block; only CERTIFICATE blocks are allowed", block.Type)
		}
		if len(block.Bytes) > maxCACertBytes {
			return 0, errInvalidBundle("certificate %d is larger than %d bytes", n+1, maxCACertBytes)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return 0, errInvalidBundle("certificate %d does not parse: %v", n+1, err)
		}
		if !cert.BasicConstraintsValid || !cert.IsCA {
			return 0, errInvalidBundle("certificate %d (%s) is not a CA certificate", n+1, cert.Subject)
		}
		n++
	}
	switch {
	case len(bytes.TrimSpace(rest)) > 0:
		return 0, errInvalidBundle("it holds data that is not PEM")
	case n == 0:
		return 0, errInvalidBundle("it holds no certificate")
	case n > maxCAsPerTrustStore:
		return 0, errInvalidBundle("it holds %d certificates; a trust store takes at most %d", n, maxCAsPerTrustStore)
	}
	return n, nil
}

// parseCRL reads a certificate revocation list (DER, or PEM "X509 CRL") and returns the
// serial numbers it revokes, in hexadecimal.
func parseCRL(raw []byte) ([]string, error) {
	if len(raw) > maxCRLBytes {
		return nil, sender("InvalidRevocationContent", "The revocation file is larger than %d bytes", maxCRLBytes)
	}
	der := raw
	if block, _ := pem.Decode(raw); block != nil {
		if block.Type != "X509 CRL" {
			return nil, sender("InvalidRevocationContent", "The revocation file holds a %s block, not an X509 CRL", block.Type)
		}
		der = block.Bytes
	}
	crl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, sender("InvalidRevocationContent", "The revocation file is not a valid CRL: %v", err)
	}
	if len(crl.RevokedCertificateEntries) > maxRevokedPerFile {
		return nil, sender("TooManyTrustStoreRevocationEntries", "A revocation file can revoke at most %d certificates here", maxRevokedPerFile)
	}
	out := make([]string, len(crl.RevokedCertificateEntries))
	for i, e := range crl.RevokedCertificateEntries {
		out[i] = hex.EncodeToString(e.SerialNumber.Bytes())
	}
	return out, nil
}

// objectURL is where an S3 object is: the endpoint has no S3 presigning, so the URL is the
// object's, not a presigned one.
func objectURL(region string, loc store.V2S3Object) string {
	u := fmt.Sprintf("https://%s.s3.%s.amazonaws.com/%s", loc.Bucket, region, (&url.URL{Path: loc.Key}).EscapedPath())
	if loc.Version != "" {
		u += "?versionId=" + url.QueryEscape(loc.Version)
	}
	return u
}
