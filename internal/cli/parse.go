package cli

import (
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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

// The names AWS accepts: a Classic balancer's 1-32 letters, digits and hyphens, not starting
// or ending with a hyphen; a policy's 1-255 letters, digits and hyphens.
var (
	balancerNameRE = regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)
	policyNameRE   = regexp.MustCompile(`^[a-zA-Z0-9-]{1,255}$`)
)

// checkingNames runs args, then checks the balancer names among the arguments (the first, or
// all of them) and, with policy, the second as a policy name.
func checkingNames(args cobra.PositionalArgs, all, policy bool) cobra.PositionalArgs {
	return func(cmd *cobra.Command, argv []string) error {
		if args != nil {
			if err := args(cmd, argv); err != nil {
				return err
			}
		}
		names := argv[:min(1, len(argv))]
		if all {
			names = argv
		}
		for _, n := range names {
			if !balancerNameRE.MatchString(n) {
				return usagef(cmd, "load balancer name %q: AWS takes 1-32 letters, digits and hyphens, not starting or ending with a hyphen", n)
			}
		}
		if policy && len(argv) > 1 && !policyNameRE.MatchString(argv[1]) {
			return usagef(cmd, "policy name %q: AWS takes 1-255 letters, digits and hyphens", argv[1])
		}
		return nil
	}
}

// checkEndpoint checks that --endpoint is a URL a client can send requests to.
func checkEndpoint(cmd *cobra.Command, endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef(cmd, "--endpoint %q must be a URL with its scheme, such as http://127.0.0.1:4580 or https://elasticloadbalancing.eu-west-1.amazonaws.com", endpoint)
	}
	return nil
}

// requireCertificate checks that an HTTPS or SSL listener is given the --certificate it needs.
func requireCertificate(cmd *cobra.Command, p loadbalancer.Protocol, certificate string) error {
	if (p == loadbalancer.HTTPS || p == loadbalancer.SSL) && certificate == "" {
		return usagef(cmd, "--certificate is required with --protocol %s: the listener's server certificate ARN (IAM or ACM)", strings.ToLower(string(p)))
	}
	return nil
}

// flagValueError rewrites a flag value the flag parser refused, naming the flag and what it
// takes rather than the parser's own words.
func flagValueError(err error) error {
	var ive *pflag.InvalidValueError
	if !errors.As(err, &ive) {
		return err
	}
	want := "is not a valid value"
	switch ive.GetFlag().Value.Type() {
	case "int", "int32", "int64", "uint", "uint32", "uint64":
		want = "must be a whole number"
	case "float32", "float64":
		want = "must be a number"
	case "duration":
		want = "must be a duration such as 30s, 5m or 1h"
	case "bool":
		want = "must be true or false"
	}
	return fmt.Errorf("--%s %q %s", ive.GetFlag().Name, ive.GetValue(), want)
}
