package elbv2

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// tagged is a resource found by ARN, with its tags and how to store them back.
type tagged struct {
	tags *[]store.Tag
	save func() error
}

// findTagged resolves an ARN of any taggable kind: balancer, target group, listener, rule
// (the default rule's tags are kept on its listener) or trust store.
func findTagged(p *store.Part, arn string) (tagged, error) {
	ref, ok := parseARN(arn)
	if !ok {
		return tagged{}, query.Validation("'%s' is not a valid Elastic Load Balancing resource ARN", arn)
	}
	switch ref.kind {
	case kindLB:
		lb, err := getLB(p, arn)
		if err != nil {
			return tagged{}, err
		}
		return tagged{&lb.Tags, func() error { return lbViews.Put(p, lbKey(lb), lb) }}, nil
	case kindTG:
		tg, err := getTG(p, arn)
		if err != nil {
			return tagged{}, err
		}
		return tagged{&tg.Tags, func() error { return tgViews.Put(p, tgKey(tg), tg) }}, nil
	case kindListener:
		l, err := getListener(p, arn)
		if err != nil {
			return tagged{}, err
		}
		return tagged{&l.Tags, func() error { return listenerViews.Put(p, listenerKey(l), l) }}, nil
	case kindRule:
		rr, err := getRule(p, arn)
		if err != nil {
			return tagged{}, err
		}
		if rr.isDefault() {
			l := rr.listener
			return tagged{&l.DefaultRuleTags, func() error { return listenerViews.Put(p, listenerKey(l), l) }}, nil
		}
		rule := rr.rule
		return tagged{&rule.Tags, func() error { return ruleViews.Put(p, ruleKey(rr.listener, rule.ID), rule) }}, nil
	}
	ts, err := getTrustStore(p, arn)
	if err != nil {
		return tagged{}, err
	}
	return tagged{&ts.Tags, func() error { return store.V2TrustStores.Put(p, tsKey(ts), ts) }}, nil
}

func (r *Room) addTags(c *query.Call) (any, error) {
	arns, err := arnList(c.Params, "ResourceArns", maxResourcesPerTagAction)
	if err != nil {
		return nil, err
	}
	tags, present, err := parseTags(c.Params, "Tags")
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, query.Missing("Tags")
	}
	return nil, r.update(c, func(p *store.Part) error {
		for _, arn := range arns {
			t, err := findTagged(p, arn)
			if err != nil {
				return err
			}
			merged, err := mergeTags(*t.tags, tags)
			if err != nil {
				return err
			}
			*t.tags = merged
			if err := t.save(); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r *Room) removeTags(c *query.Call) (any, error) {
	arns, err := arnList(c.Params, "ResourceArns", maxResourcesPerTagAction)
	if err != nil {
		return nil, err
	}
	keys, err := c.Params.StrListReq("TagKeys")
	if err != nil {
		return nil, err
	}
	if err := query.NonEmpty("TagKeys", keys); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if len([]rune(k)) > 128 || !query.TagText(k) {
			return nil, query.Validation("Tag key '%s' must be 1-128 letters, digits, spaces or _.:/=+-@", k)
		}
	}
	return nil, r.update(c, func(p *store.Part) error {
		for _, arn := range arns {
			t, err := findTagged(p, arn)
			if err != nil {
				return err
			}
			*t.tags = slices.DeleteFunc(slices.Clone(*t.tags), func(tag store.Tag) bool { return slices.Contains(keys, tag.Key) })
			if err := t.save(); err != nil {
				return err
			}
		}
		return nil
	})
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value,omitempty"`
}

type xmlTagDescription struct {
	ResourceArn string   `xml:"ResourceArn"`
	Tags        []xmlTag `xml:"Tags>member"`
}

type describeTagsResult struct {
	TagDescriptions []xmlTagDescription `xml:"TagDescriptions>member"`
}

func (r *Room) describeTags(c *query.Call) (any, error) {
	arns, err := arnList(c.Params, "ResourceArns", maxResourcesPerTagAction)
	if err != nil {
		return nil, err
	}
	res := &describeTagsResult{}
	err = r.view(c, func(p *store.Part) error {
		for _, arn := range arns {
			t, err := findTagged(p, arn)
			if err != nil {
				return err
			}
			d := xmlTagDescription{ResourceArn: arn, Tags: []xmlTag{}}
			for _, tag := range *t.tags {
				d.Tags = append(d.Tags, xmlTag(tag))
			}
			res.TagDescriptions = append(res.TagDescriptions, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}
