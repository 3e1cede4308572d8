// Package catalog holds the Classic ELB policy types, the predefined
// policies AWS ships with every account, and the rules that decide whether
// a set of policy attributes is acceptable for a given policy type.
//
// Everything here is static data: the functions hand out fresh copies so
// callers may modify what they get without touching the catalog.
package catalog

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Cardinality values as the ELB API reports them.
const (
	CardinalityOne        = "ONE"
	CardinalityZeroOrOne  = "ZERO_OR_ONE"
	CardinalityZeroOrMore = "ZERO_OR_MORE"
	CardinalityOneOrMore  = "ONE_OR_MORE"
)

// Error codes returned by Validate.
const (
	CodePolicyTypeNotFound          = "PolicyTypeNotFound"
	CodeInvalidConfigurationRequest = "InvalidConfigurationRequest"
)

// AttributeType describes one attribute a policy type accepts
// (PolicyAttributeTypeDescription in the API).
type AttributeType struct{ Name, Type, Description, DefaultValue, Cardinality string }

// PolicyType describes a policy type (PolicyTypeDescription in the API).
type PolicyType struct {
	Name, Description string
	Attributes        []AttributeType
}

// Attribute is one name/value pair of a policy.
type Attribute struct{ Name, Value string }

// Policy is a named policy of a given type with its attributes.
type Policy struct {
	Name, TypeName string
	Attributes     []Attribute
}

// Error is an API-level error: Code is the AWS error code the endpoint
// should answer with.
type Error struct{ Code, Message string }

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func invalid(format string, args ...any) *Error {
	return &Error{Code: CodeInvalidConfigurationRequest, Message: fmt.Sprintf(format, args...)}
}

// Indexes built once from the tables; the tables themselves are never
// handed out, only copies.
var (
	typesByName      = map[string]*PolicyType{}
	predefinedByName = map[string]*Policy{}
	allTypes         []PolicyType
	allPredefined    []Policy
)

func init() {
	allTypes = policyTypes()
	sort.Slice(allTypes, func(a, b int) bool { return allTypes[a].Name < allTypes[b].Name })
	for i := range allTypes {
		typesByName[allTypes[i].Name] = &allTypes[i]
	}
	allPredefined = predefinedPolicies()
	for i := range allPredefined {
		predefinedByName[allPredefined[i].Name] = &allPredefined[i]
	}
}

func copyType(t PolicyType) PolicyType {
	t.Attributes = append([]AttributeType(nil), t.Attributes...)
	return t
}

func copyPolicy(p Policy) Policy {
	p.Attributes = append([]Attribute(nil), p.Attributes...)
	return p
}

// PolicyTypes returns every Classic ELB policy type, sorted by name.
func PolicyTypes() []PolicyType {
	out := make([]PolicyType, len(allTypes))
	for i, t := range allTypes {
		out[i] = copyType(t)
	}
	return out
}

// LookupType returns the policy type with the given (case-sensitive) name.
func LookupType(name string) (PolicyType, bool) {
	t, ok := typesByName[name]
	if !ok {
		return PolicyType{}, false
	}
	return copyType(*t), true
}

// PredefinedPolicies returns the policies every load balancer can reference
// without creating them: the ELBSecurityPolicy-* and ELBSample-* SSL
// negotiation policies, in the order AWS lists them.
func PredefinedPolicies() []Policy {
	out := make([]Policy, len(allPredefined))
	for i, p := range allPredefined {
		out[i] = copyPolicy(p)
	}
	return out
}

// LookupPredefined returns the predefined policy with the given name.
func LookupPredefined(name string) (Policy, bool) {
	p, ok := predefinedByName[name]
	if !ok {
		return Policy{}, false
	}
	return copyPolicy(*p), true
}

// Validate checks attrs against the policy type typeName the way
// CreateLoadBalancerPolicy does: the type must exist, every attribute must
// be declared by the type, values must parse as the declared type and
// cardinalities must hold.
func Validate(typeName string, attrs []Attribute) error {
	t, ok := typesByName[typeName]
	if !ok {
		return &Error{Code: CodePolicyTypeNotFound,
			Message: fmt.Sprintf("There is no policy type with name '%s'.", typeName)}
	}
	decl := make(map[string]*AttributeType, len(t.Attributes))
	for i := range t.Attributes {
		decl[t.Attributes[i].Name] = &t.Attributes[i]
	}
	seen := make(map[string]int, len(attrs))
	for _, a := range attrs {
		at, ok := decl[a.Name]
		if !ok {
			return invalid("Attribute '%s' is not a valid attribute for policy type '%s'.", a.Name, typeName)
		}
		if err := checkValue(at, a.Value); err != nil {
			return err
		}
		seen[a.Name]++
	}
	for _, at := range t.Attributes {
		n := seen[at.Name]
		switch at.Cardinality {
		case CardinalityOne, CardinalityOneOrMore:
			if n == 0 {
				return invalid("Attribute '%s' is required for policy type '%s' (cardinality %s).", at.Name, typeName, at.Cardinality)
			}
		}
		switch at.Cardinality {
		case CardinalityOne, CardinalityZeroOrOne:
			if n > 1 {
				return invalid("Attribute '%s' may be given at most once for policy type '%s' (cardinality %s).", at.Name, typeName, at.Cardinality)
			}
		}
	}
	if typeName == sslNegotiationType {
		for _, a := range attrs {
			if a.Name != attrReferencePolicy {
				continue
			}
			if p, ok := predefinedByName[a.Value]; !ok || p.TypeName != sslNegotiationType {
				return invalid("Referenced security policy '%s' does not exist.", a.Value)
			}
		}
	}
	return nil
}

func checkValue(at *AttributeType, v string) error {
	switch at.Type {
	case "Boolean":
		if !strings.EqualFold(v, "true") && !strings.EqualFold(v, "false") {
			return invalid("Invalid value '%s' for attribute '%s': expected true or false.", v, at.Name)
		}
	case "Long":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return invalid("Invalid value '%s' for attribute '%s': expected a whole number.", v, at.Name)
		}
	case "Integer":
		if _, err := strconv.ParseInt(v, 10, 32); err != nil {
			return invalid("Invalid value '%s' for attribute '%s': expected a whole number.", v, at.Name)
		}
	case "PolicyName", "String":
		if at.Type == "PolicyName" && v == "" {
			return invalid("Attribute '%s' must name a policy.", at.Name)
		}
	}
	return nil
}

// Complete returns the attributes DescribeLoadBalancerPolicies shows for a
// policy created with attrs. An SSLNegotiationPolicyType policy that carries
// Reference-Security-Policy is expanded to the referenced predefined
// policy's protocols and ciphers (explicitly given attributes win); every
// other policy keeps exactly the attributes it was created with. attrs is
// assumed to have passed Validate.
func Complete(typeName string, attrs []Attribute) []Attribute {
	out := append([]Attribute(nil), attrs...)
	if typeName != sslNegotiationType {
		return out
	}
	ref := ""
	for _, a := range attrs {
		if a.Name == attrReferencePolicy {
			ref = a.Value
		}
	}
	p, ok := predefinedByName[ref]
	if !ok {
		return out
	}
	given := make(map[string]string, len(attrs))
	for _, a := range attrs {
		given[a.Name] = a.Value
	}
	out = make([]Attribute, 0, len(p.Attributes)+1)
	out = append(out, Attribute{Name: attrReferencePolicy, Value: ref})
	for _, a := range p.Attributes {
		if v, ok := given[a.Name]; ok {
			a.Value = v
		}
		out = append(out, a)
	}
	return out
}
