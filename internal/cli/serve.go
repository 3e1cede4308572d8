package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/faults"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// DefaultListen is where 'lbctl serve' listens unless told otherwise.
const DefaultListen = "127.0.0.1:4580"

type serveFlags struct {
	listen, state, credentials string
	limits, allowRegions       []string
	strict                     bool
	fault                      faults.Options
	memoryLimit                string
	drain                      time.Duration
	dataPlane                  dataPlaneFlags
}

// servedAPIs names every API the endpoint serves, for serve's banner.
const servedAPIs = "Classic ELB (elb), ELBv2 for ALB and NLB (elbv2), EC2, S3, IAM and ACM"

func (a *app) serveCommand() *cobra.Command {
	var sf serveFlags
	c := &cobra.Command{
		Use:   "serve [--listen ADDR] [--state PATH]",
		Short: "Run the embedded endpoint (Classic ELB, ELBv2, EC2, S3, IAM, ACM) until interrupted",
		Long: `Serve the Classic ELB API (2012-06-01), ELBv2 (2015-12-01: ALB and NLB), and the EC2, S3,
IAM and ACM calls they need (instances, VPCs and subnets; CA bundles and revocation lists;
server and ACM certificates), on the given address, with durable state. Point any client at it: lbctl --endpoint URL, the AWS CLI with
--endpoint-url URL, or an SDK. Without --credentials it accepts the key pair test/test and,
to keep that well-known key off the network, only listens on loopback addresses; then the
other lbctl commands, run without --endpoint on the same state file, go through it.
Requests must be signed for a region AWS has (--allow-region adds others).
--latency, --jitter, --throttle-rps and --error-rate make it behave like a busy remote region.

Clients are bounded: 1024 connections (the longest idle is closed to admit a new one),
10 s for a request's headers, 30 s for a whole request, 2 min for its answer, 60 s idle,
64 MiB of bodies over 64 KiB being received at once; a request that is not signed by a
known key is refused before its body is read. On SIGINT or SIGTERM, requests in flight get --drain-timeout to
finish.

The local data plane carries traffic: every listener of every balancer accepts connections on
127.0.0.1 (an ephemeral port, or its own with --bind-ports) and forwards to the registered
instances whose lbcloud:address tag names a loopback address, and to loopback ip targets.
'lbctl balancers get NAME' shows each listener's local address; requests from this machine to
this endpoint's address whose Host is a balancer's DNS name go to its HTTP listener on that port.`,
		Args: noArgs,
	}
	c.RunE = func(cmd *cobra.Command, _ []string) error {
		memory, ok := parseSize(sf.memoryLimit)
		if !ok {
			return usagef(cmd, "--memory-limit %q must be a size such as 512MiB or 2GiB, or off", sf.memoryLimit)
		}
		opts, err := a.serveOptions(cmd, &sf)
		if err != nil {
			return err
		}
		if sf.dataPlane.maxCheckInterval < 0 {
			return usagef(cmd, "--max-check-interval must not be negative")
		}
		tuneMemory(memory, cmd.Flags().Changed("memory-limit"))
		return wrapRun(a.serve(cmd.Context(), sf, opts))
	}
	f := c.Flags()
	f.StringVar(&sf.listen, "listen", DefaultListen, "address to listen on (port 0: any free port)")
	f.StringVar(&sf.state, "state", "", "state file (default: the local provider's state file)")
	f.StringArrayVar(&sf.limits, "limit", nil, "account limit NAME=VALUE, e.g. classic-load-balancers=50 (repeatable)")
	f.StringVar(&sf.credentials, "credentials", "", "file of accepted credentials, one 'KEY_ID SECRET ACCOUNT [SESSION_TOKEN]' a line, mode 0600")
	f.BoolVar(&sf.strict, "strict", false, "accept only declared instances, subnets and security groups")
	f.StringArrayVar(&sf.allowRegions, "allow-region", nil, "accept requests signed for this region too, beyond AWS's own (repeatable)")
	f.DurationVar(&sf.drain, "drain-timeout", elbserver.DefaultDrainTimeout, "on SIGINT or SIGTERM, how long requests in flight may finish before they are cut off")
	f.StringVar(&sf.memoryLimit, "memory-limit", defaultMemoryLimit, "heap the endpoint keeps under, giving memory back after bursts (B, KiB, MiB, GiB; off for none; GOMEMLIMIT if set and this is not)")
	sf.dataPlane.register(f)
	f.DurationVar(&sf.fault.Latency, "latency", 0, "delay added to every request")
	f.DurationVar(&sf.fault.Jitter, "jitter", 0, "random extra delay, up to this much")
	f.Float64Var(&sf.fault.ThrottleRPS, "throttle-rps", 0, "throttle each account above this many requests a second")
	f.Float64Var(&sf.fault.ErrorRate, "error-rate", 0, "share of requests (0-1) failed with a retryable server error")
	return c
}

// serveOptions turns the flags into endpoint options. Mistakes in them are usage errors, all
// found before any file is read or created.
func (a *app) serveOptions(cmd *cobra.Command, sf *serveFlags) (elbserver.Options, error) {
	opts := elbserver.Options{StatePath: sf.state, Strict: sf.strict, AllowRegions: sf.allowRegions}
	host, _, err := net.SplitHostPort(sf.listen)
	if err != nil {
		return opts, usagef(cmd, "--listen %q: %v", sf.listen, err)
	}
	if sf.credentials == "" && !isLoopback(host) {
		return opts, usagef(cmd, "refusing to listen on %s with the well-known test/test credentials; listen on 127.0.0.1 or give --credentials FILE", sf.listen)
	}
	if len(sf.limits) > 0 {
		kv, err := parseKeyValues(cmd, "--limit", sf.limits)
		if err != nil {
			return opts, err
		}
		opts.Limits = make(map[string]int, len(kv))
		for k, v := range kv {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return opts, usagef(cmd, "--limit %s=%s: the value must be a non-negative integer", k, v)
			}
			opts.Limits[k] = n
		}
	}
	if sf.drain <= 0 {
		return opts, usagef(cmd, "--drain-timeout must be positive")
	}
	if sf.fault != (faults.Options{}) {
		inj, err := faults.New(sf.fault)
		if err != nil {
			return opts, usagef(cmd, "%v", err)
		}
		opts.Faults = inj
	}
	if sf.credentials != "" {
		if opts.Credentials, err = sigv4auth.LoadCredentialsFile(sf.credentials); err != nil {
			return opts, &runError{err: err}
		}
	}
	if opts.StatePath == "" {
		if opts.StatePath, err = defaultStatePath(); err != nil {
			return opts, &runError{err: err}
		}
	}
	level := slog.LevelInfo
	if a.debug {
		level = slog.LevelDebug
	}
	opts.Logger = slog.New(slog.NewTextHandler(a.errOut, &slog.HandlerOptions{Level: level}))
	return opts, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// serve runs the endpoint until ctx is cancelled (SIGINT/SIGTERM), then drains in-flight
// requests and closes the state so the file is left consistent and unlocked.
func (a *app) serve(ctx context.Context, sf serveFlags, opts elbserver.Options) error {
	srv, err := elbserver.New(opts)
	switch {
	case errors.Is(err, elbserver.ErrUnknownLimit):
		return &usageError{cmd: "lbctl serve", err: fmt.Errorf("--limit: %w", err)}
	case errors.Is(err, elbserver.ErrInvalidRegion):
		return &usageError{cmd: "lbctl serve", err: fmt.Errorf("--allow-region: %w", err)}
	case err != nil:
		return &stateError{path: opts.StatePath, err: err}
	}
	ln, err := net.Listen("tcp", sf.listen)
	if err != nil {
		srv.Close()
		return fmt.Errorf("listen on %s: %w", sf.listen, err)
	}
	url := "http://" + ln.Addr().String()
	dp, handler, err := sf.dataPlane.start(srv, opts)
	if err != nil {
		ln.Close()
		srv.Close()
		return err
	}
	if len(opts.Credentials) == 0 { // loopback only, as serveOptions checked
		unannounce, err := announce(opts.StatePath, url)
		if err != nil {
			ln.Close()
			closeDataPlane(dp)
			srv.Close()
			return err
		}
		defer unannounce()
	}
	fmt.Fprintf(a.out, "lbctl: serving %s at %s (state %s)\n", servedAPIs, url, opts.StatePath)
	keys := "AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test "
	if len(opts.Credentials) > 0 {
		keys = "" // a key pair from the credentials file, set the usual way
	}
	fmt.Fprintf(a.out, "  lbctl:   %slbctl --endpoint %s balancers list   (--api alb|nlb for ELBv2)\n", keys, url)
	fmt.Fprintf(a.out, "  aws cli: %saws --endpoint-url %s --region us-east-1 elb describe-load-balancers\n", keys, url)
	fmt.Fprintf(a.out, "           %saws --endpoint-url %s --region us-east-1 elbv2 describe-load-balancers\n", keys, url)
	if dp != nil {
		fmt.Fprintf(a.out, "  traffic: every listener on 127.0.0.1; %slbctl --endpoint %s balancers get NAME shows where\n", keys, url)
	}
	fmt.Fprintln(a.out, "  stop with Ctrl-C")

	err = srv.Serve(ctx, ln, elbserver.ServeOptions{DrainTimeout: sf.drain, Handler: handler})
	if errors.Is(err, elbserver.ErrDrainTimeout) {
		// Stopping is what was asked; a client still sending when the drain period ended is
		// its own problem, and the state is consistent all the same.
		fmt.Fprintf(a.errOut, "lbctl: warning: %v\n", err)
		err = nil
	}
	err = errors.Join(err, closeDataPlane(dp))
	if err = errors.Join(err, srv.Close()); err == nil {
		fmt.Fprintln(a.errOut, "lbctl: endpoint stopped, state saved")
	}
	return err
}
