package reliability

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// scenario issues a seeded random mix of writes through the driver and keeps the model of
// what the account must hold afterwards. Each step is one driver method.
type scenario struct {
	d     *elb.Client
	rng   *rand.Rand
	model map[string]*modelLB
	seq   int
	ops   map[string]int
	pfx   string // balancer name prefix, so that several scenarios can share an account
}

func newScenario(d *elb.Client, seed uint64, prefix string) *scenario {
	return &scenario{d: d, rng: rand.New(rand.NewPCG(seed, seed+1)), model: map[string]*modelLB{}, ops: map[string]int{}, pfx: prefix}
}

func (s *scenario) next() int { s.seq++; return s.seq }

func (s *scenario) pick() (string, *modelLB) {
	names := slices.Sorted(maps.Keys(s.model))
	n := names[s.rng.IntN(len(names))]
	return n, s.model[n]
}

func pickKey[V any](rng *rand.Rand, m map[string]V) string {
	keys := slices.Sorted(maps.Keys(m))
	return keys[rng.IntN(len(keys))]
}

// step performs one operation and updates the model only when it succeeded.
func (s *scenario) step(ctx context.Context) (string, error) {
	d := s.d
	if len(s.model) < 3 || (len(s.model) < 15 && s.rng.IntN(100) < 6) {
		name := fmt.Sprintf("%s-%04d", s.pfx, s.next())
		req := httpListenerReq(name, 80)
		req.Tags = map[string]string{"created": fmt.Sprintf("ünïcode-名前-%d", s.seq)}
		if _, err := d.Service().CreateBalancer(ctx, req); err != nil {
			return "create", err
		}
		s.model[name] = newModelLB(80, req.Tags)
		return "create", nil
	}
	name, m := s.pick()
	switch r := s.rng.IntN(100); {
	case r < 3 && len(s.model) > 3:
		if err := d.Service().DestroyBalancer(ctx, name); err != nil {
			return "delete", err
		}
		delete(s.model, name)
		return "delete", nil
	case r < 18 && len(m.listeners) < 12:
		port := 1000 + s.next()%60000
		if _, taken := m.listeners[port]; taken {
			return "noop", nil
		}
		spec := elb.ListenerSpec{LoadBalancerPort: port, InstancePort: 9000, Protocol: driver.TCP}
		if err := d.CreateBalancerListeners(ctx, name, []elb.ListenerSpec{spec}); err != nil {
			return "listener+", err
		}
		m.listeners[port] = driver.Listener{Port: port, Protocol: driver.TCP, InstancePort: 9000, InstanceProtocol: driver.TCP}
		return "listener+", nil
	case r < 26 && len(m.listeners) > 1:
		ports := slices.Sorted(maps.Keys(m.listeners))
		port := ports[1+s.rng.IntN(len(ports)-1)] // never the first, so one always remains
		if err := d.DeleteBalancerListeners(ctx, name, port); err != nil {
			return "listener-", err
		}
		delete(m.listeners, port)
		return "listener-", nil
	case r < 44 && len(m.policies) < 20:
		return "policy+", s.createPolicy(ctx, name, m)
	case r < 52 && len(m.policies) > 0:
		p := pickKey(s.rng, m.policies)
		if err := d.DeleteBalancerPolicy(ctx, name, p); err != nil {
			return "policy-", err
		}
		delete(m.policies, p)
		return "policy-", nil
	case r < 66:
		ids := []driver.Member{{ID: instanceID(s.rng.IntN(40))}, {ID: instanceID(s.rng.IntN(40))}}
		if _, err := d.Service().AttachMembers(ctx, name, ids); err != nil {
			return "member+", err
		}
		m.members[ids[0].ID], m.members[ids[1].ID] = true, true
		return "member+", nil
	case r < 74 && len(m.members) > 0:
		id := pickKey(s.rng, m.members)
		if err := d.Service().DetachMembers(ctx, name, []driver.Member{{ID: id}}); err != nil {
			return "member-", err
		}
		delete(m.members, id)
		return "member-", nil
	case r < 90:
		k := fmt.Sprintf("k%d", s.rng.IntN(12))
		if _, ok := m.tags[k]; !ok && len(m.tags) >= 10 {
			return "noop", nil
		}
		v := fmt.Sprintf("välue 値 %d@x.y:z/w=+-_", s.next())
		if err := d.AddTags(ctx, []string{name}, map[string]string{k: v}); err != nil {
			return "tag+", err
		}
		m.tags[k] = v
		return "tag+", nil
	case len(m.tags) > 0:
		k := pickKey(s.rng, m.tags)
		if err := d.RemoveTags(ctx, []string{name}, k); err != nil {
			return "tag-", err
		}
		delete(m.tags, k)
		return "tag-", nil
	}
	return "noop", nil
}

func (s *scenario) createPolicy(ctx context.Context, name string, m *modelLB) error {
	pname := fmt.Sprintf("pol-%d", s.next())
	var p elb.Policy
	var err error
	switch s.rng.IntN(3) {
	case 0:
		p = elb.Policy{Type: "ProxyProtocolPolicyType", Attributes: map[string]string{"ProxyProtocol": "true"}}
		err = s.d.CreateBalancerPolicy(ctx, name, pname, p.Type, p.Attributes)
	case 1:
		cookie := fmt.Sprintf("SESSION%d", s.seq)
		p = elb.Policy{Type: "AppCookieStickinessPolicyType", Attributes: map[string]string{"CookieName": cookie}}
		err = s.d.CreateAppCookieStickinessPolicy(ctx, name, pname, cookie)
	default:
		secs := 1 + s.rng.IntN(3600)
		p = lbCookie(secs)
		err = s.d.CreateLBCookieStickinessPolicy(ctx, name, pname, time.Duration(secs)*time.Second)
	}
	if err == nil {
		p.Name = pname
		m.policies[pname] = p
	}
	return err
}

// run performs n operations (no-ops excluded), stopping at the first error.
func (s *scenario) run(ctx context.Context, n int) (int, error) {
	done := 0
	for attempts := 0; done < n && attempts < 4*n; attempts++ {
		op, err := s.step(ctx)
		if err != nil {
			return done, fmt.Errorf("operation %d (%s): %w", done+1, op, err)
		}
		if op != "noop" {
			s.ops[op]++
			done++
		}
	}
	return done, nil
}
