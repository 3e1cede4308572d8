package sigv4auth

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// setAuth rewrites the Authorization header with old replaced by new.
func setAuth(r *http.Request, old, new string) *http.Request {
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
	return r
}

func setQuery(r *http.Request, k, val string) *http.Request {
	q := r.URL.Query()
	q.Set(k, val)
	r.URL.RawQuery = q.Encode()
	return r
}

func TestVerifyRejects(t *testing.T) {
	const (
		forbidden  = http.StatusForbidden
		badRequest = http.StatusBadRequest
	)
	post := func(t *testing.T) *http.Request { return signHeader(t, spec{body: formBody}) }
	cases := []struct {
		name    string
		req     func(t *testing.T) *http.Request
		body    string // defaults to formBody
		code    string
		status  int
		message string // substring the message must contain
	}{
		{"no authentication", func(t *testing.T) *http.Request {
			return httptest.NewRequest(http.MethodPost, "http://"+testHost+"/", strings.NewReader(formBody))
		}, "", CodeMissingAuthenticationToken, forbidden, "Request is missing Authentication Token"},

		// Malformed Authorization header or credential scope.
		{"authorization garbage", func(t *testing.T) *http.Request {
			return setAuth(post(t), "Credential=", "Credential")
		}, "", CodeIncompleteSignature, badRequest, "key=value"},
		{"unsupported algorithm", func(t *testing.T) *http.Request {
			return setAuth(post(t), "AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1")
		}, "", CodeIncompleteSignature, badRequest, "algorithm"},
		{"signature v2 style", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Authorization", "AWS AKIDEXAMPLE:c2lnbmF0dXJl")
			return r
		}, "", CodeIncompleteSignature, badRequest, "algorithm"},
		{"missing Signature parameter", func(t *testing.T) *http.Request {
			r := post(t)
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:strings.Index(a, ", Signature=")])
			return r
		}, "", CodeIncompleteSignature, badRequest, "requires 'Signature'"},
		{"repeated parameter", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Authorization", r.Header.Get("Authorization")+", SignedHeaders=host")
			return r
		}, "", CodeIncompleteSignature, badRequest, "repeats"},
		{"scope with four parts", func(t *testing.T) *http.Request {
			return setAuth(post(t), "/us-east-1/", "/")
		}, "", CodeIncompleteSignature, badRequest, "5 slash-separated"},
		{"scope bad terminator", func(t *testing.T) *http.Request {
			return setAuth(post(t), "aws4_request", "aws3_request")
		}, "", CodeIncompleteSignature, badRequest, "terminator"},
		{"scope bad date", func(t *testing.T) *http.Request {
			return setAuth(post(t), "/20240517/", "/2024-5-17/")
		}, "", CodeIncompleteSignature, badRequest, "valid date"},
		{"scope bad region", func(t *testing.T) *http.Request {
			return setAuth(post(t), "/us-east-1/", "/US_EAST/")
		}, "", CodeIncompleteSignature, badRequest, "valid region"},
		{"empty access key", func(t *testing.T) *http.Request {
			return setAuth(post(t), "Credential=AKIDEXAMPLE/", "Credential=/")
		}, "", CodeIncompleteSignature, badRequest, "access key"},
		{"signed headers without host", func(t *testing.T) *http.Request {
			return setAuth(post(t), "content-length;content-type;host;x-amz-date", "content-length;content-type;x-amz-date")
		}, "", CodeIncompleteSignature, badRequest, "Host"},
		{"signed headers unsorted", func(t *testing.T) *http.Request {
			return setAuth(post(t), "content-length;content-type;host", "content-type;content-length;host")
		}, "", CodeIncompleteSignature, badRequest, "sorted"},
		{"signed headers upper case", func(t *testing.T) *http.Request {
			return setAuth(post(t), ";host;", ";Host;")
		}, "", CodeIncompleteSignature, badRequest, "lower-case"},
		{"missing X-Amz-Date", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Del("X-Amz-Date")
			return r
		}, "", CodeIncompleteSignature, badRequest, "X-Amz-Date"},
		{"malformed X-Amz-Date", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("X-Amz-Date", "2024-05-17T12:29:00Z")
			return r
		}, "", CodeIncompleteSignature, badRequest, "ISO 8601"},
		{"two Authorization headers", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Add("Authorization", r.Header.Get("Authorization"))
			return r
		}, "", CodeIncompleteSignature, badRequest, "once"},
		{"header and query auth together", func(t *testing.T) *http.Request {
			r := post(t)
			r.URL.RawQuery = "X-Amz-Signature=00"
			return r
		}, "", CodeIncompleteSignature, badRequest, "Only one"},
		{"unsigned security token", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("X-Amz-Security-Token", "injected")
			return r
		}, "", CodeIncompleteSignature, badRequest, "X-Amz-Security-Token"},

		// Session tokens: AWS knows each token it issued, and which key it goes with.
		{"session token with long-term key", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, token: "FwoGZXIvYXdzEXAMPLETOKEN"})
		}, "", CodeInvalidClientTokenID, forbidden, "security token included in the request is invalid"},
		{"temporary key without its token", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, cred: testTempCred})
		}, "", CodeInvalidClientTokenID, forbidden, "security token included in the request is invalid"},
		{"temporary key with another token", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, cred: testTempCred, token: "FwoGZXIvYXdzOTHERTOKEN"})
		}, "", CodeInvalidClientTokenID, forbidden, "security token included in the request is invalid"},
		{"presigned unknown session token", func(t *testing.T) *http.Request {
			return signQuery(t, spec{method: http.MethodPost, body: formBody, token: "FwoGZXIvYXdzEXAMPLETOKEN"}, "60")
		}, "", CodeInvalidClientTokenID, forbidden, "security token included in the request is invalid"},

		{"unknown access key", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, cred: Credential{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "x"}})
		}, "", CodeInvalidClientTokenID, forbidden, "security token included in the request is invalid"},

		// Signature mismatches.
		{"wrong secret", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, cred: Credential{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: "wrong"}})
		}, "", CodeSignatureDoesNotMatch, forbidden, "signature we calculated does not match"},
		{"tampered body", post, "Action=DeleteLoadBalancer&Version=2012-06-01&LoadBalancerName=web", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"tampered signed header", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("Content-Type", "text/plain")
			return r
		}, "", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"tampered host", func(t *testing.T) *http.Request {
			r := post(t)
			r.Host = "other.local:4566"
			return r
		}, "", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"signed header removed", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Del("Content-Type")
			return r
		}, "", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"tampered session token", func(t *testing.T) *http.Request {
			r := signHeader(t, spec{body: formBody, cred: testTempCred, token: testTempCred.SessionToken})
			r.Header.Set("X-Amz-Security-Token", "swapped")
			return r
		}, "", CodeInvalidClientTokenID, forbidden, "security token included in the request is invalid"},
		{"tampered query", func(t *testing.T) *http.Request {
			return setQuery(signHeader(t, spec{method: http.MethodGet, query: testQuery}), "LoadBalancerNames.member.1", "other")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"query parameter added", func(t *testing.T) *http.Request {
			return setQuery(signHeader(t, spec{method: http.MethodGet, query: testQuery}), "Extra", "1")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"tampered signature", func(t *testing.T) *http.Request {
			r := post(t)
			sig := signatureOf(r)
			return setAuth(r, sig, strings.Repeat("0", len(sig)))
		}, "", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"region rewritten in scope", func(t *testing.T) *http.Request {
			return setAuth(post(t), "/us-east-1/", "/us-west-2/")
		}, "", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"service not served", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, service: "s3"})
		}, "", CodeSignatureDoesNotMatch, forbidden, "correct service: 'ec2' or 'elasticloadbalancing'."},
		{"scope date differs from X-Amz-Date", func(t *testing.T) *http.Request {
			r := post(t)
			r.Header.Set("X-Amz-Date", "20240518T000100Z")
			return r
		}, "", CodeSignatureDoesNotMatch, forbidden, "Credential scope does not match"},
		{"date 16 minutes old", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, at: testNow.Add(-16 * time.Minute)})
		}, "", CodeSignatureDoesNotMatch, forbidden, "Signature expired: 20240517T121400Z is now earlier than 20240517T121500Z (20240517T123000Z - 15 min.)"},
		{"date 16 minutes ahead", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, at: testNow.Add(16 * time.Minute)})
		}, "", CodeSignatureDoesNotMatch, forbidden, "Signature not yet current: 20240517T124600Z is still later than 20240517T124500Z"},

		// Presigned (query-string) form.
		{"presigned expired", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery, at: testNow.Add(-2 * time.Minute)}, "60")
		}, "-", CodeRequestExpired, badRequest, "Request has expired."},
		{"presigned no expiry and 16 minutes old", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery, at: testNow.Add(-16 * time.Minute)}, "")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "Signature expired"},
		{"presigned 16 minutes ahead", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery, at: testNow.Add(16 * time.Minute)}, "3600")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "not yet current"},
		{"presigned expiry extended", func(t *testing.T) *http.Request {
			r := signQuery(t, spec{query: testQuery, at: testNow.Add(-2 * time.Minute)}, "60")
			return setQuery(r, "X-Amz-Expires", "600")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"presigned tampered query", func(t *testing.T) *http.Request {
			return setQuery(signQuery(t, spec{query: testQuery}, "60"), "Action", "DeleteLoadBalancer")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"presigned missing credential", func(t *testing.T) *http.Request {
			r := signQuery(t, spec{query: testQuery}, "60")
			q := r.URL.Query()
			q.Del("X-Amz-Credential")
			r.URL.RawQuery = q.Encode()
			return r
		}, "-", CodeIncompleteSignature, badRequest, "X-Amz-Credential"},
		{"presigned expiry over a week", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery}, "604801")
		}, "-", CodeIncompleteSignature, badRequest, "X-Amz-Expires"},
		{"presigned negative expiry", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery}, "-1")
		}, "-", CodeIncompleteSignature, badRequest, "X-Amz-Expires"},
		{"presigned wrong secret", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery, cred: Credential{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: "wrong"}}, "60")
		}, "-", CodeSignatureDoesNotMatch, forbidden, "does not match"},
		{"presigned duplicated date", func(t *testing.T) *http.Request {
			r := signQuery(t, spec{query: testQuery}, "60")
			r.URL.RawQuery += "&X-Amz-Date=20240517T122900Z"
			return r
		}, "-", CodeIncompleteSignature, badRequest, "once"},
		{"malformed query", func(t *testing.T) *http.Request {
			r := post(t)
			r.URL.RawQuery = "Action=%zz"
			return r
		}, "", CodeIncompleteSignature, badRequest, "malformed"},
	}
	v := newTestVerifier(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			switch body {
			case "":
				body = formBody
			case "-":
				body = ""
			}
			r := tc.req(t)
			p, err := v.Verify(r, []byte(body))
			if err == nil {
				t.Fatalf("verified as %+v", p)
			}
			if p != (Principal{}) {
				t.Fatalf("principal %+v returned with error", p)
			}
			e := wantCode(t, err, tc.code, tc.status)
			if !strings.Contains(e.Message, tc.message) {
				t.Fatalf("message %q lacks %q", e.Message, tc.message)
			}
			for _, secret := range []string{testCred.SecretAccessKey, signatureOf(r)} {
				if secret != "" && strings.Contains(err.Error(), secret) {
					t.Fatalf("error %q leaks a secret or signature", err)
				}
			}
		})
	}
}

// Messages never echo malformed client text: it could be anything,
// including a signature or a secret pasted into the wrong field.
func TestMessagesDoNotEchoClientText(t *testing.T) {
	r := signHeader(t, spec{body: formBody})
	hostile := "\x1b[31m" + strings.Repeat("A", 500) + "\xff"
	r.Header.Set("Authorization", hostile+" Credential=x")
	_, err := newTestVerifier(t).Verify(r, []byte(formBody))
	e := wantCode(t, err, CodeIncompleteSignature, http.StatusBadRequest)
	if strings.Contains(e.Message, "AAAA") || strings.ContainsAny(e.Message, "\x1b\n") || !utf8.ValidString(e.Message) {
		t.Fatalf("message echoes client text: %q", e.Message)
	}
}

// Hand-built requests may carry non-canonical header keys; the verifier must
// find signed headers whatever their case.
func TestVerifyNonCanonicalHeaderKeys(t *testing.T) {
	r := signHeader(t, spec{body: formBody})
	for k, vs := range r.Header {
		delete(r.Header, k)
		r.Header[strings.ToLower(k)] = vs
	}
	if _, err := newTestVerifier(t).Verify(r, []byte(formBody)); err != nil {
		t.Fatal(err)
	}
	// Nor can a non-canonical key smuggle in an unsigned session token.
	r.Header["x-amz-security-token"] = []string{"injected"}
	_, err := newTestVerifier(t).Verify(r, []byte(formBody))
	wantCode(t, err, CodeIncompleteSignature, http.StatusBadRequest)
}
