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
