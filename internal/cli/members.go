package cli

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/internal/awsclient"
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
		// AWS answers success (Classic) or an error (ELBv2) for members that are not
		// registered; either way the user is told which they were.
		have, given, absent, err := a.registered(ctx, s, args[0], args[1:], ms)
		if err != nil {
			return err
		}
		r := actionResult{LoadBalancer: args[0], Action: "detached", Items: given}
		if len(absent) > 0 {
			r.Note = "not registered: " + strings.Join(absent, ", ")
		}
		if len(given) == 0 {
			r.Action, r.Items, r.Note = "nothing to detach", absent, "not registered with the balancer"
			return a.done(r)
		}
		if err := s.svc.DetachMembers(ctx, args[0], have); err != nil {
			return err
		}
		if waitDetach {
			if _, err := a.waitMembers(ctx, s, args[0], have, false); err != nil {
				return err
			}
		}
		return a.done(r)
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

// waitMembers polls the balancer until every member in want is in service (inService true)
// or gone (false). It returns the last listing of the wanted members. On timeout or
// interrupt the error says which members were still pending and why.
func (a *app) waitMembers(ctx context.Context, s *session, name string, want []loadbalancer.Member, inService bool) ([]loadbalancer.Member, error) {
	goal := "deregistered"
	if inService {
		// In the provider's own word: Classic's InService, ELBv2's healthy.
		goal = "InService"
		if a.v2() {
			goal = "healthy"
		}
	}
	var got []loadbalancer.Member
	err := a.wait(ctx, waitFor{name: name, noun: "members", goal: goal, total: len(want),
		poll: func(ctx context.Context) ([]string, error) {
			ms, err := s.svc.ListMembers(ctx, name)
			if err != nil {
				return nil, err
			}
			var pending []loadbalancer.Member
			got, pending = classify(ms, want, inService)
			out := make([]string, len(pending))
			for i, m := range pending {
				out[i] = pendingString(cmp.Or(m.ID, m.IP), m.Health, m.Reason)
			}
			return out, nil
		}})
	return got, err
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
		case inService && found != nil && found.Condition == loadbalancer.MemberEnabled:
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

// registered splits the members to detach (given as args) into those the balancer has and
// those it has not. A member given by IP is matched by its address, else by the instance
// that holds it (found through EC2). It returns the members the balancer has as the
// listing names them, the arguments that named them, and the other arguments.
func (a *app) registered(ctx context.Context, s *session, name string, args []string, want []loadbalancer.Member) (have []loadbalancer.Member, given, absent []string, err error) {
	ms, err := s.svc.ListMembers(ctx, name)
	if err != nil {
		return nil, nil, nil, err
	}
	var ips []string
	for _, w := range want {
		if w.ID == "" && find(ms, w) == nil {
			ips = append(ips, w.IP)
		}
	}
	holders := map[string]string{}
	if len(ips) > 0 {
		var c *ec2.Client
		if !s.svc.As(&c) {
			return nil, nil, nil, fmt.Errorf("the %s provider has no EC2 client to find the instances of %s", s.svc.Provider(), strings.Join(ips, ", "))
		}
		if holders, err = awsclient.NewEC2(c, s.svc.Provider(), s.region).InstancesByIP(ctx, ips); err != nil {
			return nil, nil, nil, err
		}
	}
	for i, w := range want {
		found := find(ms, w)
		if found == nil && holders[w.IP] != "" {
			found = find(ms, loadbalancer.Member{ID: holders[w.IP]})
		}
		if found == nil {
			absent = append(absent, args[i])
			continue
		}
		m := *found
		m.Port = w.Port // a member given without a port leaves every port
		have, given = append(have, m), append(given, args[i])
	}
	return have, given, absent, nil
}
