// Package tutorial is libcloud's "Elastic Load Balancing interface for AWS" tutorial written
// in Go against lbcloud, step by step and in the tutorial's order. Run prints each call in Go
// form followed by its result, the way the tutorial shows them; 'lbctl demo' runs it against
// an in-process endpoint.
//
// Two of the tutorial's literal calls cannot succeed on AWS: a backend server only accepts
// ProxyProtocol or BackendServerAuthentication policies (not the stickiness policy the
// tutorial names), and MyDurationStickyPolicy must exist before a listener can use it. Run
// performs those steps the way AWS accepts and prints a one-line note saying so.
package tutorial

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// DefaultName is the balancer the tutorial creates when Env.Name is empty.
const DefaultName = "lbcloud-tutorial"

// Certificate is the server certificate of the tutorial's HTTPS listener.
const Certificate = "arn:aws:iam::123456789012:server-certificate/servercert"

// DefaultMembers are the tutorial's members: Member(None, 'IP', Port) with a concrete
// address, and Member(None, '192.168.88.2', 8080). They are given by IP; the driver resolves
// them to the EC2 instances with those private addresses.
var DefaultMembers = []loadbalancer.Member{
	{IP: "192.168.88.1", Port: 80},
	{IP: "192.168.88.2", Port: 8080},
}

// Env is what the tutorial runs against.
type Env struct {
	Service *loadbalancer.Service // an elb Service: the ELB-only steps use the *elb.Client behind it
	Region  string                // shown in the connection step
	Name    string                // balancer name; DefaultName if empty
	Members []loadbalancer.Member // DefaultMembers if nil
	// Cleanup deletes the balancer after the last step, so that Run can be repeated against
	// a persistent endpoint.
	Cleanup bool
}

// Steps are the titles of the tutorial's steps, in order, as Run prints them.
func Steps() []string {
	titles := make([]string, len(steps))
	for i, s := range steps {
		titles[i] = s.title
	}
	return titles
}

type step struct {
	title string
	run   func(r *runner, ctx context.Context) error
}

var steps = []step{
	{"Creating a connection", (*runner).connect},
	{"Getting existing load balancers", (*runner).listBalancers},
	{"Creating new load balancers", (*runner).createBalancer},
	{"Creating a load balancer policy", (*runner).createProxyPolicy},
	{"Listing the balancer's policies", (*runner).listPolicies},
	{"Listing the policy types", (*runner).listPolicyTypes},
	{"Deleting a policy", (*runner).deletePolicy},
	{"Enabling and disabling policies on a backend server", (*runner).backendPolicies},
	{"Creating listeners", (*runner).createListeners},
	{"Enabling and disabling policies on listeners", (*runner).listenerPolicies},
}

// Run runs every step in order, printing calls and results to w. It stops at the first
// failing step and returns an error naming it.
func Run(ctx context.Context, w io.Writer, env Env) error {
	if env.Service == nil {
		return errors.New("tutorial: Env needs a Service")
	}
	var c *elb.Client
	if !env.Service.As(&c) {
		return fmt.Errorf("tutorial: the %s provider has no *elb.Client; the tutorial is Classic ELB's", env.Service.Provider())
	}
	if env.Name == "" {
		env.Name = DefaultName
	}
	if env.Members == nil {
		env.Members = DefaultMembers
	}
	r := &runner{w: w, env: env, elb: c}
	for i, s := range steps {
		fmt.Fprintf(w, "\n== %d. %s\n", i+1, s.title)
		if err := s.run(r, ctx); err != nil {
			return fmt.Errorf("tutorial step %d (%s): %w", i+1, s.title, err)
		}
	}
	if env.Cleanup {
		fmt.Fprintf(w, "\n== Cleaning up\n")
		r.call("svc.DestroyBalancer(ctx, %q)", env.Name)
		if err := env.Service.DestroyBalancer(ctx, env.Name); err != nil {
			return fmt.Errorf("tutorial cleanup: %w", err)
		}
		r.result("true")
	}
	return nil
}

type runner struct {
	w   io.Writer
	env Env
	elb *elb.Client
}

func (r *runner) call(format string, args ...any) { fmt.Fprintf(r.w, format+"\n", args...) }
func (r *runner) result(format string, args ...any) {
	fmt.Fprintf(r.w, "-> "+format+"\n", args...)
}
func (r *runner) note(format string, args ...any) {
	fmt.Fprintf(r.w, "note: "+format+"\n", args...)
}

// act prints a call whose libcloud counterpart returns True, makes it, and prints the True.
func (r *runner) act(do func() error, format string, args ...any) error {
	r.call(format, args...)
	if err := do(); err != nil {
		return err
	}
	r.result("true")
	return nil
}

func (r *runner) connect(ctx context.Context) error {
	region := r.env.Region
	if region == "" {
		region = "us-east-1"
	}
	r.call("svc, err := elb.Open(ctx, loadbalancer.Options{Region: %q})", region)
	r.call("var c *elb.Client")
	r.call("svc.As(&c) // the ELB-only actions")
	// Listing the protocols proves the connection is usable without touching any balancer.
	protocols, err := r.env.Service.ListProtocols(ctx)
	if err != nil {
		return err
	}
	r.result("<Service: provider=%s, region=%s, protocols=%s>", r.env.Service.Provider(), region, pyList(protocolNames(protocols)))
	return nil
}

func (r *runner) listBalancers(ctx context.Context) error {
	r.call("svc.ListBalancers(ctx, loadbalancer.ListOptions{})")
	lbs, err := r.env.Service.ListBalancers(ctx, loadbalancer.ListOptions{})
	if err != nil {
		return err
	}
	items := make([]string, len(lbs))
	for i, lb := range lbs {
		items[i] = balancerString(lb)
	}
	r.result("[%s]", strings.Join(items, ", "))
	return nil
}

func (r *runner) createBalancer(ctx context.Context) error {
	members := make([]loadbalancer.Member, len(r.env.Members))
	literals := make([]string, len(r.env.Members))
	var ports []string
	for i, m := range r.env.Members {
		members[i] = loadbalancer.Member{ID: m.ID, IP: m.IP}
		literals[i] = memberLiteral(members[i])
		if m.Port != 0 {
			ports = append(ports, fmt.Sprint(m.Port))
		}
	}
	r.note("a Classic ELB listener forwards to one instance port, so, as libcloud does, port 80 goes to instance port 80 and the members are given without their own ports (%s)", strings.Join(ports, ", "))
	r.call("members := []loadbalancer.Member{%s}", strings.Join(literals, ", "))
	r.call("svc.CreateBalancer(ctx, loadbalancer.CreateRequest{Name: %q, Algorithm: loadbalancer.RoundRobin, Port: 80, Protocol: \"http\", InstancePort: 80, Members: members})", r.env.Name)
	lb, err := r.env.Service.CreateBalancer(ctx, loadbalancer.CreateRequest{
		Name:         r.env.Name,
		Algorithm:    loadbalancer.RoundRobin,
		Port:         80,
		Protocol:     "http",
		InstancePort: 80,
		Members:      members,
	})
	if err != nil {
		return err
	}
	r.result("%s dns_name=%s port=%d", balancerString(lb), lb.DNSName, lb.Port)
	return nil
}

func memberLiteral(m loadbalancer.Member) string {
	if m.ID != "" {
		return fmt.Sprintf("{ID: %q}", m.ID)
	}
	return fmt.Sprintf("{IP: %q}", m.IP)
}

// createProxyPolicy is the tutorial's ex_create_balancer_policy call; the backend step makes
// it again after the policy has been deleted.
func (r *runner) createProxyPolicy(ctx context.Context) error {
	return r.act(func() error {
		return r.elb.CreateBalancerPolicy(ctx, r.env.Name, "EnableProxyProtocol", "ProxyProtocolPolicyType",
			map[string]string{"ProxyProtocol": "true"})
	}, "c.CreateBalancerPolicy(ctx, %q, \"EnableProxyProtocol\", \"ProxyProtocolPolicyType\", map[string]string{\"ProxyProtocol\": \"true\"})", r.env.Name)
}

func (r *runner) listPolicies(ctx context.Context) error {
	r.call("c.ListBalancerPolicies(ctx, %q)", r.env.Name)
	names, err := r.elb.ListBalancerPolicies(ctx, r.env.Name)
	if err != nil {
		return err
	}
	r.result("%s", pyList(names))
	return nil
}

func (r *runner) listPolicyTypes(ctx context.Context) error {
	r.call("c.ListBalancerPolicyTypes(ctx)")
	names, err := r.elb.ListBalancerPolicyTypes(ctx)
	if err != nil {
		return err
	}
	r.result("%s", pyList(names))
	return nil
}

func (r *runner) deletePolicy(ctx context.Context) error {
	return r.act(func() error { return r.elb.DeleteBalancerPolicy(ctx, r.env.Name, "EnableProxyProtocol") },
		"c.DeleteBalancerPolicy(ctx, %q, \"EnableProxyProtocol\")", r.env.Name)
}

func (r *runner) backendPolicies(ctx context.Context) error {
	r.note("a backend server takes only ProxyProtocol or BackendServerAuthentication policies, not the stickiness policy MyDurationStickyPolicy; EnableProxyProtocol is created again and used instead")
	if err := r.createProxyPolicy(ctx); err != nil {
		return err
	}
	return r.setPolicies(ctx, "SetBalancerPoliciesBackendServer", r.elb.SetBalancerPoliciesBackendServer, "EnableProxyProtocol")
}

func (r *runner) createListeners(ctx context.Context) error {
	r.call("l, _ := elb.ParseListenerTuple(1024, 65533, \"HTTPS\", %q)", Certificate)
	l, err := elb.ParseListenerTuple(1024, 65533, "HTTPS", Certificate)
	if err != nil {
		return err
	}
	return r.act(func() error { return r.elb.CreateBalancerListeners(ctx, r.env.Name, []elb.ListenerSpec{l}) },
		"c.CreateBalancerListeners(ctx, %q, []elb.ListenerSpec{l})", r.env.Name)
}

func (r *runner) listenerPolicies(ctx context.Context) error {
	r.note("MyDurationStickyPolicy must exist before a listener can use it: it is created first, as a load-balancer cookie stickiness policy for the HTTP listener")
	err := r.act(func() error {
		return r.elb.CreateLBCookieStickinessPolicy(ctx, r.env.Name, "MyDurationStickyPolicy", 60*time.Second)
	}, "c.CreateLBCookieStickinessPolicy(ctx, %q, \"MyDurationStickyPolicy\", 60*time.Second)", r.env.Name)
	if err != nil {
		return err
	}
	return r.setPolicies(ctx, "SetBalancerPoliciesOfListener", r.elb.SetBalancerPoliciesOfListener, "MyDurationStickyPolicy")
}

// setPolicies enables policy on port 80 with the driver's method, then disables it with {""}
// as the tutorial does.
func (r *runner) setPolicies(ctx context.Context, method string, set func(context.Context, string, int, []string) error, policy string) error {
	for _, policies := range [][]string{{policy}, {""}} {
		err := r.act(func() error { return set(ctx, r.env.Name, 80, policies) },
			"c.%s(ctx, %q, 80, []string{%q})", method, r.env.Name, policies[0])
		if err != nil {
			return err
		}
	}
	return nil
}

// balancerString renders a balancer the way libcloud prints one.
func balancerString(lb *loadbalancer.LoadBalancer) string {
	return fmt.Sprintf("<LoadBalancer: id=%s, name=%s, state=%s>", lb.ID, lb.Name, lb.State)
}

// pyList renders names as the tutorial's Python lists: ['a', 'b'].
func pyList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func protocolNames(ps []loadbalancer.Protocol) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}
