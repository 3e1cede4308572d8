package cli

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// Parsers of argument and flag values, for the commands' PreRunE: each mistake is a usage error.

// parseMember reads an instance ID, or an IP address with an optional port.
func parseMember(cmd *cobra.Command, s string) (loadbalancer.Member, error) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return loadbalancer.Member{IP: ap.Addr().String(), Port: int(ap.Port())}, nil
	}
	if ip, err := netip.ParseAddr(s); err == nil {
		return loadbalancer.Member{IP: ip.String()}, nil
	}
	if s == "" || strings.ContainsAny(s, ": \t") {
		return loadbalancer.Member{}, usagef(cmd, "member %q is neither an instance ID nor IP[:PORT]", s)
	}
	return loadbalancer.Member{ID: s}, nil
}

func parseMembers(cmd *cobra.Command, list []string) ([]loadbalancer.Member, error) {
	var out []loadbalancer.Member
	for _, s := range list {
		m, err := parseMember(cmd, s)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// parseKeyValues reads repeated KEY=VALUE flags; a key may not repeat.
func parseKeyValues(cmd *cobra.Command, flag string, list []string) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(list))
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usagef(cmd, "%s %q is not KEY=VALUE", flag, kv)
		}
		if _, dup := out[k]; dup {
			return nil, usagef(cmd, "%s key %q is given twice", flag, k)
		}
		out[k] = v
	}
	return out, nil
}

// parseProtocol reads a listener protocol flag: one of the four Classic ELB protocols, in any case.
func parseProtocol(cmd *cobra.Command, flag, s string) (loadbalancer.Protocol, error) {
	p := loadbalancer.Protocol(strings.ToUpper(s))
	switch p {
	case loadbalancer.HTTP, loadbalancer.HTTPS, loadbalancer.TCP, loadbalancer.SSL:
		return p, nil
	}
	return "", usagef(cmd, "%s must be http, https, tcp or ssl, not %q", flag, s)
}

// checkPortFlags checks that the given int flags, where set, are ports.
func checkPortFlags(cmd *cobra.Command, names ...string) error {
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			continue
		}
		if p, err := cmd.Flags().GetInt(n); err != nil || p < 1 || p > 65535 {
			return usagef(cmd, "--%s must be a port in 1-65535", n)
		}
	}
	return nil
}

func parsePort(cmd *cobra.Command, s string) (int, error) {
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > 65535 {
		return 0, usagef(cmd, "port %q is not a number in 1-65535", s)
	}
	return p, nil
}
