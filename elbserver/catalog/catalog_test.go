package catalog

import (
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
)

var knownTypes = []string{"Boolean", "Long", "Integer", "String", "PolicyName"}

var knownCardinalities = []string{CardinalityOne, CardinalityZeroOrOne, CardinalityZeroOrMore, CardinalityOneOrMore}

func TestPolicyTypesWellFormed(t *testing.T) {
	types := PolicyTypes()
	if len(types) != 6 {
		t.Fatalf("got %d policy types, want 6", len(types))
	}
	if !sort.SliceIsSorted(types, func(a, b int) bool { return types[a].Name < types[b].Name }) {
		t.Error("policy types are not sorted by name")
	}
	for _, pt := range types {
		if pt.Name == "" || pt.Description == "" || len(pt.Attributes) == 0 {
			t.Errorf("type %q: empty name, description or attribute list", pt.Name)
		}
		seen := map[string]bool{}
		for _, at := range pt.Attributes {
			if at.Name == "" || at.Description == "" {
				t.Errorf("type %s: attribute %q lacks a name or description", pt.Name, at.Name)
			}
			if seen[at.Name] {
				t.Errorf("type %s: attribute %s declared twice", pt.Name, at.Name)
			}
			seen[at.Name] = true
			if !slices.Contains(knownTypes, at.Type) {
				t.Errorf("type %s: attribute %s has unknown type %q", pt.Name, at.Name, at.Type)
			}
			if !slices.Contains(knownCardinalities, at.Cardinality) {
				t.Errorf("type %s: attribute %s has unknown cardinality %q", pt.Name, at.Name, at.Cardinality)
			}
			if at.DefaultValue != "" {
				if err := checkValue(&at, at.DefaultValue); err != nil {
					t.Errorf("type %s: default of %s does not parse: %v", pt.Name, at.Name, err)
				}
			}
		}
	}
}

func TestExpectedAttributes(t *testing.T) {
	want := []struct{ typ, attr, kind, card string }{
		{"AppCookieStickinessPolicyType", "CookieName", "String", CardinalityOne},
		{"LBCookieStickinessPolicyType", "CookieExpirationPeriod", "Long", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "Protocol-SSLv3", "Boolean", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "Protocol-TLSv1", "Boolean", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "Protocol-TLSv1.1", "Boolean", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "Protocol-TLSv1.2", "Boolean", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "Server-Defined-Cipher-Order", "Boolean", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "Reference-Security-Policy", "String", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "ECDHE-RSA-AES128-GCM-SHA256", "Boolean", CardinalityZeroOrOne},
		{"SSLNegotiationPolicyType", "EXP-KRB5-RC4-MD5", "Boolean", CardinalityZeroOrOne},
		{"BackendServerAuthenticationPolicyType", "PublicKeyPolicyName", "PolicyName", CardinalityZeroOrMore},
		{"PublicKeyPolicyType", "PublicKey", "String", CardinalityOne},
		{"ProxyProtocolPolicyType", "ProxyProtocol", "Boolean", CardinalityOne},
	}
	for _, w := range want {
		pt, ok := LookupType(w.typ)
		if !ok {
			t.Errorf("LookupType(%s) not found", w.typ)
			continue
		}
		i := slices.IndexFunc(pt.Attributes, func(a AttributeType) bool { return a.Name == w.attr })
		if i < 0 {
			t.Errorf("%s lacks attribute %s", w.typ, w.attr)
			continue
		}
		if a := pt.Attributes[i]; a.Type != w.kind || a.Cardinality != w.card {
			t.Errorf("%s.%s = %s/%s, want %s/%s", w.typ, w.attr, a.Type, a.Cardinality, w.kind, w.card)
		}
	}
	if _, ok := LookupType("sslnegotiationpolicytype"); ok {
		t.Error("LookupType must be case-sensitive")
	}
}

func TestPredefinedPolicies(t *testing.T) {
	ps := PredefinedPolicies()
	wantNames := []string{
		"ELBSecurityPolicy-2016-08", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-1-2017-01",
		"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-2015-05", "ELBSecurityPolicy-2015-03",
		"ELBSecurityPolicy-2015-02", "ELBSecurityPolicy-2014-10", "ELBSecurityPolicy-2014-01",
		"ELBSecurityPolicy-2011-08", "ELBSample-ELBDefaultCipherPolicy", "ELBSample-OpenSSLDefaultCipherPolicy",
	}
	var names []string
	ssl, _ := LookupType(sslNegotiationType)
	for _, p := range ps {
		names = append(names, p.Name)
		if p.TypeName != sslNegotiationType {
			t.Errorf("%s has type %s", p.Name, p.TypeName)
		}
		if err := Validate(p.TypeName, p.Attributes); err != nil {
			t.Errorf("%s does not validate: %v", p.Name, err)
		}
		// Every declared attribute but the reference itself is listed once.
		if got, want := len(p.Attributes), len(ssl.Attributes)-1; got != want {
			t.Errorf("%s lists %d attributes, want %d", p.Name, got, want)
		}
		if p.Attributes[0].Name != "Protocol-TLSv1" || p.Attributes[4].Name != attrServerOrder {
			t.Errorf("%s: attributes not in AWS order: %v", p.Name, p.Attributes[:5])
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("predefined policies = %v, want %v", names, wantNames)
	}
}

// TestPredefinedContents spot-checks documented properties of the policies.
func TestPredefinedContents(t *testing.T) {
	checks := []struct {
		policy, attr, want string
	}{
		{"ELBSecurityPolicy-2016-08", "Protocol-TLSv1", "true"},
		{"ELBSecurityPolicy-2016-08", "Protocol-SSLv3", "false"},
		{"ELBSecurityPolicy-2016-08", "Server-Defined-Cipher-Order", "true"},
		{"ELBSecurityPolicy-2016-08", "ECDHE-RSA-AES128-GCM-SHA256", "true"},
		{"ELBSecurityPolicy-2016-08", "AES256-SHA", "true"},
		{"ELBSecurityPolicy-2016-08", "DES-CBC3-SHA", "false"},
		{"ELBSecurityPolicy-2016-08", "DHE-RSA-AES128-SHA", "false"},
		{"ELBSecurityPolicy-TLS-1-1-2017-01", "Protocol-TLSv1", "false"},
		{"ELBSecurityPolicy-TLS-1-1-2017-01", "Protocol-TLSv1.1", "true"},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", "Protocol-TLSv1.1", "false"},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", "Protocol-TLSv1.2", "true"},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", "ECDHE-RSA-AES128-SHA", "false"},
		{"ELBSecurityPolicy-TLS-1-2-2017-01", "AES128-GCM-SHA256", "true"},
		{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "Protocol-TLSv1.1", "false"},
		{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ECDHE-RSA-AES128-SHA", "true"},
		{"ELBSecurityPolicy-2015-05", "DES-CBC3-SHA", "true"},
		{"ELBSecurityPolicy-2015-05", "DHE-RSA-AES128-SHA", "false"},
		{"ELBSecurityPolicy-2015-03", "DES-CBC3-SHA", "true"},
		{"ELBSecurityPolicy-2015-03", "DHE-DSS-AES128-SHA", "true"},
		{"ELBSecurityPolicy-2015-02", "DES-CBC3-SHA", "false"},
		{"ELBSecurityPolicy-2015-02", "RC4-SHA", "false"},
		{"ELBSecurityPolicy-2014-10", "RC4-SHA", "true"},
		{"ELBSecurityPolicy-2011-08", "CAMELLIA128-SHA", "true"},
		{"ELBSecurityPolicy-2011-08", "ECDHE-RSA-AES128-SHA", "false"},
		{"ELBSecurityPolicy-2014-01", "Protocol-SSLv3", "true"},
		{"ELBSecurityPolicy-2014-10", "Protocol-SSLv3", "false"},
		{"ELBSecurityPolicy-2011-08", "Protocol-TLSv1.2", "false"},
		{"ELBSecurityPolicy-2011-08", "Server-Defined-Cipher-Order", "false"},
		{"ELBSample-OpenSSLDefaultCipherPolicy", "EXP-RC4-MD5", "false"},
	}
	for _, c := range checks {
		p, ok := LookupPredefined(c.policy)
		if !ok {
			t.Fatalf("LookupPredefined(%s) not found", c.policy)
		}
		if got := value(p.Attributes, c.attr); got != c.want {
			t.Errorf("%s %s = %q, want %q", c.policy, c.attr, got, c.want)
		}
	}
	// No predefined policy enables export, anonymous, PSK or Kerberos suites.
	for _, p := range PredefinedPolicies() {
		for _, a := range p.Attributes {
			for _, bad := range []string{"EXP-", "ADH-", "PSK-", "KRB5-"} {
				if strings.HasPrefix(a.Name, bad) && a.Value != "false" {
					t.Errorf("%s enables %s", p.Name, a.Name)
				}
			}
		}
	}
	if _, ok := LookupPredefined("ELBSecurityPolicy-1999-01"); ok {
		t.Error("unknown predefined policy found")
	}
}

// TestCompactTableNames guards against typos in the compact policy table:
// a misspelt cipher would silently be listed as false.
func TestCompactTableNames(t *testing.T) {
	for _, sp := range sslPolicies {
		for _, p := range sp.protocols {
			if !slices.Contains(sslProtocols, p) {
				t.Errorf("%s: unknown protocol %s", sp.name, p)
			}
		}
		for _, g := range sp.ciphers {
			for _, c := range g {
				if !slices.Contains(sslCiphers, c) {
					t.Errorf("%s: unknown cipher %s", sp.name, c)
				}
			}
		}
	}
	seen := map[string]bool{}
	for _, c := range sslCiphers {
		if seen[c] {
			t.Errorf("cipher %s listed twice", c)
		}
		seen[c] = true
	}
}

func value(attrs []Attribute, name string) string {
	for _, a := range attrs {
		if a.Name == name {
			return a.Value
		}
	}
	return "<absent>"
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name     string
		typ      string
		attrs    []Attribute
		wantCode string // "" = valid
		wantText string
	}{
		{"app cookie", "AppCookieStickinessPolicyType", []Attribute{{"CookieName", "SESSION"}}, "", ""},
		{"lb cookie without period", "LBCookieStickinessPolicyType", nil, "", ""},
		{"lb cookie period", "LBCookieStickinessPolicyType", []Attribute{{"CookieExpirationPeriod", "60"}}, "", ""},
		{"ssl reference", "SSLNegotiationPolicyType", []Attribute{{"Reference-Security-Policy", "ELBSecurityPolicy-2016-08"}}, "", ""},
		{"ssl custom", "SSLNegotiationPolicyType", []Attribute{{"Protocol-TLSv1.2", "true"}, {"AES128-SHA", "TRUE"}}, "", ""},
		{"backend auth many keys", "BackendServerAuthenticationPolicyType", []Attribute{{"PublicKeyPolicyName", "k1"}, {"PublicKeyPolicyName", "k2"}}, "", ""},
		{"backend auth no keys", "BackendServerAuthenticationPolicyType", nil, "", ""},
		{"proxy protocol", "ProxyProtocolPolicyType", []Attribute{{"ProxyProtocol", "true"}}, "", ""},

		{"unknown type", "NoSuchPolicyType", nil, CodePolicyTypeNotFound, "NoSuchPolicyType"},
		{"unknown attribute", "AppCookieStickinessPolicyType", []Attribute{{"CookieName", "a"}, {"Colour", "blue"}}, CodeInvalidConfigurationRequest, "Colour"},
		{"ONE missing", "AppCookieStickinessPolicyType", nil, CodeInvalidConfigurationRequest, "CookieName"},
		{"ONE repeated", "PublicKeyPolicyType", []Attribute{{"PublicKey", "a"}, {"PublicKey", "b"}}, CodeInvalidConfigurationRequest, "at most once"},
		{"ZERO_OR_ONE repeated", "LBCookieStickinessPolicyType", []Attribute{{"CookieExpirationPeriod", "1"}, {"CookieExpirationPeriod", "2"}}, CodeInvalidConfigurationRequest, "CookieExpirationPeriod"},
		{"Long not numeric", "LBCookieStickinessPolicyType", []Attribute{{"CookieExpirationPeriod", "soon"}}, CodeInvalidConfigurationRequest, "soon"},
		{"Long fraction", "LBCookieStickinessPolicyType", []Attribute{{"CookieExpirationPeriod", "1.5"}}, CodeInvalidConfigurationRequest, "1.5"},
		{"Boolean not boolean", "ProxyProtocolPolicyType", []Attribute{{"ProxyProtocol", "yes"}}, CodeInvalidConfigurationRequest, "true or false"},
		{"Boolean empty", "SSLNegotiationPolicyType", []Attribute{{"Protocol-TLSv1", ""}}, CodeInvalidConfigurationRequest, "Protocol-TLSv1"},
		{"unknown cipher", "SSLNegotiationPolicyType", []Attribute{{"CHACHA20-MAGIC", "true"}}, CodeInvalidConfigurationRequest, "CHACHA20-MAGIC"},
		{"unknown reference", "SSLNegotiationPolicyType", []Attribute{{"Reference-Security-Policy", "ELBSecurityPolicy-1999-01"}}, CodeInvalidConfigurationRequest, "ELBSecurityPolicy-1999-01"},
		{"empty policy name", "BackendServerAuthenticationPolicyType", []Attribute{{"PublicKeyPolicyName", ""}}, CodeInvalidConfigurationRequest, "PublicKeyPolicyName"},
		{"attribute name is case-sensitive", "ProxyProtocolPolicyType", []Attribute{{"proxyprotocol", "true"}}, CodeInvalidConfigurationRequest, "proxyprotocol"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(c.typ, c.attrs)
			if c.wantCode == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("Validate = %v (%T), want *Error", err, err)
			}
			if ce.Code != c.wantCode || !strings.Contains(ce.Message, c.wantText) {
				t.Errorf("Validate = %q / %q, want code %s and message containing %q", ce.Code, ce.Message, c.wantCode, c.wantText)
			}
			if !strings.HasPrefix(err.Error(), c.wantCode+": ") {
				t.Errorf("Error() = %q, want it to start with the code", err.Error())
			}
		})
	}
}

func TestComplete(t *testing.T) {
	ref := []Attribute{{"Reference-Security-Policy", "ELBSecurityPolicy-TLS-1-2-2017-01"}}
	got := Complete(sslNegotiationType, ref)
	p, _ := LookupPredefined("ELBSecurityPolicy-TLS-1-2-2017-01")
	if len(got) != len(p.Attributes)+1 {
		t.Fatalf("Complete returned %d attributes, want %d", len(got), len(p.Attributes)+1)
	}
	if got[0] != ref[0] || !slices.Equal(got[1:], p.Attributes) {
		t.Errorf("Complete did not expand to the reference followed by the predefined attributes: %v", got[:6])
	}

	// Explicit attributes override the referenced values.
	over := Complete(sslNegotiationType, append(ref, Attribute{"Protocol-TLSv1.1", "true"}))
	if v := value(over, "Protocol-TLSv1.1"); v != "true" {
		t.Errorf("override lost: Protocol-TLSv1.1 = %q", v)
	}
	if v := value(over, "Protocol-TLSv1"); v != "false" {
		t.Errorf("Protocol-TLSv1 = %q, want the referenced false", v)
	}

	// Without a reference, or for other types, the input comes back as is.
	custom := []Attribute{{"Protocol-TLSv1.2", "true"}, {"AES128-SHA", "true"}}
	if got := Complete(sslNegotiationType, custom); !slices.Equal(got, custom) {
		t.Errorf("Complete(custom) = %v", got)
	}
	app := []Attribute{{"CookieName", "c"}}
	got = Complete("AppCookieStickinessPolicyType", app)
	if !slices.Equal(got, app) {
		t.Errorf("Complete(app cookie) = %v", got)
	}
	got[0].Value = "changed"
	if app[0].Value != "c" {
		t.Error("Complete returned the caller's slice instead of a copy")
	}
}

func TestReturnedSlicesAreCopies(t *testing.T) {
	types := PolicyTypes()
	types[0].Name = "Mutated"
	types[0].Attributes[0].Name = "Mutated"
	if again := PolicyTypes(); again[0].Name == "Mutated" || again[0].Attributes[0].Name == "Mutated" {
		t.Error("PolicyTypes shares memory with the catalog")
	}
	pt, _ := LookupType("ProxyProtocolPolicyType")
	pt.Attributes[0].Cardinality = CardinalityZeroOrMore
	if err := Validate("ProxyProtocolPolicyType", nil); err == nil {
		t.Error("mutating LookupType's result changed validation")
	}

	ps := PredefinedPolicies()
	ps[0].Attributes[0].Value = "mutated"
	if again := PredefinedPolicies(); again[0].Attributes[0].Value == "mutated" {
		t.Error("PredefinedPolicies shares memory with the catalog")
	}
	p, _ := LookupPredefined("ELBSecurityPolicy-2016-08")
	p.Attributes[0].Value = "mutated"
	c := Complete(sslNegotiationType, []Attribute{{"Reference-Security-Policy", "ELBSecurityPolicy-2016-08"}})
	if c[1].Value == "mutated" {
		t.Error("LookupPredefined shares memory with the catalog")
	}
	c[1].Value = "mutated-too"
	if again, _ := LookupPredefined("ELBSecurityPolicy-2016-08"); again.Attributes[0].Value != "true" {
		t.Error("Complete shares memory with the catalog")
	}
}
