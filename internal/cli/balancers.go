package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

// command builds a leaf command whose run function gets a connected session; the session is
// closed afterwards and the context carries the --timeout deadline.
//
// Arguments and flag values are parsed and checked before that, in the command's PreRunE,
// which cobra runs after checkGlobals and before this RunE: a usage mistake exits 2 without
// connecting, so with the local provider it never opens, or creates, the state file. The
// global flags are checked first of all, before the arguments, whose meaning depends on
// --api.
//
// Commands whose first argument is NAME (or NAME...) complete it with the balancers' names,
// unless they set their own ValidArgsFunction, and refuse a name AWS would refuse (a balancer
// name, or for ELBv2 an ARN; a POLICY second argument, a policy name) as a usage error.
func (a *app) command(c *cobra.Command, run func(ctx context.Context, s *session, args []string) error) *cobra.Command {
	use := strings.Fields(c.Use)
	names := len(use) > 1 && (use[1] == "NAME" || use[1] == "NAME...")
	if names && c.ValidArgsFunction == nil {
		c.ValidArgsFunction = a.completeNames(use[1] == "NAME...")
	}
	args := c.Args
	c.Args = func(cmd *cobra.Command, argv []string) error {
		if err := a.checkGlobals(cmd, argv); err != nil {
			return err
		}
		if args != nil {
			if err := args(cmd, argv); err != nil {
				return err
			}
		}
		if names {
			return a.checkNames(cmd, argv, use[1] == "NAME...", len(use) > 2 && use[2] == "POLICY")
		}
		return nil
	}
	c.RunE = func(cmd *cobra.Command, args []string) error {
		ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
		defer cancel()
		s, err := a.connect(ctx)
		if err != nil {
			return wrapRun(err)
		}
		err = run(ctx, s, args)
		if cerr := s.close(); err == nil {
			err = cerr
		}
		return wrapRun(err)
	}
	return c
}

func (a *app) balancersCommand() *cobra.Command {
	var tags bool
	list := a.command(&cobra.Command{
		Use:   "list",
		Short: "List load balancers",
		Args:  noArgs,
	}, func(ctx context.Context, s *session, _ []string) error {
		lbs, err := s.svc.ListBalancers(ctx, loadbalancer.ListOptions{IncludeTags: tags})
		if err != nil {
			return err
		}
		if lbs == nil {
			lbs = []*loadbalancer.LoadBalancer{}
		}
		return a.render(lbs, func() table { return balancersTable(lbs, tags) })
	})
	list.Flags().BoolVar(&tags, "tags", false, "include each balancer's tags")

	get := a.command(&cobra.Command{
		Use:   "get NAME",
		Short: "Show one load balancer",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, args []string) error {
		lb, err := s.svc.GetBalancer(ctx, args[0])
		if err != nil {
			return err
		}
		v, local := a.withLocalAddresses(ctx, s, lb)
		return a.render(v, func() table { return balancerTable(lb, local) })
	})

	return group("balancers", "Create, list, show, change and delete load balancers (every API)",
		list, get, a.createBalancerCommand(), a.updateBalancerCommand(), a.deleteBalancerCommand())
}

func (a *app) createBalancerCommand() *cobra.Command {
	var (
		req     loadbalancer.CreateRequest
		proto   string
		algo    string
		members []string
		tags    []string
	)
	c := &cobra.Command{
		Use:   "create NAME --port PORT --protocol PROTOCOL",
		Short: "Create a load balancer with one listener and optional members",
		Example: `  lbctl balancers create web --port 80 --protocol http --member i-0123456789abcdef0
  lbctl balancers create api --port 443 --protocol https --instance-port 8080 \
      --certificate arn:aws:iam::123456789012:server-certificate/api --zone us-east-1a
  lbctl --api alb balancers create web --port 80 --protocol http --algorithm least-connections --member 10.0.0.11:8080
  lbctl --api nlb balancers create tcp --port 443 --protocol tls --certificate ARN --subnet subnet-0123`,
		Args: nArgs(1, 1),
		// The name is a new one: existing names are no help.
		ValidArgsFunction: cobra.NoFileCompletions,
	}
	c.PreRunE = func(cmd *cobra.Command, args []string) error {
		req.Name = args[0]
		if strings.HasPrefix(req.Name, "arn:") {
			return usagef(cmd, "a new load balancer is given by its name, not an ARN")
		}
		var err error
		if req.Protocol, err = a.parseProtocol(cmd, "--protocol", proto); err != nil {
			return err
		}
		if req.Algorithm, err = a.parseAlgorithm(cmd, algo); err != nil {
			return err
		}
		if err := checkPortFlags(cmd, "port", "instance-port"); err != nil {
			return err
		}
		if err := requireCertificate(cmd, req.Protocol, req.CertificateID); err != nil {
			return err
		}
		if req.Members, err = parseMembers(cmd, members); err != nil {
			return err
		}
		req.Tags, err = parseKeyValues(cmd, "--tag", tags)
		return err
	}
	a.command(c, func(ctx context.Context, s *session, _ []string) error {
		lb, err := s.svc.CreateBalancer(ctx, req)
		if err != nil {
			return err
		}
		return a.render(lb, func() table { return balancerTable(lb, nil) })
	})
	f := c.Flags()
	f.IntVar(&req.Port, "port", 0, "front-end port of the first listener (required)")
	f.StringVar(&proto, "protocol", "", "front-end protocol (required): classic http, https, tcp or ssl; alb http or https; nlb tcp, udp, tls, tcp_udp, quic or tcp_quic")
	f.IntVar(&req.InstancePort, "instance-port", 0, "back-end port (default: the members' port, else --port)")
	f.StringVar(&algo, "algorithm", "", "how members are chosen: alb round-robin, least-connections or random (default: the API's own)")
	f.StringArrayVar(&members, "member", nil, "member to register: an instance ID or IP[:PORT] (repeatable)")
	f.StringArrayVar(&req.Zones, "zone", nil, "availability zone (repeatable)")
	f.StringArrayVar(&req.Subnets, "subnet", nil, "VPC subnet (repeatable)")
	f.StringArrayVar(&req.SecurityGroups, "security-group", nil, "VPC security group (repeatable)")
	f.StringVar(&req.Scheme, "scheme", "", "internet-facing or internal")
	f.StringVar(&req.CertificateID, "certificate", "", "certificate ARN for https, ssl and tls listeners")
	f.StringArrayVar(&tags, "tag", nil, "tag KEY=VALUE (repeatable)")
	_ = c.MarkFlagRequired("port")
	_ = c.MarkFlagRequired("protocol")
	_ = c.RegisterFlagCompletionFunc("protocol", a.completeProtocols)
	_ = c.RegisterFlagCompletionFunc("algorithm", a.completeAlgorithms)
	_ = c.RegisterFlagCompletionFunc("scheme", fixedCompletion("internet-facing", "internal"))
	return c
}

func (a *app) updateBalancerCommand() *cobra.Command {
	var (
		req         loadbalancer.UpdateRequest
		proto, algo string
	)
	c := &cobra.Command{
		Use:   "update NAME [--port PORT] [--protocol PROTOCOL] [--algorithm ALGORITHM]",
		Short: "Change a balancer's first listener (port, protocol) or algorithm (ALB)",
		Example: `  lbctl balancers update web --port 8080
  lbctl --api alb balancers update web --algorithm least-connections`,
		Args: nArgs(1, 1),
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			if !anyChanged(cmd, "port", "protocol", "algorithm") {
				return usagef(cmd, "give at least one of --port, --protocol and --algorithm")
			}
			if err := checkPortFlags(cmd, "port"); err != nil {
				return err
			}
			if proto != "" {
				if req.Protocol, err = a.parseProtocol(cmd, "--protocol", proto); err != nil {
					return err
				}
			}
			req.Algorithm, err = a.parseAlgorithm(cmd, algo)
			return err
		},
	}
	a.command(c, func(ctx context.Context, s *session, args []string) error {
		lb, err := s.svc.UpdateBalancer(ctx, args[0], req)
		if err != nil {
			return err
		}
		return a.render(lb, func() table { return balancerTable(lb, nil) })
	})
	f := c.Flags()
	f.IntVar(&req.Port, "port", 0, "new front-end port of the first listener")
	f.StringVar(&proto, "protocol", "", "new protocol of the first listener")
	f.StringVar(&algo, "algorithm", "", "how members are chosen (alb: round-robin, least-connections or random)")
	_ = c.RegisterFlagCompletionFunc("protocol", a.completeProtocols)
	_ = c.RegisterFlagCompletionFunc("algorithm", a.completeAlgorithms)
	return c
}

func (a *app) deleteBalancerCommand() *cobra.Command {
	return a.command(&cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a load balancer",
		Args:  nArgs(1, 1),
	}, func(ctx context.Context, s *session, args []string) error {
		// AWS answers success for a balancer that does not exist; the user is told which it was.
		if _, err := s.balancer(ctx, args[0]); errors.Is(err, loadbalancer.ErrNotFound) {
			return a.done(actionResult{LoadBalancer: args[0], Action: "nothing to delete", Note: "no load balancer of that name"})
		} else if err != nil {
			return err
		}
		if err := s.svc.DestroyBalancer(ctx, args[0]); err != nil {
			return err
		}
		return a.done(actionResult{LoadBalancer: args[0], Action: "deleted"})
	})
}

// balancer returns the named balancer: Classic's as describe gives it, ELBv2's as GetBalancer
// does.
func (s *session) balancer(ctx context.Context, name string) (*loadbalancer.LoadBalancer, error) {
	if s.elb == nil {
		return s.svc.GetBalancer(ctx, name)
	}
	return s.describe(ctx, name)
}

// describe returns the named Classic balancer, as DescribeLoadBalancers gives it (listeners
// and their policies, no tags or member health).
func (s *session) describe(ctx context.Context, name string) (*loadbalancer.LoadBalancer, error) {
	lbs, _, err := s.elb.DescribeBalancers(ctx, []string{name}, "", 0)
	if err != nil {
		return nil, err
	}
	if len(lbs) != 1 {
		return nil, fmt.Errorf("DescribeLoadBalancers %s answered %d balancers: %w", name, len(lbs), loadbalancer.ErrNotFound)
	}
	return lbs[0], nil
}

// actionResult is the output of commands that change something without returning a value.
type actionResult struct {
	LoadBalancer string   `json:"load_balancer,omitempty"`
	Action       string   `json:"action"`
	Policy       string   `json:"policy,omitempty"`
	Port         int      `json:"port,omitempty"`
	Items        []string `json:"items,omitempty"`
	Note         string   `json:"note,omitempty"` // what was not done, and why
}

func (a *app) done(r actionResult) error {
	return a.render(r, func() table {
		msg := r.Action
		if r.LoadBalancer != "" {
			msg += " " + r.LoadBalancer
		}
		if r.Policy != "" {
			msg += " policy " + r.Policy
		}
		if r.Port != 0 {
			msg += " port " + strconv.Itoa(r.Port)
		}
		if len(r.Items) > 0 {
			msg += ": " + strings.Join(r.Items, ", ")
		}
		if r.Note != "" {
			msg += " (" + r.Note + ")"
		}
		return table{rows: [][]string{{msg}}}
	})
}

func (a *app) render(v any, tbl func() table) error { return render(a.out, a.output, v, tbl) }

func balancersTable(lbs []*loadbalancer.LoadBalancer, withTags bool) table {
	t := table{header: []string{"NAME", "STATE", "DNS NAME", "LISTENERS", "ZONES", "MEMBERS", "CREATED"}}
	if withTags {
		t.header = append(t.header, "TAGS")
	}
	for _, lb := range lbs {
		row := []string{lb.Name, string(lb.State), lb.DNSName, listenersSummary(lb.Listeners),
			join(lb.Zones), strconv.Itoa(len(lb.Members)), timeString(lb.CreatedAt)}
		if withTags {
			row = append(row, tagsString(lb.Tags))
		}
		t.add(row...)
	}
	return t
}

// balancerTable shows one balancer as FIELD VALUE rows, with the local address of each listener
// local has (by port).
func balancerTable(lb *loadbalancer.LoadBalancer, local map[int]string) table {
	t := table{}
	t.add("Name", lb.Name)
	t.add("State", string(lb.State))
	t.add("DNS name", lb.DNSName)
	t.add("Scheme", lb.Scheme)
	t.add("VPC", lb.VPCID)
	t.add("Zones", join(lb.Zones))
	t.add("Subnets", join(lb.Subnets))
	t.add("Security groups", join(lb.SecurityGroups))
	t.add("Created", timeString(lb.CreatedAt))
	for _, l := range lb.Listeners {
		v := listenerString(l)
		if l.CertificateID != "" {
			v += " cert=" + l.CertificateID
		}
		if len(l.Policies) > 0 {
			v += " policies=" + join(l.Policies)
		}
		if addr := local[l.Port]; addr != "" {
			v += " local=" + addr
		}
		t.add("Listener", v)
	}
	if hc := lb.HealthCheck; hc != nil {
		t.add("Health check", healthCheckString(*hc))
	}
	for _, m := range lb.Members {
		t.add("Member", strings.TrimSpace(m.ID+" "+m.IP+" "+m.Health))
	}
	if len(lb.Tags) > 0 {
		t.add("Tags", tagsString(lb.Tags))
	}
	return t
}

func listenerString(l loadbalancer.Listener) string {
	return fmt.Sprintf("%d/%s->%d/%s", l.Port, l.Protocol, l.InstancePort, l.InstanceProtocol)
}

func listenersSummary(ls []loadbalancer.Listener) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		parts[i] = listenerString(l)
	}
	return strings.Join(parts, ",")
}

func healthCheckString(hc loadbalancer.HealthCheck) string {
	return fmt.Sprintf("%s every %s, timeout %s, healthy after %d, unhealthy after %d",
		hc.Target, hc.Interval, hc.Timeout, hc.HealthyThreshold, hc.UnhealthyThreshold)
}

func timeString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func tagsString(tags map[string]string) string {
	keys := sortedKeys(tags)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + tags[k]
	}
	return strings.Join(parts, ",")
}
