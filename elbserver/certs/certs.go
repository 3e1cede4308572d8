// Package certs reads what IAM's UploadServerCertificate and ACM's ImportCertificate are
// given: a PEM certificate, its chain and its private key. It checks that the key is the
// certificate's and that the chain signs it, and reports the facts those APIs describe. The
// rooms turn its errors into their own codes. No error here ever carries key material.
package certs

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Kinds of refusal, matched with errors.Is.
var (
	ErrMalformed   = errors.New("malformed")       // not PEM, not a certificate, not a private key
	ErrKeyMismatch = errors.New("key mismatch")    // the private key is not the certificate's
	ErrChain       = errors.New("chain invalid")   // the chain does not sign the certificate
	ErrUnsupported = errors.New("unsupported key") // a key algorithm the APIs do not take
)

// Error is a refusal: its kind and a message fit for the client.
type Error struct {
	Kind    error
	Message string
}

func (e *Error) Error() string        { return e.Message }
func (e *Error) Is(target error) bool { return target == e.Kind }

func refuse(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Parsed is a certificate with its chain, read and checked.
type Parsed struct {
	Leaf  *x509.Certificate
	Chain []*x509.Certificate
	// KeyAlgorithm is ACM's name for the key: RSA_2048, EC_prime256v1, ...
	KeyAlgorithm string
}

// Parse reads body (one PEM certificate), chain (PEM certificates, leaf's issuer first; may
// be empty) and key (a PEM private key: PKCS#1, PKCS#8 or SEC 1; not encrypted), and checks
// that the key is the certificate's and that each certificate of the chain signs the one
// before it.
func Parse(body, chain, key []byte) (*Parsed, error) {
	leaves, err := certificates(body, "certificate body")
	if err != nil {
		return nil, err
	}
	if len(leaves) != 1 {
		return nil, refuse(ErrMalformed, "The certificate body must hold exactly one PEM certificate; it holds %d.", len(leaves))
	}
	p := &Parsed{Leaf: leaves[0]}
	if len(bytes.TrimSpace(chain)) > 0 {
		if p.Chain, err = certificates(chain, "certificate chain"); err != nil {
			return nil, err
		}
	}
	if p.KeyAlgorithm, err = keyAlgorithm(p.Leaf.PublicKey); err != nil {
		return nil, err
	}
	priv, err := privateKey(key)
	if err != nil {
		return nil, err
	}
	pub, ok := priv.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(p.Leaf.PublicKey) {
		return nil, refuse(ErrKeyMismatch, "The private key does not match the certificate's public key.")
	}
	signed := p.Leaf
	for i, issuer := range p.Chain {
		if err := signed.CheckSignatureFrom(issuer); err != nil {
			return nil, refuse(ErrChain, "Certificate %d of the chain does not sign the certificate before it; the chain must start with the certificate's issuer and go up in order.", i+1)
		}
		signed = issuer
	}
	return p, nil
}

// certificates reads every PEM block of b, each of which must be a certificate.
func certificates(b []byte, what string) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for rest := b; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			if len(bytes.TrimSpace(rest)) > 0 || len(out) == 0 {
				return nil, refuse(ErrMalformed, "Unable to parse the %s: it must be PEM-encoded X.509 certificates.", what)
			}
			return out, nil
		}
		if block.Type != "CERTIFICATE" {
			return nil, refuse(ErrMalformed, "The %s holds a PEM block of type %q; only CERTIFICATE blocks are accepted.", what, pemType(block.Type))
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, refuse(ErrMalformed, "Unable to parse the %s: a PEM block is not a valid X.509 certificate.", what)
		}
		out = append(out, c)
	}
}

// privateKey reads one unencrypted PEM private key. Its error never quotes the key.
func privateKey(b []byte) (crypto.Signer, error) {
	block, rest := pem.Decode(b)
	if block == nil || len(bytes.TrimSpace(rest)) > 0 {
		return nil, refuse(ErrMalformed, "Unable to parse the private key: it must be one PEM-encoded, unencrypted private key.")
	}
	if _, encrypted := block.Headers["Proc-Type"]; encrypted || block.Type == "ENCRYPTED PRIVATE KEY" {
		return nil, refuse(ErrMalformed, "The private key is encrypted; give it unencrypted.")
	}
	var (
		k   any
		err error
	)
	switch block.Type {
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(block.Bytes)
	default:
		return nil, refuse(ErrMalformed, "The private key is a PEM block of type %q; want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY.", pemType(block.Type))
	}
	signer, ok := k.(crypto.Signer)
	if err != nil || !ok {
		return nil, refuse(ErrMalformed, "Unable to parse the private key.")
	}
	return signer, nil
}

// pemType quotes a PEM type only when it is short printable ASCII: it comes from the client.
func pemType(t string) string {
	if len(t) > 40 || strings.IndexFunc(t, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
		return "?"
	}
	return t
}

// keyAlgorithm names a public key as ACM does; other keys are refused.
func keyAlgorithm(pub any) (string, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch bits := k.N.BitLen(); bits {
		case 1024, 2048, 3072, 4096:
			return "RSA_" + strconv.Itoa(bits), nil
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return "EC_prime256v1", nil
		case elliptic.P384():
			return "EC_secp384r1", nil
		case elliptic.P521():
			return "EC_secp521r1", nil
		}
	}
	return "", refuse(ErrUnsupported, "The certificate's key algorithm is not supported: use RSA (1024, 2048, 3072 or 4096 bits) or ECDSA (P-256, P-384 or P-521).")
}
