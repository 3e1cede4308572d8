package reliability

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// modelLB is what a balancer must look like after the operations done on it.
type modelLB struct {
	listeners map[int]driver.Listener // by front-end port
	policies  map[string]elb.Policy
	members   map[string]bool
	tags      map[string]string
}

func newModelLB(firstPort int, tags map[string]string) *modelLB {
	return &modelLB{
		listeners: map[int]driver.Listener{firstPort: {Port: firstPort, Protocol: driver.HTTP, InstancePort: 8080, InstanceProtocol: driver.HTTP}},
		policies:  map[string]elb.Policy{},
		members:   map[string]bool{},
		tags:      maps.Clone(tags),
	}
}

// render is a canonical text form of a balancer, so model and service compare as strings
// and a difference prints readably.
func (m *modelLB) render() string {
	var b strings.Builder
	for _, p := range slices.Sorted(maps.Keys(m.listeners)) {
		l := m.listeners[p]
		fmt.Fprintf(&b, "listener %d %s -> %d %s\n", l.Port, l.Protocol, l.InstancePort, l.InstanceProtocol)
	}
	for _, n := range slices.Sorted(maps.Keys(m.policies)) {
		p := m.policies[n]
		fmt.Fprintf(&b, "policy %s %s", n, p.Type)
		for _, k := range slices.Sorted(maps.Keys(p.Attributes)) {
			fmt.Fprintf(&b, " %s=%s", k, p.Attributes[k])
		}
		b.WriteString("\n")
	}
	for _, id := range slices.Sorted(maps.Keys(m.members)) {
		fmt.Fprintf(&b, "member %s\n", id)
	}
	for _, k := range slices.Sorted(maps.Keys(m.tags)) {
		fmt.Fprintf(&b, "tag %q=%q\n", k, m.tags[k])
	}
	return b.String()
}

// observe reads a balancer back through the driver into the model's form.
func observe(t *testing.T, d *elb.Client, name string, tags map[string]string) *modelLB {
	t.Helper()
	ctx := testCtx(t, 60*time.Second)
	lb, err := d.Service().GetBalancer(ctx, name)
	if err != nil {
		t.Fatalf("describe %s: %v", name, err)
	}
	got := &modelLB{listeners: map[int]driver.Listener{}, policies: map[string]elb.Policy{}, members: map[string]bool{}, tags: tags}
	for _, l := range lb.Listeners {
		l.Policies, l.CertificateID = nil, ""
		got.listeners[l.Port] = l
	}
	for _, m := range lb.Members {
		got.members[m.ID] = true
	}
	ps, err := d.DescribeBalancerPolicies(ctx, name)
	if err != nil {
		t.Fatalf("policies of %s: %v", name, err)
	}
	for _, p := range ps {
		got.policies[p.Name] = p
	}
	return got
}

// compareAll checks that the account holds exactly the model's balancers, each exactly as
// modelled, reading every balancer in full.
func compareAll(t *testing.T, d *elb.Client, model map[string]*modelLB) {
	t.Helper()
	lbs, err := d.Service().ListBalancers(testCtx(t, 60*time.Second), driver.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	tags := map[string]map[string]string{}
	var names []string
	for _, lb := range lbs {
		names = append(names, lb.Name)
		tags[lb.Name] = lb.Tags
	}
	slices.Sort(names)
	if want := slices.Sorted(maps.Keys(model)); !slices.Equal(names, want) {
		t.Fatalf("balancers %v, want %v", names, want)
	}
	for _, n := range names {
		want := model[n].render()
		if got := observe(t, d, n, tags[n]).render(); got != want {
			t.Errorf("balancer %s:\n got:\n%s want:\n%s", n, got, want)
		}
	}
}

func instanceID(n int) string { return "i-" + fmt.Sprintf("%017x", n) }

func lbCookie(seconds int) elb.Policy {
	return elb.Policy{Type: "LBCookieStickinessPolicyType", Attributes: map[string]string{"CookieExpirationPeriod": strconv.Itoa(seconds)}}
}
