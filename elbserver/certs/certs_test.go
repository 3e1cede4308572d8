package certs_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
)

func TestParseAcceptsAChainedCertificate(t *testing.T) {
	s := certtest.NewServer(t, certtest.Options{CommonName: "www.example.test", DNSNames: []string{"www.example.test", "api.example.test"}})
	p, err := certs.Parse(s.Cert, s.Chain, s.Key)
	if err != nil {
		t.Fatal(err)
	}
	if p.KeyAlgorithm != "EC_prime256v1" || len(p.Chain) != 2 {
		t.Fatalf("key %s, chain of %d", p.KeyAlgorithm, len(p.Chain))
	}
	f := certs.FactsOf(p)
	if f.DomainName != "www.example.test" || !slices.Equal(f.SANs, []string{"www.example.test", "api.example.test"}) ||
		f.Subject != "CN=www.example.test" || f.Issuer != "lbcloud tests" || f.SignatureAlgorithm != "SHA256WITHECDSA" ||
		!slices.Equal(f.KeyUsages, []string{"DIGITAL_SIGNATURE", "KEY_ENCIPHERMENT"}) ||
		!slices.Equal(f.ExtKeyUsages, []string{"TLS_WEB_SERVER_AUTHENTICATION"}) || strings.Count(f.Serial, ":") < 4 {
		t.Fatalf("facts %+v", f)
	}
	if _, err := certs.Parse(s.Cert, nil, s.Key); err != nil {
		t.Fatalf("without a chain: %v", err)
	}
	rsa := certtest.NewServer(t, certtest.Options{Key: certtest.RSA2048})
	if p, err := certs.Parse(rsa.Cert, rsa.Chain, rsa.Key); err != nil || p.KeyAlgorithm != "RSA_2048" {
		t.Fatalf("RSA: %v, %v", p, err)
	}
}

func TestParseRefuses(t *testing.T) {
	a := certtest.NewServer(t, certtest.Options{})
	b := certtest.NewServer(t, certtest.Options{})
	for _, c := range []struct {
		name             string
		body, chain, key []byte
		kind             error
	}{
		{"body not PEM", []byte("hello"), nil, a.Key, certs.ErrMalformed},
		{"body of two certificates", append(bytes.Clone(a.Cert), b.Cert...), nil, a.Key, certs.ErrMalformed},
		{"key in the body", a.Key, nil, a.Key, certs.ErrMalformed},
		{"garbage after the body", append(bytes.Clone(a.Cert), "junk"...), nil, a.Key, certs.ErrMalformed},
		{"key not PEM", a.Cert, nil, []byte("secret"), certs.ErrMalformed},
		{"certificate as the key", a.Cert, nil, a.Cert, certs.ErrMalformed},
		{"encrypted key", a.Cert, nil, []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"), certs.ErrMalformed},
		{"another certificate's key", a.Cert, nil, b.Key, certs.ErrKeyMismatch},
		{"another certificate's chain", a.Cert, b.Chain, a.Key, certs.ErrChain},
		{"chain out of order", a.Cert, append(bytes.Clone(a.Root), a.Chain[:bytes.Index(a.Chain, a.Root)]...), a.Key, certs.ErrChain},
		{"chain not PEM", a.Cert, []byte("nope"), a.Key, certs.ErrMalformed},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := certs.Parse(c.body, c.chain, c.key)
			if !errors.Is(err, c.kind) {
				t.Fatalf("got %v, want %v", err, c.kind)
			}
			// The key's base64 never reaches a message.
			line := strings.Split(string(a.Key), "\n")[1]
			if strings.Contains(err.Error(), line[:20]) {
				t.Fatalf("message quotes the key: %v", err)
			}
		})
	}
}
