package sigv4auth

import (
	"crypto/hmac"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// maxSkew is how far X-Amz-Date may be from the verifier's clock, as AWS.
const maxSkew = 15 * time.Minute

// Principal is the identity a verified request was signed by. Region and
// Service come from the request's credential scope.
type Principal struct{ AccessKeyID, AccountID, Region, Service string }

// Verifier checks SigV4 signatures against a fixed set of credentials. It is
// safe for concurrent use.
type Verifier struct {
	creds       map[string]Credential
	services    map[string]bool // nil accepts any service
	serviceList string          // for messages, e.g. "'ec2' or 'elasticloadbalancing'"
	now         atomic.Pointer[func() time.Time]

	signersMu sync.Mutex
	signers   map[signerKey]*v4.Signer
}

// NewVerifier returns a Verifier accepting creds. An empty creds accepts
// only DefaultCredential, matching what local AWS emulators accept. When an
// access key ID appears more than once the first entry wins. services lists
// the service names accepted in the credential scope (for example
// "elasticloadbalancing", "ec2"); none accepts any service.
func NewVerifier(creds []Credential, services ...string) *Verifier {
	if len(creds) == 0 {
		creds = []Credential{DefaultCredential}
	}
	v := &Verifier{creds: make(map[string]Credential, len(creds)), signers: map[signerKey]*v4.Signer{}}
	for _, c := range creds {
		if _, dup := v.creds[c.AccessKeyID]; !dup && c.AccessKeyID != "" {
			v.creds[c.AccessKeyID] = c
		}
	}
	if len(services) > 0 {
		v.services = make(map[string]bool, len(services))
		for _, s := range services {
			v.services[strings.ToLower(s)] = true
		}
		names := make([]string, 0, len(v.services))
		for s := range v.services {
			names = append(names, "'"+s+"'")
		}
		slices.Sort(names)
		v.serviceList = strings.Join(names, " or ")
	}
	v.SetClock(nil)
	return v
}

// SetClock replaces the clock used for the date checks; nil restores
// time.Now. Meant for tests.
func (v *Verifier) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	v.now.Store(&now)
}

// Verify checks the SigV4 signature of r, whose body the caller has already
// read into body (r.Body is not touched). On success it returns who signed
// the request; otherwise the error is an *Error with the AWS code and status.
// The region in the scope is only checked for syntax and returned in the
// Principal, so the endpoint can apply its own region policy. SigV4
// parameters are read from the Authorization header or the URL query, never
// from a form body.
func (v *Verifier) Verify(r *http.Request, body []byte) (Principal, error) {
	p, _, err := v.VerifyPayload(r, body)
	return p, err
}

// VerifyPayload is Verify that also returns the payload the signature vouches for: body
// itself, except for an S3 upload in aws-chunked form (X-Amz-Content-Sha256
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD or STREAMING-UNSIGNED-PAYLOAD-TRAILER), whose decoded
// data is returned once every chunk signature, or the trailing checksum, has been checked.
//
// For the s3 scope the payload hash signed is the X-Amz-Content-Sha256 header (a presigned
// URL's is UNSIGNED-PAYLOAD), a hex digest must be the body's, and the path is signed as sent,
// not escaped a second time, as S3 does.
func (v *Verifier) VerifyPayload(r *http.Request, body []byte) (Principal, []byte, error) {
	p, payload, err := v.verify(r, body)
	if err != nil {
		return Principal{}, nil, err
	}
	return p, payload, nil
}

func (v *Verifier) verify(r *http.Request, body []byte) (Principal, []byte, *Error) {
	authz := headerValues(r.Header, "authorization")
	query, qerr := url.ParseQuery(r.URL.RawQuery)
	presigned := query.Has("X-Amz-Signature") || query.Has("X-Amz-Credential") || query.Has("X-Amz-Algorithm")
	switch {
	case len(authz) == 0 && isSigV2(query):
		return Principal{}, nil, s3Err(CodeInvalidRequest, http.StatusBadRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	case len(authz) == 0 && !presigned:
		return Principal{}, nil, errMissingAuth()
	case len(authz) > 0 && presigned:
		return Principal{}, nil, errIncomplete("Only one authentication mechanism allowed; provide either an Authorization header or X-Amz-Signature query parameters.")
	case len(authz) > 1:
		return Principal{}, nil, errIncomplete("Authorization header must appear once.")
	case qerr != nil:
		// A query that does not parse cannot be canonicalised the way the
		// client did, so reject it up front rather than as a mismatch.
		return Principal{}, nil, errIncomplete("The query string is malformed.")
	}

	var (
		in  authInput
		err *Error
	)
	if presigned {
		in, err = parseQueryAuth(query)
	} else {
		in, err = parseHeaderAuth(r, authz[0])
	}
	if err != nil {
		return Principal{}, nil, err
	}

	if d := in.amzDate.Format(scopeDateFmt); d != in.scopeDate {
		return Principal{}, nil, errMismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
			"'" + in.scopeDate + "' != '" + d + "'.")
	}
	if v.services != nil && !v.services[in.service] {
		return Principal{}, nil, errMismatch("Credential should be scoped to correct service: " + v.serviceList + ".")
	}
	cred, ok := v.creds[in.accessKeyID]
	if !ok {
		return Principal{}, nil, errUnknownKey()
	}
	if err := v.checkTime(in); err != nil {
		return Principal{}, nil, err
	}
	// Temporary credentials are not modelled, but a session token must still
	// be covered by the signature so it cannot be swapped in transit.
	if tok := headerValues(r.Header, "x-amz-security-token"); len(tok) > 0 && !slices.Contains(in.headerNames, "x-amz-security-token") {
		return Principal{}, nil, errIncomplete("X-Amz-Security-Token must be listed in SignedHeaders when present.")
	}

	payloadHash := ""
	if in.service == s3Service {
		if payloadHash, err = s3PayloadHash(r, in, body); err != nil {
			return Principal{}, nil, err
		}
	} else {
		payloadHash = bodyHash(body)
	}
	got, signedHeaders, serr := v.resign(r, in, cred, query, payloadHash)
	if serr != nil || signedHeaders != in.signedHeaders || !hmac.Equal([]byte(got), []byte(in.signature)) {
		return Principal{}, nil, errMismatch(mismatchMessage)
	}
	payload := body
	if in.service == s3Service && (payloadHash == StreamingSignedPayload || payloadHash == StreamingUnsignedTrailer) {
		if payload, err = decodeStreaming(r, in, cred, body, payloadHash); err != nil {
			return Principal{}, nil, err
		}
	}
	return Principal{AccessKeyID: cred.AccessKeyID, AccountID: cred.AccountID, Region: in.region, Service: in.service}, payload, nil
}

// skewed refuses a request dated too far from the clock: S3 has a code of its own for it.
func skewed(in authInput, msg string) *Error {
	if in.service == s3Service {
		return s3Err(CodeRequestTimeTooSkewed, http.StatusForbidden, "The difference between the request time and the current time is too large. "+msg)
	}
	return errMismatch(msg)
}

func (v *Verifier) checkTime(in authInput) *Error {
	now := (*v.now.Load())().UTC()
	const f = amzTimeFormat
	date := in.amzDate.Format(f)
	if in.amzDate.After(now.Add(maxSkew)) {
		return skewed(in, "Signature not yet current: "+date+" is still later than "+
			now.Add(maxSkew).Format(f)+" ("+now.Format(f)+" + 15 min.)")
	}
	if in.presigned && in.hasExpires {
		// X-Amz-Expires replaces the skew window: the URL is good from its
		// date until date+expires, as S3 and STS presigned URLs are.
		if now.After(in.amzDate.Add(in.expires)) {
			return errExpired()
		}
		return nil
	}
	if in.amzDate.Before(now.Add(-maxSkew)) {
		return skewed(in, "Signature expired: "+date+" is now earlier than "+
			now.Add(-maxSkew).Format(f)+" ("+now.Format(f)+" - 15 min.)")
	}
	return nil
}
