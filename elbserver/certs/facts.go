package certs

import (
	"crypto/x509"
	"encoding/hex"
	"strings"
)

// Facts are what ACM's DescribeCertificate reports of an imported certificate.
type Facts struct {
	DomainName         string   // the subject's common name, else the first DNS name
	SANs               []string // the DNS names, else the domain name alone
	Subject            string   // RFC 2253, e.g. "CN=example.com,O=Example"
	Issuer             string   // the issuer's organisation, else its common name
	Serial             string   // hex bytes joined by colons, e.g. "0a:1b:..."
	SignatureAlgorithm string   // e.g. SHA256WITHRSA
	KeyUsages          []string // e.g. DIGITAL_SIGNATURE
	ExtKeyUsages       []string // e.g. TLS_WEB_SERVER_AUTHENTICATION
}

// FactsOf reads the facts of p's certificate.
func FactsOf(p *Parsed) Facts {
	c := p.Leaf
	f := Facts{DomainName: c.Subject.CommonName, SANs: c.DNSNames, Subject: c.Subject.String(), Issuer: c.Issuer.CommonName}
	if f.DomainName == "" && len(c.DNSNames) > 0 {
		f.DomainName = c.DNSNames[0]
	}
	if len(f.SANs) == 0 && f.DomainName != "" {
		f.SANs = []string{f.DomainName}
	}
	if len(c.Issuer.Organization) > 0 {
		f.Issuer = c.Issuer.Organization[0]
	}
	serial := c.SerialNumber.Bytes()
	parts := make([]string, len(serial))
	for i, b := range serial {
		parts[i] = hex.EncodeToString([]byte{b})
	}
	f.Serial = strings.Join(parts, ":")
	f.SignatureAlgorithm = signatureAlgorithms[c.SignatureAlgorithm]
	if f.SignatureAlgorithm == "" {
		f.SignatureAlgorithm = strings.ToUpper(c.SignatureAlgorithm.String())
	}
	for _, u := range keyUsages {
		if c.KeyUsage&u.bit != 0 {
			f.KeyUsages = append(f.KeyUsages, u.name)
		}
	}
	for _, u := range c.ExtKeyUsage {
		if name := extKeyUsages[u]; name != "" {
			f.ExtKeyUsages = append(f.ExtKeyUsages, name)
		}
	}
	return f
}

var signatureAlgorithms = map[x509.SignatureAlgorithm]string{
	x509.SHA1WithRSA:      "SHA1WITHRSA",
	x509.SHA256WithRSA:    "SHA256WITHRSA",
	x509.SHA384WithRSA:    "SHA384WITHRSA",
	x509.SHA512WithRSA:    "SHA512WITHRSA",
	x509.ECDSAWithSHA256:  "SHA256WITHECDSA",
	x509.ECDSAWithSHA384:  "SHA384WITHECDSA",
	x509.ECDSAWithSHA512:  "SHA512WITHECDSA",
	x509.SHA256WithRSAPSS: "SHA256WITHRSAANDMGF1",
}

// keyUsages in ACM's order and names.
var keyUsages = []struct {
	bit  x509.KeyUsage
	name string
}{
	{x509.KeyUsageDigitalSignature, "DIGITAL_SIGNATURE"},
	{x509.KeyUsageContentCommitment, "NON_REPUDIATION"},
	{x509.KeyUsageKeyEncipherment, "KEY_ENCIPHERMENT"},
	{x509.KeyUsageDataEncipherment, "DATA_ENCIPHERMENT"},
	{x509.KeyUsageKeyAgreement, "KEY_AGREEMENT"},
	{x509.KeyUsageCertSign, "CERTIFICATE_SIGNING"},
	{x509.KeyUsageCRLSign, "CRL_SIGNING"},
	{x509.KeyUsageEncipherOnly, "ENCIPHER_ONLY"},
	{x509.KeyUsageDecipherOnly, "DECIPHER_ONLY"},
}

// ExtKeyUsageOIDs are the object identifiers of the extended key usages, by ACM's name.
var ExtKeyUsageOIDs = map[string]string{
	"TLS_WEB_SERVER_AUTHENTICATION": "1.3.6.1.5.5.7.3.1",
	"TLS_WEB_CLIENT_AUTHENTICATION": "1.3.6.1.5.5.7.3.2",
	"CODE_SIGNING":                  "1.3.6.1.5.5.7.3.3",
	"EMAIL_PROTECTION":              "1.3.6.1.5.5.7.3.4",
	"IPSEC_END_SYSTEM":              "1.3.6.1.5.5.7.3.5",
	"IPSEC_TUNNEL":                  "1.3.6.1.5.5.7.3.6",
	"IPSEC_USER":                    "1.3.6.1.5.5.7.3.7",
	"TIME_STAMPING":                 "1.3.6.1.5.5.7.3.8",
	"OCSP_SIGNING":                  "1.3.6.1.5.5.7.3.9",
	"ANY":                           "2.5.29.37.0",
}

var extKeyUsages = map[x509.ExtKeyUsage]string{
	x509.ExtKeyUsageAny:             "ANY",
	x509.ExtKeyUsageServerAuth:      "TLS_WEB_SERVER_AUTHENTICATION",
	x509.ExtKeyUsageClientAuth:      "TLS_WEB_CLIENT_AUTHENTICATION",
	x509.ExtKeyUsageCodeSigning:     "CODE_SIGNING",
	x509.ExtKeyUsageEmailProtection: "EMAIL_PROTECTION",
	x509.ExtKeyUsageTimeStamping:    "TIME_STAMPING",
	x509.ExtKeyUsageOCSPSigning:     "OCSP_SIGNING",
	x509.ExtKeyUsageIPSECEndSystem:  "IPSEC_END_SYSTEM",
	x509.ExtKeyUsageIPSECTunnel:     "IPSEC_TUNNEL",
	x509.ExtKeyUsageIPSECUser:       "IPSEC_USER",
}
