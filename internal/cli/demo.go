package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/sigv4auth"
	"github.com/lbcloud/lbcloud/tutorial"
)

// demoInstances are the EC2 instances behind the tutorial's member IPs.
var demoInstances = []string{"i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"}

func (a *app) demoCommand() *cobra.Command {
	var (
		memberArgs  []string
		members     []loadbalancer.Member
		certificate string
	)
	c := &cobra.Command{
		Use:   "demo [--member ID|IP[:PORT]]... [--certificate ARN]",
		Short: "Run libcloud's ELB tutorial, step by step, against a fresh in-process endpoint or any target",
		Long: `Run every step of libcloud's "Elastic Load Balancing interface for AWS" tutorial in Go,
printing each call as it is made and its result (-o json or yaml: the steps as data).

With --api alb or nlb the steps are the same in ELBv2 terms: policies become balancer and
target group attributes (ProxyProtocol an NLB's proxy_protocol_v2, cookie stickiness the
target group's stickiness), the policy types the SSL policies, and the HTTPS listener an ALB
HTTPS (or NLB TLS) listener with an SSL policy, and on an ALB a rule.

By default the endpoint runs in-process with fresh in-memory state, so the demo is repeatable
and touches neither the local state file nor AWS. With --endpoint URL or --provider elb it
runs against that target instead, creates the balancer there and deletes it at the end (also
after a failing step). The tutorial's members are instances of the in-process endpoint; on
another target give that target's with --member, or the balancer is created without members.
The HTTPS listener needs a server certificate the target knows (--certificate).`,
		Example: "  lbctl demo\n  lbctl demo --api alb\n  lbctl demo --api nlb --endpoint http://127.0.0.1:4580 -o json\n" +
			"  lbctl demo --provider elb --region eu-west-1 --member i-0123456789abcdef0 --certificate arn:aws:acm:eu-west-1:123456789012:certificate/ID",
		Args: noArgs,
		PreRunE: func(cmd *cobra.Command, _ []string) (err error) {
			members, err = parseMembers(cmd, memberArgs)
			return err
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
			defer cancel()
			env := tutorial.Env{Members: members, Certificate: certificate}
			return wrapRun(a.demo(ctx, env))
		},
	}
	c.Flags().StringArrayVar(&memberArgs, "member", nil, "member of the tutorial's balancer: an instance ID or IP[:PORT] of the target (repeatable)")
	c.Flags().StringVar(&certificate, "certificate", tutorial.Certificate, "server certificate ARN of the tutorial's HTTPS listener")
	return c
}

// demo runs the tutorial against the target the global flags name, printing as it goes, or,
// with -o json or yaml, rendering the recorded steps at the end.
func (a *app) demo(ctx context.Context, env tutorial.Env) error {
	if a.where.local {
		le, err := a.demoEndpoint(&env)
		if err != nil {
			return err
		}
		defer le.close()
		defer env.Service.Close()
	} else {
		s, err := a.connect(ctx)
		if err != nil {
			return err
		}
		defer s.close()
		env.Service = s.svc
		env.Options = loadbalancer.Options{Region: s.region, Profile: a.profile, Endpoint: a.where.url}
		env.Cleanup = true // the target outlives the demo
		if env.Members == nil {
			env.Members = []loadbalancer.Member{}
		}
	}
	if a.output == formatTable {
		return tutorial.Run(ctx, a.out, env)
	}
	steps, err := tutorial.Record(ctx, env)
	return errors.Join(err, a.render(steps, nil))
}

// demoEndpoint starts a fresh in-memory endpoint with the instances behind the tutorial's
// member IPs, and opens env.Service on it the way env.Options say.
func (a *app) demoEndpoint(env *tutorial.Env) (*localEndpoint, error) {
	le, err := startLocal("", elbserver.Options{})
	if err != nil {
		return nil, err
	}
	region := a.region
	if region == "" {
		region = defaultRegion
	}
	for i, m := range tutorial.DefaultMembers {
		inst := elbserver.Instance{ID: demoInstances[i], PrivateIP: m.IP, AvailabilityZone: region + "a"}
		if err := le.srv.DeclareInstance("", region, inst); err != nil {
			le.close()
			return nil, fmt.Errorf("declare the tutorial's instances: %w", err)
		}
	}
	cred := sigv4auth.DefaultCredential
	env.Options = loadbalancer.Options{Region: region, Endpoint: le.url, AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}
	cfg := a.localConfig()
	a.finishConfig(&cfg)
	var s session
	s.open(a.kind, cfg, le.url)
	env.Service = s.svc
	return le, nil
}
