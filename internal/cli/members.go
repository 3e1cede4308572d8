package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func (a *app) membersCommand() *cobra.Command {
	list := a.command(&cobra.Command{
		Use:   "list NAME",
		Short: "List a balancer's members with their health",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, args []string) error {
		ms, err := s.svc.ListMembers(ctx, args[0])
		if err != nil {
			return err
		}
		return a.renderMembers(ms)
	})

	var (
		ms                     []loadbalancer.Member
		waitAttach, waitDetach bool
	)
	parseArgs := func(cmd *cobra.Command, args []string) (err error) {
		ms, err = parseMembers(cmd, args[1:])
		return err
	}
	attach := a.command(&cobra.Command{
		Use:     "attach NAME ID|IP[:PORT]...",
		Short:   "Register members (instance IDs, or private IPs resolved to instances)",
		Args:    nArgs(2, -1),
		PreRunE: parseArgs,
	}, func(ctx context.Context, s *session, args []string) error {
		got, err := s.svc.AttachMembers(ctx, args[0], ms)
		if err != nil {
			return err
		}
		if waitAttach {
			got, err = a.waitMembers(ctx, s, args[0], got, true)
		} else {
			// What the balancer now says of them: attaching returns their IDs alone.
			got, err = a.listed(ctx, s, args[0], got)
		}
		if err != nil {
			return err
		}
		return a.renderMembers(got)
	})
	attach.Flags().BoolVar(&waitAttach, "wait", false, "wait until every attached member is InService (bounded by --timeout)")

	detach := a.command(&cobra.Command{
		Use:     "detach NAME ID|IP...",
		Short:   "Deregister members",
		Args:    nArgs(2, -1),
		PreRunE: parseArgs,
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.svc.DetachMembers(ctx, args[0], ms); err != nil {
			return err
		}
		if waitDetach {
			if _, err := a.waitMembers(ctx, s, args[0], ms, false); err != nil {
				return err
			}
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "detached", Items: args[1:]})
	})
	detach.Flags().BoolVar(&waitDetach, "wait", false, "wait until the members are gone from the balancer (bounded by --timeout)")

	return group("members", "List, attach and detach a balancer's members", list, attach, detach)
}

func (a *app) renderMembers(ms []loadbalancer.Member) error {
	if ms == nil {
		ms = []loadbalancer.Member{}
	}
	return a.render(ms, func() table {
		t := table{header: []string{"ID", "IP", "PORT", "HEALTH", "CONDITION", "REASON"}}
		for _, m := range ms {
			t.add(m.ID, m.IP, itoa(m.Port), m.Health, string(m.Condition), m.Reason)
		}
		return t
	})
}

// waitMembers polls the balancer until every member in want is InService (inService true) or
// gone (false). It returns the last listing of the wanted members. On timeout or interrupt the
// error says which members were still pending and why.
func (a *app) waitMembers(ctx context.Context, s *session, name string, want []loadbalancer.Member, inService bool) ([]loadbalancer.Member, error) {
	goal := "InService"
	if !inService {
		goal = "deregistered"
	}
	var progress io.Writer
	if isTerminal(a.errOut) {
		progress = a.errOut
	}
	start := time.Now()
	var pending []loadbalancer.Member
	for {
		ms, err := s.svc.ListMembers(ctx, name)
		if err != nil {
			if ctx.Err() != nil {
				return nil, waitError(ctx, name, goal, start, pending)
			}
			return nil, err
		}
		var got []loadbalancer.Member
		got, pending = classify(ms, want, inService)
		if progress != nil {
			fmt.Fprintf(progress, "\rwaiting for %s: %d/%d members %s (%s)   ", name,
				len(want)-len(pending), len(want), goal, time.Since(start).Round(time.Second))
		}
		if len(pending) == 0 {
			if progress != nil {
				fmt.Fprintln(progress)
			}
			return got, nil
		}
		t := time.NewTimer(a.pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			if progress != nil {
				fmt.Fprintln(progress)
			}
			return nil, waitError(ctx, name, goal, start, pending)
		case <-t.C:
		}
	}
}

// listed returns the balancer's listing of the wanted members.
func (a *app) listed(ctx context.Context, s *session, name string, want []loadbalancer.Member) ([]loadbalancer.Member, error) {
	ms, err := s.svc.ListMembers(ctx, name)
	if err != nil {
		return nil, err
	}
	var out []loadbalancer.Member
	for _, w := range want {
		if found := find(ms, w); found != nil {
			out = append(out, *found)
		}
	}
	return out, nil
}

// find is the listed member w names: by instance ID, else by IP.
func find(ms []loadbalancer.Member, w loadbalancer.Member) *loadbalancer.Member {
	for i := range ms {
		if (w.ID != "" && ms[i].ID == w.ID) || (w.ID == "" && w.IP != "" && ms[i].IP == w.IP) {
			return &ms[i]
		}
	}
	return nil
}

// classify matches the listing against the wanted members and returns the matches and the
// members not yet in the goal state.
func classify(ms, want []loadbalancer.Member, inService bool) (got, pending []loadbalancer.Member) {
	for _, w := range want {
		found := find(ms, w)
		switch {
		case inService && found != nil && found.Health == "InService":
			got = append(got, *found)
		case inService && found != nil:
			pending = append(pending, *found)
		case inService:
			pending = append(pending, loadbalancer.Member{ID: w.ID, IP: w.IP, Health: "not registered"})
		case found != nil:
			pending = append(pending, *found)
		}
	}
	return got, pending
}

func waitError(ctx context.Context, name, goal string, start time.Time, pending []loadbalancer.Member) error {
	var parts []string
	for _, m := range pending {
		id := m.ID
		if id == "" {
			id = m.IP
		}
		p := id + " " + m.Health
		if m.Reason != "" {
			p += " (" + m.Reason + ")"
		}
		parts = append(parts, p)
	}
	sort.Strings(parts)
	still := "still pending: " + strings.Join(parts, "; ")
	if len(parts) == 0 {
		still = "no answer from the endpoint yet"
	}
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &timeoutError{msg: fmt.Sprintf("timed out after %s waiting for the members of %s to be %s; %s", elapsed, name, goal, still)}
	}
	return fmt.Errorf("interrupted after %s waiting for the members of %s to be %s; %s", elapsed, name, goal, still)
}

// timeoutError is a wait that ran out of --timeout; it matches context.DeadlineExceeded.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string        { return e.msg }
func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }
