package cli

import (
	"strings"
	"testing"
)

// Completion of the ELBv2 commands' arguments and flags from what the endpoint holds.
func TestCompletesV2Resources(t *testing.T) {
	alb := albWithGroups(t)
	ok(t, args(alb, "rules", "create", "web", "80", "--priority", "10", "--condition", "path=/a", "--action", "forward=green")...)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"listeners", "modify", "web", ""}, "80\n"},
		{[]string{"listeners", "delete", "web", "80", ""}, "80\n"},
		{[]string{"rules", "modify", "web", "80", ""}, "10\n"},
		{[]string{"rules", "list", ""}, "web\n"},
		{[]string{"rules", "create", "web", "80", "--action", "forward="}, "forward=blue\nforward=green\n"},
		{[]string{"rules", "create", "web", "80", "--action", ""}, "forward=\nredirect=\nfixed-response=\n"},
		{[]string{"targets", "register", ""}, "blue\ngreen\n"},
		{[]string{"tags", "list", "--target-group", ""}, "blue\ngreen\n"},
		{[]string{"tags", "list", "--listener", ""}, "web:80\n"},
		{[]string{"listeners", "create", "web", "--ssl-policy", "ELBSecurityPolicy-TLS13-1-2-2021"}, "ELBSecurityPolicy-TLS13-1-2-2021-06\n"},
	} {
		out := ok(t, args(alb, append([]string{"__complete"}, tc.args...)...)...)
		body := out[:strings.LastIndex(out, ":")] // the directive ends the output
		if !strings.HasPrefix(body, tc.want) {
			t.Errorf("completion of %q = %q, want %q first", tc.args, body, tc.want)
		}
	}
}
