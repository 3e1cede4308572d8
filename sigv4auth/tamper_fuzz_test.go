package sigv4auth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lbcloud/lbcloud/sigv4auth"
)

var (
	tamperCred = sigv4auth.Credential{AccessKeyID: "AKIDTAMPER", SecretAccessKey: "tamperSecretKey0123456789abcdefghijklmno", AccountID: "444444444444"}
	tamperAt   = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	tamperSig  = regexp.MustCompile(`Signature=([0-9a-f]{64})`)
)

const (
	tamperQuery = "Action=DescribeLoadBalancers&Version=2012-06-01&Marker=a%2Fb"
	tamperBody  = "Action=AddTags&Version=2012-06-01&LoadBalancerNames.member.1=web&Tags.member.1.Key=k&Tags.member.1.Value=v"
)

// tamperRequest builds the request with the given parts and signs it as aws-sdk-go-v2 would.
func tamperRequest(tb testing.TB, query, body, contentType, host string) (*http.Request, string) {
	r := httptest.NewRequest(http.MethodPost, "http://elb.local/?"+query, strings.NewReader(body))
	r.Host = host
	r.Header.Set("Content-Type", contentType)
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: tamperCred.AccessKeyID, SecretAccessKey: tamperCred.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "elasticloadbalancing", "us-east-1", tamperAt); err != nil {
		tb.Fatal(err)
	}
	m := tamperSig.FindStringSubmatch(r.Header.Get("Authorization"))
	if m == nil {
		tb.Fatalf("no signature in %q", r.Header.Get("Authorization"))
	}
	return r, m[1]
}

// FuzzTamperedRequest changes one byte of one signed part of a signed request (body,
// query, X-Amz-Date, Content-Type or Host). The verifier may accept the result only when a
// client signing the changed request would have produced the very same signature, that is
// when the change does not alter the canonical request; otherwise it must refuse with an
// *Error that repeats neither the secret nor the signature.
func FuzzTamperedRequest(f *testing.F) {
	const ctype = "application/x-www-form-urlencoded; charset=utf-8"
	const host = "elb.local:4566"
	v := sigv4auth.NewVerifier([]sigv4auth.Credential{tamperCred}, "elasticloadbalancing")
	v.SetClock(func() time.Time { return tamperAt })
	for part := range 5 {
		f.Add(uint8(part), uint16(0), byte('x'))
		f.Add(uint8(part), uint16(7), byte(' '))
	}
	f.Add(uint8(1), uint16(60), byte('F'))  // %2F -> %2f: the same byte, differently spelled
	f.Add(uint8(3), uint16(47), byte(' '))  // a space where the header already has one
	f.Add(uint8(2), uint16(15), byte('Z'))  // the date's T
	f.Add(uint8(4), uint16(12), byte('\t')) // into the port
	f.Fuzz(func(t *testing.T, part uint8, pos uint16, b byte) {
		parts := []string{tamperBody, tamperQuery, "", ctype, host}
		r, sig := tamperRequest(t, parts[1], parts[0], parts[3], parts[4])
		parts[2] = r.Header.Get("X-Amz-Date")
		i := int(part) % len(parts)
		orig := parts[i]
		p := []byte(orig)
		p[int(pos)%len(p)] = b
		parts[i] = string(p)
		switch i {
		case 0:
			r.Body = io.NopCloser(strings.NewReader(parts[0]))
			r.ContentLength = int64(len(parts[0]))
		case 1:
			r.URL.RawQuery = parts[1]
		case 2:
			r.Header.Set("X-Amz-Date", parts[2])
		case 3:
			r.Header.Set("Content-Type", parts[3])
		case 4:
			r.Host = parts[4]
		}
		body, _ := io.ReadAll(r.Body)
		p2, err := v.Verify(r, body)
		if err != nil {
			var e *sigv4auth.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is %T, not *sigv4auth.Error", err, err)
			}
			if strings.Contains(e.Message, tamperCred.SecretAccessKey) || strings.Contains(e.Message, sig) {
				t.Fatalf("the message repeats the secret or the signature: %q", e.Message)
			}
			if parts[i] == orig {
				t.Fatalf("the untouched request was refused: %v", err)
			}
			return
		}
		if p2.AccountID != tamperCred.AccountID {
			t.Fatalf("wrong principal %+v", p2)
		}
		if parts[i] == orig {
			return
		}
		// Accepted although changed: only fine if the change is invisible to SigV4.
		if i == 2 {
			t.Fatalf("accepted a changed X-Amz-Date %q", parts[2])
		}
		_, resig := tamperRequest(t, parts[1], parts[0], parts[3], parts[4])
		if resig != sig {
			t.Fatalf("accepted a changed request (part %d: %q -> %q)", i, orig, parts[i])
		}
		if !bytes.Equal(body, []byte(parts[0])) {
			t.Fatal("the body read back differs from the one sent")
		}
	})
}
