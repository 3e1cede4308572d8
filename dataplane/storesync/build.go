package storesync

import (
	"log/slog"
	"reflect"
	"strconv"
	"time"

	"github.com/lbcloud/lbcloud/dataplane"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// balancerRef is what the API calls a balancer the engine serves under a key.
type balancerRef struct {
	Account, Region string
	Name            string
	ARN             string // ELBv2 only
	Type            string // classic, application, network, gateway
	DNSName         string
}

// build is one Config made from every partition of the store, with what the health writer needs
// to know about its targets.
type build struct {
	opts  Options
	certs *certCache
	log   *slog.Logger

	cfg    dataplane.Config
	meta   map[string]balancerRef            // balancer key -> its name in the API
	groups map[string][]string               // balancer key -> keys of the groups built for it
	slots  map[targetRef]slot                // the engine's targets whose health is stored
	static map[slot]health                   // targets not dialled: their health, written as is
	since  map[slot]time.Time                // ELBv2 targets: when their registration (or use) began
	byKey  map[string]*dataplane.TargetGroup // groups built so far, by key

	certsUsed map[string]bool
	now       time.Time
}

func newBuild(opts Options, certs *certCache, log *slog.Logger) *build {
	return &build{opts: opts, certs: certs, log: log, meta: map[string]balancerRef{}, groups: map[string][]string{},
		slots: map[targetRef]slot{}, static: map[slot]health{}, since: map[slot]time.Time{},
		byKey: map[string]*dataplane.TargetGroup{}, certsUsed: map[string]bool{}, now: time.Now()}
}

// partition adds the balancers of one account and region. A balancer whose records cannot be read
// is left out, with a log line, rather than every other one with it.
func (b *build) partition(p *store.Part) error {
	err := store.ClassicBalancers.ForEach(p, func(_ string, lb *store.ClassicBalancer) error {
		b.classic(p, lb)
		return nil
	})
	if err != nil {
		return err
	}
	v := &v2part{build: b, p: p}
	if err := v.load(); err != nil {
		return err
	}
	return store.V2LoadBalancers.ForEach(p, func(key string, lb *store.V2LoadBalancer) error {
		v.balancer(key, lb)
		return nil
	})
}

// addBalancer adds a balancer with the groups made for it.
func (b *build) addBalancer(bal dataplane.Balancer, ref balancerRef, groups []*dataplane.TargetGroup) {
	b.cfg.Balancers = append(b.cfg.Balancers, bal)
	b.meta[bal.Key] = ref
	for _, g := range groups {
		if b.byKey[g.Key] != nil {
			continue // an ELBv2 group used by several listeners is built once
		}
		b.byKey[g.Key] = g
		b.groups[bal.Key] = append(b.groups[bal.Key], g.Key)
	}
}

// finish puts the groups into the Config, in a stable order.
func (b *build) finish() {
	b.cfg.TargetGroups = b.cfg.TargetGroups[:0]
	for _, bal := range b.cfg.Balancers {
		for _, k := range b.groups[bal.Key] {
			b.cfg.TargetGroups = append(b.cfg.TargetGroups, *b.byKey[k])
		}
	}
}

// dropInvalid leaves out every balancer the engine refuses on its own (with its groups and the
// health slots of their targets), logging why.
func (b *build) dropInvalid(log *slog.Logger) {
	kept := b.cfg.Balancers[:0]
	for _, bal := range b.cfg.Balancers {
		alone := dataplane.Config{Balancers: []dataplane.Balancer{bal}}
		for _, k := range b.groups[bal.Key] {
			alone.TargetGroups = append(alone.TargetGroups, *b.byKey[k])
		}
		if err := dataplane.Validate(alone); err != nil {
			ref := b.meta[bal.Key]
			log.Error("storesync: balancer not served", "account", ref.Account, "region", ref.Region,
				"name", ref.Name, "error", err)
			b.forget(bal.Key)
			continue
		}
		kept = append(kept, bal)
	}
	b.cfg.Balancers = kept
	b.finish()
}

func (b *build) forget(key string) {
	gone := map[string]bool{}
	for _, k := range b.groups[key] {
		gone[k] = true
		delete(b.byKey, k)
	}
	delete(b.groups, key)
	delete(b.meta, key)
	for ref := range b.slots {
		if gone[ref.group] {
			delete(b.slots, ref)
		}
	}
}

// configEqual reports whether two Configs are the same, so that a rebuild that changes nothing
// (a health write, a tag no listener reads) costs no Apply.
func configEqual(a, b dataplane.Config) bool { return reflect.DeepEqual(a, b) }

// interval is a health check interval, shortened to Options.MaxCheckInterval.
func (b *build) interval(d time.Duration) time.Duration {
	if m := b.opts.MaxCheckInterval; m > 0 && d > m {
		return m
	}
	return d
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// seconds turns a stored number of seconds into a duration.
func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// attrMap turns an attribute list into a map.
func attrMap(attrs []store.Attribute) map[string]string {
	m := make(map[string]string, len(attrs))
	for _, a := range attrs {
		m[a.Name] = a.Value
	}
	return m
}

// intAttr reads a whole number of an attribute map, 0 when absent or malformed.
func intAttr(m map[string]string, name string) int {
	n, _ := strconv.Atoi(m[name])
	return n
}
