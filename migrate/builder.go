package migrate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Tags the migration puts on what it makes, so that a later run finds it (and knows it is a
// migration's, not someone else's) and Verify knows where it came from.
const (
	// TagMigratedFrom is on every balancer and target group a migration makes: its value is
	// the Classic balancer's name.
	TagMigratedFrom = "lbcloud:migrated-from"
)

// Protocols, as the APIs spell them.
const (
	protoHTTP  = "HTTP"
	protoHTTPS = "HTTPS"
	protoTCP   = "TCP"
	protoSSL   = "SSL"
	protoTLS   = "TLS"
)

// maxName is ELBv2's longest balancer or target group name.
const maxName = 32

// builder assembles a Plan from a Classic balancer.
type builder struct {
	c   *Classic
	req Request
	// lbs[0] is the balancer of the requested type; an ALB migration puts TCP and SSL
	// listeners on lbs[1], a network balancer.
	lbs    []*Balancer
	groups []groupEntry
	used   map[string]bool   // policies enabled somewhere, so carried or explained
	placed map[int]*Balancer // Classic listener port -> the balancer that carries it
	rows   []Setting
}

// groupEntry is a planned target group with what set it apart: its balancer, protocol, port
// and the attributes that come from its listeners (stickiness, PROXY protocol).
type groupEntry struct {
	lb    *Balancer
	index int // in lb.TargetGroups
	key   string
}

func newBuilder(c *Classic, req Request) *builder {
	b := &builder{c: c, req: req, used: map[string]bool{}, placed: map[int]*Balancer{}}
	t := typeApplication
	if req.To == ToNLB || !slices.ContainsFunc(c.Listeners, layer7) {
		t = typeNetwork
	}
	name := req.Name
	if name == "" {
		name = c.Name
	}
	b.lbs = []*Balancer{b.newBalancer(name, t)}
	return b
}

func (b *builder) newBalancer(name, t string) *Balancer {
	return &Balancer{Name: name, Type: t, Scheme: b.c.Scheme, Attributes: map[string]string{},
		Tags: map[string]string{}, Listeners: []Listener{}, TargetGroups: []TargetGroup{}}
}

// networkBalancer is the second balancer an ALB migration puts TCP and SSL listeners on.
func (b *builder) networkBalancer() *Balancer {
	if len(b.lbs) == 1 {
		b.lbs = append(b.lbs, b.newBalancer(trimName(b.lbs[0].Name, "-nlb"), typeNetwork))
	}
	return b.lbs[1]
}

// group returns the target group for the given balancer, protocol, port and listener-given
// attributes, planning it the first time.
func (b *builder) group(lb *Balancer, protocol string, port int, attrs map[string]string) *TargetGroup {
	key := fmt.Sprintf("%s:%d %s", protocol, port, attrsKey(attrs))
	variants := 0
	for _, g := range b.groups {
		if g.lb != lb {
			continue
		}
		tg := &lb.TargetGroups[g.index]
		if g.key == key {
			return tg
		}
		if tg.Protocol == protocol && tg.Port == port {
			variants++
		}
	}
	suffix := "-" + strconv.Itoa(port) + "-" + strings.ToLower(protocol)
	if variants > 0 {
		suffix += "-" + strconv.Itoa(variants+1)
	}
	lb.TargetGroups = append(lb.TargetGroups, TargetGroup{
		Name: trimName(lb.Name, suffix), Protocol: protocol, Port: port, VPCID: b.c.VPCID,
		Attributes: maps.Clone(attrs), Tags: map[string]string{TagMigratedFrom: b.c.Name}, Targets: []string{},
	})
	b.groups = append(b.groups, groupEntry{lb: lb, index: len(lb.TargetGroups) - 1, key: key})
	return &lb.TargetGroups[len(lb.TargetGroups)-1]
}

func attrsKey(attrs map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(attrs)) {
		parts = append(parts, k+"="+attrs[k])
	}
	return strings.Join(parts, ",")
}

// trimName is base shortened so that base+suffix fits ELBv2's 32 characters and neither starts
// nor ends with a hyphen where they join.
func trimName(base, suffix string) string {
	base = base[:min(len(base), maxName-len(suffix))]
	return strings.TrimRight(base, "-") + suffix
}

// allGroups visits every planned target group.
func (b *builder) allGroups(fn func(lb *Balancer, tg *TargetGroup)) {
	for _, lb := range b.lbs {
		for i := range lb.TargetGroups {
			fn(lb, &lb.TargetGroups[i])
		}
	}
}

func (b *builder) row(s Setting) { b.rows = append(b.rows, s) }

// balancerRows opens the settings with the balancers planned.
func (b *builder) balancerRows() {
	var rows []Setting
	for i, lb := range b.lbs {
		row := Setting{Setting: "load balancer", Classic: "Classic load balancer " + b.c.Name, ELBv2: kindName(lb), Status: Carried, Source: docMigrate}
		switch {
		case i == 1:
			row.Setting, row.Status = "second load balancer", Adjusted
			row.Reason = "an Application Load Balancer serves HTTP and HTTPS only: the TCP and SSL listeners need a network load balancer of their own"
			row.Instead = "migrate with --to nlb to keep every listener on one balancer"
		case b.req.To == ToALB && lb.Type == typeNetwork:
			row.Status = Adjusted
			row.Reason = "the Classic balancer has only TCP and SSL listeners, which an Application Load Balancer cannot serve: a Network Load Balancer is planned"
		}
		rows = append(rows, row)
	}
	b.rows = append(rows, b.rows...)
}

// kindName is how settings name a balancer: "application load balancer web".
func kindName(lb *Balancer) string {
	if lb.Type == typeNetwork {
		return "network load balancer " + lb.Name
	}
	return "application load balancer " + lb.Name
}

// seconds renders a number of seconds.
func seconds(n int) string { return strconv.Itoa(n) + " s" }
