package cli

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lbcloud/lbcloud/elbserver"
)

// The APIs --api (or LBCTL_API) chooses between: what kind of load balancer the commands
// manage. The names of the ELBv2 ones are the library's provider names.
const (
	apiClassic = "classic" // Classic ELB (2012-06-01), the default
	apiALB     = "alb"     // Application Load Balancers (ELBv2, 2015-12-01)
	apiNLB     = "nlb"     // Network Load Balancers (ELBv2, 2015-12-01)
)

// apiEnv names the environment variable that sets --api's default.
const apiEnv = "LBCTL_API"

// apiNames says what each API is, for messages.
var apiNames = map[string]string{apiClassic: "Classic ELB", apiALB: "Application Load Balancers", apiNLB: "Network Load Balancers"}

// Annotations a command carries when it is for some APIs only: the APIs, and what to use
// instead with the others.
const (
	apisAnnotation    = "lbctl/apis"
	insteadAnnotation = "lbctl/instead"
)

// onlyFor marks c as a command of the given APIs; with another, it is a usage error that
// says so and suggests instead.
func onlyFor(c *cobra.Command, instead string, apis ...string) *cobra.Command {
	if c.Annotations == nil {
		c.Annotations = map[string]string{}
	}
	c.Annotations[apisAnnotation] = strings.Join(apis, ",")
	c.Annotations[insteadAnnotation] = instead
	return c
}

// forAPI reports whether c is a command of api (unmarked commands are of every API).
func forAPI(c *cobra.Command, api string) bool {
	apis, ok := c.Annotations[apisAnnotation]
	return !ok || slices.Contains(strings.Split(apis, ","), api)
}

// hideOthers hides, in help and completion, the commands that are not for the API that args
// choose: 'lbctl --api alb --help' lists only what an ALB has. Cobra lists subcommands
// before any hook of a command runs, so the API is read from args here, with the root's
// persistent flags so that their values are skipped as they will be; an API that is not one
// hides nothing, and resolveAPI refuses it.
func hideOthers(root *cobra.Command, args []string) {
	fs := pflag.NewFlagSet(root.Name(), pflag.ContinueOnError)
	fs.ParseErrorsAllowlist.UnknownFlags = true
	fs.SetOutput(io.Discard)
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		fs.StringP(f.Name, f.Shorthand, f.DefValue, "")
		fs.Lookup(f.Name).NoOptDefVal = f.NoOptDefVal
	})
	_ = fs.Parse(args) // a bad flag is reported when the command runs
	api, _ := fs.GetString("api")
	api = strings.ToLower(api)
	if apiNames[api] == "" {
		return
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if !forAPI(sub, api) {
				sub.Hidden = true
			}
			walk(sub)
		}
	}
	walk(root)
}

// where is the target the global flags name: the embedded endpoint, a URL, or AWS.
type where struct {
	local bool   // the embedded endpoint on the local state file
	url   string // an endpoint URL; "" with local false is AWS, by the SDK's own resolution
}

// The values of --endpoint that are not URLs.
const (
	endpointLocal = "local"
	endpointAWS   = "aws"
)

// resolveWhere reads --endpoint and its older form --provider into a.where, refusing
// combinations that contradict each other.
func (a *app) resolveWhere(cmd *cobra.Command) error {
	providerSet := cmd.Flags().Changed("provider")
	switch a.provider {
	case providerLocal, providerELB:
	default:
		return usagef(cmd, "--provider must be local or elb, not %q (or use --endpoint local|aws|URL)", a.provider)
	}
	switch a.endpoint {
	case "":
		a.where = where{local: a.provider == providerLocal}
	case endpointLocal:
		if providerSet && a.provider == providerELB {
			return usagef(cmd, "--endpoint local contradicts --provider elb; give only one of them")
		}
		a.where = where{local: true}
	case endpointAWS:
		if providerSet && a.provider == providerLocal {
			return usagef(cmd, "--endpoint aws contradicts --provider local; give only one of them")
		}
		a.where = where{}
	default:
		if err := checkEndpoint(cmd, a.endpoint); err != nil {
			return err
		}
		if providerSet && a.provider == providerLocal {
			return usagef(cmd, "--endpoint talks to a remote endpoint; it cannot be used with --provider local")
		}
		a.where = where{url: a.endpoint}
	}
	if a.where.local && a.region != "" && !elbserver.KnownRegion(a.region) {
		return usagef(cmd, "--region %q is not an AWS region; the local endpoint serves AWS's regions", a.region)
	}
	return nil
}

// resolveAPI reads --api (default $LBCTL_API, else classic) into a.kind and refuses a
// command that is not for that API.
func (a *app) resolveAPI(cmd *cobra.Command) error {
	given := "--api " + a.api
	if !cmd.Flags().Changed("api") && os.Getenv(apiEnv) != "" {
		given = apiEnv + "=" + a.api
	}
	kind := strings.ToLower(a.api)
	if apiNames[kind] == "" {
		return usagef(cmd, "%s: the API must be classic, alb or nlb", given)
	}
	a.kind = kind
	for c := cmd; c != nil; c = c.Parent() {
		if forAPI(c, kind) {
			continue
		}
		var names []string
		for _, api := range strings.Split(c.Annotations[apisAnnotation], ",") {
			names = append(names, fmt.Sprintf("%s (--api %s)", apiNames[api], api))
		}
		msg := fmt.Sprintf("'%s' is for %s only, not %s", c.CommandPath(), strings.Join(names, " and "), given)
		if instead := c.Annotations[insteadAnnotation]; instead != "" {
			msg += "; " + instead
		}
		return usagef(cmd, "%s", msg)
	}
	return nil
}

// v2 reports whether the commands manage ELBv2 load balancers (ALB or NLB).
func (a *app) v2() bool { return a.kind == apiALB || a.kind == apiNLB }

// flagsFor refuses the named flags, where given, when the API is not one of apis; instead
// says what to use.
func (a *app) flagsFor(cmd *cobra.Command, apis []string, instead string, names ...string) error {
	if slices.Contains(apis, a.kind) {
		return nil
	}
	for _, n := range names {
		if cmd.Flags().Changed(n) {
			msg := fmt.Sprintf("--%s is not for %s (--api %s)", n, apiNames[a.kind], a.kind)
			if instead != "" {
				msg += "; " + instead
			}
			return usagef(cmd, "%s", msg)
		}
	}
	return nil
}

// Groups of APIs, for onlyFor and flagsFor.
var (
	classicOnly = []string{apiClassic}
	v2Only      = []string{apiALB, apiNLB}
)
