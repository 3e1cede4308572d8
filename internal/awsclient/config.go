package awsclient

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// DefaultRegion is used when neither the options nor the SDK's configuration name a region.
const DefaultRegion = "us-east-1"

// Config builds the aws.Config a provider opened with opts uses. Static keys are used when
// given; otherwise the SDK's default chain (environment, shared files and opts.Profile, SSO,
// instance metadata). The region comes from opts, then the SDK's configuration, then
// DefaultRegion. Retries follow Retryer with opts.MaxAttempts; given at load time, it keeps the
// loader from reading max_attempts and retry_mode at all. opts.Endpoint is not applied
// here: the SDK lets AWS_ENDPOINT_URL_<SERVICE> beat a config's BaseEndpoint, so drivers set
// it as a client option, which beats every variable.
func Config(ctx context.Context, provider string, opts driver.Options) (aws.Config, error) {
	if (opts.AccessKeyID == "") != (opts.SecretAccessKey == "") {
		return aws.Config{}, driver.Invalid(provider, "an access key ID and a secret access key go together; give both or neither")
	}
	if opts.MaxAttempts < 0 {
		return aws.Config{}, driver.Invalid(provider, "max attempts %d is negative", opts.MaxAttempts)
	}
	var load []func(*config.LoadOptions) error
	if opts.Region != "" {
		load = append(load, config.WithRegion(opts.Region))
	}
	if opts.Profile != "" {
		load = append(load, config.WithSharedConfigProfile(opts.Profile))
	}
	if opts.AccessKeyID != "" {
		load = append(load, config.WithCredentialsProvider(
			credentials.NewStaticCredentialsProvider(opts.AccessKeyID, opts.SecretAccessKey, opts.SessionToken)))
	}
	load = append(load, config.WithRetryer(func() aws.Retryer { return Retryer(opts.MaxAttempts) }))
	cfg, err := config.LoadDefaultConfig(ctx, load...)
	if err != nil {
		// The loader's messages name files and profiles, never key material.
		return aws.Config{}, &driver.Error{Kind: driver.ErrInvalid, Provider: provider, Op: "LoadConfig",
			Code: "ConfigError", Message: err.Error(), Err: err}
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	return cfg, nil
}

// UsePolicy makes every client built from cfg, a config not made by Config, follow
// Retryer(maxAttempts). Setting cfg.Retryer alone is not enough: the SDK's clients wrap any
// retryer with cfg.RetryMaxAttempts, which a loader without a retryer of its own fills from
// AWS_MAX_ATTEMPTS or a profile's max_attempts, so a "max_attempts = 1" meant for another
// tool would turn off every retry.
func UsePolicy(cfg *aws.Config, maxAttempts int) {
	cfg.Retryer = func() aws.Retryer { return Retryer(maxAttempts) }
	cfg.RetryMaxAttempts = 0
}

// throttleCodes extends the SDK's throttle codes with ELB's own.
var throttleCodes = func() map[string]struct{} {
	m := map[string]struct{}{"DependencyThrottle": {}}
	for k := range retry.DefaultThrottleErrorCodes {
		m[k] = struct{}{}
	}
	return m
}()

// Retryer is the retry policy of every lbcloud AWS client: the SDK's adaptive mode (it slows
// down on throttling), with ELB's DependencyThrottle counted as throttling, and maxAttempts
// attempts when positive (the SDK's default of 3 otherwise).
func Retryer(maxAttempts int) aws.Retryer {
	return retry.NewAdaptiveMode(func(o *retry.AdaptiveModeOptions) {
		o.Throttles = append(o.Throttles, retry.ThrottleErrorCode{Codes: throttleCodes})
		o.StandardOptions = append(o.StandardOptions, func(so *retry.StandardOptions) {
			so.Retryables = append(so.Retryables, retry.RetryableErrorCode{Codes: throttleCodes})
			if maxAttempts > 0 {
				so.MaxAttempts = maxAttempts
			}
		})
	})
}

// UndoTimeout bounds an undo. An undo outlives the caller's context, so that a cancelled call
// still leaves no half-done change, but it must not hang on an unanswering endpoint for ever.
// Tests shorten it.
var UndoTimeout = 30 * time.Second

// UndoContext is the context for undoing a half-done change: it survives the caller's
// cancellation but is bounded by its own timeout.
func UndoContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), UndoTimeout)
}
