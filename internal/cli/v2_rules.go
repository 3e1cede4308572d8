package cli

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/spf13/cobra"
)

// A listener's rules are named by the listener (balancer and port) and their priority; the
// default rule is the listener's default actions ('listeners modify --action').

func (a *app) rulesCommand() *cobra.Command {
	return onlyFor(group("rules", "Create, list, change, reorder and delete the rules of an ALB listener",
		a.createRuleCommand(), a.listRulesCommand(), a.modifyRuleCommand(), a.deleteRulesCommand(), a.setRulePrioritiesCommand()),
		"a Classic listener forwards to its instance port and an NLB's to its default actions ('listeners modify --action')", apiALB)
}

// parsePriority reads a rule priority: 1-50000, as ELBv2 takes it.
func parsePriority(cmd *cobra.Command, what, s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 50000 {
		return 0, usagef(cmd, "%s %q must be a number in 1-50000", what, s)
	}
	return n, nil
}

func (a *app) createRuleCommand() *cobra.Command {
	var (
		r        ruleFlags
		priority int
		tags     []string
		kv       map[string]string
	)
	c := &cobra.Command{
		Use:   "create NAME PORT --priority N --condition COND... --action ACTION... [flags]",
		Short: "Add a rule to a listener: when its conditions match, its actions run",
		Long:  "Add a rule to the listener of balancer NAME on PORT.\n\n" + syntaxHelp,
		Example: `  lbctl --api alb rules create web 443 --priority 10 --condition path=/api/* --action forward=api
  lbctl --api alb rules create web 443 --priority 20 --condition host=beta.example.com --condition method=GET --action forward=blue:90,green:10
  lbctl --api alb rules create web 80 --priority 5 --condition path=/old/* --action redirect=302:/new/#{path}
  lbctl --api alb rules create web 443 --priority 30 --condition header:User-Agent=*curl* --action fixed-response=403,text/plain,no`,
		Args:              nArgs(2, 2),
		ValidArgsFunction: a.completeListeners(false),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			if _, err = parsePort(cmd, args[1]); err != nil {
				return err
			}
			if _, err = parsePriority(cmd, "--priority", strconv.Itoa(priority)); err != nil {
				return err
			}
			conds, actions, err := r.parse(cmd)
			switch {
			case err != nil:
				return err
			case len(conds) == 0:
				return usagef(cmd, "--condition (or --conditions-json) is required: when the rule applies, e.g. --condition path=/api/*")
			case len(actions) == 0:
				return usagef(cmd, "--action (or --actions-json) is required: what the rule does, e.g. --action forward=TARGET_GROUP")
			}
			kv, err = parseKeyValues(cmd, "--tag", tags)
			return err
		},
	}
	a.onResource(c, listenerArg, func(ctx context.Context, s *session, arn string, _ []string) error {
		conds, actions, err := s.ruleSettings(ctx, c, &r)
		if err != nil {
			return err
		}
		rule, err := s.v2.CreateRule(ctx, &elbv2sdk.CreateRuleInput{ListenerArn: aws.String(arn), Priority: aws.Int32(int32(priority)),
			Conditions: conds, Actions: actions, Tags: toTags(kv)})
		if err != nil {
			return err
		}
		return a.renderRules([]types.Rule{rule})
	})
	r.add(c, true)
	f := c.Flags()
	f.IntVar(&priority, "priority", 0, "priority, 1-50000: the lowest matching rule wins (required)")
	f.StringArrayVar(&tags, "tag", nil, "tag KEY=VALUE (repeatable)")
	_ = c.MarkFlagRequired("priority")
	_ = c.RegisterFlagCompletionFunc("action", a.completeActions)
	_ = c.RegisterFlagCompletionFunc("condition", completeConditions)
	return c
}

// ruleSettings parses a command's conditions and actions and finds its target groups' ARNs.
func (s *session) ruleSettings(ctx context.Context, cmd *cobra.Command, r *ruleFlags) ([]types.RuleCondition, []types.Action, error) {
	conds, actions, err := r.parse(cmd)
	if err != nil {
		return nil, nil, err
	}
	return conds, actions, s.resolveActions(ctx, actions)
}

func (a *app) listRulesCommand() *cobra.Command {
	return a.onResource(&cobra.Command{
		Use:               "list NAME PORT",
		Short:             "List a listener's rules by priority, the default rule last",
		Args:              nArgs(2, 2),
		ValidArgsFunction: a.completeListeners(false),
		PreRunE: func(cmd *cobra.Command, args []string) error {
			_, err := parsePort(cmd, args[1])
			return err
		},
	}, listenerArg, func(ctx context.Context, s *session, arn string, _ []string) error {
		rules, err := collect(s.v2.Rules(ctx, arn))
		if err != nil {
			return err
		}
		return a.renderRules(rules)
	})
}

func (a *app) modifyRuleCommand() *cobra.Command {
	var (
		r    ruleFlags
		port int
	)
	c := &cobra.Command{
		Use:               "modify NAME PORT PRIORITY [--condition COND...] [--action ACTION...]",
		Short:             "Replace a rule's conditions, its actions, or both",
		Long:              "Replace the conditions (if given) and the actions (if given) of the rule of PRIORITY.\n\n" + syntaxHelp,
		Example:           "  lbctl --api alb rules modify web 443 10 --action forward=api-v2",
		Args:              nArgs(3, 3),
		ValidArgsFunction: a.completeListeners(true),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			if port, err = parsePort(cmd, args[1]); err != nil {
				return err
			}
			if _, err = parsePriority(cmd, "priority", args[2]); err != nil {
				return err
			}
			if !anyChanged(cmd, "condition", "conditions-json", "action", "actions-json") {
				return usagef(cmd, "give --condition or --action (or their -json forms): what to change")
			}
			_, _, err = r.parse(cmd)
			return err
		},
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		rule, err := s.ruleAt(ctx, args[0], port, args[2])
		if err != nil {
			return err
		}
		conds, actions, err := s.ruleSettings(ctx, c, &r)
		if err != nil {
			return err
		}
		got, err := s.v2.ModifyRule(ctx, &elbv2sdk.ModifyRuleInput{RuleArn: rule.RuleArn, Conditions: conds, Actions: actions})
		if err != nil {
			return err
		}
		return a.renderRules([]types.Rule{got})
	})
	r.add(c, true)
	_ = c.RegisterFlagCompletionFunc("action", a.completeActions)
	_ = c.RegisterFlagCompletionFunc("condition", completeConditions)
	return c
}

func (a *app) deleteRulesCommand() *cobra.Command {
	var port int
	return a.command(&cobra.Command{
		Use:               "delete NAME PORT PRIORITY...",
		Short:             "Delete rules by priority",
		Args:              nArgs(3, -1),
		ValidArgsFunction: a.completeArgs(true, balancerNames, listenerPortsOf, rulePriorities),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			if port, err = parsePort(cmd, args[1]); err != nil {
				return err
			}
			for _, p := range args[2:] {
				if _, err := parsePriority(cmd, "priority", p); err != nil {
					return err
				}
			}
			return nil
		},
	}, func(ctx context.Context, s *session, args []string) error {
		for _, p := range args[2:] {
			rule, err := s.ruleAt(ctx, args[0], port, p)
			if err != nil {
				return err
			}
			if err := s.v2.DeleteRule(ctx, aws.ToString(rule.RuleArn)); err != nil {
				return err
			}
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "deleted rules", Port: port, Items: args[2:]})
	})
}

func (a *app) setRulePrioritiesCommand() *cobra.Command {
	var (
		port  int
		moves map[string]int32 // old priority -> new
	)
	return a.command(&cobra.Command{
		Use:               "set-priorities NAME PORT OLD=NEW...",
		Short:             "Give rules new priorities, all at once (so two rules can swap)",
		Example:           "  lbctl --api alb rules set-priorities web 443 10=20 20=10",
		Args:              nArgs(3, -1),
		ValidArgsFunction: a.completeListeners(false),
		PreRunE: func(cmd *cobra.Command, args []string) (err error) {
			if port, err = parsePort(cmd, args[1]); err != nil {
				return err
			}
			moves = map[string]int32{}
			for _, m := range args[2:] {
				from, to, ok := strings.Cut(m, "=")
				if !ok {
					return usagef(cmd, "%q: want OLD=NEW, two priorities", m)
				}
				if _, err := parsePriority(cmd, "priority", from); err != nil {
					return err
				}
				n, err := parsePriority(cmd, "priority", to)
				if err != nil {
					return err
				}
				moves[from] = int32(n)
			}
			return nil
		},
	}, func(ctx context.Context, s *session, args []string) error {
		byARN := map[string]int32{}
		for from, to := range moves {
			rule, err := s.ruleAt(ctx, args[0], port, from)
			if err != nil {
				return err
			}
			byARN[aws.ToString(rule.RuleArn)] = to
		}
		rules, err := s.v2.SetRulePriorities(ctx, byARN)
		if err != nil {
			return err
		}
		return a.renderRules(rules)
	})
}

// renderRules shows rules by priority, the default rule last.
func (a *app) renderRules(rules []types.Rule) error {
	out := make([]ruleJSON, len(rules))
	for i, r := range rules {
		out[i] = ruleView(r)
	}
	order := func(r ruleJSON) int {
		if n, err := strconv.Atoi(r.Priority); err == nil {
			return n
		}
		return math.MaxInt // "default"
	}
	slices.SortStableFunc(out, func(x, y ruleJSON) int { return cmp.Compare(order(x), order(y)) })
	return a.render(out, func() table {
		t := table{header: []string{"PRIORITY", "CONDITIONS", "ACTIONS"}}
		for _, r := range out {
			t.add(r.Priority, strings.Join(r.Conditions, " and "), actionsText(r.Actions))
		}
		return t
	})
}

// completeConditions offers the condition kinds of --condition.
func completeConditions(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return []cobra.Completion{"path=", "host=", "method=", "source-ip=", "header:", "query="}, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}
