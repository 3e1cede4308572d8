package iam

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlMetadata struct {
	Path                  string
	ServerCertificateName string
	ServerCertificateId   string
	Arn                   string
	UploadDate            string
	Expiration            string
}

type xmlTag struct {
	Key   string
	Value string
}

func metadataOf(c *store.ServerCertificate) xmlMetadata {
	return xmlMetadata{Path: c.Path, ServerCertificateName: c.Name, ServerCertificateId: c.ID, Arn: c.ARN,
		UploadDate: iamTime(c.Uploaded), Expiration: iamTime(c.NotAfter)}
}

func tagsOf(tags []store.Tag) []xmlTag {
	out := make([]xmlTag, len(tags))
	for i, t := range tags {
		out[i] = xmlTag(t)
	}
	return out
}

type uploadResult struct {
	ServerCertificateMetadata xmlMetadata
	Tags                      []xmlTag `xml:"Tags>member,omitempty"`
}

func (r *Room) uploadServerCertificate(c *query.Call) (any, error) {
	name, err := certificateName(c.Params)
	if err != nil {
		return nil, err
	}
	path, given, err := c.Params.Text("Path", maxPath)
	if err != nil {
		return nil, err
	}
	if !given {
		path = "/"
	} else if !pathRE.MatchString(path) {
		return nil, query.Validation("The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	body, err := c.Params.RequiredText("CertificateBody", maxPEM)
	if err != nil {
		return nil, err
	}
	key, err := c.Params.RequiredText("PrivateKey", maxPEM)
	if err != nil {
		return nil, err
	}
	chain, _, err := c.Params.Text("CertificateChain", maxChain)
	if err != nil {
		return nil, err
	}
	tags, err := readTags(c.Params)
	if err != nil {
		return nil, err
	}
	parsed, err := certs.Parse([]byte(body), []byte(chain), []byte(key))
	switch {
	case errors.Is(err, certs.ErrKeyMismatch):
		return nil, query.Errorf(http.StatusBadRequest, "KeyPairMismatch", "%s", err.Error())
	case err != nil:
		return nil, errMalformed(err.Error())
	}
	limit := r.env.Limits.Get(limitServerCertificates)
	cert := &store.ServerCertificate{
		Certificate: store.Certificate{ARN: store.IAMServerCertificateARN(c.Account, path, name), Body: body, Chain: chain,
			PrivateKey: store.Secret(key), NotBefore: parsed.Leaf.NotBefore.UTC(), NotAfter: parsed.Leaf.NotAfter.UTC()},
		Name: name, Path: path, ID: newID(), Uploaded: r.env.Now().UTC(), Tags: tags,
	}
	err = r.update(c, func(p *store.Part) error {
		if store.ServerCertificates.Has(p, name) {
			return query.Errorf(http.StatusConflict, "EntityAlreadyExists", "The Server Certificate with name %s already exists.", name)
		}
		n, err := store.ServerCertificates.Count(p)
		if err != nil {
			return err
		}
		if n >= limit {
			return query.Errorf(http.StatusConflict, "LimitExceeded", "Cannot exceed quota for ServerCertificatesPerAccount: %d", limit)
		}
		return store.ServerCertificates.Put(p, name, cert)
	})
	if err != nil {
		return nil, err
	}
	return uploadResult{ServerCertificateMetadata: metadataOf(cert), Tags: tagsOf(cert.Tags)}, nil
}

// readTags reads Tags.member.N.Key and .Value.
func readTags(p query.Params) ([]store.Tag, error) {
	var tags []store.Tag
	_, _, err := p.Structs("Tags", func(prefix string) error {
		tags = append(tags, store.Tag{Key: p[prefix+"Key"], Value: p[prefix+"Value"]})
		return nil
	})
	if err == nil {
		if cerr := certs.CheckTags(tags); cerr != nil {
			err = errInvalidInput(cerr.Error())
		}
	}
	return tags, err
}

// xmlServerCertificate is GetServerCertificate's answer: the certificate and its chain. The
// private key is never part of any answer.
type xmlServerCertificate struct {
	ServerCertificateMetadata xmlMetadata
	CertificateBody           string
	CertificateChain          string   `xml:",omitempty"`
	Tags                      []xmlTag `xml:"Tags>member,omitempty"`
}

type getResult struct {
	ServerCertificate xmlServerCertificate
}

// load reads the certificate ServerCertificateName names, or fails with NoSuchEntity.
func (r *Room) load(c *query.Call) (*store.ServerCertificate, error) {
	name, err := certificateName(c.Params)
	if err != nil {
		return nil, err
	}
	var cert *store.ServerCertificate
	err = r.view(c, func(p *store.Part) error {
		var gerr error
		if cert, gerr = store.ServerCertificates.Get(p, name); gerr == nil && cert == nil {
			gerr = errNoSuchEntity(name)
		}
		return gerr
	})
	return cert, err
}

func (r *Room) getServerCertificate(c *query.Call) (any, error) {
	cert, err := r.load(c)
	if err != nil {
		return nil, err
	}
	return getResult{ServerCertificate: xmlServerCertificate{ServerCertificateMetadata: metadataOf(cert),
		CertificateBody: cert.Body, CertificateChain: cert.Chain, Tags: tagsOf(cert.Tags)}}, nil
}

type listResult struct {
	ServerCertificateMetadataList []xmlMetadata `xml:"ServerCertificateMetadataList>member"`
	IsTruncated                   bool
	Marker                        string `xml:",omitempty"`
}

// listServerCertificates lists in name order those whose path starts with PathPrefix,
// MaxItems (default 100) a page; the marker is the last name of the page before.
func (r *Room) listServerCertificates(c *query.Call) (any, error) {
	prefix, given, err := c.Params.Text("PathPrefix", maxPath)
	if err != nil {
		return nil, err
	}
	if !given {
		prefix = "/"
	}
	limit, given, err := c.Params.IntOpt("MaxItems", 1, 1000)
	if err != nil {
		return nil, err
	}
	if !given {
		limit = 100
	}
	after := ""
	if m, given := c.Params["Marker"]; given {
		b, err := base64.RawURLEncoding.DecodeString(m)
		if err != nil {
			return nil, errInvalidInput("Invalid Marker.")
		}
		after = string(b)
	}
	out := listResult{ServerCertificateMetadataList: []xmlMetadata{}}
	stop := errors.New("stop")
	err = r.view(c, func(p *store.Part) error {
		return store.ServerCertificates.ForEachFrom(p, after, func(name string, cert *store.ServerCertificate) error {
			if name == after || !strings.HasPrefix(cert.Path, prefix) {
				return nil
			}
			if len(out.ServerCertificateMetadataList) == limit {
				out.IsTruncated = true
				out.Marker = base64.RawURLEncoding.EncodeToString([]byte(out.ServerCertificateMetadataList[limit-1].ServerCertificateName))
				return stop
			}
			out.ServerCertificateMetadataList = append(out.ServerCertificateMetadataList, metadataOf(cert))
			return nil
		})
	})
	if err != nil && err != stop {
		return nil, err
	}
	return out, nil
}

// deleteServerCertificate refuses a certificate a listener uses (DeleteConflict). The check
// runs before the deleting transaction: a listener made in between keeps a certificate that
// is gone, and finds it missing.
func (r *Room) deleteServerCertificate(c *query.Call) (any, error) {
	cert, err := r.load(c)
	if err != nil {
		return nil, err
	}
	users, err := r.inUse.Users(c.Account, "", cert.ARN)
	if err != nil {
		return nil, err
	}
	if len(users) > 0 {
		return nil, query.Errorf(http.StatusConflict, "DeleteConflict", "Certificate: %s is currently in use by %s. Please remove it first.", cert.ARN, strings.Join(users, ", "))
	}
	return nil, r.update(c, func(p *store.Part) error {
		ok, err := store.ServerCertificates.Delete(p, cert.Name)
		if err == nil && !ok {
			err = errNoSuchEntity(cert.Name)
		}
		return err
	})
}
