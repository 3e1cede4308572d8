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
	regions     atomic.Pointer[func(string) bool] // nil func: any well-formed region

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
	v.SetRegions(nil)
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

// SetRegions makes Verify refuse a credential scope whose region valid rejects, as AWS refuses
// a region it does not have (SignatureDoesNotMatch, "Credential should be scoped to a valid
// region"); nil accepts any well-formed region.
func (v *Verifier) SetRegions(valid func(region string) bool) {
	v.regions.Store(&valid)
}

// Verify checks the SigV4 signature of r, whose body the caller has already
// read into body (r.Body is not touched). On success it returns who signed
// the request; otherwise the error is an *Error with the AWS code and status.
// The region in the scope is checked for syntax, and against SetRegions' policy
// when one is set, and returned in the Principal. SigV4
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
		return Principal{}, nil, err // never a typed nil inside the interface
	}
	return p, payload, nil
}

func (v *Verifier) verify(r *http.Request, body []byte) (Principal, []byte, *Error) {
	c, err := v.claim(r)
	if err != nil {
		return Principal{}, nil, err
	}
	return v.finish(r, c, body)
}

// finish checks the signature of a claimed request against its body.
func (v *Verifier) finish(r *http.Request, c claimed, body []byte) (Principal, []byte, *Error) {
	var err *Error
	payloadHash := bodyHash(body)
	if c.in.service == s3Service {
		if payloadHash, err = s3PayloadHash(r, c.in, body); err != nil {
			return Principal{}, nil, err
		}
	}
	got, signedHeaders, serr := v.resign(r, c.in, c.cred, c.query, payloadHash)
	if serr != nil || signedHeaders != c.in.signedHeaders || !hmac.Equal([]byte(got), []byte(c.in.signature)) {
		return Principal{}, nil, errMismatch(mismatchMessage)
	}
	payload := body
	if c.in.service == s3Service && (payloadHash == StreamingSignedPayload || payloadHash == StreamingUnsignedTrailer) {
		if payload, err = decodeStreaming(r, c.in, c.cred, body, payloadHash); err != nil {
			return Principal{}, nil, err
		}
	}
	return Principal{AccessKeyID: c.cred.AccessKeyID, AccountID: c.cred.AccountID, Region: c.in.region, Service: c.in.service}, payload, nil
}

// Screen makes every check of Verify that needs no body: a request it refuses is refused by
// Verify whatever its body, so a server can answer it without reading (or holding) the body.
// The error is an *Error, as Verify's. A request it lets through is finished with
// Screened.VerifyPayload, which does not parse the signature a second time.
func (v *Verifier) Screen(r *http.Request) (*Screened, error) {
	c, err := v.claim(r)
	if err != nil {
		return nil, err
	}
	return &Screened{v: v, r: r, c: c}, nil
}

// Screened is a request Screen let through, with its signature parameters parsed.
type Screened struct {
	v *Verifier
	r *http.Request
	c claimed
}

// VerifyPayload is Verifier.VerifyPayload for the screened request and its body. The clock is
// read again: receiving the body takes time.
func (s *Screened) VerifyPayload(body []byte) (Principal, []byte, error) {
	if err := s.v.checkTime(s.c.in); err != nil {
		return Principal{}, nil, err
	}
	p, payload, err := s.v.finish(s.r, s.c, body)
	if err != nil {
		return Principal{}, nil, err // never a typed nil inside the interface
	}
	return p, payload, nil
}

// Query is the request's URL query as the signature check parsed it. It is the check's own:
// the caller reads it and does not modify it.
func (s *Screened) Query() url.Values { return s.c.query }

// claimed is what a request says about its signature, checked against everything but its body.
type claimed struct {
	in    authInput
	cred  Credential
	query url.Values
}

// claim reads the request's signature parameters and checks them against the credentials,
// the scope, the clock and the session token: everything but the signature itself.
func (v *Verifier) claim(r *http.Request) (claimed, *Error) {
	authz := headerValues(r.Header, "authorization")
	query, qerr := url.ParseQuery(r.URL.RawQuery)
	presigned := query.Has("X-Amz-Signature") || query.Has("X-Amz-Credential") || query.Has("X-Amz-Algorithm")
	switch {
	case len(authz) == 0 && isSigV2(query):
		return claimed{}, s3Err(CodeInvalidRequest, http.StatusBadRequest, "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	case len(authz) == 0 && !presigned:
		return claimed{}, errMissingAuth()
	case len(authz) > 0 && presigned:
		return claimed{}, errIncomplete("Only one authentication mechanism allowed; provide either an Authorization header or X-Amz-Signature query parameters.")
	case len(authz) > 1:
		return claimed{}, errIncomplete("Authorization header must appear once.")
	case qerr != nil:
		// A query that does not parse cannot be canonicalised the way the
		// client did, so reject it up front rather than as a mismatch.
		return claimed{}, errIncomplete("The query string is malformed.")
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
		return claimed{}, err
	}

	if d := in.amzDate.Format(scopeDateFmt); d != in.scopeDate {
		return claimed{}, errMismatch("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: " +
			"'" + in.scopeDate + "' != '" + d + "'.")
	}
	if v.services != nil && !v.services[in.service] {
		return claimed{}, errMismatch("Credential should be scoped to correct service: " + v.serviceList + ".")
	}
	if valid := *v.regions.Load(); valid != nil && !valid(in.region) {
		return claimed{}, errMismatch("Credential should be scoped to a valid region, not '" + in.region + "'. ")
	}
	cred, ok := v.creds[in.accessKeyID]
	if !ok {
		return claimed{}, errUnknownKey()
	}
	if err := v.checkTime(in); err != nil {
		return claimed{}, err
	}
	if err := checkToken(r, in, query, cred); err != nil {
		return claimed{}, err
	}
	return claimed{in: in, cred: cred, query: query}, nil
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
	if in.amzDate.After(now.Add(maxSkew)) {
		return skewed(in, "Signature not yet current: "+in.amzDate.Format(f)+" is still later than "+
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
		return skewed(in, "Signature expired: "+in.amzDate.Format(f)+" is now earlier than "+
			now.Add(-maxSkew).Format(f)+" ("+now.Format(f)+" - 15 min.)")
	}
	return nil
}
