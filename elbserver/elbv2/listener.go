package elbv2

import (
	"reflect"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func (r *Room) createListener(c *query.Call) (any, error) {
	lbArn, err := c.Params.Required("LoadBalancerArn")
	if err != nil {
		return nil, err
	}
	var in listenerInput
	if in.certs, in.certsGiven, err = r.readCertificates(c, "Certificates"); err != nil {
		return nil, err
	}
	tags, _, err := parseTags(c.Params, "Tags")
	if err != nil {
		return nil, err
	}
	if len(tags) > maxTagsPerResource {
		return nil, sender("TooManyTags", "A resource can have at most %d tags", maxTagsPerResource)
	}
	id, ruleID, now := newID(), newID(), r.env.Now().UTC()
	var out *store.V2Listener
	err = r.update(c, func(p *store.Part) error {
		lb, err := getLB(p, lbArn)
		if err != nil {
			return err
		}
		l := &store.V2Listener{ID: id, LoadBalancer: lbKey(lb), ARN: listenerARN(lb.ARN, id), DefaultRuleID: ruleID, Tags: tags}
		if err := applyListenerSettings(p, c.Params, lb, l, in, true); err != nil {
			return err
		}
		if l.DefaultActions, err = r.parseActions(p, c.Params, "DefaultActions", actionCtx{lb: lb, protocol: l.Protocol, port: l.Port}); err != nil {
			return err
		}
		existing, err := listenerOnPort(p, lb, l.Port, "")
		if err != nil {
			return err
		}
		if existing != nil {
			if !sameListener(existing, l) {
				return sender("DuplicateListener", "A listener already exists on port %d of load balancer '%s'", l.Port, lb.ARN)
			}
			out = existing
			return nil
		}
		if err := r.checkListenerLimits(p, lb, l); err != nil {
			return err
		}
		if err := r.relink(p, lb, l.ARN, nil, l.DefaultActions, now); err != nil {
			return err
		}
		if err := retrust(p, l.ARN, "", trustStoreOf(l)); err != nil {
			return err
		}
		lb.Listeners++
		out = l
		return saveListener(p, lb, l)
	})
	if err != nil {
		return nil, err
	}
	return listenerResultOf(out), nil
}

func listenerResultOf(l *store.V2Listener) *listenerResult {
	return &listenerResult{Listeners: []xmlListener{listenerXML(l, lbARNOfListener(l.ARN))}}
}

// saveListener stores a listener and its balancer, with their views.
func saveListener(p *store.Part, lb *lbRec, l *store.V2Listener) error {
	if err := listenerViews.Put(p, listenerKey(l), l); err != nil {
		return err
	}
	return lbViews.Put(p, lbKey(lb), lb)
}

// listenerOnPort returns lb's listener on port other than the one whose id is except.
func listenerOnPort(p *store.Part, lb *lbRec, port int, except string) (*store.V2Listener, error) {
	var found *store.V2Listener
	err := store.V2Listeners.ForEachPrefix(p, lbKey(lb)+"/", "", func(_ string, l *store.V2Listener) (bool, error) {
		if l.Port == port && l.ID != except {
			found = l
		}
		return found == nil, nil
	})
	return found, err
}

// sameListener decides whether a repeated CreateListener is the idempotent retry of the
// original one.
func sameListener(a, b *store.V2Listener) bool {
	return a.Protocol == b.Protocol && a.Port == b.Port && a.Certificate == b.Certificate && a.SSLPolicy == b.SSLPolicy &&
		a.ALPNPolicy == b.ALPNPolicy && reflect.DeepEqual(a.DefaultActions, b.DefaultActions) && reflect.DeepEqual(a.MutualAuth, b.MutualAuth)
}

// checkListenerLimits: listeners per balancer, and verifying listeners per balancer.
func (r *Room) checkListenerLimits(p *store.Part, lb *lbRec, l *store.V2Listener) error {
	max := r.limit(limitListenersALB)
	if lb.Type == typeNLB {
		max = r.limit(limitListenersNLB)
	}
	if lb.Listeners >= max {
		return errTooMany("TooManyListeners", "listeners per "+lb.Type+" load balancer", max)
	}
	return r.checkVerifyListeners(p, lb, l)
}

func (r *Room) checkVerifyListeners(p *store.Part, lb *lbRec, l *store.V2Listener) error {
	if l.MutualAuth == nil || l.MutualAuth.Mode != mtlsVerify {
		return nil
	}
	n := 1
	err := store.V2Listeners.ForEachPrefix(p, lbKey(lb)+"/", "", func(_ string, o *store.V2Listener) (bool, error) {
		if o.ID != l.ID && o.MutualAuth != nil && o.MutualAuth.Mode == mtlsVerify {
			n++
		}
		return true, nil
	})
	if err == nil && n > maxVerifyListenersPerLB {
		err = errConfig("A load balancer can have at most %d listeners that verify client certificates", maxVerifyListenersPerLB)
	}
	return err
}

func (r *Room) modifyListener(c *query.Call) (any, error) {
	var in listenerInput
	var err error
	if in.certs, in.certsGiven, err = r.readCertificates(c, "Certificates"); err != nil {
		return nil, err
	}
	now := r.env.Now().UTC()
	var out *store.V2Listener
	err = r.updateListener(c, func(p *store.Part, lb *lbRec, l *store.V2Listener) error {
		oldActions, oldTrust := l.DefaultActions, trustStoreOf(l)
		if err := applyListenerSettings(p, c.Params, lb, l, in, false); err != nil {
			return err
		}
		ac := actionCtx{lb: lb, protocol: l.Protocol, port: l.Port, old: oldActions}
		if c.Params.HasPrefix("DefaultActions") {
			if l.DefaultActions, err = r.parseActions(p, c.Params, "DefaultActions", ac); err != nil {
				return err
			}
		} else if err := r.recheckActions(p, l.DefaultActions, ac); err != nil {
			return err
		}
		if other, err := listenerOnPort(p, lb, l.Port, l.ID); err != nil || other != nil {
			return firstErr(err, sender("DuplicateListener", "A listener already exists on port %d of load balancer '%s'", l.Port, lb.ARN))
		}
		if err := r.checkVerifyListeners(p, lb, l); err != nil {
			return err
		}
		if err := r.relink(p, lb, l.ARN, oldActions, l.DefaultActions, now); err != nil {
			return err
		}
		out = l
		return retrust(p, l.ARN, oldTrust, trustStoreOf(l))
	})
	if err != nil {
		return nil, err
	}
	return listenerResultOf(out), nil
}

// recheckActions checks kept actions against a listener whose protocol may have changed.
func (r *Room) recheckActions(p *store.Part, actions []store.V2Action, ac actionCtx) error {
	for _, a := range actions {
		if isAuth(a.Type) && ac.protocol != protoHTTPS {
			return errAction("%s actions are supported on HTTPS listeners only", a.Type)
		}
		for _, arn := range forwardGroups([]store.V2Action{a}) {
			if err := r.checkForwardTarget(p, arn, ac); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *Room) deleteListener(c *query.Call) (any, error) {
	arn, err := c.Params.Required("ListenerArn")
	if err != nil {
		return nil, err
	}
	return nil, r.update(c, func(p *store.Part) error {
		l, err := getListener(p, arn)
		if err != nil {
			return err
		}
		lb, err := store.V2LoadBalancers.Get(p, l.LoadBalancer)
		if err != nil || lb == nil {
			return firstErr(err, errListenerNotFound(arn))
		}
		if err := r.dropListener(p, lb, l); err != nil {
			return err
		}
		return lbViews.Put(p, lbKey(lb), lb)
	})
}

// dropListener deletes a listener, its rules, and their links to target groups and trust
// stores; the caller stores lb.
func (r *Room) dropListener(p *store.Part, lb *lbRec, l *store.V2Listener) error {
	for _, ref := range l.Rules {
		rule, err := store.V2Rules.Get(p, ruleKey(l, ref.ID))
		if err != nil {
			return err
		}
		if rule == nil {
			continue
		}
		if err := r.relink(p, lb, rule.ARN, rule.Actions, nil, time.Time{}); err != nil {
			return err
		}
		if _, err := ruleViews.Delete(p, ruleKey(l, ref.ID)); err != nil {
			return err
		}
	}
	if err := r.relink(p, lb, l.ARN, l.DefaultActions, nil, time.Time{}); err != nil {
		return err
	}
	if err := retrust(p, l.ARN, trustStoreOf(l), ""); err != nil {
		return err
	}
	lb.Listeners--
	lb.Rules -= len(l.Rules)
	lb.Certificates -= len(l.Certificates)
	_, err := listenerViews.Delete(p, listenerKey(l))
	return err
}

// deleteListenersOf drops every listener of a balancer being deleted.
func (r *Room) deleteListenersOf(p *store.Part, lb *lbRec) error {
	var ls []*store.V2Listener
	err := store.V2Listeners.ForEachPrefix(p, lbKey(lb)+"/", "", func(_ string, l *store.V2Listener) (bool, error) {
		ls = append(ls, l)
		return true, nil
	})
	for _, l := range ls {
		if err == nil {
			err = r.dropListener(p, lb, l)
		}
	}
	return err
}

// inUseAsTarget refuses to delete an Application Load Balancer registered as a target.
func (r *Room) inUseAsTarget(_ *store.Part, lb *lbRec) error {
	if len(lb.TargetOf) > 0 {
		return errInUse("Load balancer '%s' is registered as a target of target group '%s'", lb.ARN, lb.TargetOf[0])
	}
	return nil
}

func (r *Room) describeListeners(c *query.Call) (any, error) {
	d, err := readChildrenArgs(c.Params, "ListenerArns", "LoadBalancerArn", "load balancer", "listeners")
	if err != nil {
		return nil, err
	}
	arns, size, after, lbArn, lbGiven := d.arns, d.size, d.after, d.parent, d.parentGiven
	var res listenersResult
	err = r.view(c, func(p *store.Part) error {
		buf := &res.Listeners.Members
		for _, arn := range dedupe(arns) {
			key, ok, err := keyOf(arn, kindListener, c.Account, c.Region)
			if err != nil {
				return err
			}
			found := false
			if ok {
				if *buf, found, err = listenerViews.Append(p, *buf, key); err != nil {
					return err
				}
			}
			if !found {
				return errListenerNotFound(arn)
			}
		}
		if !lbGiven {
			return nil
		}
		lb, err := getLB(p, lbArn)
		if err != nil {
			return err
		}
		var last string
		var more bool
		if *buf, last, more, err = listenerViews.ScanPrefix(p, *buf, lbKey(lb)+"/", after, size); more {
			res.NextMarker = encodeMarker(last)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &res, nil
}
