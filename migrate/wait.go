package migrate

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

const (
	defaultPoll = 5 * time.Second
	retryInUse  = time.Second // between tries to delete a target group a deleted balancer still holds
)

// waitHealthy asks for the health of every target the run's balancers route to until all are
// healthy or ctx ends; the answer of the last look is the result's Targets.
func (m *Migrator) waitHealthy(ctx context.Context, r *run, opts ApplyOptions) error {
	poll := opts.PollInterval
	if poll <= 0 {
		poll = defaultPoll
	}
	start := time.Now()
	for {
		states, err := m.targetStates(ctx, r.plan)
		if err != nil {
			return fmt.Errorf("migrate %s: waiting for healthy targets: %w", r.plan.Source, err)
		}
		r.res.Targets = states
		p := Progress{Total: len(states), Elapsed: time.Since(start)}
		for _, s := range states {
			if s.State == string(types.TargetHealthStateEnumHealthy) {
				p.Healthy++
			} else {
				p.Pending = append(p.Pending, s)
			}
		}
		if opts.Progress != nil {
			opts.Progress(p)
		}
		if p.Healthy == p.Total {
			return nil
		}
		if err := sleep(ctx, poll); err != nil {
			return fmt.Errorf("migrate %s: %d of %d targets healthy when the wait ended (what was made stays; apply again to wait again): %w",
				r.plan.Source, p.Healthy, p.Total, err)
		}
	}
}

// targetStates is the health of every planned target group's targets.
func (m *Migrator) targetStates(ctx context.Context, p *Plan) ([]TargetState, error) {
	var out []TargetState
	for _, b := range p.Balancers {
		c := m.client(b.Type)
		for _, tg := range b.TargetGroups {
			found, err := findGroup(ctx, c, tg.Name)
			if err != nil {
				return nil, err
			}
			if found == nil {
				return nil, fmt.Errorf("target group %s: %w", tg.Name, driver.ErrNotFound)
			}
			health, err := c.TargetHealth(ctx, aws.ToString(found.TargetGroupArn))
			if err != nil {
				return nil, err
			}
			for _, h := range health {
				if h.Target == nil {
					continue
				}
				s := TargetState{TargetGroup: tg.Name, Target: aws.ToString(h.Target.Id), Port: int(aws.ToInt32(h.Target.Port))}
				if th := h.TargetHealth; th != nil {
					s.State, s.Reason = string(th.State), string(th.Reason)
				}
				out = append(out, s)
			}
		}
	}
	return out, nil
}

// sleep waits d or until ctx ends, whose error it returns.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
