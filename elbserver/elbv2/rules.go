package elbv2

import (
	"encoding/xml"
	"slices"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// defaultPriority orders the default rule after every other in listings and markers.
const defaultPriority = 50001

func (r *Room) createRule(c *query.Call) (any, error) {
	if _, err := c.Params.Required("ListenerArn"); err != nil {
		return nil, err
	}
	priority, err := c.Params.IntReq("Priority", 1, 50000)
	if err != nil {
		return nil, err
	}
	tags, _, err := parseTags(c.Params, "Tags")
	if err != nil {
		return nil, err
	}
	if len(tags) > maxTagsPerResource {
		return nil, sender("TooManyTags", "A resource can have at most %d tags", maxTagsPerResource)
	}
	conds, present, err := r.parseConditions(c.Params, "Conditions")
	if err != nil {
		return nil, err
	}
	if !present {
		return nil, query.Missing("Conditions")
	}
	transforms, _, err := parseTransforms(c.Params, "Transforms")
	if err != nil {
		return nil, err
	}
	id, now := newID(), r.env.Now().UTC()
	var out *store.V2Rule
	err = r.updateListener(c, func(p *store.Part, lb *lbRec, l *store.V2Listener) error {
		if lb.Type != typeALB {
			return errConfig("Rules can be created on listeners of Application Load Balancers only")
		}
		rule := &store.V2Rule{ARN: ruleARN(l.ARN, id), ID: id, Listener: listenerKey(l), Priority: priority,
			Conditions: conds, Transforms: transforms, Tags: tags}
		var err error
		if rule.Actions, err = r.parseActions(p, c.Params, "Actions", actionCtx{lb: lb, protocol: l.Protocol, port: l.Port}); err != nil {
			return err
		}
		if slices.ContainsFunc(l.Rules, func(ref store.V2RuleRef) bool { return ref.Priority == priority }) {
			return sender("PriorityInUse", "Priority %d is in use by another rule of the listener", priority)
		}
		if lb.Rules >= r.limit(limitRulesALB) {
			return errTooMany("TooManyRules", "rules per application load balancer", r.limit(limitRulesALB))
		}
		if err := r.relink(p, lb, rule.ARN, nil, rule.Actions, now); err != nil {
			return err
		}
		l.Rules = append(l.Rules, store.V2RuleRef{ID: id, Priority: priority})
		sortRules(l)
		lb.Rules++
		out = rule
		return ruleViews.Put(p, ruleKey(l, id), rule)
	})
	if err != nil {
		return nil, err
	}
	return &ruleResult{Rules: []xmlRule{ruleXML(out)}}, nil
}

func sortRules(l *store.V2Listener) {
	slices.SortFunc(l.Rules, func(a, b store.V2RuleRef) int { return a.Priority - b.Priority })
}

// updateRule loads the rule of RuleArn with its listener and balancer in one write
// transaction, lets fn change them and stores all three.
func (r *Room) updateRule(c *query.Call, fn func(p *store.Part, lb *lbRec, rr ruleRef) error) error {
	arn, err := c.Params.Required("RuleArn")
	if err != nil {
		return err
	}
	return r.update(c, func(p *store.Part) error {
		rr, err := getRule(p, arn)
		if err != nil {
			return err
		}
		lb, err := store.V2LoadBalancers.Get(p, rr.listener.LoadBalancer)
		if err != nil || lb == nil {
			return firstErr(err, errRuleNotFound(arn))
		}
		if err := fn(p, lb, rr); err != nil {
			return err
		}
		if rr.rule != nil {
			if err := ruleViews.Put(p, ruleKey(rr.listener, rr.rule.ID), rr.rule); err != nil {
				return err
			}
		}
		if err := listenerViews.Put(p, listenerKey(rr.listener), rr.listener); err != nil {
			return err
		}
		return lbViews.Put(p, lbKey(lb), lb)
	})
}

func (r *Room) modifyRule(c *query.Call) (any, error) {
	conds, condsGiven, err := r.parseConditions(c.Params, "Conditions")
	if err != nil {
		return nil, err
	}
	transforms, transformsGiven, err := parseTransforms(c.Params, "Transforms")
	if err != nil {
		return nil, err
	}
	reset, resetGiven, err := c.Params.BoolOpt("ResetTransforms")
	if err != nil {
		return nil, err
	}
	if transformsGiven && resetGiven {
		return nil, query.Validation("Transforms and ResetTransforms cannot be specified together")
	}
	now := r.env.Now().UTC()
	var out xmlRule
	err = r.updateRule(c, func(p *store.Part, lb *lbRec, rr ruleRef) error {
		l := rr.listener
		if rr.isDefault() {
			if condsGiven || transformsGiven || resetGiven {
				return errNotPermitted("The conditions and transforms of a default rule cannot be modified")
			}
		}
		old := l.DefaultActions
		user := l.ARN
		if !rr.isDefault() {
			old, user = rr.rule.Actions, rr.rule.ARN
		}
		actions := old
		if c.Params.HasPrefix("Actions") {
			var err error
			ac := actionCtx{lb: lb, protocol: l.Protocol, port: l.Port, old: old}
			if actions, err = r.parseActions(p, c.Params, "Actions", ac); err != nil {
				return err
			}
			if err := r.relink(p, lb, user, old, actions, now); err != nil {
				return err
			}
		}
		if rr.isDefault() {
			l.DefaultActions = actions
			out = defaultRuleXML(l)
			return nil
		}
		rule := rr.rule
		rule.Actions = actions
		if condsGiven {
			rule.Conditions = conds
		}
		if transformsGiven {
			rule.Transforms = transforms
		}
		if reset {
			rule.Transforms = nil
		}
		out = ruleXML(rule)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &ruleResult{Rules: []xmlRule{out}}, nil
}

func (r *Room) deleteRule(c *query.Call) (any, error) {
	return nil, r.updateRule(c, func(p *store.Part, lb *lbRec, rr ruleRef) error {
		if rr.isDefault() {
			return errNotPermitted("The default rule of a listener cannot be deleted")
		}
		if err := r.relink(p, lb, rr.rule.ARN, rr.rule.Actions, nil, r.env.Now()); err != nil {
			return err
		}
		l := rr.listener
		l.Rules = slices.DeleteFunc(l.Rules, func(ref store.V2RuleRef) bool { return ref.ID == rr.rule.ID })
		lb.Rules--
		_, err := ruleViews.Delete(p, ruleKey(l, rr.rule.ID))
		rr.rule = nil
		return err
	})
}

func (r *Room) setRulePriorities(c *query.Call) (any, error) {
	type pair struct {
		arn      string
		priority int
	}
	var pairs []pair
	_, present, err := c.Params.Structs("RulePriorities", func(pre string) error {
		arn, err := c.Params.Required(pre + "RuleArn")
		if err != nil {
			return err
		}
		prio, err := c.Params.IntReq(pre+"Priority", 1, 50000)
		pairs = append(pairs, pair{arn, prio})
		return err
	})
	if err != nil {
		return nil, err
	}
	if !present || len(pairs) == 0 {
		return nil, query.Missing("RulePriorities")
	}
	res := &ruleResult{}
	err = r.update(c, func(p *store.Part) error {
		listeners := map[string]*store.V2Listener{}
		var rules []*store.V2Rule
		for _, pr := range pairs {
			rr, err := getRule(p, pr.arn)
			if err != nil {
				return err
			}
			if rr.isDefault() {
				return errNotPermitted("The priority of a default rule cannot be changed")
			}
			l := listeners[rr.rule.Listener]
			if l == nil {
				l, listeners[rr.rule.Listener] = rr.listener, rr.listener
			}
			if i := slices.IndexFunc(rules, func(o *store.V2Rule) bool { return o.ID == rr.rule.ID }); i >= 0 {
				rules = slices.Delete(rules, i, i+1)
			}
			rr.rule.Priority = pr.priority
			rules = append(rules, rr.rule)
			for i := range l.Rules {
				if l.Rules[i].ID == rr.rule.ID {
					l.Rules[i].Priority = pr.priority
				}
			}
		}
		for _, l := range listeners {
			sortRules(l)
			for i := 1; i < len(l.Rules); i++ {
				if l.Rules[i].Priority == l.Rules[i-1].Priority {
					return sender("PriorityInUse", "Priority %d would be used by two rules of listener '%s'", l.Rules[i].Priority, l.ARN)
				}
			}
			if err := listenerViews.Put(p, listenerKey(l), l); err != nil {
				return err
			}
		}
		for _, rule := range rules {
			if err := ruleViews.Put(p, rule.Listener+"/"+rule.ID, rule); err != nil {
				return err
			}
			res.Rules = append(res.Rules, ruleXML(rule))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func (r *Room) describeRules(c *query.Call) (any, error) {
	d, err := readChildrenArgs(c.Params, "RuleArns", "ListenerArn", "listener", "rules")
	if err != nil {
		return nil, err
	}
	arns, size, after, listenerArn, listenerGiven := d.arns, d.size, d.after, d.parent, d.parentGiven
	start := 0
	if after != "" {
		n, err := strconv.Atoi(after)
		if err != nil {
			return nil, query.Validation("Invalid Marker")
		}
		start = n
	}
	var res rulesResult
	err = r.view(c, func(p *store.Part) error {
		buf := &res.Rules.Members
		for _, arn := range dedupe(arns) {
			rr, err := getRule(p, arn)
			if err != nil {
				return err
			}
			if *buf, err = appendRule(p, *buf, rr); err != nil {
				return err
			}
		}
		if !listenerGiven {
			return nil
		}
		l, err := getListener(p, listenerArn)
		if err != nil {
			return err
		}
		n := 0
		refs := append(slices.Clone(l.Rules), store.V2RuleRef{Priority: defaultPriority})
		for _, ref := range refs {
			if ref.Priority <= start {
				continue
			}
			if n == size {
				res.NextMarker = encodeMarker(strconv.Itoa(start))
				break
			}
			rr := ruleRef{listener: l}
			if ref.Priority != defaultPriority {
				rr.rule = &store.V2Rule{ID: ref.ID}
			}
			if *buf, err = appendRule(p, *buf, rr); err != nil {
				return err
			}
			start, n = ref.Priority, n+1
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// appendRule appends a rule's description: a stored rule's rendering, or the default rule's.
func appendRule(p *store.Part, buf []byte, rr ruleRef) ([]byte, error) {
	if rr.isDefault() {
		raw, err := xml.Marshal(defaultRuleXML(rr.listener))
		return append(buf, raw...), err
	}
	out, _, err := ruleViews.Append(p, buf, ruleKey(rr.listener, rr.rule.ID))
	return out, err
}
