package elbv2

import (
	"net/netip"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

var (
	// Compiled on first use: counted repetitions and Unicode classes take milliseconds to
	// compile, which every lbctl start would pay otherwise.
	lambdaARNRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[a-zA-Z0-9-_]{1,64}(:[a-zA-Z0-9$_-]{1,128})?$`)
	})
	quicServerRE = regexp.MustCompile(`^0x[0-9a-f]{16}$`)
	// ipTargetRanges are the private ranges AWS accepts ip targets from (RFC 1918, RFC 6598,
	// IPv6 unique local addresses), besides the VPC's own, which the endpoint does not know.
	ipTargetRanges = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
		netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("fc00::/7")}
)

// targetSpec is a target as a request names it.
type targetSpec struct {
	ID, Zone, QuicServerID string
	Port                   int // 0: the group's port
	zoneGiven              bool
}

// parseTargets reads Targets.member.N.
func parseTargets(p query.Params, required bool) ([]targetSpec, error) {
	var out []targetSpec
	n, present, err := p.Structs("Targets", func(pre string) error {
		t := targetSpec{ID: p[pre+"Id"]}
		if t.ID == "" {
			return query.Missing(pre + "Id")
		}
		port, _, err := p.IntOpt(pre+"Port", 1, 65535)
		if err != nil {
			return err
		}
		t.Port = port
		t.Zone, t.zoneGiven = p.Str(pre + "AvailabilityZone")
		if q, ok := p.Str(pre + "QuicServerId"); ok {
			if !quicServerRE.MatchString(q) {
				return query.Validation("QuicServerId '%s' must be 0x followed by 16 lowercase hexadecimal digits", q)
			}
			t.QuicServerID = q
		}
		out = append(out, t)
		return nil
	})
	switch {
	case err != nil:
		return nil, err
	case required && !present:
		return nil, query.Missing("Targets")
	case required && n == 0:
		return nil, query.Validation("Targets must contain at least one target")
	}
	return out, nil
}

// resolveTarget checks a target against its group and fills its port.
func (r *Room) resolveTarget(p *store.Part, tg *tgRec, t *targetSpec, registering bool) error {
	if t.Port == 0 {
		t.Port = tg.Port
	}
	switch tg.TargetType {
	case targetInstance:
		if t.zoneGiven {
			return query.Validation("An Availability Zone cannot be specified for instance targets")
		}
		if registering {
			_, err := r.ec2.CheckInstanceV2(p, t.ID)
			return err
		}
		if !ec2.InstanceIDRE.MatchString(t.ID) {
			return errInvalidTarget("The instance ID '%s' is not valid", t.ID)
		}
	case targetIP:
		return r.checkIPTarget(tg, t)
	case targetLambda:
		if !lambdaARNRE().MatchString(t.ID) {
			return errInvalidTarget("'%s' is not a valid Lambda function ARN", t.ID)
		}
		if t.zoneGiven && t.Zone != "all" {
			return query.Validation("The Availability Zone of a Lambda target can only be 'all'")
		}
		t.Port = 0
	case targetALB:
		if t.zoneGiven {
			return query.Validation("An Availability Zone cannot be specified for alb targets")
		}
		if registering {
			return r.checkALBTarget(p, tg, t)
		}
	}
	if t.QuicServerID != "" && tg.Protocol != protoQUIC && tg.Protocol != protoTCPQUIC {
		return query.Validation("QuicServerId applies to QUIC and TCP_QUIC target groups only")
	}
	if registering && t.QuicServerID == "" && (tg.Protocol == protoQUIC || tg.Protocol == protoTCPQUIC) {
		return query.Validation("Targets of QUIC and TCP_QUIC target groups need a QuicServerId")
	}
	if tg.Protocol == protoGENEVE && t.Port != genevePort {
		return errInvalidTarget("Targets of GENEVE target groups must use port %d", genevePort)
	}
	return nil
}

// checkIPTarget: an address of the group's family from a private range; outside strict mode
// loopback addresses too, so that a data plane can forward to local processes.
func (r *Room) checkIPTarget(tg *tgRec, t *targetSpec) error {
	a, err := netip.ParseAddr(t.ID)
	if err != nil || a.Zone() != "" {
		return errInvalidTarget("'%s' is not a valid IP address", t.ID)
	}
	a = a.Unmap()
	if (tg.IPAddressType == "ipv6") != a.Is6() {
		return errInvalidTarget("The IP address '%s' does not match the target group's IP address type %s", t.ID, tg.IPAddressType)
	}
	private := slices.ContainsFunc(ipTargetRanges, func(pf netip.Prefix) bool { return pf.Contains(a) })
	if !private && !(a.IsLoopback() && !r.env.Strict) {
		return errInvalidTarget("The IP address '%s' is not in the VPC's CIDR blocks or a private range", t.ID)
	}
	if t.zoneGiven && t.Zone != "all" && !ec2.ValidZone(regionOfZone(t.Zone), t.Zone) {
		return query.Validation("'%s' is not a valid Availability Zone", t.Zone)
	}
	return nil
}

func regionOfZone(zone string) string {
	if len(zone) < 2 {
		return ""
	}
	return zone[:len(zone)-1]
}

// checkALBTarget: an Application Load Balancer of the account with a listener on the port.
func (r *Room) checkALBTarget(p *store.Part, tg *tgRec, t *targetSpec) error {
	key, ok, err := keyOf(t.ID, kindLB, p.Account, p.Region)
	if err != nil {
		return errInvalidTarget("'%s' is not a valid load balancer ARN", t.ID)
	}
	var lb *lbRec
	if ok {
		if lb, err = store.V2LoadBalancers.Get(p, key); err != nil {
			return err
		}
	}
	if lb == nil || lb.Type != typeALB {
		return errInvalidTarget("'%s' is not an Application Load Balancer of this account", t.ID)
	}
	if t.Port != tg.Port {
		return errInvalidTarget("An alb target must use the target group's port %d", tg.Port)
	}
	found := false
	err = store.V2Listeners.ForEachPrefix(p, key+"/", "", func(_ string, l *store.V2Listener) (bool, error) {
		found = l.Port == tg.Port
		return !found, nil
	})
	if err == nil && !found {
		err = errInvalidTarget("Load balancer '%s' has no listener on port %d", t.ID, tg.Port)
	}
	return err
}

func (r *Room) registerTargets(c *query.Call) (any, error) { return r.changeTargets(c, true) }

func (r *Room) deregisterTargets(c *query.Call) (any, error) { return r.changeTargets(c, false) }

// changeTargets registers or deregisters the targets of a call, after purging the targets
// whose draining is over; a registration is checked against the account's target limits.
func (r *Room) changeTargets(c *query.Call, add bool) (any, error) {
	specs, err := parseTargets(c.Params, true)
	if err != nil {
		return nil, err
	}
	now := r.env.Now().UTC()
	return nil, r.updateTG(c, func(p *store.Part, tg *tgRec) error {
		if err := r.purgeDrained(p, tg, now); err != nil {
			return err
		}
		for i := range specs {
			if err := r.resolveTarget(p, tg, &specs[i], add); err != nil {
				return err
			}
			change := r.deregister
			if add {
				change = r.register
			}
			if err := change(p, tg, specs[i], now); err != nil {
				return err
			}
		}
		if !add {
			return nil
		}
		return r.checkTargetLimits(p, tg)
	})
}

// register adds one target, or revives it if it was draining; a registered one is left as it
// is.
func (r *Room) register(p *store.Part, tg *tgRec, t targetSpec, now time.Time) error {
	key := store.V2TargetKey(tgKey(tg), t.ID, t.Port)
	cur, err := store.V2Targets.Get(p, key)
	if err != nil || (cur != nil && cur.Deregistered.IsZero()) {
		return err
	}
	if (tg.TargetType == targetLambda || tg.TargetType == targetALB) && tg.Targets > 0 {
		return errTooMany("TooManyTargets", "targets of a "+tg.TargetType+" target group", 1)
	}
	if err := r.checkRegistrations(p, tg, t.ID); err != nil {
		return err
	}
	if t.QuicServerID != "" {
		if err := uniqueQuicID(p, tg, t); err != nil {
			return err
		}
	}
	if tg.TargetType == targetALB {
		if err := markTargetOf(p, t.ID, tg.ARN, true); err != nil {
			return err
		}
	}
	tg.Targets++
	rec := store.V2Target{ID: t.ID, Port: t.Port, Zone: t.Zone, QuicServerID: t.QuicServerID, Registered: now}
	return store.V2Targets.Put(p, key, &rec)
}

// checkRegistrations counts the registrations of one target id with the group, against
// target-id-registrations-per-application-load-balancer.
func (r *Room) checkRegistrations(p *store.Part, tg *tgRec, id string) error {
	n := 0
	err := store.V2Targets.ForEachPrefix(p, tgKey(tg)+"|"+id+"|", "", func(string, *store.V2Target) (bool, error) {
		n++
		return true, nil
	})
	if err == nil && n >= r.limit(limitRegistrationsALB) {
		err = errTooMany("TooManyRegistrationsForTargetId", "registrations of target "+id, r.limit(limitRegistrationsALB))
	}
	return err
}

func uniqueQuicID(p *store.Part, tg *tgRec, t targetSpec) error {
	return store.V2Targets.ForEachPrefix(p, tgKey(tg)+"|", "", func(_ string, o *store.V2Target) (bool, error) {
		if o.QuicServerID == t.QuicServerID {
			return false, errInvalidTarget("QuicServerId '%s' is already used by target %s", t.QuicServerID, o.ID)
		}
		return true, nil
	})
}

// markTargetOf records, on the balancer whose ARN is lbARN, that it is (or no longer is) a
// target of the group tgARN.
func markTargetOf(p *store.Part, lbARN, tgARN string, add bool) error {
	lb, err := getLB(p, lbARN)
	if err != nil {
		return nil // deleted meanwhile: nothing to record
	}
	lb.TargetOf = slices.DeleteFunc(lb.TargetOf, func(a string) bool { return a == tgARN })
	if add {
		lb.TargetOf = append(lb.TargetOf, tgARN)
	}
	return lbViews.Put(p, lbKey(lb), lb)
}

// checkTargetLimits checks the group's targets against targets-per-target-group, and its
// balancer's against its type's limit.
func (r *Room) checkTargetLimits(p *store.Part, tg *tgRec) error {
	if tg.Targets > r.limit(limitTargetsPerGroup) {
		return errTooMany("TooManyTargets", "targets per target group", r.limit(limitTargetsPerGroup))
	}
	if tg.LoadBalancer == "" {
		return nil
	}
	ref, _ := parseARN(tg.LoadBalancer)
	lb, err := store.V2LoadBalancers.Get(p, ref.key)
	if err != nil || lb == nil {
		return err
	}
	return r.checkLBTargets(p, lb, tg)
}

// checkLBTargets sums the targets of lb's groups (with tg as it is now) against the limit of
// lb's type.
func (r *Room) checkLBTargets(p *store.Part, lb *lbRec, tg *tgRec) error {
	max := r.limit(limitTargetsALB)
	if lb.Type == typeNLB {
		max = r.limit(limitTargetsNLB)
	}
	if lb.Type == typeGWLB {
		return nil
	}
	total := tg.Targets
	for _, k := range lb.TargetGroups {
		if k == tgKey(tg) {
			continue
		}
		o, err := store.V2TargetGroups.Get(p, k)
		if err != nil {
			return err
		}
		if o != nil {
			total += o.Targets
		}
	}
	if total > max {
		return errTooMany("TooManyTargets", "targets per "+lb.Type+" load balancer", max)
	}
	return nil
}

// deregister starts a target's draining, or removes it at once when nothing routes to its
// group or the group has no deregistration delay. A target not registered is no error.
func (r *Room) deregister(p *store.Part, tg *tgRec, t targetSpec, now time.Time) error {
	key := store.V2TargetKey(tgKey(tg), t.ID, t.Port)
	cur, err := store.V2Targets.Get(p, key)
	if err != nil || cur == nil || !cur.Deregistered.IsZero() {
		return err
	}
	tg.Targets--
	if tg.TargetType == targetALB {
		if err := markTargetOf(p, t.ID, tg.ARN, false); err != nil {
			return err
		}
	}
	if tg.LoadBalancer == "" || tg.TargetType == targetLambda || deregistrationDelay(tg) == 0 {
		return deleteTarget(p, key)
	}
	cur.Deregistered = now
	return store.V2Targets.Put(p, key, cur)
}

func deleteTarget(p *store.Part, key string) error {
	if _, err := store.V2Targets.Delete(p, key); err != nil {
		return err
	}
	_, err := store.V2Health.Delete(p, key)
	return err
}

// drained reports whether a deregistered target has finished draining.
func drained(tg *tgRec, t *store.V2Target, now time.Time) bool {
	return !t.Deregistered.IsZero() && !now.Before(t.Deregistered.Add(time.Duration(deregistrationDelay(tg))*time.Second))
}

// purgeDrained removes the group's targets whose draining is over, so records stay bounded by
// the registered targets.
func (r *Room) purgeDrained(p *store.Part, tg *tgRec, now time.Time) error {
	var gone []string
	err := store.V2Targets.ForEachPrefix(p, tgKey(tg)+"|", "", func(k string, t *store.V2Target) (bool, error) {
		if drained(tg, t, now) {
			gone = append(gone, k)
		}
		return true, nil
	})
	for _, k := range gone {
		if err == nil {
			err = deleteTarget(p, k)
		}
	}
	return err
}

// dropTargets removes every target of a group being deleted, and their health.
func (r *Room) dropTargets(p *store.Part, tg *tgRec) error {
	var keys, albs []string
	err := store.V2Targets.ForEachPrefix(p, tgKey(tg)+"|", "", func(k string, t *store.V2Target) (bool, error) {
		keys = append(keys, k)
		if tg.TargetType == targetALB {
			albs = append(albs, t.ID)
		}
		return true, nil
	})
	for _, k := range keys {
		if err == nil {
			err = deleteTarget(p, k)
		}
	}
	for _, id := range albs {
		if err == nil {
			err = markTargetOf(p, id, tg.ARN, false)
		}
	}
	return err
}
