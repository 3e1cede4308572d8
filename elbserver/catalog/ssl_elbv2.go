package catalog

import "slices"

// ELBv2 security policies: the predefined TLS negotiation policies of HTTPS (Application Load
// Balancer) and TLS (Network Load Balancer) listeners, as DescribeSSLPolicies reports them.
// They are data for two readers: the endpoint describes them, and a data plane maps the
// protocol versions and the OpenSSL-named ciphers onto its TLS stack, in priority order.

// SSLPolicyV2 is one predefined ELBv2 security policy.
type SSLPolicyV2 struct {
	Name string
	// Protocols are the TLS versions it accepts ("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"),
	// oldest first.
	Protocols []string
	// Ciphers are the cipher suites it offers, by OpenSSL name (TLS 1.3 suites by their RFC
	// name), most preferred first: Ciphers[i] has priority i+1.
	Ciphers []string
	// LoadBalancerTypes are the balancer types whose listeners may use it.
	LoadBalancerTypes []string
}

// DefaultSSLPolicyV2 is the policy an HTTPS or TLS listener created through the API gets when
// it names none.
const DefaultSSLPolicyV2 = "ELBSecurityPolicy-2016-08"

// Protocol versions, as the policies name them.
const (
	TLS10 = "TLSv1"
	TLS11 = "TLSv1.1"
	TLS12 = "TLSv1.2"
	TLS13 = "TLSv1.3"
)

// Cipher groups, each in the order the policies that include them prefer.
var (
	tls13Suites     = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}
	tls13FIPSSuites = []string{"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"}

	ecdheGCM128 = []string{"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"}
	ecdheSHA256 = []string{"ECDHE-ECDSA-AES128-SHA256", "ECDHE-RSA-AES128-SHA256"}
	ecdheCBC128 = []string{"ECDHE-ECDSA-AES128-SHA", "ECDHE-RSA-AES128-SHA"}
	ecdheGCM256 = []string{"ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384"}
	ecdheSHA384 = []string{"ECDHE-ECDSA-AES256-SHA384", "ECDHE-RSA-AES256-SHA384"}
	ecdheCBC256 = []string{"ECDHE-RSA-AES256-SHA", "ECDHE-ECDSA-AES256-SHA"}

	// ecdheAll are every forward-secret suite; ecdheTLS12Only drops the CBC-SHA1 ones, usable
	// before TLS 1.2; ecdheGCMOnly keeps the AEAD ones.
	ecdheAll       = slices.Concat(ecdheGCM128, ecdheSHA256, ecdheCBC128, ecdheGCM256, ecdheSHA384, ecdheCBC256)
	ecdheTLS12Only = slices.Concat(ecdheGCM128, ecdheSHA256, ecdheGCM256, ecdheSHA384)
	ecdheGCMOnly   = slices.Concat(ecdheGCM128, ecdheGCM256)

	// rsaAll are the static-RSA AES suites; rsaTLS12Only those needing TLS 1.2.
	rsaAll       = []string{"AES128-GCM-SHA256", "AES128-SHA256", "AES128-SHA", "AES256-GCM-SHA384", "AES256-SHA256", "AES256-SHA"}
	rsaTLS12Only = []string{"AES128-GCM-SHA256", "AES128-SHA256", "AES256-GCM-SHA384", "AES256-SHA256"}

	// legacySuites are the 18 suites of ELBSecurityPolicy-2016-08, which most older policies
	// share.
	legacySuites = slices.Concat(ecdheAll, rsaAll)
)

var (
	protoTLS13Only = []string{TLS13}
	protoTLS12Up   = []string{TLS12, TLS13}
	protoTLS11Up   = []string{TLS11, TLS12, TLS13}
	protoTLS10Up   = []string{TLS10, TLS11, TLS12, TLS13}
	protoTLS12     = []string{TLS12}
	protoTLS11To12 = []string{TLS11, TLS12}
	protoTLS10To12 = []string{TLS10, TLS11, TLS12}
)

// withDHE are the suites of ELBSecurityPolicy-2015-05: the legacy ones with the last
// ephemeral Diffie-Hellman suite after the ECDHE AES128 ones.
var withDHE = slices.Concat(ecdheGCM128, ecdheSHA256, ecdheCBC128, []string{"DHE-RSA-AES128-SHA"}, ecdheGCM256, ecdheSHA384, ecdheCBC256, rsaAll)

// sslPoliciesV2 in the order DescribeSSLPolicies lists them: AWS's order for the policies of
// Application Load Balancers, then the post-quantum and FIPS ones.
var sslPoliciesV2 = []SSLPolicyV2{
	policyV2("ELBSecurityPolicy-2016-08", protoTLS10To12, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-2-2021-06", protoTLS12Up, tls13Suites, ecdheTLS12Only),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Res-2021-06", protoTLS12Up, tls13Suites, ecdheGCMOnly),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", protoTLS12Up, tls13Suites, ecdheTLS12Only, rsaTLS12Only),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", protoTLS12Up, tls13Suites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-1-2021-06", protoTLS11Up, tls13Suites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-0-2021-06", protoTLS10Up, tls13Suites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-3-2021-06", protoTLS13Only, tls13Suites),
	policyV2("ELBSecurityPolicy-TLS-1-2-2017-01", protoTLS12, ecdheTLS12Only, rsaTLS12Only),
	policyV2("ELBSecurityPolicy-TLS-1-1-2017-01", protoTLS11To12, legacySuites),
	policyV2("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", protoTLS12, legacySuites),
	policyV2("ELBSecurityPolicy-FS-2018-06", protoTLS10To12, ecdheAll),
	policyV2("ELBSecurityPolicy-2015-05", protoTLS10To12, withDHE),
	policyV2("ELBSecurityPolicy-TLS-1-0-2015-04", protoTLS10To12, withDHE, []string{"DES-CBC3-SHA"}),
	policyV2("ELBSecurityPolicy-FS-1-2-Res-2019-08", protoTLS12, ecdheTLS12Only),
	policyV2("ELBSecurityPolicy-FS-1-1-2019-08", protoTLS11To12, ecdheAll),
	policyV2("ELBSecurityPolicy-FS-1-2-2019-08", protoTLS12, ecdheAll),
	policyV2("ELBSecurityPolicy-FS-1-2-Res-2020-10", protoTLS12, ecdheGCMOnly),

	policyV2("ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", protoTLS12Up, tls13Suites, ecdheTLS12Only),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", protoTLS12Up, tls13Suites, ecdheGCMOnly),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext1-PQ-2025-09", protoTLS12Up, tls13Suites, ecdheTLS12Only, rsaTLS12Only),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext2-PQ-2025-09", protoTLS12Up, tls13Suites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-0-PQ-2025-09", protoTLS10Up, tls13Suites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", protoTLS13Only, tls13Suites),

	policyV2("ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", protoTLS13Only, tls13FIPSSuites),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", protoTLS12Up, tls13FIPSSuites, ecdheGCMOnly),
	policyV2("ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", protoTLS12Up, tls13FIPSSuites, ecdheTLS12Only),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext0-FIPS-2023-04", protoTLS12Up, tls13FIPSSuites, ecdheAll),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext1-FIPS-2023-04", protoTLS12Up, tls13FIPSSuites, ecdheTLS12Only, rsaTLS12Only),
	policyV2("ELBSecurityPolicy-TLS13-1-2-Ext2-FIPS-2023-04", protoTLS12Up, tls13FIPSSuites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", protoTLS11Up, tls13FIPSSuites, legacySuites),
	policyV2("ELBSecurityPolicy-TLS13-1-0-FIPS-2023-04", protoTLS10Up, tls13FIPSSuites, legacySuites),
}

func policyV2(name string, protocols []string, ciphers ...[]string) SSLPolicyV2 {
	return SSLPolicyV2{Name: name, Protocols: protocols, Ciphers: slices.Concat(ciphers...),
		LoadBalancerTypes: []string{"application", "network"}}
}

var sslPoliciesV2ByName = func() map[string]int {
	m := make(map[string]int, len(sslPoliciesV2))
	for i, p := range sslPoliciesV2 {
		m[p.Name] = i
	}
	return m
}()

// SSLPoliciesV2 returns every predefined ELBv2 security policy, in DescribeSSLPolicies order.
// The caller may change what it gets.
func SSLPoliciesV2() []SSLPolicyV2 {
	out := make([]SSLPolicyV2, len(sslPoliciesV2))
	for i, p := range sslPoliciesV2 {
		out[i] = p.clone()
	}
	return out
}

// LookupSSLPolicyV2 returns the predefined ELBv2 security policy called name.
func LookupSSLPolicyV2(name string) (SSLPolicyV2, bool) {
	i, ok := sslPoliciesV2ByName[name]
	if !ok {
		return SSLPolicyV2{}, false
	}
	return sslPoliciesV2[i].clone(), true
}

func (p SSLPolicyV2) clone() SSLPolicyV2 {
	p.Protocols = slices.Clone(p.Protocols)
	p.Ciphers = slices.Clone(p.Ciphers)
	p.LoadBalancerTypes = slices.Clone(p.LoadBalancerTypes)
	return p
}
