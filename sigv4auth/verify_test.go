package sigv4auth

import (
	"net/http"
	"testing"
	"time"
)

func TestVerifyHeaderFormPost(t *testing.T) {
	v := newTestVerifier(t)
	r := signedPost(t, testCred, formBody, "elasticloadbalancing", "eu-west-1", testNow.Add(-2*time.Minute))
	p, err := v.Verify(r, []byte(formBody))
	if err != nil {
		t.Fatal(err)
	}
	want := Principal{AccessKeyID: "AKIDEXAMPLE", AccountID: "123456789012", Region: "eu-west-1", Service: "elasticloadbalancing"}
	if p != want {
		t.Fatalf("principal %+v, want %+v", p, want)
	}
}

func TestVerifyPresigned(t *testing.T) {
	v := newTestVerifier(t)
	r := presigned(t, testCred, "Action=DescribeLoadBalancers&Version=2012-06-01", "300", testNow.Add(-time.Minute))
	if _, err := v.Verify(r, nil); err != nil {
		t.Fatal(err)
	}
	r = presigned(t, testCred, "Action=DescribeLoadBalancers&Version=2012-06-01", "30", testNow.Add(-time.Minute))
	wantCode(t, must(v.Verify(r, nil)), CodeRequestExpired, http.StatusBadRequest)
}

func must(_ Principal, err error) error { return err }
