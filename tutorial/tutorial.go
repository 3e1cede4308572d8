// Package tutorial is libcloud's "Elastic Load Balancing interface for AWS" tutorial written
// in Go against lbcloud, step by step and in the tutorial's order. Run prints each call in Go
// form followed by its result, the way the tutorial shows them; 'lbctl demo' runs it against
// an in-process endpoint.
//
// Two of the tutorial's literal calls cannot succeed on AWS: a backend server only accepts
// ProxyProtocol or BackendServerAuthentication policies (not the stickiness policy the
// tutorial names), and MyDurationStickyPolicy must exist before a listener can use it. Run
// performs those steps the way AWS accepts and prints a one-line note saying so.
//
// Given an ALB or NLB Service (loadbalancer/elbv2), Run takes the same steps in ELBv2 terms,
// where policies are attributes, SSL policies and rules (v2.go); StepsOf names them.
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
	"github.com/lbcloud/lbcloud/loadbalancer/elbv2"
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
	Service *loadbalancer.Service // an elb, alb or nlb Service: the steps beyond the portable API use the Client behind it
	// Options are those Service was opened with, shown in the connection step as the
	// elb.Open call that opens it. A secret key other than "test" (the well-known key of
	// local endpoints) is shown as read from AWS_SECRET_ACCESS_KEY, never as it is.
	Options     loadbalancer.Options
	Name        string                // balancer name; DefaultName if empty
	Members     []loadbalancer.Member // DefaultMembers if nil; none if empty
	Certificate string                // of the HTTPS listener; Certificate if empty
	// Cleanup deletes the balancer after the last step, or after a failing one, so that Run
	// can be repeated against a persistent endpoint.
	Cleanup bool
}

// Steps are the titles of the tutorial's steps, in order, as Run prints them for Classic ELB.
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

// Step is one step of a run as it was printed: the calls made, their results and notes.
type Step struct {
	Number  int     `json:"step,omitempty"` // 0 for the clean-up
	Title   string  `json:"title"`
	Entries []Entry `json:"entries"`
}

// Entry is one line of a step.
type Entry struct {
	Kind string `json:"kind"` // "call" (Go that compiles), "result" or "note"
	Text string `json:"text"`
}

// Run runs every step in order, printing calls and results to w as they are made. It stops
// at the first failing step and returns an error naming it.
func Run(ctx context.Context, w io.Writer, env Env) error {
	_, err := run(ctx, w, env)
	return err
}

// Record runs every step in order, as Run does, and returns what Run prints, step by step:
// up to the failing step when one fails.
func Record(ctx context.Context, env Env) ([]Step, error) {
	return run(ctx, nil, env)
}

func run(ctx context.Context, w io.Writer, env Env) ([]Step, error) {
	if env.Service == nil {
		return nil, errors.New("tutorial: Env needs a Service")
	}
	var (
		c     *elb.Client
		v2    *elbv2.Client
		steps = steps
	)
	switch {
	case env.Service.As(&c):
	case env.Service.As(&v2):
		steps = v2Steps
	default:
		return nil, fmt.Errorf("tutorial: the %s provider has neither an *elb.Client nor an *elbv2.Client", env.Service.Provider())
	}
	if env.Name == "" {
		env.Name = DefaultName
	}
	if env.Members == nil {
		env.Members = DefaultMembers
	}
	if env.Certificate == "" {
		env.Certificate = Certificate
	}
	r := &runner{w: w, env: env, elb: c, v2: v2}
	var err error
	for i, s := range steps {
		r.begin(i+1, s.title)
		if err = s.run(r, ctx); err != nil {
			err = fmt.Errorf("tutorial step %d (%s): %w", i+1, s.title, err)
			break
		}
	}
	if env.Cleanup && r.created {
		r.begin(0, "Cleaning up")
		r.call("svc.DestroyBalancer(ctx, %q)", env.Name)
		if cerr := env.Service.DestroyBalancer(ctx, env.Name); cerr != nil {
			err = errors.Join(err, fmt.Errorf("tutorial cleanup: %w", cerr))
		} else {
			r.result("true")
		}
	}
	return r.steps, err
}

type runner struct {
	w       io.Writer // nil: record only
	env     Env
	elb     *elb.Client   // Classic's steps
	v2      *elbv2.Client // ALB's and NLB's
	steps   []Step
	created bool // the balancer exists: there is something to clean up
	// The ELBv2 balancer and its target group, once made.
	lbARN, tgARN string
}

func (r *runner) begin(n int, title string) {
	r.steps = append(r.steps, Step{Number: n, Title: title, Entries: []Entry{}})
	if r.w == nil {
		return
	}
	if n == 0 {
		fmt.Fprintf(r.w, "\n== %s\n", title)
	} else {
		fmt.Fprintf(r.w, "\n== %d. %s\n", n, title)
	}
}

func (r *runner) emit(kind, prefix, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	cur := &r.steps[len(r.steps)-1]
	cur.Entries = append(cur.Entries, Entry{Kind: kind, Text: text})
	if r.w != nil {
		fmt.Fprintf(r.w, "%s%s\n", prefix, text)
	}
}

func (r *runner) call(format string, args ...any)   { r.emit("call", "", format, args...) }
func (r *runner) result(format string, args ...any) { r.emit("result", "-> ", format, args...) }
func (r *runner) note(format string, args ...any)   { r.emit("note", "note: ", format, args...) }

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
	opts := r.env.Options
	region := r.elb.Region()
	if opts.Region == "" {
		opts.Region = region
	}
	r.call("svc, err := elb.Open(ctx, %s)", optionsLiteral(opts))
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

// localSecret is the secret key local endpoints accept from anyone: shown as it is.
const localSecret = "test"

// optionsLiteral writes opts as the Go literal that opens the same Service, with any secret
// but localSecret read from the environment.
func optionsLiteral(opts loadbalancer.Options) string {
	var fields []string
	add := func(name, value string) {
		if value != "" {
			fields = append(fields, fmt.Sprintf("%s: %q", name, value))
		}
	}
	add("Region", opts.Region)
	add("Profile", opts.Profile)
	add("Endpoint", opts.Endpoint)
	add("AccessKeyID", opts.AccessKeyID)
	switch opts.SecretAccessKey {
	case "":
	case localSecret:
		add("SecretAccessKey", localSecret)
	default:
		fields = append(fields, `SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")`)
	}
	if opts.SessionToken != "" {
		fields = append(fields, `SessionToken: os.Getenv("AWS_SESSION_TOKEN")`)
	}
	return "loadbalancer.Options{" + strings.Join(fields, ", ") + "}"
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
	if len(ports) > 0 {
		r.note("a Classic ELB listener forwards to one instance port, so, as libcloud does, port 80 goes to instance port 80 and the members are given without their own ports (%s)", strings.Join(ports, ", "))
	}
	if len(members) == 0 {
		r.note("no members: the tutorial's member addresses are instances of the local endpoint only")
	}
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
	r.created = true
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
	r.call("l, _ := elb.ParseListenerTuple(1024, 65533, \"HTTPS\", %q)", r.env.Certificate)
	l, err := elb.ParseListenerTuple(1024, 65533, "HTTPS", r.env.Certificate)
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
