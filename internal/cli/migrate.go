package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/migrate"
)

// migrateCommand plans, applies or verifies the migration of a Classic balancer to ELBv2.
func (a *app) migrateCommand() *cobra.Command {
	var (
		to            string
		apply, verify bool
		wait          bool
		name          string
		subnets       []string
		pickSubnet    bool
		requests      int
	)
	c := a.command(&cobra.Command{
		Use:   "migrate NAME --to alb|nlb [--apply | --verify]",
		Short: "Plan, make or check an Application or Network Load Balancer from a Classic one",
		Long: `Plans the migration of the Classic balancer NAME to an Application (alb) or Network (nlb)
Load Balancer: every Classic setting beside its ELBv2 counterpart, and each one that cannot be
carried with the reason and what to do instead. The Classic balancer is never changed.

  --apply   makes the balancer(s), target groups, listeners, attributes and tags, registers the
            instances and waits (up to --timeout; not with --wait=false) until the targets are
            healthy, which needs a data plane or AWS; running it again resumes; a failure part-way
            removes what that run made.
  --verify  compares the two: settings side by side and, on an lbcloud endpoint with its data
            plane, the same requests sent through both.`,
		Args: nArgs(1, 1),
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			switch {
			case to != string(migrate.ToALB) && to != string(migrate.ToNLB):
				return usagef(cmd, "--to must be alb or nlb, not %q", to)
			case apply && verify:
				return usagef(cmd, "--apply and --verify cannot be used together")
			case cmd.Flags().Changed("wait") && !apply:
				return usagef(cmd, "--wait goes with --apply")
			case requests < 1:
				return usagef(cmd, "--requests must be at least 1, not %d", requests)
			}
			return nil
		},
	}, func(ctx context.Context, s *session, args []string) error {
		m := migrate.New(s.cfg, migrate.WithEndpoint(s.endpoint))
		p, err := m.Plan(ctx, args[0], migrate.Request{To: migrate.Target(to), Name: name, Subnets: subnets, PickSubnet: pickSubnet})
		if err != nil {
			return err
		}
		switch {
		case apply:
			res, err := m.Apply(ctx, p, migrate.ApplyOptions{Wait: wait, Progress: a.migrateProgress()})
			if res != nil {
				if rerr := a.render(res, func() table { return resultTable(res) }); rerr != nil {
					return rerr
				}
			}
			return err
		case verify:
			rep, err := m.Verify(ctx, p, migrate.VerifyOptions{Endpoint: s.endpoint, Requests: requests})
			if err != nil {
				return err
			}
			if err := a.render(rep, func() table { return reportTable(rep) }); err != nil {
				return err
			}
			if !rep.OK {
				return fmt.Errorf("migrate %s: the migrated balancer differs from the plan or the Classic balancer", p.Source)
			}
			return nil
		}
		return a.render(p, func() table { return planTable(p) })
	})
	f := c.Flags()
	f.StringVar(&to, "to", "", "what to migrate to: alb or nlb (required)")
	f.BoolVar(&apply, "apply", false, "make what the plan describes and wait for healthy targets (bounded by --timeout)")
	f.BoolVar(&verify, "verify", false, "compare the migrated balancer with the plan and the Classic balancer")
	f.BoolVar(&wait, "wait", true, "with --apply, wait until the targets are healthy (--wait=false: return once made)")
	f.StringVar(&name, "name", "", "name of the new balancer (default: the Classic balancer's)")
	f.StringSliceVar(&subnets, "subnet", nil, "a subnet to add to the Classic balancer's (repeatable; an ALB needs two zones)")
	f.BoolVar(&pickSubnet, "pick-subnet", false, "when an ALB lacks a second zone, add a subnet of the VPC in another zone")
	f.IntVar(&requests, "requests", 8, "with --verify, requests sent through each listener of each balancer")
	_ = c.RegisterFlagCompletionFunc("to", fixedCompletion(string(migrate.ToALB), string(migrate.ToNLB)))
	return c
}

// migrateProgress reports the wait for healthy targets on a terminal, one line rewritten.
func (a *app) migrateProgress() func(migrate.Progress) {
	if !isTerminal(a.errOut) {
		return nil
	}
	return func(p migrate.Progress) {
		fmt.Fprintf(a.errOut, "\rwaiting for healthy targets: %d of %d after %s   ", p.Healthy, p.Total, p.Elapsed.Round(time.Second))
		if p.Healthy == p.Total {
			fmt.Fprintln(a.errOut)
		}
	}
}

func planTable(p *migrate.Plan) table {
	t := table{header: []string{"SETTING", "CLASSIC", "ELBV2", "STATUS", "WHY / INSTEAD"}}
	for _, s := range p.Settings {
		why := s.Reason
		if s.Instead != "" {
			why = strings.TrimPrefix(why+"; instead: "+s.Instead, "; ")
		}
		t.add(s.Setting, s.Classic, s.ELBv2, string(s.Status), why)
	}
	return t
}

func resultTable(r *migrate.Result) table {
	t := table{header: []string{"RESOURCE", "NAME", "THIS RUN"}}
	for _, x := range r.Made {
		t.add(x.Kind, x.Name, "made")
	}
	for _, x := range r.Found {
		t.add(x.Kind, x.Name, "found (earlier run)")
	}
	for _, x := range r.Removed {
		t.add(x.Kind, x.Name, "removed after the failure")
	}
	for _, x := range r.Targets {
		t.add("target", fmt.Sprintf("%s %s:%d", x.TargetGroup, x.Target, x.Port), strings.TrimSpace(x.State+" "+x.Reason))
	}
	return t
}

func reportTable(r *migrate.Report) table {
	t := table{header: []string{"CHECK", "CLASSIC", "PLANNED", "ACTUAL", "OK"}}
	for _, c := range r.Checks {
		t.add(c.What, c.Classic, c.Planned, c.Actual, yesNo(c.OK))
	}
	for _, c := range r.Traffic {
		planned := "sticky=" + yesNo(c.Sticky)
		if c.ProxyHeader != "" {
			planned += " PROXY " + c.ProxyHeader
		}
		t.add("requests "+c.Listener, strings.Join(c.Classic, " | "), planned, strings.TrimSpace(strings.Join(c.Migrated, " | ")+" "+c.Note), yesNo(c.OK))
	}
	if r.TrafficSkipped != "" {
		t.add("requests", "", "", "skipped: "+r.TrafficSkipped, "-")
	}
	return t
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
