package migrate

// Security policies. Classic names a predefined policy in its SSL negotiation policy's
// Reference-Security-Policy attribute (docClassicSSL); ELBv2 listeners take a predefined
// policy by name and have no custom ones (docALBSSL, docNLBSSL).
const (
	referencePolicy  = "Reference-Security-Policy"
	defaultSSLPolicy = "ELBSecurityPolicy-2016-08"
	legacySSLPolicy  = "ELBSecurityPolicy-TLS-1-0-2015-04" // TLS 1.0 to 1.2, with the DHE and 3DES suites
	tls11SSLPolicy   = "ELBSecurityPolicy-TLS-1-1-2017-01"
	tls12SSLPolicy   = "ELBSecurityPolicy-TLS-1-2-2017-01"
)

type policyMapping struct {
	v2     string
	status Status
	reason string
}

// securityPolicies maps every predefined Classic policy. The five that ELBv2 also has keep
// their name; the older ones go to the ELBv2 policy with the same TLS versions that keeps the
// most of their ciphers.
var securityPolicies = map[string]policyMapping{
	"ELBSecurityPolicy-2016-08":             {v2: "ELBSecurityPolicy-2016-08", status: Carried},
	"ELBSecurityPolicy-TLS-1-2-2017-01":     {v2: "ELBSecurityPolicy-TLS-1-2-2017-01", status: Carried},
	"ELBSecurityPolicy-TLS-1-1-2017-01":     {v2: "ELBSecurityPolicy-TLS-1-1-2017-01", status: Carried},
	"ELBSecurityPolicy-TLS-1-2-Ext-2018-06": {v2: "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", status: Carried},
	"ELBSecurityPolicy-2015-05":             {v2: "ELBSecurityPolicy-2015-05", status: Carried},
	"ELBSecurityPolicy-2015-03": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no ELBSecurityPolicy-2015-03; " + legacySSLPolicy + " offers the same TLS versions (1.0 to 1.2) with its DHE and 3DES suites"},
	"ELBSecurityPolicy-2015-02": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no ELBSecurityPolicy-2015-02; " + legacySSLPolicy + " offers the same TLS versions (1.0 to 1.2) with its DHE suites, and 3DES besides"},
	"ELBSecurityPolicy-2014-10": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no ELBSecurityPolicy-2014-10; " + legacySSLPolicy + " offers the same TLS versions (1.0 to 1.2); no ELBv2 policy offers RC4"},
	"ELBSecurityPolicy-2014-01": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no ELBSecurityPolicy-2014-01 and no policy offers SSLv3 or RC4: " + legacySSLPolicy + " keeps TLS 1.0 to 1.2"},
	"ELBSecurityPolicy-2011-08": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no ELBSecurityPolicy-2011-08 and no policy offers SSLv3 or RC4: " + legacySSLPolicy + " keeps TLS 1.0 and adds 1.1 and 1.2"},
	"ELBSample-ELBDefaultCipherPolicy": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no sample policies and no policy offers SSLv3: " + legacySSLPolicy + " keeps TLS 1.0 and adds 1.1 and 1.2"},
	"ELBSample-OpenSSLDefaultCipherPolicy": {v2: legacySSLPolicy, status: Adjusted,
		reason: "ELBv2 has no sample policies and no policy offers SSLv3: " + legacySSLPolicy + " keeps TLS 1.0 and adds 1.1 and 1.2"},
}

func mapSecurityPolicy(ref string) policyMapping {
	if m, ok := securityPolicies[ref]; ok {
		return m
	}
	return policyMapping{v2: defaultSSLPolicy, status: Adjusted,
		reason: ref + " is not a Classic predefined policy known here; " + defaultSSLPolicy + ", ELBv2's default, is used"}
}

// customPolicy picks, for a custom SSL negotiation policy, the predefined ELBv2 policy whose
// lowest TLS version is the custom policy's.
func customPolicy(attrs map[string]string) string {
	switch {
	case attrs["Protocol-TLSv1"] == "true" || attrs["Protocol-SSLv3"] == "true":
		return defaultSSLPolicy
	case attrs["Protocol-TLSv1.1"] == "true":
		return tls11SSLPolicy
	}
	return tls12SSLPolicy
}
