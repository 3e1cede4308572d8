package elbv2

import (
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlRevocation struct {
	TrustStoreArn          string `xml:"TrustStoreArn"`
	RevocationID           int64  `xml:"RevocationId"`
	RevocationType         string `xml:"RevocationType"`
	NumberOfRevokedEntries int64  `xml:"NumberOfRevokedEntries"`
}

type revocationsResult struct {
	Revocations []xmlRevocation `xml:"TrustStoreRevocations>member"`
	NextMarker  string          `xml:"NextMarker,omitempty"`
}

func revocationXML(ts *store.V2TrustStore, rev *store.V2Revocation) xmlRevocation {
	return xmlRevocation{ts.ARN, rev.ID, rev.Type, int64(len(rev.Serials))}
}

func (r *Room) addTrustStoreRevocations(c *query.Call) (any, error) {
	if _, err := c.Params.Required("TrustStoreArn"); err != nil {
		return nil, err
	}
	var revs []store.V2Revocation
	_, present, err := c.Params.Structs("RevocationContents", func(pre string) error {
		loc, err := readS3Location(c.Params, pre+"S3Bucket", pre+"S3Key", pre+"S3ObjectVersion")
		if err != nil {
			return err
		}
		typ := revocationTypeCRL
		if v, ok := c.Params.Str(pre + "RevocationType"); ok && v != revocationTypeCRL {
			return enumError(pre+"RevocationType", v, revocationTypeCRL)
		}
		raw, err := r.fetch(c, loc, sender("RevocationContentNotFound", "The revocation file s3://%s/%s was not found", loc.Bucket, loc.Key))
		if err != nil {
			return err
		}
		serials, err := parseCRL(raw)
		if err != nil {
			return err
		}
		revs = append(revs, store.V2Revocation{Type: typ, Location: loc, Serials: serials})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !present || len(revs) == 0 {
		return nil, query.Missing("RevocationContents")
	}
	res := &revocationsResult{}
	err = r.updateTrustStore(c, func(p *store.Part, ts *store.V2TrustStore) error {
		res.Revocations = nil
		if ts.Revocations+len(revs) > maxRevocationFiles {
			return sender("TooManyTrustStoreRevocationEntries", "A trust store can have at most %d revocation files", maxRevocationFiles)
		}
		for i := range revs {
			rev := revs[i]
			rev.ID = ts.NextRevocation
			ts.NextRevocation++
			ts.Revocations++
			ts.RevokedEntries += int64(len(rev.Serials))
			if ts.RevokedEntries > maxRevokedPerTrustStore {
				return sender("TooManyTrustStoreRevocationEntries", "A trust store can revoke at most %d certificates", maxRevokedPerTrustStore)
			}
			if err := store.V2Revocations.Put(p, store.V2RevocationKey(tsKey(ts), rev.ID), &rev); err != nil {
				return err
			}
			res.Revocations = append(res.Revocations, revocationXML(ts, &rev))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// revocationIDs reads the list name of revocation ids.
func revocationIDs(p query.Params, name string) ([]int64, bool, error) {
	raw, present, err := p.StrList(name)
	if err != nil {
		return nil, present, err
	}
	out := make([]int64, 0, len(raw))
	for _, v := range raw {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, true, query.Validation("Revocation id '%s' is not a number", v)
		}
		out = append(out, id)
	}
	return out, present, nil
}

func errRevocationNotFound(id int64) *query.Error {
	return sender("RevocationIdNotFound", "Revocation id %d was not found in the trust store", id)
}

func (r *Room) removeTrustStoreRevocations(c *query.Call) (any, error) {
	ids, present, err := revocationIDs(c.Params, "RevocationIds")
	if err != nil {
		return nil, err
	}
	if !present || len(ids) == 0 {
		return nil, query.Missing("RevocationIds")
	}
	return nil, r.updateTrustStore(c, func(p *store.Part, ts *store.V2TrustStore) error {
		for _, id := range ids {
			key := store.V2RevocationKey(tsKey(ts), id)
			rev, err := store.V2Revocations.Get(p, key)
			if err != nil {
				return err
			}
			if rev == nil {
				return errRevocationNotFound(id)
			}
			ts.Revocations--
			ts.RevokedEntries -= int64(len(rev.Serials))
			if _, err := store.V2Revocations.Delete(p, key); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r *Room) describeTrustStoreRevocations(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TrustStoreArn")
	if err != nil {
		return nil, err
	}
	ids, idsGiven, err := revocationIDs(c.Params, "RevocationIds")
	if err != nil {
		return nil, err
	}
	size, err := pageSize(c.Params)
	if err != nil {
		return nil, err
	}
	after, err := marker(c.Params)
	if err != nil {
		return nil, err
	}
	res := &revocationsResult{}
	err = r.view(c, func(p *store.Part) error {
		ts, err := getTrustStore(p, arn)
		if err != nil {
			return err
		}
		for _, id := range ids {
			rev, err := store.V2Revocations.Get(p, store.V2RevocationKey(tsKey(ts), id))
			if err != nil || rev == nil {
				return firstErr(err, errRevocationNotFound(id))
			}
			res.Revocations = append(res.Revocations, revocationXML(ts, rev))
		}
		if idsGiven {
			return nil
		}
		return store.V2Revocations.ForEachPrefix(p, tsKey(ts)+"/", after, func(k string, rev *store.V2Revocation) (bool, error) {
			if len(res.Revocations) == size {
				res.NextMarker = encodeMarker(after)
				return false, nil
			}
			res.Revocations, after = append(res.Revocations, revocationXML(ts, rev)), k
			return true, nil
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (r *Room) getTrustStoreRevocationContent(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TrustStoreArn")
	if err != nil {
		return nil, err
	}
	idText, err := c.Params.Required("RevocationId")
	if err != nil {
		return nil, err
	}
	id, perr := strconv.ParseInt(idText, 10, 64)
	if perr != nil {
		return nil, query.Validation("Revocation id '%s' is not a number", idText)
	}
	var res locationResult
	return &res, r.view(c, func(p *store.Part) error {
		ts, err := getTrustStore(p, arn)
		if err != nil {
			return err
		}
		rev, err := store.V2Revocations.Get(p, store.V2RevocationKey(tsKey(ts), id))
		if err != nil || rev == nil {
			return firstErr(err, errRevocationNotFound(id))
		}
		res.Location = objectURL(c.Region, rev.Location)
		return nil
	})
}
