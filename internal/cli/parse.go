package cli

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
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

// parseProtocol reads a listener protocol flag: one of the API's protocols, in any case.
func (a *app) parseProtocol(cmd *cobra.Command, flag, s string) (loadbalancer.Protocol, error) {
	p := loadbalancer.Protocol(strings.ToUpper(s))
	protocols := a.protocols()
	if slices.Contains(protocols, p) {
		return p, nil
	}
	return "", usagef(cmd, "%s must be %s, not %q", flag, orList(lowerAll(protocols)), s)
}

// parseAlgorithm reads --algorithm: one the API can honour, as round-robin or ROUND_ROBIN.
func (a *app) parseAlgorithm(cmd *cobra.Command, s string) (loadbalancer.Algorithm, error) {
	if s == "" {
		return "", nil
	}
	name := strings.ToLower(strings.ReplaceAll(s, "_", "-"))
	names := a.algorithms()
	if slices.Contains(names, name) {
		return loadbalancer.Algorithm(strings.ToUpper(strings.ReplaceAll(name, "-", "_"))), nil
	}
	return "", usagef(cmd, "--algorithm must be %s for %s, not %q", orList(names), apiNames[a.kind], s)
}

// algorithms are the API's algorithms, as its provider lists them, written as the flag
// takes them: ROUND_ROBIN is round-robin.
func (a *app) algorithms() []string {
	algos, _ := a.offline().ListSupportedAlgorithms(context.Background())
	names := lowerAll(algos)
	for i, n := range names {
		names[i] = strings.ReplaceAll(n, "_", "-")
	}
	return names
}

// protocols are the listener protocols of the API, as its provider lists them.
func (a *app) protocols() []loadbalancer.Protocol {
	ps, _ := a.offline().ListProtocols(context.Background())
	return ps
}

// offline is a Service of the API that makes no request, for what its provider knows
// without asking (protocols, algorithms): flags are checked before anything connects.
func (a *app) offline() *loadbalancer.Service {
	var s session
	s.open(a.kind, aws.Config{Region: defaultRegion}, "")
	return s.svc
}

func lowerAll[T ~string](list []T) []string {
	out := make([]string, len(list))
	for i, v := range list {
		out[i] = strings.ToLower(string(v))
	}
	return out
}

// orList writes "a, b or c".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
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
	// Compiled on first use: counted repetitions and Unicode classes take milliseconds to
	// compile, which every lbctl start would pay otherwise.
	balancerNameRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`) })
	policyNameRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-zA-Z0-9-]{1,255}$`) })
)

// checkNames checks the balancer names among the arguments (the first, or all of them) and,
// with policy, the second as a policy name. ELBv2 commands also take a balancer's ARN.
func (a *app) checkNames(cmd *cobra.Command, argv []string, all, policy bool) error {
	names := argv[:min(1, len(argv))]
	if all {
		names = argv
	}
	for _, n := range names {
		if a.v2() && strings.HasPrefix(n, "arn:") {
			continue
		}
		if !balancerNameRE().MatchString(n) {
			return usagef(cmd, "load balancer name %q: AWS takes 1-32 letters, digits and hyphens, not starting or ending with a hyphen", n)
		}
	}
	if policy && len(argv) > 1 && !policyNameRE().MatchString(argv[1]) {
		return usagef(cmd, "policy name %q: AWS takes 1-255 letters, digits and hyphens", argv[1])
	}
	return nil
}

// checkEndpoint checks that --endpoint is a URL a client can send requests to.
func checkEndpoint(cmd *cobra.Command, endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef(cmd, "--endpoint %q must be a URL with its scheme, such as http://127.0.0.1:4580 or https://elasticloadbalancing.eu-west-1.amazonaws.com, or local or aws", endpoint)
	}
	return nil
}

// requireCertificate checks that a listener terminating TLS (HTTPS, SSL, TLS) is given the
// --certificate it needs.
func requireCertificate(cmd *cobra.Command, p loadbalancer.Protocol, certificate string) error {
	if terminatesTLS(p) && certificate == "" {
		return usagef(cmd, "--certificate is required with --protocol %s: the listener's server certificate ARN (IAM or ACM)", strings.ToLower(string(p)))
	}
	return nil
}

func terminatesTLS(p loadbalancer.Protocol) bool {
	return p == loadbalancer.HTTPS || p == loadbalancer.SSL || p == elbv2.TLS
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

// wholeSeconds reads a duration that is a positive whole number of seconds, as ELBv2's
// settings are.
func wholeSeconds(s string) (int, error) {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 || d%time.Second != 0 {
		return 0, fmt.Errorf("%q is not a positive whole number of seconds", s)
	}
	return int(d / time.Second), nil
}
