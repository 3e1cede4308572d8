package elbv2

import (
	"slices"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Which listeners and rules forward to which target groups is kept on both sides: each group
// lists its users (and so its one balancer, and since when it is in use), each balancer the
// groups its listeners and rules use. relink keeps the two in step; the caller stores lb.

// relink records that user (the ARN of a listener or rule of lb) forwards to the groups of
// actions, where it forwarded to those of old before.
func (r *Room) relink(p *store.Part, lb *lbRec, user string, old, actions []store.V2Action, now time.Time) error {
	before, after := forwardGroups(old), forwardGroups(actions)
	for _, arn := range after {
		if !slices.Contains(before, arn) {
			if err := r.link(p, lb, user, arn, now); err != nil {
				return err
			}
		}
	}
	for _, arn := range before {
		if !slices.Contains(after, arn) {
			if err := unlink(p, lb, user, arn); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *Room) link(p *store.Part, lb *lbRec, user, arn string, now time.Time) error {
	tg, err := getTG(p, arn)
	if err != nil {
		return err
	}
	if tg.LoadBalancer != "" && tg.LoadBalancer != lb.ARN {
		return sender("TargetGroupAssociationLimit", "Target group '%s' is already associated with load balancer '%s'", arn, tg.LoadBalancer)
	}
	if !slices.Contains(tg.Users, user) {
		tg.Users = append(tg.Users, user)
	}
	if tg.LoadBalancer == "" {
		tg.LoadBalancer, tg.InUseSince = lb.ARN, now
	}
	if k := tgKey(tg); !slices.Contains(lb.TargetGroups, k) {
		if lb.Type == typeALB && len(lb.TargetGroups) >= r.limit(limitGroupsPerALB) {
			return errTooMany("TooManyUniqueTargetGroupsPerLoadBalancer", "target groups per application load balancer", r.limit(limitGroupsPerALB))
		}
		lb.TargetGroups = append(lb.TargetGroups, k)
		if err := r.checkLBTargets(p, lb, tg); err != nil {
			return err
		}
	}
	return tgViews.Put(p, tgKey(tg), tg)
}

func unlink(p *store.Part, lb *lbRec, user, arn string) error {
	tg, err := getTG(p, arn)
	if err != nil {
		return nil // gone already: nothing links to it
	}
	tg.Users = slices.DeleteFunc(tg.Users, func(u string) bool { return u == user })
	if len(tg.Users) == 0 {
		tg.LoadBalancer, tg.InUseSince = "", time.Time{}
		k := tgKey(tg)
		lb.TargetGroups = slices.DeleteFunc(lb.TargetGroups, func(o string) bool { return o == k })
	}
	return tgViews.Put(p, tgKey(tg), tg)
}
