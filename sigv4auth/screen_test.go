package sigv4auth

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// unreadable is a body that fails the test when read: Screen must decide from headers alone.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("Screen read the body")
	return 0, errors.New("body read")
}

func TestScreenRefusesWithoutReadingTheBody(t *testing.T) {
	v := newTestVerifier(t)
	v.SetRegions(func(r string) bool { return r == "us-east-1" || r == "eu-west-1" })
	withBody := func(r *http.Request) *http.Request {
		r.Body = io.NopCloser(unreadable{t})
		return r
	}
	cases := []struct {
		name string
		req  *http.Request
		code string
	}{
		{"unsigned", httptest.NewRequest(http.MethodPost, "http://"+testHost+"/", unreadable{t}), CodeMissingAuthenticationToken},
		{"unknown key", signHeader(t, spec{body: formBody, cred: Credential{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: "x"}}), CodeInvalidClientTokenID},
		{"region AWS does not have", signHeader(t, spec{body: formBody, region: "zz-fake-9"}), CodeSignatureDoesNotMatch},
		{"expired", signHeader(t, spec{body: formBody, at: testNow.Add(-16 * time.Minute)}), CodeSignatureDoesNotMatch},
		{"unknown session token", signHeader(t, spec{body: formBody, token: "FwoGZXIvYXdzEXAMPLETOKEN"}), CodeInvalidClientTokenID},
	}
	for _, tc := range cases {
		_, err := v.Screen(withBody(tc.req))
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.code {
			t.Errorf("%s: Screen = %v, want %s", tc.name, err, tc.code)
		}
	}
	// A request whose signature can only be checked with its body passes; Verify decides.
	good := signHeader(t, spec{body: formBody, region: "eu-west-1"})
	screened, err := v.Screen(withBody(good))
	if err != nil {
		t.Fatalf("Screen refused a well-signed request: %v", err)
	}
	if p, _, err := screened.VerifyPayload([]byte(formBody)); err != nil || p.Region != "eu-west-1" {
		t.Fatalf("Screened.VerifyPayload = %+v, %v", p, err)
	}
	if _, _, err := screened.VerifyPayload([]byte(formBody + "&x=1")); err == nil {
		t.Fatal("Screened.VerifyPayload accepted a tampered body that Screen let through")
	}
	if _, err := v.Verify(good, []byte(formBody+"&x=1")); err == nil {
		t.Fatal("Verify accepted a tampered body that Screen let through")
	}
	// The clock is read again after the body: a request that expired while it was received is refused.
	v.SetClock(func() time.Time { return testNow.Add(16 * time.Minute) })
	if _, _, err := screened.VerifyPayload([]byte(formBody)); err == nil {
		t.Fatal("Screened.VerifyPayload accepted a request that expired after Screen")
	}
}

func TestSetRegionsRefusesARegionAsAWSDoes(t *testing.T) {
	v := newTestVerifier(t)
	r := signHeader(t, spec{body: formBody, region: "zz-fake-9"})
	if _, err := v.Verify(r, []byte(formBody)); err != nil {
		t.Fatalf("without a region policy any well-formed region is accepted: %v", err)
	}
	v.SetRegions(func(r string) bool { return r == "us-east-1" })
	_, err := v.Verify(r, []byte(formBody))
	e := wantCode(t, err, CodeSignatureDoesNotMatch, http.StatusForbidden)
	if e.Message != "Credential should be scoped to a valid region, not 'zz-fake-9'. " {
		t.Errorf("message %q", e.Message)
	}
	if _, err := v.Verify(signHeader(t, spec{body: formBody}), []byte(formBody)); err != nil {
		t.Fatalf("us-east-1: %v", err)
	}
}
