package sigv4auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestVerifyAccepts(t *testing.T) {
	cases := []struct {
		name string
		req  func(t *testing.T) *http.Request
		body string
		want Principal
	}{
		{"header POST form body", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, region: "eu-west-1"})
		}, formBody, Principal{"AKIDEXAMPLE", "123456789012", "eu-west-1", "elasticloadbalancing"}},
		{"header GET with query", func(t *testing.T) *http.Request {
			return signHeader(t, spec{method: http.MethodGet, query: testQuery})
		}, "", Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"header ec2 scope default credential", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: "Action=DescribeInstances&Version=2016-11-15", service: "ec2", cred: DefaultCredential})
		}, "Action=DescribeInstances&Version=2016-11-15", Principal{"test", "000000000000", "us-east-1", "ec2"}},
		{"header with signed session token", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, cred: testTempCred, token: testTempCred.SessionToken})
		}, formBody, Principal{"ASIAEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"header date 14 minutes old", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, at: testNow.Add(-14 * time.Minute)})
		}, formBody, Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"header date 14 minutes ahead", func(t *testing.T) *http.Request {
			return signHeader(t, spec{body: formBody, at: testNow.Add(14 * time.Minute)})
		}, formBody, Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"header unsigned extra header added", func(t *testing.T) *http.Request {
			r := signHeader(t, spec{body: formBody})
			r.Header.Set("X-Forwarded-For", "10.0.0.1")
			return r
		}, formBody, Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"presigned GET with expiry", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery}, "300")
		}, "", Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"presigned GET without expiry", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery}, "")
		}, "", Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"presigned with session token", func(t *testing.T) *http.Request {
			return signQuery(t, spec{query: testQuery, cred: testTempCred, token: testTempCred.SessionToken}, "60")
		}, "", Principal{"ASIAEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
		{"presigned POST with body", func(t *testing.T) *http.Request {
			return signQuery(t, spec{method: http.MethodPost, body: formBody}, "60")
		}, formBody, Principal{"AKIDEXAMPLE", "123456789012", "us-east-1", "elasticloadbalancing"}},
	}
	v := newTestVerifier(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := v.Verify(tc.req(t), []byte(tc.body))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if p != tc.want {
				t.Fatalf("principal %+v, want %+v", p, tc.want)
			}
		})
	}
}

func TestVerifyAnyServiceWhenNoneListed(t *testing.T) {
	v := NewVerifier(testCreds)
	v.SetClock(func() time.Time { return testNow })
	p, err := v.Verify(signHeader(t, spec{body: formBody, service: "sts"}), []byte(formBody))
	if err != nil || p.Service != "sts" {
		t.Fatalf("got %+v, %v", p, err)
	}
}

func TestNewVerifierDefaultsAndDuplicates(t *testing.T) {
	v := NewVerifier(nil)
	v.SetClock(func() time.Time { return testNow })
	if _, err := v.Verify(signHeader(t, spec{body: formBody, cred: DefaultCredential}), []byte(formBody)); err != nil {
		t.Fatalf("default credential refused: %v", err)
	}
	// The first entry for a key wins; a later one cannot replace its secret.
	impostor := Credential{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: "other", AccountID: "999999999999"}
	v = NewVerifier([]Credential{testCred, impostor})
	v.SetClock(func() time.Time { return testNow })
	p, err := v.Verify(signHeader(t, spec{body: formBody}), []byte(formBody))
	if err != nil || p.AccountID != testCred.AccountID {
		t.Fatalf("got %+v, %v", p, err)
	}
	_, err = v.Verify(signHeader(t, spec{body: formBody, cred: impostor}), []byte(formBody))
	wantCode(t, err, CodeSignatureDoesNotMatch, http.StatusForbidden)
}

func TestErrorIs(t *testing.T) {
	_, err := newTestVerifier(t).Verify(signHeader(t, spec{body: formBody}), []byte("tampered"))
	if !errors.Is(err, &Error{Code: CodeSignatureDoesNotMatch}) {
		t.Fatalf("errors.Is failed for %v", err)
	}
	if errors.Is(err, &Error{Code: CodeIncompleteSignature}) {
		t.Fatalf("errors.Is matched the wrong code for %v", err)
	}
	if got := err.Error(); !strings.HasPrefix(got, "SignatureDoesNotMatch: ") {
		t.Fatalf("Error() = %q", got)
	}
}

// TestVerifyConcurrent runs under -race to prove Verify and SetClock share
// no unsynchronised state.
func TestVerifyConcurrent(t *testing.T) {
	v := newTestVerifier(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				r := signHeader(t, spec{body: formBody})
				if _, err := v.Verify(r, []byte(formBody)); err != nil {
					t.Error(err)
					return
				}
				if i == 0 {
					v.SetClock(func() time.Time { return testNow })
				}
			}
		}()
	}
	wg.Wait()
}

// TestVerifyReusesSignersSafely checks that the signers kept per key and scope
// never let a cached derived key stand in for another key, day or secret, and
// that the number kept stays bounded however many regions clients name.
func TestVerifyReusesSignersSafely(t *testing.T) {
	v := newTestVerifier(t)
	body := []byte(formBody)
	for range 2 {
		for _, c := range testCreds {
			p, err := v.Verify(signHeader(t, spec{body: formBody, cred: c, token: c.SessionToken}), body)
			if err != nil || p.AccessKeyID != c.AccessKeyID {
				t.Fatalf("%s: got %+v, %v", c.AccessKeyID, p, err)
			}
		}
		_, err := v.Verify(signHeader(t, spec{body: formBody, cred: Credential{AccessKeyID: testCred.AccessKeyID, SecretAccessKey: "wrong"}}), body)
		wantCode(t, err, CodeSignatureDoesNotMatch, http.StatusForbidden)
	}
	// The next day's key differs; a key cached yesterday must not be used.
	tomorrow := testNow.Add(24 * time.Hour)
	v.SetClock(func() time.Time { return tomorrow })
	if _, err := v.Verify(signHeader(t, spec{body: formBody, at: tomorrow}), body); err != nil {
		t.Fatalf("next day: %v", err)
	}
	for i := range maxSigners + 10 {
		region := fmt.Sprintf("test-region-%d", i)
		if _, err := v.Verify(signHeader(t, spec{body: formBody, region: region, at: tomorrow}), body); err != nil {
			t.Fatalf("%s: %v", region, err)
		}
	}
	v.signersMu.Lock()
	n := len(v.signers)
	v.signersMu.Unlock()
	if n > maxSigners {
		t.Fatalf("%d signers kept, bound is %d", n, maxSigners)
	}
}

func BenchmarkVerify(b *testing.B) {
	v := newTestVerifier(b)
	b.Run("header", func(b *testing.B) {
		r := signHeader(b, spec{body: formBody})
		body := []byte(formBody)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(r, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("presigned", func(b *testing.B) {
		r := signQuery(b, spec{query: testQuery}, "300")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(r, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mismatch", func(b *testing.B) {
		r := signHeader(b, spec{body: formBody})
		body := []byte(formBody + "x")
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(r, body); err == nil {
				b.Fatal("tampered body verified")
			}
		}
	})
}
