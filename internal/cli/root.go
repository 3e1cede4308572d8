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

	"github.com/lbcloud/lbcloud/elbserver"
)

// Providers accepted by --provider.
const (
	providerLocal = "local" // the embedded endpoint, in-process, on the local state file
	providerELB   = "elb"   // any ELB-compatible endpoint: AWS, a running 'lbctl serve', moto
)

// app holds the global flags and the output streams of one invocation.
type app struct {
	out, errOut io.Writer

	provider string
	region   string
	profile  string
	endpoint string
	output   string
	debug    bool
	timeout  time.Duration

	// pollInterval is how often --wait polls member health.
	pollInterval time.Duration
}

// Main runs lbctl with args (without the program name) and returns the process exit code.
// ctx should be cancelled on SIGINT/SIGTERM so that waits and serve stop cleanly.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{out: stdout, errOut: stderr, pollInterval: time.Second}
	root := a.rootCommand()
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
		Short: "Manage AWS Classic Elastic Load Balancers, locally or on any ELB-compatible endpoint",
		Long: `lbctl manages Classic Elastic Load Balancers (API 2012-06-01).

By default (--provider local) every command runs against the embedded endpoint, started
in-process for the duration of the command on the state file
$XDG_STATE_HOME/lbcloud/state.db (or ~/.local/state/lbcloud/state.db).

With --endpoint URL (or --provider elb) commands go to any ELB-compatible endpoint: a running
'lbctl serve', moto, or AWS itself, with credentials from the AWS SDK chain (environment,
--profile, shared files). For a local endpoint: AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test.

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
	f.StringVar(&a.provider, "provider", providerLocal, "provider: local (embedded endpoint on the local state file) or elb")
	f.StringVar(&a.region, "region", "", "AWS region (default us-east-1 for local endpoints, else from the SDK chain)")
	f.StringVar(&a.profile, "profile", "", "shared config profile for credentials and region")
	f.StringVar(&a.endpoint, "endpoint", "", "URL of an ELB-compatible endpoint (implies --provider elb)")
	f.StringVarP(&a.output, "output", "o", formatTable, "output format: table, json or yaml")
	f.BoolVar(&a.debug, "debug", false, "trace requests and responses on stderr (secrets redacted)")
	f.DurationVar(&a.timeout, "timeout", 5*time.Minute, "give up on the command (including --wait) after this long")
	_ = root.RegisterFlagCompletionFunc("output", fixedCompletion(formatTable, formatJSON, formatYAML))
	_ = root.RegisterFlagCompletionFunc("provider", fixedCompletion(providerLocal, providerELB))

	root.AddCommand(
		a.balancersCommand(),
		a.membersCommand(),
		a.listenersCommand(),
		a.policiesCommand(),
		a.healthCheckCommand(),
		a.attributesCommand(),
		a.tagsCommand(),
		a.zonesCommand(),
		a.subnetsCommand(),
		a.securityGroupsCommand(),
		a.certificateCommand(),
		a.limitsCommand(),
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
	switch a.output {
	case formatTable, formatJSON, formatYAML:
	default:
		return usagef(cmd, "--output must be table, json or yaml, not %q", a.output)
	}
	if a.endpoint != "" {
		if err := checkEndpoint(cmd, a.endpoint); err != nil {
			return err
		}
	}
	switch a.provider {
	case providerLocal:
		if a.endpoint != "" {
			if cmd.Flags().Changed("provider") {
				return usagef(cmd, "--endpoint talks to a remote endpoint; it cannot be used with --provider local")
			}
			a.provider = providerELB
		} else if a.region != "" && !elbserver.KnownRegion(a.region) {
			return usagef(cmd, "--region %q is not an AWS region; the local endpoint serves AWS's regions", a.region)
		}
	case providerELB:
	default:
		return usagef(cmd, "--provider must be local or elb, not %q", a.provider)
	}
	if a.timeout <= 0 {
		return usagef(cmd, "--timeout must be positive")
	}
	// Cobra checks required flags only after PreRunE; checking them here first means the
	// commands' PreRunE parsers never see a required flag unset.
	if err := cmd.ValidateRequiredFlags(); err != nil {
		return &usageError{cmd: cmd.CommandPath(), err: err}
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
