package cli

import (
	"context"
	"sort"

	"github.com/spf13/cobra"
)

func (a *app) tagsCommand() *cobra.Command {
	list := a.command(&cobra.Command{
		Use:   "list NAME...",
		Short: "Show the tags of balancers",
		Args:  nArgs(1, -1),
	}, func(ctx context.Context, s *session, args []string) error {
		tags, err := s.elb.Tags(ctx, args...)
		if err != nil {
			return err
		}
		if tags == nil {
			tags = map[string]map[string]string{}
		}
		for _, n := range args {
			if tags[n] == nil {
				tags[n] = map[string]string{}
			}
		}
		return a.render(tags, func() table {
			t := table{header: []string{"LOAD BALANCER", "KEY", "VALUE"}}
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

	var (
		kvs  []string
		tags map[string]string
	)
	add := a.command(&cobra.Command{
		Use:   "add NAME... --tag KEY=VALUE...",
		Short: "Add or overwrite tags on balancers",
		Args:  nArgs(1, -1),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			if len(kvs) == 0 {
				return usagef(cmd, "at least one --tag KEY=VALUE is required")
			}
			tags, err = parseKeyValues(cmd, "--tag", kvs)
			return err
		},
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.elb.AddTags(ctx, args, tags); err != nil {
			return err
		}
		return a.done(actionResult{Action: "tagged", Items: args})
	})
	add.Flags().StringArrayVar(&kvs, "tag", nil, "tag KEY=VALUE (repeatable)")

	var keys []string
	remove := a.command(&cobra.Command{
		Use:   "remove NAME... --key KEY...",
		Short: "Remove tags from balancers",
		Args:  nArgs(1, -1),
		PreRunE: func(cmd *cobra.Command, _ []string) error {
			if len(keys) == 0 {
				return usagef(cmd, "at least one --key is required")
			}
			return nil
		},
	}, func(ctx context.Context, s *session, args []string) error {
		if err := s.elb.RemoveTags(ctx, args, keys...); err != nil {
			return err
		}
		return a.done(actionResult{Action: "untagged", Items: args})
	})
	remove.Flags().StringArrayVar(&keys, "key", nil, "tag key to remove (repeatable)")

	return group("tags", "List, add and remove balancer tags", list, add, remove)
}
