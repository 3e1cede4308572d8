package cli

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Providers accepted by --provider, the older form of --endpoint.
const (
	providerLocal = "local" // the embedded endpoint, in-process, on the local state file
	providerELB   = "elb"   // any ELB-compatible endpoint: AWS, a running 'lbctl serve', moto
)

// app holds the global flags and the output streams of one invocation.
type app struct {
	out, errOut io.Writer

	api      string
	provider string
	region   string
	profile  string
	endpoint string
	output   string
	debug    bool
	timeout  time.Duration

	// What checkGlobals makes of the flags: the API (apiClassic, apiALB, apiNLB) and the target.
	kind  string
	where where

	// pollInterval is how often --wait polls member health.
	pollInterval time.Duration
}

// Main runs lbctl with args (without the program name) and returns the process exit code.
// ctx should be cancelled on SIGINT/SIGTERM so that waits and serve stop cleanly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{out: stdout, errOut: stderr, pollInterval: time.Second}
	root := a.rootCommand()
	hideOthers(root, args)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err != nil {
		reportError(stderr, root.Name(), err)
	}
	return exitCode(err)
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "lbctl",
		Short: "Manage AWS Classic, Application and Network Load Balancers, locally or on any ELB-compatible endpoint",
		Long: `lbctl manages Elastic Load Balancers: Classic (API 2012-06-01), and Application and
Network Load Balancers (ELBv2, API 2015-12-01).

Two global flags say what and where:
  --api classic|alb|nlb      which API: Classic ELB (the default), ALB or NLB; LBCTL_API sets
                             the default. The portable commands (balancers, members) work for
                             all three; the others say which API they are for.
  --endpoint local|aws|URL   where: the embedded endpoint (local, the default), AWS itself, or
                             any ELB-compatible endpoint (a running 'lbctl serve', moto).

The embedded endpoint runs in-process for the duration of the command on the state file
$XDG_STATE_HOME/lbcloud/state.db (or ~/.local/state/lbcloud/state.db), or goes through an
'lbctl serve' that holds it. Elsewhere credentials come from the AWS SDK chain (environment,
--profile, shared files); for a local endpoint: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test.
--provider local|elb is the older form of --endpoint local|aws and keeps working.

Exit codes: 0 success, 1 the operation failed, 2 usage error.
Run 'lbctl help output' for the JSON/YAML output reference.`,
		SilenceUsage:      true,
		SilenceErrors:     true,
		Args:              noArgs,
		RunE:              showHelp,
		PersistentPreRunE: a.checkGlobals,
	}
	root.Version = buildVersion().String()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{cmd: c.CommandPath(), err: flagValueError(err)}
	})
	f := root.PersistentFlags()
	f.StringVar(&a.api, "api", apiDefault(), "which API: classic (Classic ELB), alb (Application) or nlb (Network Load Balancers); default $"+apiEnv+", else classic")
	f.StringVar(&a.endpoint, "endpoint", "", "where: local (the embedded endpoint, the default), aws, or the URL of an ELB-compatible endpoint")
	f.StringVar(&a.provider, "provider", providerLocal, "older form of --endpoint: local, or elb (AWS, or the --endpoint URL)")
	f.StringVar(&a.region, "region", "", "AWS region (default us-east-1 for local endpoints, else from the SDK chain)")
	f.StringVar(&a.profile, "profile", "", "shared config profile for credentials and region")
	f.StringVarP(&a.output, "output", "o", formatTable, "output format: table, json or yaml")
	f.BoolVar(&a.debug, "debug", false, "trace requests and responses on stderr (secrets redacted)")
	f.DurationVar(&a.timeout, "timeout", 5*time.Minute, "give up on the command (including --wait) after this long")
	_ = root.RegisterFlagCompletionFunc("output", fixedCompletion(formatTable, formatJSON, formatYAML))
	_ = root.RegisterFlagCompletionFunc("provider", fixedCompletion(providerLocal, providerELB))
	_ = root.RegisterFlagCompletionFunc("api", fixedCompletion(apiClassic, apiALB, apiNLB))
	_ = root.RegisterFlagCompletionFunc("endpoint", fixedCompletion(endpointLocal, endpointAWS))

	root.AddCommand(
		a.balancersCommand(),
		a.membersCommand(),
		a.listenersCommand(),
		onlyFor(a.policiesCommand(), "with ELBv2, policies are attributes ('attributes set', 'target-groups attributes set'), SSL policies ('ssl-policies', 'listeners modify --ssl-policy') and rules ('rules')", apiClassic),
		onlyFor(a.healthCheckCommand(), "an ELBv2 target group holds the health check: 'target-groups modify TARGET_GROUP --health-check-path PATH'", apiClassic),
		a.attributesCommand(),
		a.tagsCommand(),
		onlyFor(a.zonesCommand(), "an ELBv2 balancer's zones are those of its subnets, given at 'balancers create --subnet'", apiClassic),
		a.subnetsCommand(),
		a.securityGroupsCommand(),
		a.ipAddressTypeCommand(),
		a.ipPoolsCommand(),
		a.capacityCommand(),
		a.certificateCommand(),
		a.limitsCommand(),
		a.targetGroupsCommand(),
		a.targetsCommand(),
		a.rulesCommand(),
		a.sslPoliciesCommand(),
		a.trustStoresCommand(),
		a.serveCommand(),
		a.stateCommand(),
		a.demoCommand(),
		a.migrateCommand(),
		a.versionCommand(),
		outputHelpTopic(),
	)
	return root
}

// checkGlobals validates the global flags, and the required ones, before any command runs.
func (a *app) checkGlobals(cmd *cobra.Command, _ []string) error {
	if err := a.resolveGlobals(cmd); err != nil {
		return err
	}
	// Cobra checks required flags only after PreRunE; checking them here first means the
	// commands' PreRunE parsers never see a required flag unset.
	if err := cmd.ValidateRequiredFlags(); err != nil {
		return &usageError{cmd: cmd.CommandPath(), err: err}
	}
	return nil
}

// resolveGlobals checks the global flags and works out the API and the target. It only
// reads the flags, so running it again (completion does) finds the same.
func (a *app) resolveGlobals(cmd *cobra.Command) error {
	switch a.output {
	case formatTable, formatJSON, formatYAML:
	default:
		return usagef(cmd, "--output must be table, json or yaml, not %q", a.output)
	}
	if err := a.resolveWhere(cmd); err != nil {
		return err
	}
	if err := a.resolveAPI(cmd); err != nil {
		return err
	}
	if a.timeout <= 0 {
		return usagef(cmd, "--timeout must be positive")
	}
	return nil
}

// group builds a command that only holds subcommands: run bare, it shows its help and exits 2.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			var names []string
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() {
					names = append(names, s.Name())
				}
			}
			return usagef(cmd, "%s needs a subcommand: %s", cmd.CommandPath(), strings.Join(names, ", "))
		},
	}
	c.AddCommand(subs...)
	return c
}

// apiDefault is --api's default: $LBCTL_API, else classic.
func apiDefault() string {
	if v := os.Getenv(apiEnv); v != "" {
		return v
	}
	return apiClassic
}

func showHelp(cmd *cobra.Command, _ []string) error { return cmd.Help() }

// noArgs rejects arguments, reporting unknown subcommands of groups as usage errors.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		if cmd.HasSubCommands() {
			return usagef(cmd, "unknown command %q for %q", args[0], cmd.CommandPath())
		}
		return usagef(cmd, "%s takes no arguments", cmd.CommandPath())
	}
	return nil
}

// nArgs requires between min and max positional arguments (max < 0: no upper bound).
func nArgs(min, max int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < min || (max >= 0 && len(args) > max) {
			return usagef(cmd, "wrong number of arguments; usage: %s", cmd.UseLine())
		}
		return nil
	}
}

func fixedCompletion(values ...string) cobra.CompletionFunc {
	return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
}

// wrapRun marks errors from a run function as operation failures (exit 1), leaving usage
// errors found while running (a bad --attr, say) as they are.
func wrapRun(err error) error {
	if err == nil {
		return nil
	}
	var u *usageError
	if errors.As(err, &u) {
		return err
	}
	return &runError{err: err}
}

// isTerminal reports whether w is a terminal, for progress output.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
