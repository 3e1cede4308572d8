package cli

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"
)

// tagged names the resources a tags command acts on: balancers by name (any ELBv2 resource by
// ARN) as arguments, and with ELBv2 target groups, listeners and trust stores by flag.
type tagged struct {
	targetGroups, listeners, trustStores []string
}

func (r *tagged) add(c *cobra.Command, a *app) {
	f := c.Flags()
	f.StringArrayVar(&r.targetGroups, "target-group", nil, "ELBv2: a target group (name or ARN; repeatable)")
	f.StringArrayVar(&r.listeners, "listener", nil, "ELBv2: a listener, as BALANCER:PORT (repeatable)")
	f.StringArrayVar(&r.trustStores, "trust-store", nil, "ALB: a trust store (name or ARN; repeatable)")
	_ = c.RegisterFlagCompletionFunc("target-group", a.completeArgs(true, targetGroupNames))
	_ = c.RegisterFlagCompletionFunc("trust-store", a.completeArgs(true, trustStoreNames))
	_ = c.RegisterFlagCompletionFunc("listener", a.completeArgs(true, balancerListeners))
}

// check refuses the ELBv2 flags with Classic and a command naming nothing.
func (r *tagged) check(cmd *cobra.Command, a *app, args []string) error {
	if err := a.flagsFor(cmd, v2Only, "Classic ELB tags balancers only", "target-group", "listener", "trust-store"); err != nil {
		return err
	}
	if len(args)+len(r.targetGroups)+len(r.listeners)+len(r.trustStores) == 0 {
		return usagef(cmd, "name at least one balancer (or, with ELBv2, --target-group, --listener or --trust-store)")
	}
	for _, l := range r.listeners {
		lb, port, ok := strings.Cut(l, ":")
		if _, err := strconv.Atoi(port); !ok || lb == "" || err != nil {
			return usagef(cmd, "--listener %q: want BALANCER:PORT, such as web:443", l)
		}
	}
	return nil
}

// resolve maps each resource named to its id for the API: Classic's balancer names as they
// are, ELBv2's ARNs. Labels are how the user named them, for output.
func (r *tagged) resolve(ctx context.Context, s *session, args []string) (ids []string, labels map[string]string, err error) {
	labels = map[string]string{}
	addID := func(label, id string) {
		ids = append(ids, id)
		labels[id] = label
	}
	for _, n := range args {
		id := n
		if s.v2 != nil && !isARN(n) {
			if id, err = s.balancerARN(ctx, n); err != nil {
				return nil, nil, err
			}
		}
		addID(n, id)
	}
	for _, n := range r.targetGroups {
		arn, err := s.targetGroupARN(ctx, n)
		if err != nil {
			return nil, nil, err
		}
		addID("target-group "+n, arn)
	}
	for _, n := range r.listeners {
		lb, port, _ := strings.Cut(n, ":")
		p, _ := strconv.Atoi(port)
		l, err := s.listenerAt(ctx, lb, p)
		if err != nil {
			return nil, nil, err
		}
		addID("listener "+n, aws.ToString(l.ListenerArn))
	}
	for _, n := range r.trustStores {
		arn, err := s.trustStoreARN(ctx, n)
		if err != nil {
			return nil, nil, err
		}
		addID("trust-store "+n, arn)
	}
	return ids, labels, nil
}

func (a *app) tagsCommand() *cobra.Command {
	var listed tagged
	list := a.command(&cobra.Command{
		Use:     "list NAME...",
		Short:   "Show the tags of balancers (and, with ELBv2, of other resources)",
		Example: "  lbctl --api alb tags list web --target-group blue --listener web:443",
		Args:    nArgs(0, -1),
		PreRunE: func(cmd *cobra.Command, args []string) error { return listed.check(cmd, a, args) },
	}, func(ctx context.Context, s *session, args []string) error {
		ids, labels, err := listed.resolve(ctx, s, args)
		if err != nil {
			return err
		}
		var byID map[string]map[string]string
		if s.v2 != nil {
			byID, err = s.v2.Tags(ctx, ids...)
		} else {
			byID, err = s.elb.Tags(ctx, ids...)
		}
		if err != nil {
			return err
		}
		tags := map[string]map[string]string{}
		for _, id := range ids {
			tags[labels[id]] = byID[id]
			if tags[labels[id]] == nil {
				tags[labels[id]] = map[string]string{}
			}
		}
		column := "LOAD BALANCER"
		if s.v2 != nil {
			column = "RESOURCE"
		}
		return a.render(tags, func() table {
			t := table{header: []string{column, "KEY", "VALUE"}}
			names := make([]string, 0, len(tags))
			for n := range tags {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				for _, k := range sortedKeys(tags[n]) {
					t.add(n, k, tags[n][k])
				}
			}
			return t
		})
	})
	listed.add(list, a)

	var (
		added tagged
		kvs   []string
		tags  map[string]string
	)
	add := a.command(&cobra.Command{
		Use:   "add NAME... --tag KEY=VALUE...",
		Short: "Add or overwrite tags on balancers (and, with ELBv2, other resources)",
		Args:  nArgs(0, -1),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			if len(kvs) == 0 {
				return usagef(cmd, "at least one --tag KEY=VALUE is required")
			}
			if tags, err = parseKeyValues(cmd, "--tag", kvs); err != nil {
				return err
			}
			return added.check(cmd, a, args)
		},
	}, func(ctx context.Context, s *session, args []string) error {
		ids, labels, err := added.resolve(ctx, s, args)
		if err != nil {
			return err
		}
		if s.v2 != nil {
			err = s.v2.AddTags(ctx, ids, tags)
		} else {
			err = s.elb.AddTags(ctx, ids, tags)
		}
		if err != nil {
			return err
		}
		return a.done(actionResult{Action: "tagged", Items: labelsOf(ids, labels)})
	})
	add.Flags().StringArrayVar(&kvs, "tag", nil, "tag KEY=VALUE (repeatable)")
	added.add(add, a)

	var (
		removed tagged
		keys    []string
	)
	remove := a.command(&cobra.Command{
		Use:   "remove NAME... --key KEY...",
		Short: "Remove tags from balancers (and, with ELBv2, other resources)",
		Args:  nArgs(0, -1),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			if len(keys) == 0 {
				return usagef(cmd, "at least one --key is required")
			}
			return removed.check(cmd, a, args)
		},
	}, func(ctx context.Context, s *session, args []string) error {
		ids, labels, err := removed.resolve(ctx, s, args)
		if err != nil {
			return err
		}
		if s.v2 != nil {
			err = s.v2.RemoveTags(ctx, ids, keys...)
		} else {
			err = s.elb.RemoveTags(ctx, ids, keys...)
		}
		if err != nil {
			return err
		}
		return a.done(actionResult{Action: "untagged", Items: labelsOf(ids, labels)})
	})
	remove.Flags().StringArrayVar(&keys, "key", nil, "tag key to remove (repeatable)")
	removed.add(remove, a)

	return group("tags", "List, add and remove tags of balancers and, with ELBv2, of target groups, listeners, rules and trust stores", list, add, remove)
}

func labelsOf(ids []string, labels map[string]string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = labels[id]
	}
	return out
}

// balancerListeners completes --listener BALANCER:PORT.
func balancerListeners(ctx context.Context, s *session, _ []string) ([]string, error) {
	names, err := balancerNames(ctx, s, nil)
	var out []string
	for _, n := range names {
		ports, lerr := listenerPortsOf(ctx, s, []string{n})
		for _, p := range ports {
			out = append(out, n+":"+p)
		}
		if err == nil {
			err = lerr
		}
	}
	return out, err
}
