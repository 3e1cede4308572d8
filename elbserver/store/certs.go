package store

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Certificate records: IAM server certificates and ACM certificates, which TLS listeners name
// by ARN. IAM is global: an account's server certificates live in its IAMRegion partition
// whatever region a client signs for. ACM is regional: a certificate lives in the partition
// of the region it was imported in.

// IAMRegion names the partition of each account that holds its IAM records.
const IAMRegion = "global"

var (
	// ServerCertificates holds each IAM server certificate under its name.
	ServerCertificates = NewBucket[ServerCertificate]("iam-server-certificates", 0)
	// ACMCertificates holds each ACM certificate under its id (the UUID ending its ARN).
	ACMCertificates = NewBucket[ACMCertificate]("acm-certificates", 0)
)

// Secret is a value that must never be shown: it prints, and logs, as "[redacted]". It is
// stored as it is (the state file is the owner's alone), so read it with string(s).
type Secret string

func (Secret) String() string { return "[redacted]" }

// LogValue keeps structured logs from printing it.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Format keeps every fmt verb (%s, %q, %x, %#v ...) from printing it, inside structs too.
func (Secret) Format(f fmt.State, _ rune) { fmt.Fprint(f, "[redacted]") }

// Certificate is what a TLS listener needs of a certificate, IAM's or ACM's.
type Certificate struct {
	ARN        string    `json:"arn"`
	Body       string    `json:"body"`            // PEM: the certificate
	Chain      string    `json:"chain,omitempty"` // PEM: the intermediates, leaf's issuer first
	PrivateKey Secret    `json:"key"`             // PEM: never rendered by any API
	NotBefore  time.Time `json:"not_before"`
	NotAfter   time.Time `json:"not_after"`
}

// ServerCertificate is an IAM server certificate.
type ServerCertificate struct {
	Certificate
	Name     string    `json:"name"`
	Path     string    `json:"path"`
	ID       string    `json:"id"` // ASCA...
	Uploaded time.Time `json:"uploaded"`
	Tags     []Tag     `json:"tags,omitempty"`
}

// ACMCertificate is a certificate imported into ACM, with the facts of its certificate that
// DescribeCertificate reports, read once at import.
type ACMCertificate struct {
	Certificate
	ID                 string    `json:"id"`
	Created            time.Time `json:"created"`
	Imported           time.Time `json:"imported"`
	DomainName         string    `json:"domain"`
	SANs               []string  `json:"sans,omitempty"`
	Subject            string    `json:"subject"`
	Issuer             string    `json:"issuer"`
	Serial             string    `json:"serial"`
	KeyAlgorithm       string    `json:"key_alg"`
	SignatureAlgorithm string    `json:"sig_alg"`
	KeyUsages          []string  `json:"key_usages,omitempty"`
	ExtKeyUsages       []string  `json:"ext_key_usages,omitempty"`
	Tags               []Tag     `json:"tags,omitempty"`
}

// IAMServerCertificateARN is the ARN of an IAM server certificate; path starts and ends with
// "/".
func IAMServerCertificateARN(account, path, name string) string {
	return "arn:aws:iam::" + account + ":server-certificate" + path + name
}

// ACMCertificateARN is the ARN of an ACM certificate.
func ACMCertificateARN(region, account, id string) string {
	return "arn:aws:acm:" + region + ":" + account + ":certificate/" + id
}

// LookupCertificate returns the certificate arn names, as a TLS listener of p's account and
// region may use it: an IAM server certificate of the account, or an ACM certificate of the
// account in p's region (ACM certificates serve only their own region). It is nil when there
// is none. It reads in p's transaction, so it may be called inside Store.Update as well as
// Store.View; it changes nothing.
func LookupCertificate(p *Part, arn string) (*Certificate, error) {
	// arn:aws:SERVICE:REGION:ACCOUNT:RESOURCE
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[1] != "aws" || f[4] != p.Account {
		return nil, nil
	}
	switch {
	case f[2] == "iam" && f[3] == "" && strings.HasPrefix(f[5], "server-certificate/"):
		name := f[5][strings.LastIndexByte(f[5], '/')+1:]
		c, err := ServerCertificates.Get(readPart(p.tx, p.Account, IAMRegion), name)
		if c == nil || err != nil || c.ARN != arn {
			return nil, err
		}
		return &c.Certificate, nil
	case f[2] == "acm" && f[3] == p.Region && strings.HasPrefix(f[5], "certificate/"):
		c, err := ACMCertificates.Get(p, strings.TrimPrefix(f[5], "certificate/"))
		if c == nil || err != nil || c.ARN != arn {
			return nil, err
		}
		return &c.Certificate, nil
	}
	return nil, nil
}
