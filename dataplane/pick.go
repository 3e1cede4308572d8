package dataplane

import (
	"math/rand/v2"
	"net/netip"
	"time"
)

// pick chooses a target for a new request or connection by the group's algorithm, or nil.
func (g *group) pick(crossZone bool) *target { return g.pickFrom(g.view.Load(), crossZone) }

// pickFrom chooses from a view. With cross-zone off, one counter spreads picks evenly over the
// zones first and over each zone's targets second, as one balancer node per zone would.
func (g *group) pickFrom(v *groupView, crossZone bool) *target {
	list := v.targets
	if len(list) == 0 {
		return nil
	}
	n := g.counter.Add(1) - 1
	if !crossZone && len(v.zones) > 1 {
		z := uint64(len(v.zones))
		list = v.zones[n%z]
		n /= z
	}
	if v.slowStart {
		return pickWeighted(list, time.Now())
	}
	switch g.settings.Load().Algorithm {
	case LeastOutstandingRequests:
		return pickLeast(list, n)
	case WeightedRandom:
		return list[rand.IntN(len(list))]
	}
	return list[n%uint64(len(list))]
}

// pickLeast returns the target with the fewest requests in flight, scanning from a rotating
// start so that ties are shared.
func pickLeast(list []*target, n uint64) *target {
	start := int(n % uint64(len(list)))
	best := list[start]
	bestN := best.inflight.Load()
	for i := 1; i < len(list) && bestN > 0; i++ {
		t := list[(start+i)%len(list)]
		if c := t.inflight.Load(); c < bestN {
			best, bestN = t, c
		}
	}
	return best
}

// pickWeighted draws a target at random, a target in slow start weighted by how far its ramp
// has gone (from a small share up to a full one).
func pickWeighted(list []*target, now time.Time) *target {
	weights := make([]float64, len(list))
	var total float64
	for i, t := range list {
		weights[i] = slowWeight(t, now)
		total += weights[i]
	}
	x := rand.Float64() * total
	for i, w := range weights {
		if x < w {
			return list[i]
		}
		x -= w
	}
	return list[len(list)-1]
}

func slowWeight(t *target, now time.Time) float64 {
	from, until, n := t.slowFrom.Load(), t.slowUntil.Load(), now.UnixNano()
	if until <= n {
		return 1
	}
	return max(float64(n-from)/float64(until-from), 0.01)
}

// pickFlow chooses the target of a new TCP connection or UDP flow from client: by source IP
// when the group is sticky that way, by the group's algorithm otherwise.
func (g *group) pickFlow(client netip.Addr, crossZone bool) *target {
	if g.settings.Load().Stickiness.Type == StickySourceIP {
		return g.pickByHash(fnv64(client.String()))
	}
	return g.pick(crossZone)
}

// pickByHash chooses a target for a client address by rendezvous hashing: the same client
// keeps its target while that target stays available, and only its clients move when it leaves.
func (g *group) pickByHash(h uint64) *target {
	v := g.view.Load()
	var best *target
	var bestScore uint64
	for _, t := range v.targets {
		if s := mix64(h ^ t.hash); best == nil || s > bestScore {
			best, bestScore = t, s
		}
	}
	return best
}

func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9a34fe63aa9
	x ^= x >> 33
	return x
}
