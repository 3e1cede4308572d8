package acm

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// The bounds of the 2015-12-08 model, in bytes.
const (
	maxCertificate = 32768
	maxPrivateKey  = 5120
	maxChain       = 2097152
)

type jsonTag struct {
	Key   string
	Value *string `json:",omitempty"`
}

type importInput struct {
	CertificateArn   string
	Certificate      []byte // base64 in the JSON, as every blob
	PrivateKey       []byte
	CertificateChain []byte
	Tags             []jsonTag
}

// importCertificate imports a certificate, or re-imports one onto the ARN it names: the
// certificate, chain and key are replaced; its ARN, creation time and tags stay.
func (r *Room) importCertificate(req *room.Request) (any, error) {
	var in importInput
	if err := decode(req, &in); err != nil {
		return nil, err
	}
	switch {
	case len(in.Certificate) == 0 || len(in.PrivateKey) == 0:
		return nil, errValidation("1 validation error detected: Certificate and PrivateKey must not be null")
	case len(in.Certificate) > maxCertificate:
		return nil, errValidation("The certificate is over %d bytes.", maxCertificate)
	case len(in.PrivateKey) > maxPrivateKey:
		return nil, errValidation("The private key is over %d bytes.", maxPrivateKey)
	case len(in.CertificateChain) > maxChain:
		return nil, errValidation("The certificate chain is over %d bytes.", maxChain)
	}
	tags := make([]store.Tag, len(in.Tags))
	for i, t := range in.Tags {
		tags[i] = store.Tag{Key: t.Key}
		if t.Value != nil {
			tags[i].Value = *t.Value
		}
	}
	if err := certs.CheckTags(tags); err != nil {
		return nil, query.Errorf(http.StatusBadRequest, "InvalidTagException", "%s", err.Error())
	}
	id := ""
	if in.CertificateArn != "" {
		if len(tags) > 0 {
			return nil, errValidation("Tags cannot be given when a certificate is re-imported.")
		}
		var err error
		if id, err = certificateID(req, in.CertificateArn); err != nil {
			return nil, err
		}
	}
	parsed, err := certs.Parse(in.Certificate, in.CertificateChain, in.PrivateKey)
	if err != nil {
		return nil, errValidation("%s", err.Error())
	}
	f := certs.FactsOf(parsed)
	now := r.env.Now().UTC()
	c := &store.ACMCertificate{
		Certificate: store.Certificate{Body: string(in.Certificate), Chain: string(in.CertificateChain), PrivateKey: store.Secret(in.PrivateKey),
			NotBefore: parsed.Leaf.NotBefore.UTC(), NotAfter: parsed.Leaf.NotAfter.UTC()},
		Created: now, Imported: now, DomainName: f.DomainName, SANs: f.SANs, Subject: f.Subject, Issuer: f.Issuer, Serial: f.Serial,
		KeyAlgorithm: parsed.KeyAlgorithm, SignatureAlgorithm: f.SignatureAlgorithm, KeyUsages: f.KeyUsages, ExtKeyUsages: f.ExtKeyUsages, Tags: tags,
	}
	limit := r.env.Limits.Get(limitCertificates)
	err = r.update(req, func(p *store.Part) error {
		c.ID = id
		if id != "" {
			old, err := store.ACMCertificates.Get(p, id)
			if err == nil && old == nil {
				err = errNotFound(in.CertificateArn)
			}
			if err != nil {
				return err
			}
			c.Created, c.Tags = old.Created, old.Tags
		} else {
			n, err := store.ACMCertificates.Count(p)
			if err != nil {
				return err
			}
			if n >= limit {
				return query.Errorf(http.StatusBadRequest, "LimitExceededException", "The quota of %d certificates in this region has been reached.", limit)
			}
			c.ID = query.NewRequestID() // a random UUID, as ACM's ids are
		}
		c.ARN = store.ACMCertificateARN(req.Region, req.Account, c.ID)
		return store.ACMCertificates.Put(p, c.ID, c)
	})
	if err != nil {
		return nil, err
	}
	return struct{ CertificateArn string }{c.ARN}, nil
}

// loadInUse reads the certificate the request names and what uses it.
func (r *Room) loadInUse(req *room.Request) (*store.ACMCertificate, []string, error) {
	c, err := r.load(req)
	if err != nil {
		return nil, nil, err
	}
	users, err := r.inUse.Users(req.Account, req.Region, c.ARN)
	return c, users, err
}

func (r *Room) describeCertificate(req *room.Request) (any, error) {
	c, users, err := r.loadInUse(req)
	if err != nil {
		return nil, err
	}
	return struct{ Certificate detail }{r.detailOf(c, users)}, nil
}

func (r *Room) getCertificate(req *room.Request) (any, error) {
	c, err := r.load(req)
	if err != nil {
		return nil, err
	}
	// The private key is never part of any answer.
	return struct {
		Certificate      string
		CertificateChain string `json:",omitempty"`
	}{c.Body, c.Chain}, nil
}

func (r *Room) listTags(req *room.Request) (any, error) {
	c, err := r.load(req)
	if err != nil {
		return nil, err
	}
	tags := make([]jsonTag, len(c.Tags))
	for i, t := range c.Tags {
		tags[i] = jsonTag{Key: t.Key, Value: &t.Value}
	}
	return struct{ Tags []jsonTag }{tags}, nil
}

// deleteCertificate refuses a certificate a listener uses (ResourceInUseException). The check
// runs before the deleting transaction: a listener made in between keeps a certificate that
// is gone, and finds it missing.
func (r *Room) deleteCertificate(req *room.Request) (any, error) {
	c, users, err := r.loadInUse(req)
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		return nil, query.Errorf(http.StatusBadRequest, "ResourceInUseException", "Certificate %s is in use by %s.", c.ARN, strings.Join(users, ", "))
	}
	return nil, r.update(req, func(p *store.Part) error {
		ok, err := store.ACMCertificates.Delete(p, c.ID)
		if err == nil && !ok {
			err = errNotFound(c.ARN)
		}
		return err
	})
}

type listInput struct {
	CertificateStatuses []string
	Includes            *struct {
		KeyTypes         []string `json:"keyTypes"`
		KeyUsage         []string `json:"keyUsage"`
		ExtendedKeyUsage []string `json:"extendedKeyUsage"`
		ManagedBy        string   `json:"managedBy"`
		ExportOption     string   `json:"exportOption"`
	}
	NextToken string
	MaxItems  *int
	SortBy    string
}

// defaultKeyTypes are what ListCertificates lists without an Includes.keyTypes filter.
var defaultKeyTypes = []string{"RSA_1024", "RSA_2048"}

// listCertificates lists in id order, MaxItems (default 1000) a page, those whose status is
// among CertificateStatuses (all when none) and whose key, key usages and extended key usages
// Includes allows (by default, RSA_1024 and RSA_2048 keys only, as ACM).
func (r *Room) listCertificates(req *room.Request) (any, error) {
	var in listInput
	if err := decode(req, &in); err != nil {
		return nil, err
	}
	limit := 1000
	if in.MaxItems != nil {
		if *in.MaxItems < 1 || *in.MaxItems > 1000 {
			return nil, errValidation("MaxItems must be between 1 and 1000.")
		}
		limit = *in.MaxItems
	}
	if in.SortBy != "" {
		return nil, errValidation("SortBy is not supported by this endpoint: certificates are listed in the order of their ids.")
	}
	keyTypes, usages, extUsages := defaultKeyTypes, []string(nil), []string(nil)
	if inc := in.Includes; inc != nil {
		if inc.ManagedBy != "" || inc.ExportOption != "" {
			return nil, errValidation("The managedBy and exportOption filters are not supported by this endpoint.")
		}
		if len(inc.KeyTypes) > 0 {
			keyTypes = inc.KeyTypes
		}
		usages, extUsages = inc.KeyUsage, inc.ExtendedKeyUsage
	}
	after := ""
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return nil, query.Errorf(http.StatusBadRequest, "InvalidArgsException", "The NextToken is not one this endpoint gave.")
		}
		after = string(b)
	}
	out := struct {
		CertificateSummaryList []summary
		NextToken              string `json:",omitempty"`
	}{CertificateSummaryList: []summary{}}
	var page []*store.ACMCertificate
	stop := errors.New("stop")
	err := r.view(req, func(p *store.Part) error {
		return store.ACMCertificates.ForEachFrom(p, after, func(id string, c *store.ACMCertificate) error {
			switch {
			case id == after, len(in.CertificateStatuses) > 0 && !slices.Contains(in.CertificateStatuses, r.status(c)),
				!slices.Contains(keyTypes, c.KeyAlgorithm), !anyOf(usages, c.KeyUsages), !anyOf(extUsages, c.ExtKeyUsages):
				return nil
			case len(page) == limit:
				out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(page[limit-1].ID))
				return stop
			}
			page = append(page, c)
			return nil
		})
	})
	if err != nil && err != stop {
		return nil, err
	}
	for _, c := range page {
		users, err := r.inUse.Users(req.Account, req.Region, c.ARN)
		if err != nil {
			return nil, err
		}
		out.CertificateSummaryList = append(out.CertificateSummaryList, r.summaryOf(c, len(users) > 0))
	}
	return out, nil
}

// anyOf reports whether have holds one of want, or want is empty.
func anyOf(want, have []string) bool {
	return len(want) == 0 || slices.ContainsFunc(want, func(w string) bool { return slices.Contains(have, w) })
}
