// Package certtest makes certificates for the endpoint's tests with crypto/x509: a root CA,
// an intermediate and a server certificate signed by it, each with its PEM.
package certtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Key is the kind of key a certificate gets.
type Key int

const (
	EC256   Key = iota // ECDSA P-256: fast to make
	RSA2048            // RSA 2048: what ACM lists by default
)

// Server is a server certificate with its chain and key.
type Server struct {
	Leaf             *x509.Certificate
	Cert, Chain, Key []byte // PEM: the certificate, the intermediate then the root, the PKCS#8 private key
	Root             []byte // PEM: the root CA alone, as a trust store holds it
}

// Options shape a server certificate; zero values take defaults.
type Options struct {
	CommonName string   // default "www.example.test"
	DNSNames   []string // default the common name
	Key        Key
	NotAfter   time.Time // default a year from now
}

// NewServer makes a root CA, an intermediate it signs and a server certificate the
// intermediate signs.
func NewServer(t testing.TB, o Options) Server {
	t.Helper()
	if o.CommonName == "" {
		o.CommonName = "www.example.test"
	}
	if o.DNSNames == nil {
		o.DNSNames = []string{o.CommonName}
	}
	if o.NotAfter.IsZero() {
		o.NotAfter = time.Now().Add(365 * 24 * time.Hour).Truncate(time.Second)
	}
	rootKey, interKey := newKey(t, EC256), newKey(t, EC256)
	root := sign(t, &x509.Certificate{Subject: pkix.Name{CommonName: "lbcloud test root", Organization: []string{"lbcloud tests"}},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}, nil, rootKey, rootKey)
	inter := sign(t, &x509.Certificate{Subject: pkix.Name{CommonName: "lbcloud test intermediate", Organization: []string{"lbcloud tests"}},
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign}, root, interKey, rootKey)
	leafKey := newKey(t, o.Key)
	leaf := sign(t, &x509.Certificate{Subject: pkix.Name{CommonName: o.CommonName}, DNSNames: o.DNSNames, NotAfter: o.NotAfter,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}},
		inter, leafKey, interKey)
	der, err := x509.MarshalPKCS8PrivateKey(leafKey)
	if err != nil {
		t.Fatal(err)
	}
	return Server{
		Leaf:  leaf,
		Cert:  encode("CERTIFICATE", leaf.Raw),
		Chain: append(encode("CERTIFICATE", inter.Raw), encode("CERTIFICATE", root.Raw)...),
		Key:   encode("PRIVATE KEY", der),
		Root:  encode("CERTIFICATE", root.Raw),
	}
}

func newKey(t testing.TB, k Key) crypto.Signer {
	t.Helper()
	var (
		key crypto.Signer
		err error
	)
	if k == RSA2048 {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		t.Fatal(err)
	}
	return key
}

var serial atomic.Int64

// sign completes tmpl and signs it with signerKey, as parent (tmpl itself when nil).
func sign(t testing.TB, tmpl, parent *x509.Certificate, key, signerKey crypto.Signer) *x509.Certificate {
	t.Helper()
	tmpl.SerialNumber = big.NewInt(time.Now().UnixNano() + serial.Add(1))
	tmpl.NotBefore = time.Now().Add(-time.Hour).Truncate(time.Second)
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = time.Now().Add(10 * 365 * 24 * time.Hour).Truncate(time.Second)
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signerKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func encode(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

// WriteFiles writes the certificate, chain and key into dir as NAME.crt, NAME.chain and
// NAME.key.
func (s Server) WriteFiles(t testing.TB, dir, name string) {
	t.Helper()
	for ext, b := range map[string][]byte{".crt": s.Cert, ".chain": s.Chain, ".key": s.Key} {
		if err := os.WriteFile(filepath.Join(dir, name+ext), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// KeyLines are the base64 lines of the private key's PEM: any of them found in a response
// or a log is the key leaking.
func (s Server) KeyLines() []string {
	var out []string
	for _, l := range strings.Split(string(s.Key), "\n") {
		if l != "" && !strings.HasPrefix(l, "-----") {
			out = append(out, l)
		}
	}
	return out
}

// NoKey fails the test when text (named what) holds a line of any of the servers' keys.
func NoKey(t testing.TB, what, text string, servers ...Server) {
	t.Helper()
	for _, s := range servers {
		for _, l := range s.KeyLines() {
			if strings.Contains(text, l) {
				t.Errorf("%s holds private key material (%q)", what, l[:16])
				return
			}
		}
	}
}
