package sigv4auth

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// FuzzVerify mutates a properly signed request: Authorization, X-Amz-Date,
// query, body and one extra header are replaced by fuzzed values. Verify must
// never panic, must fail with an *Error that leaks neither secret nor
// signature, and may succeed only when every signed part is unchanged.
func FuzzVerify(f *testing.F) {
	base := signHeader(f, spec{method: http.MethodPost, query: "Action=DescribeLoadBalancers", body: formBody})
	baseAuth := base.Header.Get("Authorization")
	baseDate := base.Header.Get("X-Amz-Date")
	baseQuery := base.URL.RawQuery
	baseSig := signatureOf(base)
	v := newTestVerifier(f)

	build := func(authz, date, rawQuery, hname, hval string) *http.Request {
		r := &http.Request{
			Method: http.MethodPost,
			URL:    &url.URL{Path: "/", RawQuery: rawQuery},
			Host:   testHost,
			Header: http.Header{"Content-Type": {formType}, "User-Agent": {"fuzz"}},
		}
		r.ContentLength = int64(len(formBody)) // the length signed, as a server would see it
		if authz != "" {
			r.Header["Authorization"] = []string{authz}
		}
		if date != "" {
			r.Header["X-Amz-Date"] = []string{date}
		}
		if hname != "" {
			r.Header[hname] = []string{hval}
		}
		return r
	}
	// The unmodified request must verify, or the success branch below
	// would never be exercised.
	if _, err := v.Verify(build(baseAuth, baseDate, baseQuery, "X-Extra", "1"), []byte(formBody)); err != nil {
		f.Fatalf("base request does not verify: %v", err)
	}

	f.Add(baseAuth, baseDate, baseQuery, []byte(formBody), "X-Extra", "1")
	f.Add(baseAuth, baseDate, baseQuery, []byte(formBody+"&x=1"), "Content-Type", "text/plain")
	f.Add(baseAuth, "20240517T122900Z", "Action=DescribeLoadBalancers&X-Amz-Signature="+baseSig, []byte(formBody), "", "")
	f.Add(strings.Replace(baseAuth, ", ", ",", -1), baseDate, "Action=DescribeLoadBalancers&", []byte(formBody), "content-type", formType)
	f.Add("AWS4-HMAC-SHA256 Credential=test/20240517/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00", baseDate, "", []byte{}, "X-Amz-Security-Token", "t")
	f.Add("", "", "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240517%2Fus-east-1%2Felasticloadbalancing%2Faws4_request&X-Amz-Date=20240517T122900Z&X-Amz-SignedHeaders=host&X-Amz-Signature=ab&X-Amz-Expires=9", []byte{}, "Host", "x")

	f.Fuzz(func(t *testing.T, authz, date, rawQuery string, body []byte, hname, hval string) {
		r := build(authz, date, rawQuery, hname, hval)
		p, err := v.Verify(r, body)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, not *Error", err, err)
			}
			if e.Status != http.StatusBadRequest && e.Status != http.StatusForbidden {
				t.Fatalf("status %d for %v", e.Status, err)
			}
			if strings.Contains(e.Message, testCred.SecretAccessKey) || strings.Contains(e.Message, baseSig) {
				t.Fatalf("message leaks a secret or signature: %q", e.Message)
			}
			if p != (Principal{}) {
				t.Fatalf("principal %+v returned with error", p)
			}
			return
		}

		// Success: everything the client signed must be what was signed.
		if !bytes.Equal(body, []byte(formBody)) {
			t.Fatalf("verified with a different body %q", body)
		}
		if date != baseDate {
			t.Fatalf("verified with a different X-Amz-Date %q", date)
		}
		if !sameQuery(rawQuery, baseQuery) {
			t.Fatalf("verified with a different query %q", rawQuery)
		}
		if !strings.Contains(authz, baseSig) {
			t.Fatalf("verified with a different signature in %q", authz)
		}
		// What the endpoint reads must be what was signed. A hand-built map
		// may hold the header twice under different key cases; Get, like
		// the verifier, uses the canonical key.
		if ct := r.Header.Get("Content-Type"); strings.Join(strings.Fields(ct), " ") != formType {
			t.Fatalf("verified with Content-Type %q", ct)
		}
		if strings.EqualFold(hname, "X-Amz-Security-Token") {
			t.Fatalf("verified with an unsigned security token")
		}
		if p.AccessKeyID != testCred.AccessKeyID || p.AccountID != testCred.AccountID {
			t.Fatalf("wrong principal %+v", p)
		}
	})
}

// sameQuery reports whether two raw queries carry the same parameters, which
// is all the canonical request depends on.
func sameQuery(a, b string) bool {
	qa, errA := url.ParseQuery(a)
	qb, errB := url.ParseQuery(b)
	return errA == nil && errB == nil && reflect.DeepEqual(qa, qb)
}
