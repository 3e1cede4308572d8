package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/tutorial"
)

// demoInstances are the EC2 instances behind the tutorial's member IPs.
var demoInstances = []string{"i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"}

func (a *app) demoCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Run libcloud's ELB tutorial, step by step, against a fresh in-process endpoint",
		Long: `Run every step of libcloud's "Elastic Load Balancing interface for AWS" tutorial in Go,
printing each call and its result. The endpoint runs in-process with fresh in-memory state, so
the demo is repeatable and touches neither the local state file nor AWS.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, cancel := context.WithTimeout(cmd.Context(), a.timeout)
			defer cancel()
			return wrapRun(a.demo(ctx))
		},
	}
}

func (a *app) demo(ctx context.Context) error {
	ts := elbtest.NewServer()
	defer ts.Close()
	for i, m := range tutorial.DefaultMembers {
		inst := elbserver.Instance{ID: demoInstances[i], PrivateIP: m.IP, AvailabilityZone: ts.Region + "a"}
		if err := ts.Endpoint.DeclareInstance("", ts.Region, inst); err != nil {
			return fmt.Errorf("declare the tutorial's instances: %w", err)
		}
	}
	cfg := ts.AWSConfig()
	a.finishConfig(&cfg)
	svc := elb.NewClient(cfg).Service()
	defer svc.Close()
	return tutorial.Run(ctx, a.out, tutorial.Env{Service: svc, Region: ts.Region})
}
