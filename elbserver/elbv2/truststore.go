package elbv2

import (
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlTrustStore struct {
	Name                   string `xml:"Name"`
	TrustStoreArn          string `xml:"TrustStoreArn"`
	Status                 string `xml:"Status"`
	NumberOfCaCertificates int    `xml:"NumberOfCaCertificates"`
	TotalRevokedEntries    int64  `xml:"TotalRevokedEntries"`
}

// Trust stores are active as soon as they are created: their bundle is checked in the
// request.
func trustStoreXML(ts *store.V2TrustStore) xmlTrustStore {
	return xmlTrustStore{ts.Name, ts.ARN, trustStoreActive, ts.CACertificates, ts.RevokedEntries}
}

type trustStoresResult struct {
	TrustStores []xmlTrustStore `xml:"TrustStores>member"`
	NextMarker  string          `xml:"NextMarker,omitempty"`
}

// readBundle reads and checks the bundle a CreateTrustStore or ModifyTrustStore names.
func (r *Room) readBundle(c *query.Call) (store.V2S3Object, []byte, int, error) {
	loc, err := readS3Location(c.Params, "CaCertificatesBundleS3Bucket", "CaCertificatesBundleS3Key", "CaCertificatesBundleS3ObjectVersion")
	if err != nil {
		return loc, nil, 0, err
	}
	raw, err := r.fetch(c, loc, errBundleNotFound(loc))
	if err != nil {
		return loc, nil, 0, err
	}
	n, err := parseBundle(raw)
	return loc, raw, n, err
}

func (r *Room) createTrustStore(c *query.Call) (any, error) {
	name := c.Params["Name"]
	if name == "" {
		return nil, query.Missing("Name")
	}
	if len(name) > 32 || !trustStoreNameRE.MatchString(name) {
		return nil, notPattern("Name", name)
	}
	tags, _, err := parseTags(c.Params, "Tags")
	if err != nil {
		return nil, err
	}
	if len(tags) > maxTagsPerResource {
		return nil, sender("TooManyTags", "A resource can have at most %d tags", maxTagsPerResource)
	}
	loc, raw, n, err := r.readBundle(c)
	if err != nil {
		return nil, err
	}
	id := newID()
	ts := &store.V2TrustStore{ARN: tsARN(c.Region, c.Account, name, id), Name: name, ID: id, Created: r.env.Now().UTC(),
		CACertificates: n, BundleLocation: loc, NextRevocation: firstRevocationID, Tags: tags}
	err = r.update(c, func(p *store.Part) error {
		existing, err := store.V2TrustStores.FirstWithPrefix(p, name+"/")
		if err != nil {
			return err
		}
		if existing != "" {
			return sender("DuplicateTrustStoreName", "A trust store with the name '%s' already exists", name)
		}
		count, err := store.V2TrustStores.Count(p)
		if err != nil {
			return err
		}
		if count >= maxTrustStores {
			return errTooMany("TooManyTrustStores", "trust stores", maxTrustStores)
		}
		if err := store.V2Bundles.Put(p, tsKey(ts), &store.V2Bundle{PEM: raw}); err != nil {
			return err
		}
		return store.V2TrustStores.Put(p, tsKey(ts), ts)
	})
	if err != nil {
		return nil, err
	}
	return &trustStoresResult{TrustStores: []xmlTrustStore{trustStoreXML(ts)}}, nil
}

// updateTrustStore loads the trust store of TrustStoreArn in one write transaction, lets fn
// change it and stores it.
func (r *Room) updateTrustStore(c *query.Call, fn func(p *store.Part, ts *store.V2TrustStore) error) error {
	arn, err := c.Params.Required("TrustStoreArn")
	if err != nil {
		return err
	}
	return r.update(c, func(p *store.Part) error {
		ts, err := getTrustStore(p, arn)
		if err != nil {
			return err
		}
		if err := fn(p, ts); err != nil {
			return err
		}
		return store.V2TrustStores.Put(p, tsKey(ts), ts)
	})
}

func (r *Room) modifyTrustStore(c *query.Call) (any, error) {
	if _, err := c.Params.Required("TrustStoreArn"); err != nil {
		return nil, err
	}
	loc, raw, n, err := r.readBundle(c)
	if err != nil {
		return nil, err
	}
	var out *store.V2TrustStore
	err = r.updateTrustStore(c, func(p *store.Part, ts *store.V2TrustStore) error {
		ts.BundleLocation, ts.CACertificates, out = loc, n, ts
		return store.V2Bundles.Put(p, tsKey(ts), &store.V2Bundle{PEM: raw})
	})
	if err != nil {
		return nil, err
	}
	return &trustStoresResult{TrustStores: []xmlTrustStore{trustStoreXML(out)}}, nil
}

func (r *Room) deleteTrustStore(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TrustStoreArn")
	if err != nil {
		return nil, err
	}
	return nil, r.update(c, func(p *store.Part) error {
		ts, err := getTrustStore(p, arn)
		if err != nil {
			return err
		}
		if len(ts.Users) > 0 {
			return sender("TrustStoreInUse", "Trust store '%s' is in use by listener '%s'", arn, ts.Users[0])
		}
		var revs []string
		err = store.V2Revocations.ForEachPrefix(p, tsKey(ts)+"/", "", func(k string, _ *store.V2Revocation) (bool, error) {
			revs = append(revs, k)
			return true, nil
		})
		for _, k := range revs {
			if err == nil {
				_, err = store.V2Revocations.Delete(p, k)
			}
		}
		if err != nil {
			return err
		}
		if _, err := store.V2Bundles.Delete(p, tsKey(ts)); err != nil {
			return err
		}
		_, err = store.V2TrustStores.Delete(p, tsKey(ts))
		return err
	})
}

func (r *Room) describeTrustStores(c *query.Call) (any, error) {
	d, err := readDescribeArgs(c.Params, "TrustStoreArns", "Names")
	if err != nil {
		return nil, err
	}
	arns, arnsGiven, names, namesGiven, size, after := d.arns, d.arnsGiven, d.names, d.namesGiven, d.size, d.after
	if arnsGiven && namesGiven {
		return nil, query.Validation("Specify either TrustStoreArns or Names, not both")
	}
	res := &trustStoresResult{}
	err = r.view(c, func(p *store.Part) error {
		for _, arn := range dedupe(arns) {
			ts, err := getTrustStore(p, arn)
			if err != nil {
				return err
			}
			res.TrustStores = append(res.TrustStores, trustStoreXML(ts))
		}
		for _, name := range dedupe(names) {
			key, err := store.V2TrustStores.FirstWithPrefix(p, name+"/")
			var ts *store.V2TrustStore
			if err == nil && key != "" {
				ts, err = store.V2TrustStores.Get(p, key)
			}
			if err != nil || ts == nil {
				return firstErr(err, errTrustStoreNotFound(name))
			}
			res.TrustStores = append(res.TrustStores, trustStoreXML(ts))
		}
		if arnsGiven || namesGiven {
			return nil
		}
		return store.V2TrustStores.ForEachPrefix(p, "", after, func(k string, ts *store.V2TrustStore) (bool, error) {
			if len(res.TrustStores) == size {
				res.NextMarker = encodeMarker(after)
				return false, nil
			}
			res.TrustStores, after = append(res.TrustStores, trustStoreXML(ts)), k
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

type locationResult struct {
	Location string `xml:"Location"`
}

func (r *Room) getTrustStoreCaCertificatesBundle(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TrustStoreArn")
	if err != nil {
		return nil, err
	}
	var res locationResult
	return &res, r.view(c, func(p *store.Part) error {
		ts, err := getTrustStore(p, arn)
		if err == nil {
			res.Location = objectURL(c.Region, ts.BundleLocation)
		}
		return err
	})
}

type xmlAssociation struct {
	ResourceArn string `xml:"ResourceArn"`
}

type associationsResult struct {
	Associations []xmlAssociation `xml:"TrustStoreAssociations>member"`
	NextMarker   string           `xml:"NextMarker,omitempty"`
}

// describeTrustStoreAssociations lists the listeners that verify clients with the store.
func (r *Room) describeTrustStoreAssociations(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TrustStoreArn")
	if err != nil {
		return nil, err
	}
	var users []string
	err = r.view(c, func(p *store.Part) error {
		ts, err := getTrustStore(p, arn)
		if err == nil {
			users = ts.Users
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	start, size, err := indexPage(c.Params, len(users))
	if err != nil {
		return nil, err
	}
	end := min(start+size, len(users))
	res := &associationsResult{}
	for _, u := range users[start:end] {
		res.Associations = append(res.Associations, xmlAssociation{u})
	}
	if end < len(users) {
		res.NextMarker = encodeIndexMarker(end)
	}
	return res, nil
}

// deleteSharedTrustStoreAssociation: trust stores are not shared across accounts here (the
// endpoint has no resource sharing), so there is never a shared association to delete: a
// resource of the store's own account is DeleteAssociationSameAccount, any other
// AssociationNotFound.
func (r *Room) deleteSharedTrustStoreAssociation(c *query.Call) (any, error) {
	arn, err1 := c.Params.Required("TrustStoreArn")
	resource, err2 := c.Params.Required("ResourceArn")
	if err := firstErr(err1, err2); err != nil {
		return nil, err
	}
	ref, ok := parseARN(resource)
	if !ok || ref.kind != kindListener {
		return nil, errMalformedARN(kindListener, resource)
	}
	return nil, r.view(c, func(p *store.Part) error {
		if _, err := getTrustStore(p, arn); err != nil {
			return err
		}
		if ref.account == c.Account {
			return sender("DeleteAssociationSameAccount", "Listener '%s' belongs to the trust store's own account; change its mutual authentication instead", resource)
		}
		return sender("AssociationNotFound", "Trust store '%s' has no association with '%s'", arn, resource)
	})
}
