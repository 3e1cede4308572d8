package acm

import (
	"strconv"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// epoch is a timestamp as JSON 1.1 writes it: seconds since 1970, with milliseconds.
type epoch time.Time

func (t epoch) MarshalJSON() ([]byte, error) {
	return strconv.AppendFloat(nil, float64(time.Time(t).UnixMilli())/1000, 'f', -1, 64), nil
}

type keyUsage struct {
	Name string
}

type extKeyUsage struct {
	Name string
	OID  string `json:",omitempty"`
}

// detail is DescribeCertificate's CertificateDetail of an imported certificate.
type detail struct {
	CertificateArn          string
	DomainName              string
	SubjectAlternativeNames []string
	Serial                  string
	Subject                 string
	Issuer                  string
	CreatedAt               epoch
	ImportedAt              epoch
	Status                  string
	NotBefore               epoch
	NotAfter                epoch
	KeyAlgorithm            string
	SignatureAlgorithm      string
	InUseBy                 []string
	Type                    string
	KeyUsages               []keyUsage
	ExtendedKeyUsages       []extKeyUsage
	RenewalEligibility      string
}

// summary is ListCertificates' CertificateSummary.
type summary struct {
	CertificateArn                       string
	DomainName                           string
	SubjectAlternativeNameSummaries      []string
	HasAdditionalSubjectAlternativeNames bool
	Status                               string
	Type                                 string
	KeyAlgorithm                         string
	KeyUsages                            []string
	ExtendedKeyUsages                    []string
	InUse                                bool
	Exported                             bool
	RenewalEligibility                   string
	NotBefore                            epoch
	NotAfter                             epoch
	CreatedAt                            epoch
	ImportedAt                           epoch
}

// status is ISSUED, or EXPIRED once the certificate's NotAfter has passed.
func (r *Room) status(c *store.ACMCertificate) string {
	if r.env.Now().After(c.NotAfter) {
		return "EXPIRED"
	}
	return "ISSUED"
}

func (r *Room) detailOf(c *store.ACMCertificate, users []string) detail {
	d := detail{
		CertificateArn: c.ARN, DomainName: c.DomainName, SubjectAlternativeNames: c.SANs, Serial: c.Serial,
		Subject: c.Subject, Issuer: c.Issuer, CreatedAt: epoch(c.Created), ImportedAt: epoch(c.Imported), Status: r.status(c),
		NotBefore: epoch(c.NotBefore), NotAfter: epoch(c.NotAfter), KeyAlgorithm: c.KeyAlgorithm, SignatureAlgorithm: c.SignatureAlgorithm,
		InUseBy: users, Type: "IMPORTED", RenewalEligibility: "INELIGIBLE",
		KeyUsages: []keyUsage{}, ExtendedKeyUsages: []extKeyUsage{},
	}
	if d.InUseBy == nil {
		d.InUseBy = []string{}
	}
	for _, u := range c.KeyUsages {
		d.KeyUsages = append(d.KeyUsages, keyUsage{u})
	}
	for _, u := range c.ExtKeyUsages {
		d.ExtendedKeyUsages = append(d.ExtendedKeyUsages, extKeyUsage{u, certs.ExtKeyUsageOIDs[u]})
	}
	return d
}

func (r *Room) summaryOf(c *store.ACMCertificate, inUse bool) summary {
	return summary{
		CertificateArn: c.ARN, DomainName: c.DomainName, SubjectAlternativeNameSummaries: c.SANs, Status: r.status(c),
		Type: "IMPORTED", KeyAlgorithm: c.KeyAlgorithm, KeyUsages: c.KeyUsages, ExtendedKeyUsages: c.ExtKeyUsages,
		InUse: inUse, RenewalEligibility: "INELIGIBLE", NotBefore: epoch(c.NotBefore), NotAfter: epoch(c.NotAfter),
		CreatedAt: epoch(c.Created), ImportedAt: epoch(c.Imported),
	}
}
