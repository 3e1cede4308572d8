package elbv2

import (
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Lookups by ARN. An ARN of another account or region, or of a resource since deleted, is the
// kind's NotFound error; a malformed one a ValidationError.

func getLB(p *store.Part, arn string) (*lbRec, error) {
	key, ok, err := keyOf(arn, kindLB, p.Account, p.Region)
	if err != nil {
		return nil, err
	}
	var lb *lbRec
	if ok {
		if lb, err = store.V2LoadBalancers.Get(p, key); err != nil {
			return nil, err
		}
	}
	if lb == nil {
		return nil, errLBNotFound(arn)
	}
	return lb, nil
}

// mustLB reads the required LoadBalancerArn and returns its balancer.
func mustLB(p *store.Part, params query.Params) (*lbRec, error) {
	arn, err := params.Required("LoadBalancerArn")
	if err != nil {
		return nil, err
	}
	return getLB(p, arn)
}

func getTG(p *store.Part, arn string) (*store.V2TargetGroup, error) {
	key, ok, err := keyOf(arn, kindTG, p.Account, p.Region)
	if err != nil {
		return nil, err
	}
	var tg *store.V2TargetGroup
	if ok {
		if tg, err = store.V2TargetGroups.Get(p, key); err != nil {
			return nil, err
		}
	}
	if tg == nil {
		return nil, errTGNotFound(arn)
	}
	return tg, nil
}

func getListener(p *store.Part, arn string) (*store.V2Listener, error) {
	key, ok, err := keyOf(arn, kindListener, p.Account, p.Region)
	if err != nil {
		return nil, err
	}
	var l *store.V2Listener
	if ok {
		if l, err = store.V2Listeners.Get(p, key); err != nil {
			return nil, err
		}
	}
	if l == nil {
		return nil, errListenerNotFound(arn)
	}
	return l, nil
}

// ruleRef is a rule found by ARN: a stored rule, or the default rule of its listener (rule
// nil).
type ruleRef struct {
	rule     *store.V2Rule
	listener *store.V2Listener
}

func (rr ruleRef) isDefault() bool { return rr.rule == nil }

func getRule(p *store.Part, arn string) (ruleRef, error) {
	key, ok, err := keyOf(arn, kindRule, p.Account, p.Region)
	if err != nil || !ok {
		return ruleRef{}, firstErr(err, errRuleNotFound(arn))
	}
	l, err := store.V2Listeners.Get(p, parentKey(key))
	if err != nil || l == nil {
		return ruleRef{}, firstErr(err, errRuleNotFound(arn))
	}
	if key == parentKey(key)+"/"+l.DefaultRuleID {
		return ruleRef{listener: l}, nil
	}
	rule, err := store.V2Rules.Get(p, key)
	if err != nil || rule == nil {
		return ruleRef{}, firstErr(err, errRuleNotFound(arn))
	}
	return ruleRef{rule: rule, listener: l}, nil
}

func getTrustStore(p *store.Part, arn string) (*store.V2TrustStore, error) {
	key, ok, err := keyOf(arn, kindTS, p.Account, p.Region)
	if err != nil {
		return nil, err
	}
	var ts *store.V2TrustStore
	if ok {
		if ts, err = store.V2TrustStores.Get(p, key); err != nil {
			return nil, err
		}
	}
	if ts == nil {
		return nil, errTrustStoreNotFound(arn)
	}
	return ts, nil
}

// keyOfRecord is the store key of a NAME/ID resource.
func keyOfRecord(name, id string) string { return name + "/" + id }

// lbKey, tgKey, listenerKey and ruleKey are the store keys of records.
func lbKey(lb *lbRec) string                        { return keyOfRecord(lb.Name, lb.ID) }
func tgKey(tg *store.V2TargetGroup) string          { return keyOfRecord(tg.Name, tg.ID) }
func tsKey(ts *store.V2TrustStore) string           { return keyOfRecord(ts.Name, ts.ID) }
func listenerKey(l *store.V2Listener) string        { return l.LoadBalancer + "/" + l.ID }
func ruleKey(l *store.V2Listener, id string) string { return listenerKey(l) + "/" + id }

// updateLB loads the balancer of LoadBalancerArn in one write transaction, lets fn change it
// and stores it.
func (r *Room) updateLB(c *query.Call, fn func(p *store.Part, lb *lbRec) error) error {
	return r.update(c, func(p *store.Part) error {
		lb, err := mustLB(p, c.Params)
		if err != nil {
			return err
		}
		if err := fn(p, lb); err != nil {
			return err
		}
		return lbViews.Put(p, lbKey(lb), lb)
	})
}
