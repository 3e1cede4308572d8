package catalog

// sslPolicy is the compact form of a predefined SSL negotiation policy:
// the protocols and ciphers it enables. Everything the type declares but
// the policy does not enable is listed as "false", which is how AWS
// reports predefined policies.
type sslPolicy struct {
	name        string
	protocols   []string // enabled Protocol-* attributes
	serverOrder bool     // Server-Defined-Cipher-Order
	ciphers     [][]string
}

// Cipher groups shared by several policies, each in sslCiphers order.
var (
	// ecdheTLS12 are the forward-secret suites that need TLS 1.2.
	ecdheTLS12 = []string{
		"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
		"ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
		"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
		"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
	}
	// ecdheCBC are the forward-secret CBC suites usable before TLS 1.2.
	ecdheCBC = []string{
		"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA",
		"ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
	}
	// rsaTLS12 are the static-RSA suites that need TLS 1.2.
	rsaTLS12 = []string{"AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"}
	// rsaCBC are the static-RSA AES suites every SSL policy has offered.
	rsaCBC = []string{"AES128-SHA", "AES256-SHA"}
	// dheLegacy are the pre-TLS 1.2 ephemeral Diffie-Hellman and Camellia
	// suites only the 2011 era policies enable.
	dheLegacy = []string{
		"DHE-RSA-AES256-SHA", "DHE-DSS-AES256-SHA",
		"DHE-RSA-CAMELLIA256-SHA", "DHE-DSS-CAMELLIA256-SHA", "CAMELLIA256-SHA",
		"EDH-DSS-DES-CBC3-SHA", "DHE-RSA-CAMELLIA128-SHA", "DHE-DSS-CAMELLIA128-SHA",
	}
	// dhe128 are the two DHE suites kept until ELBSecurityPolicy-2015-05.
	dhe128 = []string{"DHE-RSA-AES128-SHA", "DHE-DSS-AES128-SHA"}
	// rc4 are the RC4 suites the 2014 policies still offered.
	rc4 = []string{"ECDHE-RSA-RC4-SHA", "RC4-SHA"}
	// legacy2011 are the remaining suites of ELBSecurityPolicy-2011-08.
	legacy2011 = []string{"CAMELLIA128-SHA", "EDH-RSA-DES-CBC3-SHA", "DES-CBC3-SHA", "RC4-SHA"}
	// openSSLExtra are the further suites OpenSSL's historical DEFAULT
	// list accepted (no export, anonymous, PSK or Kerberos suites).
	openSSLExtra = []string{
		"DES-CBC-SHA", "DHE-DSS-SEED-SHA", "DHE-RSA-SEED-SHA",
		"EDH-DSS-DES-CBC-SHA", "EDH-RSA-DES-CBC-SHA",
		"IDEA-CBC-SHA", "RC4-MD5", "SEED-SHA",
	}
)

func one(names ...string) []string { return names }

var (
	tls10to12 = one("Protocol-TLSv1", "Protocol-TLSv1.1", "Protocol-TLSv1.2")
	tls11to12 = one("Protocol-TLSv1.1", "Protocol-TLSv1.2")
	tls12     = one("Protocol-TLSv1.2")
	ssl3tls   = one("Protocol-TLSv1", "Protocol-SSLv3", "Protocol-TLSv1.1", "Protocol-TLSv1.2")
	ssl3tls10 = one("Protocol-TLSv1", "Protocol-SSLv3")
)

// sslPolicies lists the predefined policies newest first, the order in which
// DescribeLoadBalancerPolicies returns them. The history the table encodes:
// 2014-10 dropped SSLv3 (POODLE), 2015-02 dropped RC4, 2015-03 brought back
// 3DES for old clients, 2015-05 dropped the DHE suites, and 2016-08 dropped
// 3DES again; the TLS-* policies restrict 2016-08 to newer protocols.
var sslPolicies = []sslPolicy{
	{"ELBSecurityPolicy-2016-08", tls10to12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC}},
	{"ELBSecurityPolicy-TLS-1-2-2017-01", tls12, true,
		[][]string{ecdheTLS12, rsaTLS12}},
	{"ELBSecurityPolicy-TLS-1-1-2017-01", tls11to12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC}},
	{"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", tls12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC}},
	{"ELBSecurityPolicy-2015-05", tls10to12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC, one("DES-CBC3-SHA")}},
	{"ELBSecurityPolicy-2015-03", tls10to12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC, dhe128, one("DES-CBC3-SHA")}},
	{"ELBSecurityPolicy-2015-02", tls10to12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC, dhe128}},
	{"ELBSecurityPolicy-2014-10", tls10to12, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC, dhe128, rc4}},
	{"ELBSecurityPolicy-2014-01", ssl3tls, true,
		[][]string{ecdheTLS12, ecdheCBC, rsaTLS12, rsaCBC, dhe128, rc4}},
	{"ELBSecurityPolicy-2011-08", ssl3tls10, false,
		[][]string{rsaCBC, dhe128, legacy2011, dheLegacy}},
	{"ELBSample-ELBDefaultCipherPolicy", ssl3tls10, false,
		[][]string{rsaCBC, dhe128, legacy2011, dheLegacy}},
	{"ELBSample-OpenSSLDefaultCipherPolicy", ssl3tls10, false,
		[][]string{rsaCBC, dhe128, legacy2011, dheLegacy, openSSLExtra}},
}

// predefinedPolicies expands sslPolicies into full attribute lists: the
// protocol switches, Server-Defined-Cipher-Order, then every cipher the
// type knows, each true or false.
func predefinedPolicies() []Policy {
	out := make([]Policy, 0, len(sslPolicies))
	for _, sp := range sslPolicies {
		on := map[string]bool{}
		for _, p := range sp.protocols {
			on[p] = true
		}
		for _, group := range sp.ciphers {
			for _, c := range group {
				on[c] = true
			}
		}
		attrs := make([]Attribute, 0, len(sslProtocols)+1+len(sslCiphers))
		for _, p := range sslProtocols {
			attrs = append(attrs, Attribute{Name: p, Value: boolString(on[p])})
		}
		attrs = append(attrs, Attribute{Name: attrServerOrder, Value: boolString(sp.serverOrder)})
		for _, c := range sslCiphers {
			attrs = append(attrs, Attribute{Name: c, Value: boolString(on[c])})
		}
		out = append(out, Policy{Name: sp.name, TypeName: sslNegotiationType, Attributes: attrs})
	}
	return out
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
