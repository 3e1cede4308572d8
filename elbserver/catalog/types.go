package catalog

// Names used by the rules in this package.
const (
	sslNegotiationType  = "SSLNegotiationPolicyType"
	attrReferencePolicy = "Reference-Security-Policy"
	attrServerOrder     = "Server-Defined-Cipher-Order"
)

// sslProtocols are the protocol switches of SSLNegotiationPolicyType, in the
// order DescribeLoadBalancerPolicies lists them.
var sslProtocols = []string{"Protocol-TLSv1", "Protocol-SSLv3", "Protocol-TLSv1.1", "Protocol-TLSv1.2"}

// sslCiphers are the OpenSSL cipher names SSLNegotiationPolicyType accepts,
// in the order DescribeLoadBalancerPolicies lists them (strongest first,
// then the legacy and export suites that are always false today).
var sslCiphers = []string{
	"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256",
	"ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256",
	"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA", "DHE-RSA-AES128-SHA",
	"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384",
	"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384",
	"ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA",
	"AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA",
	"AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA",
	"DHE-DSS-AES128-SHA", "CAMELLIA128-SHA", "EDH-RSA-DES-CBC3-SHA", "DES-CBC3-SHA",
	"ECDHE-RSA-RC4-SHA", "RC4-SHA", "ECDHE-ECDSA-RC4-SHA",
	"DHE-DSS-AES256-GCM-SHA384", "DHE-RSA-AES256-GCM-SHA384",
	"DHE-RSA-AES256-SHA256", "DHE-DSS-AES256-SHA256",
	"DHE-RSA-AES256-SHA", "DHE-DSS-AES256-SHA",
	"DHE-RSA-CAMELLIA256-SHA", "DHE-DSS-CAMELLIA256-SHA", "CAMELLIA256-SHA",
	"EDH-DSS-DES-CBC3-SHA",
	"DHE-DSS-AES128-GCM-SHA256", "DHE-RSA-AES128-GCM-SHA256",
	"DHE-RSA-AES128-SHA256", "DHE-DSS-AES128-SHA256",
	"DHE-RSA-CAMELLIA128-SHA", "DHE-DSS-CAMELLIA128-SHA",
	"ADH-AES128-GCM-SHA256", "ADH-AES128-SHA", "ADH-AES128-SHA256",
	"ADH-AES256-GCM-SHA384", "ADH-AES256-SHA", "ADH-AES256-SHA256",
	"ADH-CAMELLIA128-SHA", "ADH-CAMELLIA256-SHA",
	"ADH-DES-CBC3-SHA", "ADH-DES-CBC-SHA", "ADH-RC4-MD5", "ADH-SEED-SHA",
	"DES-CBC-SHA", "DHE-DSS-SEED-SHA", "DHE-RSA-SEED-SHA",
	"EDH-DSS-DES-CBC-SHA", "EDH-RSA-DES-CBC-SHA",
	"IDEA-CBC-SHA", "RC4-MD5", "SEED-SHA",
	"DES-CBC3-MD5", "DES-CBC-MD5", "RC2-CBC-MD5",
	"PSK-AES256-CBC-SHA", "PSK-3DES-EDE-CBC-SHA",
	"KRB5-DES-CBC3-SHA", "KRB5-DES-CBC3-MD5",
	"PSK-AES128-CBC-SHA", "PSK-RC4-SHA",
	"KRB5-RC4-SHA", "KRB5-RC4-MD5", "KRB5-DES-CBC-SHA", "KRB5-DES-CBC-MD5",
	"EXP-EDH-RSA-DES-CBC-SHA", "EXP-EDH-DSS-DES-CBC-SHA", "EXP-ADH-DES-CBC-SHA",
	"EXP-DES-CBC-SHA", "EXP-RC2-CBC-MD5",
	"EXP-KRB5-RC2-CBC-SHA", "EXP-KRB5-DES-CBC-SHA",
	"EXP-KRB5-RC2-CBC-MD5", "EXP-KRB5-DES-CBC-MD5",
	"EXP-ADH-RC4-MD5", "EXP-RC4-MD5", "EXP-KRB5-RC4-SHA", "EXP-KRB5-RC4-MD5",
}

// policyTypes builds the policy type table. Descriptions are short
// summaries of what each type and attribute does.
func policyTypes() []PolicyType {
	ssl := []AttributeType{
		{Name: "Protocol-SSLv3", Type: "Boolean", Cardinality: CardinalityZeroOrOne,
			Description: "Accept SSL 3.0 connections."},
		{Name: "Protocol-TLSv1", Type: "Boolean", Cardinality: CardinalityZeroOrOne,
			Description: "Accept TLS 1.0 connections."},
		{Name: "Protocol-TLSv1.1", Type: "Boolean", Cardinality: CardinalityZeroOrOne,
			Description: "Accept TLS 1.1 connections."},
		{Name: "Protocol-TLSv1.2", Type: "Boolean", Cardinality: CardinalityZeroOrOne,
			Description: "Accept TLS 1.2 connections."},
		{Name: attrServerOrder, Type: "Boolean", Cardinality: CardinalityZeroOrOne,
			Description: "When true the load balancer picks the cipher by its own order of preference instead of the client's."},
		{Name: attrReferencePolicy, Type: "String", Cardinality: CardinalityZeroOrOne,
			Description: "Name of a predefined security policy whose protocols and ciphers this policy takes over."},
	}
	for _, c := range sslCiphers {
		ssl = append(ssl, AttributeType{Name: c, Type: "Boolean", Cardinality: CardinalityZeroOrOne,
			Description: "Enable the " + c + " cipher suite."})
	}
	return []PolicyType{
		{
			Name:        "AppCookieStickinessPolicyType",
			Description: "Sticky sessions that last as long as a cookie issued by the application. HTTP/HTTPS listeners only.",
			Attributes: []AttributeType{{Name: "CookieName", Type: "String", Cardinality: CardinalityOne,
				Description: "Name of the application cookie that ties a client to an instance."}},
		},
		{
			Name:        "LBCookieStickinessPolicyType",
			Description: "Sticky sessions tracked by a load balancer cookie that expires with the browser session or after a set period. HTTP/HTTPS listeners only.",
			Attributes: []AttributeType{{Name: "CookieExpirationPeriod", Type: "Long", Cardinality: CardinalityZeroOrOne,
				Description: "Seconds after which the cookie is stale; when absent the session lasts as long as the browser session."}},
		},
		{
			Name:        sslNegotiationType,
			Description: "Protocols and ciphers the load balancer accepts when negotiating SSL with clients. HTTPS/SSL listeners only.",
			Attributes:  ssl,
		},
		{
			Name:        "BackendServerAuthenticationPolicyType",
			Description: "Authenticates back-end servers against the public keys of the PublicKeyPolicyType policies it names. HTTPS/SSL back-end ports only.",
			Attributes: []AttributeType{{Name: "PublicKeyPolicyName", Type: "PolicyName", Cardinality: CardinalityZeroOrMore,
				Description: "Name of a PublicKeyPolicyType policy whose key is trusted."}},
		},
		{
			Name:        "PublicKeyPolicyType",
			Description: "A public key trusted when authenticating back-end servers; only usable inside a BackendServerAuthenticationPolicyType policy.",
			Attributes: []AttributeType{{Name: "PublicKey", Type: "String", Cardinality: CardinalityOne,
				Description: "The public key, base64-encoded."}},
		},
		{
			Name:        "ProxyProtocolPolicyType",
			Description: "Prepends a Proxy Protocol header carrying the client's address and port to TCP connections sent to back-end servers. TCP/SSL back ends only.",
			Attributes: []AttributeType{{Name: "ProxyProtocol", Type: "Boolean", Cardinality: CardinalityOne,
				Description: "Enable Proxy Protocol."}},
		},
	}
}
