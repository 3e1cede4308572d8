package dataplane

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// groupSettings is what the hot path reads of a group, swapped whole on Apply.
type groupSettings struct {
	TargetGroup               // Targets is nil here: the live targets are in group.targets
	kind        Kind          // of the balancer using the group: vocabulary and fail-open
	inUse       bool          // some listener forwards to it
	idle        time.Duration // the using balancer's idle timeout: backend idle and response wait
	check       HealthCheck   // HealthCheck with the defaults filled in
	codes       [][2]int      // check.Matcher's code ranges, parsed once (validated on Apply)
}

// group is a live target group. Its routing view is rebuilt on every health change and read
// lock-free by the listeners.
type group struct {
	e        *Engine
	key      string
	token    string // AWSALBTG cookie value
	settings atomic.Pointer[groupSettings]
	view     atomic.Pointer[groupView]
	counter  atomic.Uint64

	mu        sync.Mutex
	targets   map[string]*target // registered targets; draining ones have left
	slowTimer *time.Timer
}

// groupView is an immutable routing snapshot.
type groupView struct {
	targets   []*target   // those that may get new traffic
	zones     [][]*target // targets split by zone, for cross-zone off
	byToken   map[string]*target
	slowStart bool // some target is ramping up
}

// target is one registered target.
type target struct {
	g        *group
	key      string
	id, addr string
	token    string // stickiness cookie value
	hash     uint64 // for source_ip stickiness
	inflight atomic.Int64
	streams  atomic.Int64 // proxied TCP connections and UDP flows
	conns    connSet      // every back-end connection, closed when draining ends
	backend  atomic.Pointer[httpBackend]
	// slow start window, unix nanoseconds, read by the pickers without the group lock
	slowFrom, slowUntil atomic.Int64

	// guarded by g.mu
	zone        string
	checkAddr   string
	status      status
	last        probeResult
	succ, fails int
	checkGen    int
	stopCheck   context.CancelFunc
}

func newGroup(e *Engine, key string) *group {
	g := &group{e: e, key: key, token: opaqueToken("tg", key), targets: map[string]*target{}}
	g.settings.Store(&groupSettings{})
	g.view.Store(&groupView{})
	return g
}

func opaqueToken(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func (t *target) routable() bool { return t.status == stHealthy || t.status == stUnavailable }

// update applies a new configuration to the group: settings swap, new targets register,
// missing ones drain, health checks start or stop as the group's use changes.
func (g *group) update(tg TargetGroup, kind Kind, inUse bool, idle time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	old := g.settings.Load()
	next := &groupSettings{TargetGroup: tg, kind: kind, inUse: inUse, idle: idle, check: tg.HealthCheck.withDefaults(tg.Protocol)}
	next.codes, _ = parseMatcher(next.check.Matcher)
	next.Targets = nil
	g.settings.Store(next)
	if old.Protocol != next.Protocol || old.idle != next.idle || old.ProxyProtocol != next.ProxyProtocol {
		for _, t := range g.targets {
			t.resetBackend()
		}
	}
	seen := make(map[string]bool, len(tg.Targets))
	for _, spec := range tg.Targets {
		key := spec.ID + "|" + spec.Addr
		seen[key] = true
		t, ok := g.targets[key]
		if !ok {
			t = &target{g: g, key: key, id: spec.ID, addr: spec.Addr, token: opaqueToken(g.key, key),
				hash: fnv64(key), status: stNew}
			g.targets[key] = t
		}
		t.zone, t.checkAddr = spec.Zone, spec.CheckAddr
		g.syncCheckLocked(t, next)
	}
	for key, t := range g.targets {
		if !seen[key] {
			g.deregisterLocked(t)
		}
	}
	g.rebuildLocked()
}

// syncCheckLocked starts or stops a target's health checks to match the group's use.
func (g *group) syncCheckLocked(t *target, s *groupSettings) {
	want := s.inUse && !(s.HealthCheck.Disabled && s.kind != KindClassic)
	switch {
	case want && t.stopCheck == nil:
		if t.status != stHealthy && t.status != stUnhealthy {
			g.setStatusLocked(t, stRegistering, probeResult{})
		}
		g.startCheckLocked(t)
	case !want:
		g.stopCheckLocked(t)
		st := stUnused
		if s.inUse {
			st = stUnavailable
		}
		g.setStatusLocked(t, st, probeResult{})
	}
}

func (g *group) startCheckLocked(t *target) {
	ctx, cancel := context.WithCancel(g.e.ctx)
	t.stopCheck = cancel
	t.checkGen++
	t.succ, t.fails = 0, 0
	gen := t.checkGen
	g.e.goTracked(func() { g.runChecks(ctx, t, gen) })
}

func (g *group) stopCheckLocked(t *target) {
	if t.stopCheck != nil {
		t.stopCheck()
		t.stopCheck = nil
		t.checkGen++
	}
}

// observe records one probe result and moves the target across the thresholds.
func (g *group) observe(t *target, gen int, res probeResult, hc HealthCheck) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if gen != t.checkGen {
		return // a result from checks stopped meanwhile
	}
	if res.ok {
		t.succ, t.fails = t.succ+1, 0
	} else {
		t.succ, t.fails = 0, t.fails+1
	}
	switch {
	case res.ok && t.succ >= hc.HealthyThreshold:
		g.setStatusLocked(t, stHealthy, res)
	case !res.ok && (t.fails >= hc.UnhealthyThreshold || t.status == stUnhealthy):
		g.setStatusLocked(t, stUnhealthy, res)
	case t.status == stRegistering:
		g.setStatusLocked(t, stInitialChecking, res)
	}
}

// setStatusLocked changes a target's status, reporting and re-routing when it changed.
func (g *group) setStatusLocked(t *target, st status, res probeResult) {
	if t.status == st && (st != stUnhealthy || t.last == res) {
		return
	}
	now := time.Now()
	if st == stHealthy && g.settings.Load().SlowStart > 0 && g.othersHealthyLocked(t) {
		t.slowFrom.Store(now.UnixNano())
		t.slowUntil.Store(now.Add(g.settings.Load().SlowStart).UnixNano())
	}
	t.status, t.last = st, res
	g.rebuildLocked() // routing first, so that whoever hears of the change sees it in effect
	g.emitLocked(t)
}

func (g *group) othersHealthyLocked(self *target) bool {
	for _, t := range g.targets {
		if t != self && t.status == stHealthy {
			return true
		}
	}
	return false
}

func (g *group) emitLocked(t *target) {
	state, reason, desc := describe(g.settings.Load().kind, t.status, t.last)
	g.e.events.push(HealthEvent{GroupKey: g.key, TargetID: t.id, Addr: t.addr, State: state,
		ReasonCode: reason, Description: desc, Removed: t.status == stRemoved, Time: time.Now()})
}

// rebuildLocked publishes a new routing view: the healthy targets, or, when none is healthy,
// every registered one for ELBv2 (fail open) and none for Classic (503).
func (g *group) rebuildLocked() {
	s := g.settings.Load()
	var healthy, all []*target
	for _, t := range g.targets {
		all = append(all, t)
		if t.routable() {
			healthy = append(healthy, t)
		}
	}
	list := healthy
	if len(list) == 0 && s.kind != KindClassic {
		list = all
	}
	sort.Slice(list, func(i, j int) bool { return list[i].key < list[j].key })
	v := &groupView{targets: list, byToken: make(map[string]*target, len(list))}
	now := time.Now().UnixNano()
	var slowEnd int64
	zoneIndex := map[string]int{}
	for _, t := range list {
		v.byToken[t.token] = t
		if until := t.slowUntil.Load(); until > now {
			v.slowStart = true
			slowEnd = max(slowEnd, until)
		}
		i, ok := zoneIndex[t.zone]
		if !ok {
			i = len(v.zones)
			zoneIndex[t.zone] = i
			v.zones = append(v.zones, nil)
		}
		v.zones[i] = append(v.zones[i], t)
	}
	g.view.Store(v)
	if g.slowTimer != nil {
		g.slowTimer.Stop()
		g.slowTimer = nil
	}
	if v.slowStart {
		g.slowTimer = time.AfterFunc(time.Duration(slowEnd-now), func() {
			g.mu.Lock()
			g.rebuildLocked()
			g.mu.Unlock()
		})
	}
}

// deregisterLocked takes a target out of rotation and drains it for the deregistration delay.
func (g *group) deregisterLocked(t *target) {
	delete(g.targets, t.key)
	g.stopCheckLocked(t)
	delay := g.settings.Load().DeregistrationDelay
	g.setStatusLocked(t, stDraining, probeResult{})
	g.e.goTracked(func() {
		t.drain(g.e.ctx, delay)
		g.mu.Lock()
		t.status = stRemoved
		g.emitLocked(t)
		g.mu.Unlock()
	})
}

// remove drains every target of a group that left the configuration.
func (g *group) remove() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, t := range g.targets {
		g.deregisterLocked(t)
	}
	if g.slowTimer != nil {
		g.slowTimer.Stop()
		g.slowTimer = nil
	}
}

// drain waits until the target has no request or connection in flight, at most delay (or until
// the engine closes), then closes whatever is left.
func (t *target) drain(ctx context.Context, delay time.Duration) {
	if delay > 0 && !t.idle() {
		deadline := time.NewTimer(delay)
		tick := time.NewTicker(10 * time.Millisecond)
	wait:
		for !t.idle() {
			select {
			case <-deadline.C:
				break wait
			case <-ctx.Done():
				break wait
			case <-tick.C:
			}
		}
		deadline.Stop()
		tick.Stop()
	}
	t.resetBackend()
	t.conns.closeAll()
}

func (t *target) idle() bool { return t.inflight.Load() == 0 && t.streams.Load() == 0 }

// resetBackend drops the target's HTTP transport so that the next request builds one with the
// current settings; idle connections of the old one close now, busy ones when done.
func (t *target) resetBackend() {
	if b := t.backend.Swap(nil); b != nil {
		b.transport.CloseIdleConnections()
	}
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
