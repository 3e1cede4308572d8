package classic

import (
	"net/http"

	"github.com/lbcloud/lbcloud/elbserver/catalog"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlPolicyDescription struct {
	PolicyName     string `xml:"PolicyName"`
	PolicyTypeName string `xml:"PolicyTypeName"`
	Attributes     struct {
		Members []xmlAttribute `xml:"member"`
	} `xml:"PolicyAttributeDescriptions"`
}

type describePoliciesResult struct {
	PolicyDescriptions struct {
		Members []xmlPolicyDescription `xml:"member"`
	} `xml:"PolicyDescriptions"`
}

func describePolicy(p store.ClassicPolicy) xmlPolicyDescription {
	d := xmlPolicyDescription{PolicyName: p.Name, PolicyTypeName: p.TypeName}
	d.Attributes.Members = attributeXML(p.Attrs)
	return d
}

func predefinedRecords() []store.ClassicPolicy {
	var out []store.ClassicPolicy
	for _, pre := range catalog.PredefinedPolicies() {
		out = append(out, policyFromCatalog(pre))
	}
	return out
}

// describeLoadBalancerPolicies lists a balancer's policies, or the
// predefined sample policies when no balancer is named.
func (r *Room) describeLoadBalancerPolicies(c *query.Call) (any, error) {
	names, _, err := c.Params.StrList("PolicyNames")
	if err != nil {
		return nil, err
	}
	var pool []store.ClassicPolicy
	owner := ""
	if name, ok := c.Params["LoadBalancerName"]; ok && name != "" {
		owner = name
		err := r.view(c, func(p *store.Part) error {
			lb, err := mustLB(p, name)
			if err == nil {
				pool = lb.Policies
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	} else {
		pool = predefinedRecords()
	}
	var res describePoliciesResult
	if len(names) == 0 {
		for _, p := range pool {
			res.PolicyDescriptions.Members = append(res.PolicyDescriptions.Members, describePolicy(p))
		}
		return &res, nil
	}
	for _, n := range dedupe(names) {
		found := false
		for _, p := range pool {
			if p.Name == n {
				res.PolicyDescriptions.Members = append(res.PolicyDescriptions.Members, describePolicy(p))
				found = true
				break
			}
		}
		if !found {
			if owner != "" {
				return nil, errPolicyNotFound("There is no policy with name %s for load balancer %s", n, owner)
			}
			return nil, errPolicyNotFound("There is no sample policy with name %s", n)
		}
	}
	return &res, nil
}

type xmlAttributeType struct {
	AttributeName string `xml:"AttributeName"`
	AttributeType string `xml:"AttributeType"`
	Description   string `xml:"Description,omitempty"`
	DefaultValue  string `xml:"DefaultValue,omitempty"`
	Cardinality   string `xml:"Cardinality"`
}

type xmlPolicyType struct {
	PolicyTypeName string `xml:"PolicyTypeName"`
	Description    string `xml:"Description"`
	Attributes     struct {
		Members []xmlAttributeType `xml:"member"`
	} `xml:"PolicyAttributeTypeDescriptions"`
}

type describePolicyTypesResult struct {
	PolicyTypeDescriptions struct {
		Members []xmlPolicyType `xml:"member"`
	} `xml:"PolicyTypeDescriptions"`
}

func (r *Room) describeLoadBalancerPolicyTypes(c *query.Call) (any, error) {
	names, _, err := c.Params.StrList("PolicyTypeNames")
	if err != nil {
		return nil, err
	}
	types := catalog.PolicyTypes()
	if len(names) > 0 {
		types = types[:0:0]
		for _, n := range dedupe(names) {
			t, ok := catalog.LookupType(n)
			if !ok {
				return nil, query.Errorf(http.StatusBadRequest, "PolicyTypeNotFound", "There is no policy type with name '%s'", n)
			}
			types = append(types, t)
		}
	}
	var res describePolicyTypesResult
	for _, t := range types {
		x := xmlPolicyType{PolicyTypeName: t.Name, Description: t.Description}
		for _, a := range t.Attributes {
			x.Attributes.Members = append(x.Attributes.Members, xmlAttributeType{a.Name, a.Type, a.Description, a.DefaultValue, a.Cardinality})
		}
		res.PolicyTypeDescriptions.Members = append(res.PolicyTypeDescriptions.Members, x)
	}
	return &res, nil
}
