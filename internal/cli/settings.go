package cli

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func (a *app) healthCheckCommand() *cobra.Command {
	var hc loadbalancer.HealthCheck
	c := &cobra.Command{
		Use:   "health-check NAME [--target T] [--interval D] [--timeout D] [--healthy N] [--unhealthy N]",
		Short: "Show or configure how a balancer checks its members",
		Long: `Without flags, show the balancer's health check. With flags, change those settings and keep
the others. The target is PROTOCOL:PORT[/PATH], e.g. HTTP:80/health or TCP:22.
Here --timeout is the health check's own timeout, not the global command timeout: this command
always runs under the default command timeout.`,
		Example: "  lbctl health-check web --target HTTP:80/health --interval 10s --timeout 5s --healthy 3 --unhealthy 2",
		Args:    nArgs(1, 1),
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		lb, err := s.svc.GetBalancer(ctx, args[0])
		if err != nil {
			return err
		}
		cur := loadbalancer.HealthCheck{}
		if lb.HealthCheck != nil {
			cur = *lb.HealthCheck
		}
		f := c.Flags()
		changed := false
		for _, set := range []struct {
			flag string
			do   func()
		}{
			{"target", func() { cur.Target = hc.Target }},
			{"interval", func() { cur.Interval = hc.Interval }},
			{"timeout", func() { cur.Timeout = hc.Timeout }},
			{"healthy", func() { cur.HealthyThreshold = hc.HealthyThreshold }},
			{"unhealthy", func() { cur.UnhealthyThreshold = hc.UnhealthyThreshold }},
		} {
			if f.Changed(set.flag) {
				set.do()
				changed = true
			}
		}
		if changed {
			if cur, err = s.elb.ConfigureHealthCheck(ctx, args[0], cur); err != nil {
				return err
			}
		}
		return a.render(cur, func() table {
			t := table{}
			t.add("Target", cur.Target)
			t.add("Interval", cur.Interval.String())
			t.add("Timeout", cur.Timeout.String())
			t.add("Healthy threshold", itoa(cur.HealthyThreshold))
			t.add("Unhealthy threshold", itoa(cur.UnhealthyThreshold))
			return t
		})
	})
	f := c.Flags()
	f.StringVar(&hc.Target, "target", "", "what to check: PROTOCOL:PORT[/PATH]")
	f.DurationVar(&hc.Interval, "interval", 0, "time between checks (5s-300s)")
	// Here --timeout is the check's own timeout; it shadows the global flag, so this command
	// runs under the default command timeout.
	f.DurationVar(&hc.Timeout, "timeout", 0, "time to wait for a check's answer (2s-60s)")
	f.IntVar(&hc.HealthyThreshold, "healthy", 0, "consecutive successes before a member is InService (2-10)")
	f.IntVar(&hc.UnhealthyThreshold, "unhealthy", 0, "consecutive failures before a member is OutOfService (2-10)")
	return c
}

// attributesJSON is the stable output form of a balancer's attributes, durations in the units
// the API uses (the library type has no JSON names).
type attributesJSON struct {
	CrossZone          *bool             `json:"cross_zone,omitempty"`
	IdleTimeoutSeconds int               `json:"idle_timeout_seconds,omitempty"`
	ConnectionDraining *drainingJSON     `json:"connection_draining,omitempty"`
	AccessLog          *accessLogJSON    `json:"access_log,omitempty"`
	Additional         map[string]string `json:"additional,omitempty"`
}

type drainingJSON struct {
	Enabled        bool `json:"enabled"`
	TimeoutSeconds int  `json:"timeout_seconds"`
}

type accessLogJSON struct {
	Enabled             bool   `json:"enabled"`
	S3BucketName        string `json:"s3_bucket_name,omitempty"`
	S3BucketPrefix      string `json:"s3_bucket_prefix,omitempty"`
	EmitIntervalMinutes int    `json:"emit_interval_minutes,omitempty"`
}

func attributesView(at elb.Attributes) attributesJSON {
	v := attributesJSON{CrossZone: at.CrossZone, IdleTimeoutSeconds: int(at.IdleTimeout / time.Second), Additional: at.Additional}
	if d := at.ConnectionDraining; d != nil {
		v.ConnectionDraining = &drainingJSON{Enabled: d.Enabled, TimeoutSeconds: int(d.Timeout / time.Second)}
	}
	if l := at.AccessLog; l != nil {
		v.AccessLog = &accessLogJSON{Enabled: l.Enabled, S3BucketName: l.S3BucketName, S3BucketPrefix: l.S3BucketPrefix,
			EmitIntervalMinutes: int(l.EmitInterval / time.Minute)}
	}
	return v
}

func (a *app) renderAttributes(at elb.Attributes) error {
	v := attributesView(at)
	return a.render(v, func() table {
		t := table{}
		if v.CrossZone != nil {
			t.add("Cross-zone load balancing", boolString(*v.CrossZone))
		}
		if v.IdleTimeoutSeconds != 0 {
			t.add("Idle timeout", (time.Duration(v.IdleTimeoutSeconds) * time.Second).String())
		}
		if d := v.ConnectionDraining; d != nil {
			t.add("Connection draining", boolString(d.Enabled))
			t.add("Draining timeout", (time.Duration(d.TimeoutSeconds) * time.Second).String())
		}
		if l := v.AccessLog; l != nil {
			t.add("Access log", boolString(l.Enabled))
			if l.Enabled {
				t.add("Access log bucket", l.S3BucketName+"/"+l.S3BucketPrefix)
				t.add("Access log interval", (time.Duration(l.EmitIntervalMinutes) * time.Minute).String())
			}
		}
		for _, k := range sortedKeys(v.Additional) {
			t.add(k, v.Additional[k])
		}
		return t
	})
}

func boolString(b bool) string {
	if b {
		return "enabled"
	}
	return "disabled"
}

func (a *app) attributesCommand() *cobra.Command {
	get := a.command(&cobra.Command{
		Use:   "get NAME",
		Short: "Show a balancer's attributes",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, args []string) error {
		if s.v2 != nil {
			m, err := balancerAttributes(ctx, s, args, nil)
			if err != nil {
				return err
			}
			return a.renderAttributeMap(m)
		}
		at, err := s.elb.Attributes(ctx, args[0])
		if err != nil {
			return err
		}
		return a.renderAttributes(at)
	})
	return group("attributes", "Show and change balancer attributes", get, a.setAttributesCommand())
}

func (a *app) setAttributesCommand() *cobra.Command {
	var (
		crossZone, draining, accessLog         bool
		idle, drainingTimeout, accessLogPeriod time.Duration
		bucket, prefix                         string
		additional, v2attrs                    []string
		extra                                  map[string]string
	)
	classicFlags := []string{"cross-zone", "idle-timeout", "draining", "draining-timeout",
		"access-log", "access-log-bucket", "access-log-prefix", "access-log-interval", "additional"}
	c := &cobra.Command{
		Use:   "set NAME [flags]",
		Short: "Change the given attributes; the others are left as they are",
		Example: `  lbctl attributes set web --cross-zone --idle-timeout 120s --draining --draining-timeout 30s
  lbctl --api alb attributes set web --attr idle_timeout.timeout_seconds=120 --attr routing.http2.enabled=false`,
		Args: nArgs(1, 1),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			if err := a.flagsFor(cmd, classicOnly, "an ELBv2 balancer's attributes are set by ELBv2's keys: --attr KEY=VALUE ('attributes get' lists them)", classicFlags...); err != nil {
				return err
			}
			if err := a.flagsFor(cmd, v2Only, "give the attribute flags (--cross-zone, ...) or --additional KEY=VALUE", "attr"); err != nil {
				return err
			}
			if a.v2() {
				if len(v2attrs) == 0 {
					return usagef(cmd, "at least one --attr KEY=VALUE is required ('attributes get' lists the keys)")
				}
				extra, err = parseKeyValues(cmd, "--attr", v2attrs)
				return err
			}
			if !anyChanged(cmd, classicFlags...) {
				return usagef(cmd, "give at least one attribute to change")
			}
			extra, err = parseKeyValues(cmd, "--additional", additional)
			return err
		},
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		if s.v2 != nil {
			m, err := balancerAttributes(ctx, s, args, extra)
			if err != nil {
				return err
			}
			return a.renderAttributeMap(m)
		}
		f := c.Flags()
		// Draining and access-log settings travel as one structure each: start from the current
		// ones so that changing, say, only the draining timeout keeps draining's on/off state.
		cur, err := s.elb.Attributes(ctx, args[0])
		if err != nil {
			return err
		}
		want := elb.Attributes{Additional: extra}
		if f.Changed("cross-zone") {
			want.CrossZone = &crossZone
		}
		if f.Changed("idle-timeout") {
			want.IdleTimeout = idle
		}
		if anyChanged(c, "draining", "draining-timeout") {
			d := elb.ConnectionDraining{}
			if cur.ConnectionDraining != nil {
				d = *cur.ConnectionDraining
			}
			if f.Changed("draining") {
				d.Enabled = draining
			}
			if f.Changed("draining-timeout") {
				d.Timeout = drainingTimeout
			}
			want.ConnectionDraining = &d
		}
		if anyChanged(c, "access-log", "access-log-bucket", "access-log-prefix", "access-log-interval") {
			l := elb.AccessLog{}
			if cur.AccessLog != nil {
				l = *cur.AccessLog
			}
			if f.Changed("access-log") {
				l.Enabled = accessLog
			}
			if f.Changed("access-log-bucket") {
				l.S3BucketName = bucket
			}
			if f.Changed("access-log-prefix") {
				l.S3BucketPrefix = prefix
			}
			if f.Changed("access-log-interval") {
				l.EmitInterval = accessLogPeriod
			}
			want.AccessLog = &l
		}
		got, err := s.elb.ModifyAttributes(ctx, args[0], want)
		if err != nil {
			return err
		}
		return a.renderAttributes(got)
	})
	f := c.Flags()
	f.BoolVar(&crossZone, "cross-zone", false, "spread traffic evenly across all zones' members (--cross-zone=false to stop)")
	f.DurationVar(&idle, "idle-timeout", 0, "close idle connections after this long (1s-3600s)")
	f.BoolVar(&draining, "draining", false, "keep connections to deregistering members open (--draining=false to stop)")
	f.DurationVar(&drainingTimeout, "draining-timeout", 0, "longest time to drain a member (1s-3600s)")
	f.BoolVar(&accessLog, "access-log", false, "write access logs to S3 (--access-log=false to stop)")
	f.StringVar(&bucket, "access-log-bucket", "", "S3 bucket for access logs")
	f.StringVar(&prefix, "access-log-prefix", "", "S3 key prefix for access logs")
	f.DurationVar(&accessLogPeriod, "access-log-interval", 0, "how often logs are written: 5m or 60m")
	f.StringArrayVar(&additional, "additional", nil, "additional attribute KEY=VALUE (repeatable)")
	f.StringArrayVar(&v2attrs, "attr", nil, "ELBv2: attribute KEY=VALUE, as ELBv2 names it (repeatable)")
	return c
}

func anyChanged(c *cobra.Command, names ...string) bool {
	for _, n := range names {
		if c.Flags().Changed(n) {
			return true
		}
	}
	return false
}

// limitJSON is the stable output form of an account limit.
type limitJSON struct {
	Name string `json:"name"`
	Max  string `json:"max"`
}

func (a *app) limitsCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "limits",
		Short: "Show the account's limits of the API (--api): Classic ELB's, or ELBv2's",
		Args:  noArgs,
	}, func(ctx context.Context, s *session, _ []string) error {
		out := []limitJSON{}
		if s.v2 != nil {
			for l, err := range s.v2.AccountLimits(ctx) {
				if err != nil {
					return err
				}
				out = append(out, limitJSON{Name: aws.ToString(l.Name), Max: aws.ToString(l.Max)})
			}
		} else {
			ls, err := s.elb.AccountLimits(ctx)
			if err != nil {
				return err
			}
			for _, l := range ls {
				out = append(out, limitJSON(l))
			}
		}
		return a.render(out, func() table {
			t := table{header: []string{"NAME", "MAX"}}
			for _, l := range out {
				t.add(l.Name, l.Max)
			}
			return t
		})
	})
}
