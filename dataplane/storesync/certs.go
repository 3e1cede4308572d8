package storesync

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"sync"
	"time"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// certificate is what a TLS listener of p's account and region presents for a certificate ARN:
// the IAM or ACM certificate it names (with its chain), or, for an ARN the endpoint does not know
// (accepted outside strict mode), a self-signed certificate for the balancer's DNS name, made once
// and kept while a listener uses it. Clients then see a certificate no one vouches for, as with
// any self-signed one, rather than no listener at all.
func (b *build) certificate(p *store.Part, arn, dnsName string) dataplane.Certificate {
	c, err := store.LookupCertificate(p, arn)
	if err != nil {
		b.log.Error("storesync: certificate unreadable; a self-signed one stands in", "arn", arn, "error", err)
	}
	if c != nil {
		chain := c.Body
		if c.Chain != "" {
			chain = strings.TrimRight(chain, "\n") + "\n" + c.Chain
		}
		return dataplane.Certificate{CertPEM: []byte(chain), KeyPEM: []byte(c.PrivateKey)}
	}
	key := arn + "\x00" + dnsName
	b.certsUsed[key] = true
	cert, err := b.certs.selfSigned(key, dnsName)
	if err != nil {
		b.log.Error("storesync: cannot make a self-signed certificate", "dns_name", dnsName, "error", err)
	}
	return cert
}

// certCache holds the self-signed certificates made for unknown ARNs, so that every rebuild
// serves the same one (and a rebuild that changes nothing leaves the Config unchanged).
type certCache struct {
	mu   sync.Mutex
	made map[string]dataplane.Certificate
}

func newCertCache() *certCache { return &certCache{made: map[string]dataplane.Certificate{}} }

func (c *certCache) selfSigned(key, dnsName string) (dataplane.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cert, ok := c.made[key]; ok {
		return cert, nil
	}
	cert, err := makeSelfSigned(dnsName)
	if err == nil {
		c.made[key] = cert
	}
	return cert, err
}

// keepOnly forgets the certificates no listener uses any more.
func (c *certCache) keepOnly(used map[string]bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.made {
		if !used[k] {
			delete(c.made, k)
		}
	}
}

// makeSelfSigned makes an ECDSA P-256 certificate for name, valid from an hour ago for a year.
func makeSelfSigned(name string) (dataplane.Certificate, error) {
	if name == "" {
		name = "localhost"
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return dataplane.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return dataplane.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: serial,
		Subject:   pkix.Name{CommonName: name, Organization: []string{"lbcloud local data plane"}},
		DNSNames:  []string{name},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return dataplane.Certificate{}, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return dataplane.Certificate{}, err
	}
	return dataplane.Certificate{CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM: pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})}, nil
}
