package classic

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// taggedNames reads LoadBalancerNames for AddTags/RemoveTags, which accept
// exactly one load balancer.
func taggedNames(p query.Params) (string, error) {
	names, err := p.StrListReq("LoadBalancerNames")
	if err != nil {
		return "", err
	}
	if err := query.NonEmpty("LoadBalancerNames", names); err != nil {
		return "", err
	}
	if len(dedupe(names)) != 1 {
		return "", query.Validation("Only one load balancer can be specified")
	}
	return names[0], nil
}

func (r *Room) addTags(c *query.Call) (any, error) {
	name, err := taggedNames(c.Params)
	if err != nil {
		return nil, err
	}
	tags, err := parseTags(c.Params, false)
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		merged, err := mergeTags(lb.Tags, tags)
		if err != nil {
			return err
		}
		lb.Tags = merged
		return nil
	})
}

func (r *Room) removeTags(c *query.Call) (any, error) {
	name, err := taggedNames(c.Params)
	if err != nil {
		return nil, err
	}
	tags, err := parseTags(c.Params, true)
	if err != nil {
		return nil, err
	}
	return nil, r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		lb.Tags = slices.DeleteFunc(lb.Tags, func(t store.Tag) bool {
			return slices.ContainsFunc(tags, func(r store.Tag) bool { return r.Key == t.Key })
		})
		return nil
	})
}

type xmlTagDescription struct {
	LoadBalancerName string `xml:"LoadBalancerName"`
	Tags             struct {
		Members []xmlTag `xml:"member"`
	} `xml:"Tags"`
}

type describeTagsResult struct {
	TagDescriptions struct {
		Members []xmlTagDescription `xml:"member"`
	} `xml:"TagDescriptions"`
}

func (r *Room) describeTags(c *query.Call) (any, error) {
	names, err := c.Params.StrListReq("LoadBalancerNames")
	if err != nil {
		return nil, err
	}
	if err := query.NonEmpty("LoadBalancerNames", names); err != nil {
		return nil, err
	}
	if len(names) > 20 {
		return nil, query.Validation("At most 20 load balancer names can be specified")
	}
	var res describeTagsResult
	return &res, r.view(c, func(p *store.Part) error {
		for _, n := range dedupe(names) {
			lb, err := mustLB(p, n)
			if err != nil {
				return err
			}
			var d xmlTagDescription
			d.LoadBalancerName = lb.Name
			d.Tags.Members = tagsXML(lb.Tags)
			res.TagDescriptions.Members = append(res.TagDescriptions.Members, d)
		}
		return nil
	})
}

type xmlLimit struct {
	Name string `xml:"Name"`
	Max  string `xml:"Max"`
}

type accountLimitsResult struct {
	Limits struct {
		Members []xmlLimit `xml:"member"`
	} `xml:"Limits"`
	NextMarker string `xml:"NextMarker,omitempty"`
}

func (r *Room) describeAccountLimits(c *query.Call) (any, error) {
	size, _, err := c.Params.IntOpt("PageSize", 1, 400)
	if err != nil {
		return nil, err
	}
	if size == 0 {
		size = 400
	}
	start := 0
	if m := c.Params["Marker"]; m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		n, convErr := strconv.Atoi(strings.TrimPrefix(string(raw), "limit:"))
		if err != nil || convErr != nil || !strings.HasPrefix(string(raw), "limit:") || n < 0 || n > len(limits) {
			return nil, query.Validation("Invalid Marker '%s'", m)
		}
		start = n
	}
	var res accountLimitsResult
	end := min(start+size, len(limits))
	for _, l := range limits[start:end] {
		res.Limits.Members = append(res.Limits.Members, xmlLimit{l.Name, strconv.Itoa(r.env.Limits.Get(l.Name))})
	}
	if end < len(limits) {
		res.NextMarker = base64.RawURLEncoding.EncodeToString([]byte("limit:" + strconv.Itoa(end)))
	}
	return &res, nil
}
