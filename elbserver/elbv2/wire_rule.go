package elbv2

import (
	"encoding/xml"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlValues struct {
	Values      []string `xml:"Values>member"`
	RegexValues []string `xml:"RegexValues>member,omitempty"`
}

type xmlHeaderConfig struct {
	HttpHeaderName string   `xml:"HttpHeaderName"`
	Values         []string `xml:"Values>member"`
	RegexValues    []string `xml:"RegexValues>member,omitempty"`
}

type xmlQueryPair struct {
	Key   string `xml:"Key,omitempty"`
	Value string `xml:"Value"`
}

type xmlQueryConfig struct {
	Values []xmlQueryPair `xml:"Values>member"`
}

type xmlPlainValues struct {
	Values []string `xml:"Values>member"`
}

type xmlCondition struct {
	Field       string           `xml:"Field"`
	Values      []string         `xml:"Values>member,omitempty"`
	Host        *xmlValues       `xml:"HostHeaderConfig,omitempty"`
	Path        *xmlValues       `xml:"PathPatternConfig,omitempty"`
	Header      *xmlHeaderConfig `xml:"HttpHeaderConfig,omitempty"`
	Query       *xmlQueryConfig  `xml:"QueryStringConfig,omitempty"`
	Method      *xmlPlainValues  `xml:"HttpRequestMethodConfig,omitempty"`
	SourceIP    *xmlPlainValues  `xml:"SourceIpConfig,omitempty"`
	RegexValues []string         `xml:"RegexValues>member,omitempty"`
}

// conditionXML describes a condition as given, with its field's config always filled:
// host-header and path-pattern values given at the top level appear in both places, as on
// AWS.
func conditionXML(c store.V2Condition) xmlCondition {
	x := xmlCondition{Field: c.Field, RegexValues: c.RegexValues}
	plain, _, pairs := conditionValues(c)
	switch c.Field {
	case fieldHost, fieldPath:
		x.Values = plain
		vals := &xmlValues{Values: plain}
		if c.Config != nil {
			vals.RegexValues = c.Config.RegexValues
		}
		if c.Field == fieldHost {
			x.Host = vals
		} else {
			x.Path = vals
		}
	case fieldHeader:
		x.Header = &xmlHeaderConfig{Values: plain}
		if c.Config != nil {
			x.Header.HttpHeaderName, x.Header.RegexValues = c.Config.HeaderName, c.Config.RegexValues
		}
	case fieldQuery:
		x.Query = &xmlQueryConfig{}
		for _, q := range pairs {
			x.Query.Values = append(x.Query.Values, xmlQueryPair(q))
		}
	case fieldMethod:
		x.Method = &xmlPlainValues{plain}
	case fieldIP:
		x.SourceIP = &xmlPlainValues{plain}
	}
	return x
}

type xmlRewrite struct {
	Regex   string `xml:"Regex"`
	Replace string `xml:"Replace"`
}

type xmlRewrites struct {
	Rewrites []xmlRewrite `xml:"Rewrites>member"`
}

type xmlTransform struct {
	Type string       `xml:"Type"`
	Host *xmlRewrites `xml:"HostHeaderRewriteConfig,omitempty"`
	URL  *xmlRewrites `xml:"UrlRewriteConfig,omitempty"`
}

type xmlRule struct {
	XMLName    xml.Name       `xml:"member"`
	RuleArn    string         `xml:"RuleArn"`
	Priority   string         `xml:"Priority"`
	Conditions []xmlCondition `xml:"Conditions>member"`
	Actions    []xmlAction    `xml:"Actions>member"`
	IsDefault  bool           `xml:"IsDefault"`
	Transforms []xmlTransform `xml:"Transforms>member,omitempty"`
}

// ruleXML is a rule's description. A change to what it renders must change ruleViewVersion.
func ruleXML(rule *store.V2Rule) xmlRule {
	out := xmlRule{RuleArn: rule.ARN, Priority: strconv.Itoa(rule.Priority), Actions: actionsXML(rule.Actions)}
	for _, c := range rule.Conditions {
		out.Conditions = append(out.Conditions, conditionXML(c))
	}
	for _, t := range rule.Transforms {
		rw := &xmlRewrites{}
		for _, w := range t.Rewrites {
			rw.Rewrites = append(rw.Rewrites, xmlRewrite(w))
		}
		x := xmlTransform{Type: t.Type}
		if t.Type == transformHost {
			x.Host = rw
		} else {
			x.URL = rw
		}
		out.Transforms = append(out.Transforms, x)
	}
	return out
}

// defaultRuleXML describes a listener's default rule.
func defaultRuleXML(l *store.V2Listener) xmlRule {
	return xmlRule{RuleArn: ruleARN(l.ARN, l.DefaultRuleID), Priority: "default", Actions: actionsXML(l.DefaultActions), IsDefault: true}
}

type rulesResult struct {
	Rules struct {
		Members []byte `xml:",innerxml"`
	} `xml:"Rules"`
	NextMarker string `xml:"NextMarker,omitempty"`
}

type ruleResult struct {
	Rules []xmlRule `xml:"Rules>member"`
}

// ruleViews keeps each rule's <member> description beside its record. Write rules through
// it.
var ruleViews = store.NewView("elbv2-rule-view", store.V2Rules, ruleViewVersion,
	func(_ *store.Part, _ string, rule *store.V2Rule) ([]byte, error) { return xml.Marshal(ruleXML(rule)) })

// ruleViewVersion names what ruleXML renders (see lbViewVersion).
const ruleViewVersion = "1"
