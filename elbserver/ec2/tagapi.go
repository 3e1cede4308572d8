package ec2

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// okResult is the reply of actions that answer only <return>true</return>.
type okResult struct {
	Return bool `xml:"return"`
}

// taggedResources reads ResourceId.N: each must name a resource of the partition.
func taggedResources(p query.Params) ([]string, error) {
	ids, err := p.EC2List("ResourceId")
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, query.Missing("ResourceId")
	}
	if len(ids) > maxIDs {
		return nil, invalid("The request names more than %d resources", maxIDs)
	}
	return ids, nil
}

func (r *Room) createTags(c *query.Call) (any, error) {
	ids, err := taggedResources(c.Params)
	if err != nil {
		return nil, err
	}
	tags, _, err := readTags(c.Params, "Tag")
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		return nil, query.Missing("Tag")
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	return &okResult{Return: true}, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		for _, id := range ids {
			if err := r.checkExists(p, id); err != nil {
				return err
			}
			if err := addTags(p, id, tags); err != nil {
				return err
			}
		}
		return nil
	})
}

// deleteTags removes the keys given (only with the value given, when one is), or every tag.
func (r *Room) deleteTags(c *query.Call) (any, error) {
	ids, err := taggedResources(c.Params)
	if err != nil {
		return nil, err
	}
	del, hasValue, err := readTags(c.Params, "Tag")
	if err != nil {
		return nil, err
	}
	return &okResult{Return: true}, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		for _, id := range ids {
			if err := r.checkExists(p, id); err != nil {
				return err
			}
			have, err := tagsOf(p, id)
			if err != nil {
				return err
			}
			have = slices.DeleteFunc(have, func(t store.Tag) bool {
				if len(del) == 0 {
					return true
				}
				for i, d := range del {
					if d.Key == t.Key && (!hasValue[i] || d.Value == t.Value) {
						return true
					}
				}
				return false
			})
			if len(have) == 0 {
				_, err = store.EC2Tags.Delete(p, id)
			} else {
				err = store.EC2Tags.Put(p, id, &have)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
}

type xmlTagDescription struct {
	ResourceID   string `xml:"resourceId"`
	ResourceType string `xml:"resourceType"`
	Key          string `xml:"key"`
	Value        string `xml:"value"`
}

type describeTagsResult struct {
	Tags      []xmlTagDescription `xml:"tagSet>item"`
	NextToken string              `xml:"nextToken,omitempty"`
}

var tagFields = fields[xmlTagDescription]{
	"key":           func(t xmlTagDescription) []string { return one(t.Key) },
	"value":         func(t xmlTagDescription) []string { return one(t.Value) },
	"resource-id":   func(t xmlTagDescription) []string { return one(t.ResourceID) },
	"resource-type": func(t xmlTagDescription) []string { return one(t.ResourceType) },
}

func (r *Room) describeTags(c *query.Call) (any, error) {
	fs, err := readFilters(c.Params, tagFields)
	if err != nil {
		return nil, err
	}
	pg, err := readPage(c.Params)
	if err != nil {
		return nil, err
	}
	var all []xmlTagDescription
	err = r.env.Store.View(c.Account, c.Region, func(p *store.Part) error {
		return store.EC2Tags.ForEach(p, func(id string, tags *[]store.Tag) error {
			// A terminated instance no longer visible may keep its tags until they are removed.
			if found, err := r.exists(p, id); !found || err != nil {
				return err
			}
			for _, t := range *tags {
				d := xmlTagDescription{ResourceID: id, ResourceType: resourceType(id), Key: t.Key, Value: t.Value}
				if matches(fs, tagFields, d, xmlTags(*tags)) {
					all = append(all, d)
				}
			}
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	var res describeTagsResult
	res.Tags, res.NextToken = cut(all, func(t xmlTagDescription) string { return t.ResourceID + "\x00" + t.Key }, pg)
	return &res, nil
}
