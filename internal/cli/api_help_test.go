package cli

import (
	"slices"
	"strings"
	"testing"
)

// helpCommands are the command names a help text lists under "Available Commands".
func helpCommands(help string) []string {
	_, list, _ := strings.Cut(help, "Available Commands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	var names []string
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			names = append(names, f[0])
		}
	}
	return names
}

// completedCommands are the names a completion answer offers.
func completedCommands(out string) []string {
	var names []string
	for _, line := range strings.Split(out, "\n") {
		if name, _, _ := strings.Cut(line, "\t"); name != "" && !strings.HasPrefix(name, ":") {
			names = append(names, name)
		}
	}
	return names
}

// Each API's help and completion list only the commands it has (and those every API
// shares); the others, run anyway, are usage errors that name --api.
func TestHelpAndCompletionListTheAPIsCommands(t *testing.T) {
	shared := []string{"balancers", "members", "listeners", "attributes", "tags", "subnets", "security-groups", "certificate", "limits", "serve", "state", "demo", "migrate", "version"}
	for _, tc := range []struct {
		api       string
		has, lack []string
		subnets   []string // what 'subnets' holds
	}{
		{"classic", []string{"zones", "policies", "health-check"},
			[]string{"target-groups", "targets", "rules", "ssl-policies", "trust-stores", "capacity", "ip-pools", "ip-address-type"},
			[]string{"attach", "detach"}},
		{"alb", []string{"target-groups", "targets", "rules", "ssl-policies", "trust-stores", "capacity", "ip-pools", "ip-address-type"},
			[]string{"zones", "policies", "health-check"}, []string{"set"}},
		{"nlb", []string{"target-groups", "targets", "ssl-policies", "capacity", "ip-address-type"},
			[]string{"zones", "policies", "health-check", "rules", "trust-stores", "ip-pools"}, []string{"set"}},
	} {
		t.Run(tc.api, func(t *testing.T) {
			localEnv(t)
			help := helpCommands(ok(t, "--api", tc.api, "--help"))
			t.Setenv(apiEnv, tc.api)
			completed := completedCommands(ok(t, "__complete", ""))
			for _, listed := range [][]string{help, completed} {
				for _, name := range append(slices.Clone(shared), tc.has...) {
					if !slices.Contains(listed, name) {
						t.Errorf("--api %s lists %v, without %s", tc.api, listed, name)
					}
				}
				for _, name := range tc.lack {
					if slices.Contains(listed, name) {
						t.Errorf("--api %s lists %s, which is not its command", tc.api, name)
					}
				}
			}
			if got := helpCommands(ok(t, "subnets", "--help")); !slices.Equal(got, tc.subnets) {
				t.Errorf("$%s=%s subnets --help lists %v, want %v", apiEnv, tc.api, got, tc.subnets)
			}
			if got := completedCommands(ok(t, "__complete", "--api", tc.api, "subnets", "")); !slices.Equal(got, tc.subnets) {
				t.Errorf("--api %s: completion of subnets offers %v, want %v", tc.api, got, tc.subnets)
			}
			for _, name := range tc.lack {
				r := fails(t, ExitUsage, "--api", tc.api, name)
				if !strings.Contains(r.stderr, "'lbctl "+name+"' is for ") || !strings.Contains(r.stderr, "not --api "+tc.api) {
					t.Errorf("lbctl --api %s %s: %s", tc.api, name, r.stderr)
				}
			}
		})
	}
}
