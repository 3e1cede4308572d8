package dataplane

import (
	"crypto/tls"
	"fmt"
	"strings"
)

// buildTLS makes the server TLS configuration of a TLS-terminating listener. The first certificate
// is the default; crypto/tls picks another when the client's SNI matches it.
func buildTLS(l Listener, kind Kind) (*tls.Config, error) {
	if len(l.Certificates) == 0 {
		return nil, fmt.Errorf("%s listener without a certificate", l.Protocol)
	}
	cfg := &tls.Config{MinVersion: tlsMinVersion(l.SecurityPolicy)}
	if l.TLSPolicy != nil {
		if err := applyTLSPolicy(cfg, l.TLSPolicy); err != nil {
			return nil, err
		}
	}
	for i, c := range l.Certificates {
		pair, err := tls.X509KeyPair(c.CertPEM, c.KeyPEM)
		if err != nil {
			// The parse error names no key material.
			return nil, fmt.Errorf("certificate %d: %w", i, err)
		}
		cfg.Certificates = append(cfg.Certificates, pair)
	}
	switch {
	case l.Protocol == HTTPS && kind == KindApplication:
		cfg.NextProtos = []string{"h2", "http/1.1"}
	case l.Protocol == HTTPS:
		cfg.NextProtos = []string{"http/1.1"}
	case l.Protocol == TLS:
		protos, err := alpnProtocols(l.ALPNPolicy)
		if err != nil {
			return nil, err
		}
		cfg.NextProtos = protos
	}
	return cfg, nil
}

// tlsMinVersion reads the minimum TLS version out of an ELB security policy name:
// ELBSecurityPolicy-TLS13-1-3-* allows TLS 1.3 only, the -TLS13-1-2-, -TLS-1-2-, -FS-1-2- families
// TLS 1.2 and up (the default, as on ALB), the -1-1- families TLS 1.1 and up, the rest (such as
// ELBSecurityPolicy-2016-08) TLS 1.0 and up. Cipher suites stay Go's defaults for the version.
func tlsMinVersion(policy string) uint16 {
	switch {
	case policy == "":
		return tls.VersionTLS12
	case strings.Contains(policy, "TLS13-1-3"):
		return tls.VersionTLS13
	case strings.Contains(policy, "-1-2-"):
		return tls.VersionTLS12
	case strings.Contains(policy, "-1-1-"):
		return tls.VersionTLS11
	}
	return tls.VersionTLS10
}

// tlsVersions are the protocol names of security policies.
var tlsVersions = map[string]uint16{"TLSv1": tls.VersionTLS10, "TLSv1.1": tls.VersionTLS11,
	"TLSv1.2": tls.VersionTLS12, "TLSv1.3": tls.VersionTLS13}

// opensslSuites maps the OpenSSL names security policies use to the crypto/tls suites of the same
// key exchange, cipher and MAC; names missing here are suites crypto/tls does not implement.
var opensslSuites = map[string]uint16{
	"ECDHE-ECDSA-AES128-GCM-SHA256": tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-RSA-AES128-GCM-SHA256":   tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	"ECDHE-ECDSA-AES128-SHA256":     tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-RSA-AES128-SHA256":       tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
	"ECDHE-ECDSA-AES128-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
	"ECDHE-RSA-AES128-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
	"ECDHE-ECDSA-AES256-GCM-SHA384": tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-RSA-AES256-GCM-SHA384":   tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	"ECDHE-ECDSA-AES256-SHA":        tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
	"ECDHE-RSA-AES256-SHA":          tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
	"ECDHE-ECDSA-CHACHA20-POLY1305": tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-RSA-CHACHA20-POLY1305":   tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	"ECDHE-RSA-DES-CBC3-SHA":        tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
	"AES128-GCM-SHA256":             tls.TLS_RSA_WITH_AES_128_GCM_SHA256,
	"AES128-SHA256":                 tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
	"AES128-SHA":                    tls.TLS_RSA_WITH_AES_128_CBC_SHA,
	"AES256-GCM-SHA384":             tls.TLS_RSA_WITH_AES_256_GCM_SHA384,
	"AES256-SHA":                    tls.TLS_RSA_WITH_AES_256_CBC_SHA,
	"DES-CBC3-SHA":                  tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
}

// applyTLSPolicy restricts cfg to a policy's versions and suites. crypto/tls chooses among the
// allowed suites in its own order of preference, not the policy's.
func applyTLSPolicy(cfg *tls.Config, p *TLSPolicy) error {
	cfg.MinVersion, cfg.MaxVersion = 0, 0
	for _, name := range p.Protocols {
		v, ok := tlsVersions[name]
		if !ok {
			continue // SSLv3: not served
		}
		if cfg.MinVersion == 0 || v < cfg.MinVersion {
			cfg.MinVersion = v
		}
		cfg.MaxVersion = max(cfg.MaxVersion, v)
	}
	if cfg.MinVersion == 0 {
		return fmt.Errorf("security policy allows no TLS version (protocols %v)", p.Protocols)
	}
	for _, name := range p.Ciphers {
		if id, ok := opensslSuites[name]; ok {
			cfg.CipherSuites = append(cfg.CipherSuites, id)
		}
	}
	if len(cfg.CipherSuites) == 0 && cfg.MaxVersion < tls.VersionTLS13 {
		return fmt.Errorf("security policy has no cipher suite the data plane implements (ciphers %v)", p.Ciphers)
	}
	return nil
}

// alpnProtocols maps a network balancer TLS listener's ALPN policy to the protocols offered, in
// the server's order of preference.
func alpnProtocols(policy string) ([]string, error) {
	switch policy {
	case "", "None":
		return nil, nil
	case "HTTP1Only":
		return []string{"http/1.1"}, nil
	case "HTTP2Only":
		return []string{"h2"}, nil
	case "HTTP2Optional":
		return []string{"http/1.1", "h2"}, nil
	case "HTTP2Preferred":
		return []string{"h2", "http/1.1"}, nil
	}
	return nil, fmt.Errorf("unknown ALPN policy %q", policy)
}
