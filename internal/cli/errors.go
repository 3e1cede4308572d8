package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// Exit codes of lbctl.
const (
	ExitOK     = 0 // success
	ExitFailed = 1 // the operation failed
	ExitUsage  = 2 // bad command line
)

// usageError is a command-line mistake: it exits 2 and points at the command's help.
type usageError struct {
	cmd string // command path, for the hint
	err error
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(cmd *cobra.Command, format string, args ...any) error {
	return &usageError{cmd: cmd.CommandPath(), err: fmt.Errorf(format, args...)}
}

// runError marks an error returned by a command's run function, as opposed to one cobra raised
// while parsing the command line: everything cobra raises is a usage error.
type runError struct{ err error }

func (e *runError) Error() string { return e.err.Error() }
func (e *runError) Unwrap() error { return e.err }

// exitCode classifies an error returned by cobra's Execute.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var u *usageError
	if errors.As(err, &u) {
		return ExitUsage
	}
	var r *runError
	if errors.As(err, &r) {
		return ExitFailed
	}
	return ExitUsage
}

// reportError writes the one-line error and, when there is one, a one-line hint.
func reportError(w io.Writer, root string, err error) {
	var u *usageError
	if errors.As(err, &u) || exitCode(err) == ExitUsage {
		fmt.Fprintf(w, "lbctl: usage: %s\n", oneLine(err.Error()))
		cmd := root
		if u != nil && u.cmd != "" {
			cmd = u.cmd
		}
		fmt.Fprintf(w, "hint: run '%s --help'\n", cmd)
		return
	}
	line, hint := oneLine(err.Error()), ""
	var de *driver.Error
	if errors.As(err, &de) {
		msg := de.Message
		if msg == "" && de.Err != nil {
			msg = de.Err.Error()
		}
		line = oneLine(msg)
		during := ""
		if de.Op != "" {
			during = " during " + de.Op
		}
		// The SDK's text for a deadline or an interrupt is long and says less than this.
		switch {
		case de.Code != "":
			line = de.Code + ": " + line
		case errors.Is(err, context.DeadlineExceeded):
			line = "timed out" + during
		case errors.Is(err, context.Canceled):
			line = "interrupted" + during
		}
		if de.RequestID != "" {
			line += fmt.Sprintf(" (request id %s)", de.RequestID)
		}
		hint = hintFor(de, msg)
	}
	var se *stateError
	switch {
	case hint != "":
	case missingCredentials(err.Error()):
		hint = credentialsHint
	case errors.As(err, &se):
		hint = se.hint()
	case errors.Is(err, context.DeadlineExceeded):
		hint = "raise --timeout to wait longer"
	}
	fmt.Fprintf(w, "lbctl: %s\n", line)
	if hint != "" {
		fmt.Fprintf(w, "hint: %s\n", hint)
	}
}

const credentialsHint = "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (test/test for a local endpoint) or use --profile"

// missingCredentials recognises the SDK's failure to find any credentials.
func missingCredentials(msg string) bool {
	return strings.Contains(msg, "get credentials") || strings.Contains(msg, "failed to retrieve credentials") ||
		strings.Contains(msg, "no EC2 IMDS role found")
}

// hintFor suggests the next step for the error codes users meet most.
func hintFor(e *driver.Error, msg string) string {
	if missingCredentials(msg) {
		return credentialsHint
	}
	switch e.Code {
	case "LoadBalancerNotFound", "AccessPointNotFound":
		return "run 'lbctl balancers list' to see the balancers in this region"
	case "SignatureDoesNotMatch", "InvalidClientTokenId", "IncompleteSignature", "MissingAuthenticationToken", "UnrecognizedClientException":
		return "check the credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, --profile) and --region for this endpoint"
	case "PolicyNotFound":
		return "run 'lbctl policies list NAME' to see the balancer's policies"
	case "PolicyTypeNotFound":
		return "run 'lbctl policies types' to see the policy types"
	case "ListenerNotFound":
		return "run 'lbctl balancers get NAME' to see the balancer's listeners"
	case "CertificateNotFound":
		return "give an IAM server certificate or ACM certificate ARN, e.g. arn:aws:iam::123456789012:server-certificate/NAME"
	case "InvalidInstance", "InstanceNotFound":
		return "members are EC2 instance IDs (i-...) or private IPs of instances in the balancer's region"
	case "DuplicateLoadBalancerName", "DuplicateAccessPointName":
		return "pick another name or run 'lbctl balancers get NAME'"
	case "TooManyLoadBalancers", "TooManyAccessPoints", "TooManyPolicies", "TooManyTags":
		return "run 'lbctl limits' to see the account limits"
	case "Throttling", "ThrottlingException", "RequestLimitExceeded":
		return "the endpoint is throttling requests; retry later"
	case "InternalFailure":
		if strings.Contains(msg, "state is damaged") {
			return "run 'lbctl state check' (with --state for a served file) to list every damaged record; deleting a damaged balancer works"
		}
	}
	if errors.Is(e, driver.ErrUnavailable) {
		return "the endpoint is unreachable or failing; check --endpoint and --region"
	}
	return ""
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	return strings.Join(strings.Fields(s), " ")
}
