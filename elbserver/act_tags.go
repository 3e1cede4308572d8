package elbserver

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// taggedNames reads LoadBalancerNames for AddTags/RemoveTags, which accept
// exactly one load balancer.
func taggedNames(p params) (string, error) {
	names, err := p.strListReq("LoadBalancerNames")
	if err != nil {
		return "", err
	}
	if err := nonEmpty("LoadBalancerNames", names); err != nil {
		return "", err
	}
	if len(dedupe(names)) != 1 {
		return "", errValidation("Only one load balancer can be specified")
	}
	return names[0], nil
}

func (s *Server) addTags(c *call) (any, error) {
	name, err := taggedNames(c.p)
	if err != nil {
		return nil, err
	}
	tags, err := parseTags(c.p, false)
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		merged, err := mergeTags(lb.Tags, tags)
		if err != nil {
			return err
		}
		lb.Tags = merged
		return nil
	})
}

func (s *Server) removeTags(c *call) (any, error) {
	name, err := taggedNames(c.p)
	if err != nil {
		return nil, err
	}
	tags, err := parseTags(c.p, true)
	if err != nil {
		return nil, err
	}
	return nil, s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		lb.Tags = slices.DeleteFunc(lb.Tags, func(t tagRec) bool {
			return slices.ContainsFunc(tags, func(r tagRec) bool { return r.Key == t.Key })
		})
		return nil
	})
}

type xmlTagDescription struct {
	LoadBalancerName string `xml:"LoadBalancerName"`
	Tags             struct {
		Members []tagRec `xml:"member"`
	} `xml:"Tags"`
}

type describeTagsResult struct {
	TagDescriptions struct {
		Members []xmlTagDescription `xml:"member"`
	} `xml:"TagDescriptions"`
}

func (s *Server) describeTags(c *call) (any, error) {
	names, err := c.p.strListReq("LoadBalancerNames")
	if err != nil {
		return nil, err
	}
	if err := nonEmpty("LoadBalancerNames", names); err != nil {
		return nil, err
	}
	if len(names) > 20 {
		return nil, errValidation("At most 20 load balancer names can be specified")
	}
	var res describeTagsResult
	return &res, s.st.view(c.account, c.region, func(p *part) error {
		for _, n := range dedupe(names) {
			lb, err := p.mustLB(n)
			if err != nil {
				return err
			}
			var d xmlTagDescription
			d.LoadBalancerName = lb.Name
			d.Tags.Members = lb.Tags
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

func (s *Server) describeAccountLimits(c *call) (any, error) {
	size, _, err := c.p.intOpt("PageSize", 1, 400)
	if err != nil {
		return nil, err
	}
	if size == 0 {
		size = 400
	}
	start := 0
	if m := c.p["Marker"]; m != "" {
		raw, err := base64.RawURLEncoding.DecodeString(m)
		n, convErr := strconv.Atoi(strings.TrimPrefix(string(raw), "limit:"))
		if err != nil || convErr != nil || !strings.HasPrefix(string(raw), "limit:") || n < 0 || n > 3 {
			return nil, errValidation("Invalid Marker '%s'", m)
		}
		start = n
	}
	names := []string{limitLoadBalancers, limitListeners, limitInstances}
	var res accountLimitsResult
	end := min(start+size, len(names))
	for _, n := range names[start:end] {
		res.Limits.Members = append(res.Limits.Members, xmlLimit{n, strconv.Itoa(s.limits[n])})
	}
	if end < len(names) {
		res.NextMarker = base64.RawURLEncoding.EncodeToString([]byte("limit:" + strconv.Itoa(end)))
	}
	return &res, nil
}
