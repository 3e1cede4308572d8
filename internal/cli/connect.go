package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/smithy-go/logging"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

const defaultRegion = "us-east-1"

// session is a connection for one command: the portable service, the client behind it for
// the operations of its API (elb for Classic, v2 for ALB and NLB; the other is nil), and, on
// the local target, the in-process endpoint.
type session struct {
	api    string // apiClassic, apiALB or apiNLB
	svc    *loadbalancer.Service
	elb    *elb.Client
	v2     *elbv2.Client
	region string
	local  *localEndpoint
	// cfg and endpoint sign and address lbcloud's own requests to a running 'lbctl serve'.
	cfg      aws.Config
	endpoint string
}

func (s *session) close() error {
	err := s.svc.Close()
	if s.local != nil {
		err = errors.Join(err, s.local.close())
	}
	return err
}

// connect opens the session the global flags describe.
func (a *app) connect(ctx context.Context) (*session, error) {
	var cfg aws.Config
	endpoint, ok := a.where.url, false
	s := &session{}
	if a.where.local {
		path, err := defaultStatePath()
		if err != nil {
			return nil, err
		}
		cfg = a.localConfig()
		if endpoint, ok = discover(path); !ok {
			le, err := startLocal(path, elbserver.Options{StatePath: path})
			if err != nil {
				return nil, err
			}
			s.local, endpoint = le, le.url
		}
	} else {
		var err error
		if cfg, err = a.remoteConfig(ctx); err != nil {
			return nil, err
		}
	}
	a.finishConfig(&cfg)
	s.open(a.kind, cfg, endpoint)
	s.cfg, s.endpoint = cfg, endpoint
	return s, nil
}

// open builds the clients of api on cfg, sending every request to endpoint ("" for the
// SDK's own resolution). ELBv2 listings include listeners, which 'balancers list' shows.
func (s *session) open(api string, cfg aws.Config, endpoint string) {
	s.api = api
	if api == apiClassic {
		s.elb = elb.NewClient(cfg, elb.WithEndpoint(endpoint))
		s.svc, s.region = s.elb.Service(), s.elb.Region()
		return
	}
	s.v2 = elbv2.NewClient(cfg, elbv2.Type(api), elbv2.WithEndpoint(endpoint), elbv2.WithListenersInListing())
	s.svc, s.region = s.v2.Service(), s.v2.Region()
}

// localConfig talks to the in-process endpoint with its default credentials, ignoring the
// user's AWS environment so that a stray AWS_PROFILE cannot break local use.
func (a *app) localConfig() aws.Config {
	cfg := aws.NewConfig()
	cfg.Region = a.region
	if cfg.Region == "" {
		cfg.Region = defaultRegion
	}
	c := sigv4auth.DefaultCredential
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""))
	return *cfg
}

// remoteConfig loads the SDK's default chain (environment, --profile, shared files). The
// endpoint is not put in the config: as a client option (elb.WithEndpoint) it also beats
// AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING, which would win over a config's BaseEndpoint.
func (a *app) remoteConfig(ctx context.Context) (aws.Config, error) {
	// The logger goes in at load time so that the credential providers built here (such as
	// the instance metadata client) use it too.
	opts := []func(*config.LoadOptions) error{config.WithLogger(a.logger())}
	if a.region != "" {
		opts = append(opts, config.WithRegion(a.region))
	}
	if a.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(a.profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load AWS configuration: %w", err)
	}
	if cfg.Region == "" && a.where.url != "" {
		// Local endpoints ignore the region's name but the signature needs one.
		cfg.Region = defaultRegion
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: set --region, AWS_REGION or a region in the profile")
	}
	return cfg, nil
}

// finishConfig gives every config the driver's retry policy (as elb.Open does: a profile's
// max_attempts or AWS_MAX_ATTEMPTS must not turn retries off) and the logger; with --debug,
// the request and response trace.
func (a *app) finishConfig(cfg *aws.Config) {
	awsclient.UsePolicy(cfg, 0)
	cfg.Logger = a.logger()
	if a.debug {
		cfg.ClientLogMode = aws.LogRequestWithBody | aws.LogResponseWithBody | aws.LogRetries
	}
}

// logger is the SDK's logger: the redacting trace with --debug; otherwise none, as the SDK's
// own warnings (such as its instance metadata fallback) only repeat what the error line says.
func (a *app) logger() logging.Logger {
	if a.debug {
		return &redactingLogger{w: a.errOut}
	}
	return logging.Nop{}
}

// statePath is $XDG_STATE_HOME/lbcloud/state.db, else ~/.local/state/lbcloud/state.db.
func statePath() (string, error) {
	base := os.Getenv("XDG_STATE_HOME")
	if base == "" || !filepath.IsAbs(base) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("locate the state directory: %w (set XDG_STATE_HOME)", err)
		}
		base = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(base, "lbcloud", "state.db"), nil
}

// defaultStatePath is statePath with its directory created private (0700); the endpoint
// creates the file 0600.
func defaultStatePath() (string, error) {
	path, err := statePath()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", fmt.Errorf("create the state directory: %w", err)
	}
	return path, nil
}

// localEndpoint is an elbserver served on a loopback port for the life of one command.
type localEndpoint struct {
	url    string
	srv    *elbserver.Server
	stop   context.CancelFunc
	served chan error
}

func startLocal(path string, opts elbserver.Options) (*localEndpoint, error) {
	srv, err := elbserver.New(opts)
	if err != nil {
		return nil, &stateError{path: path, err: err}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("start the local endpoint: %w", err)
	}
	ctx, stop := context.WithCancel(context.Background())
	le := &localEndpoint{url: "http://" + ln.Addr().String(), srv: srv, stop: stop, served: make(chan error, 1)}
	go func() { le.served <- srv.Serve(ctx, ln, elbserver.ServeOptions{}) }()
	return le, nil
}

func (le *localEndpoint) close() error {
	le.stop()
	return errors.Join(<-le.served, le.srv.Close())
}

// stateError is a state file that could not be used; its hint says what to do about it.
type stateError struct {
	path string
	err  error
}

func (e *stateError) Error() string { return e.err.Error() }
func (e *stateError) Unwrap() error { return e.err }

// hint suggests the next step for each reason a state file is refused.
func (e *stateError) hint() string {
	switch {
	case errors.Is(e.err, elbserver.ErrStateInUse):
		return fmt.Sprintf("another process holds %s: a 'lbctl serve' on it with --credentials or a non-loopback --listen is reached with --endpoint URL", e.path)
	case errors.Is(e.err, elbserver.ErrStateDamaged):
		return fmt.Sprintf("the file is left as it was; 'lbctl state check --state %s' lists what is damaged, or move it aside to start afresh", e.path)
	case errors.Is(e.err, elbserver.ErrStateNewer):
		return "a newer lbctl wrote this state file; use that version (run 'lbctl version' to see this one's)"
	case errors.Is(e.err, syscall.ENOSPC):
		return fmt.Sprintf("the disk holding %s is full; free some space and retry", e.path)
	case errors.Is(e.err, fs.ErrPermission):
		return fmt.Sprintf("this user may not read or write %s or its directory; check their owner and mode", e.path)
	}
	return "" // writable by others: the message names the chmod that fixes it
}
