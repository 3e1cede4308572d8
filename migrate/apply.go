package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/lbcloud/lbcloud/internal/awsclient"
)

// ApplyOptions tune Apply.
type ApplyOptions struct {
	// Wait makes Apply wait, until ctx ends, for every target to be healthy.
	Wait bool
	// PollInterval is how often the wait asks for target health; 5 s when zero.
	PollInterval time.Duration
	// Progress, when set, is told of each look at target health while waiting.
	Progress func(Progress)
}

// Progress is one look at the targets' health while Apply waits.
type Progress struct {
	Healthy, Total int
	Elapsed        time.Duration
	Pending        []TargetState // the targets not yet healthy
}

// Result is what Apply did. Its JSON form is lbctl's `migrate --apply -o json` output.
type Result struct {
	Source    string            `json:"source"`
	Balancers []BalancerCreated `json:"balancers"`
	Made      []Resource        `json:"made"`              // made by this run
	Found     []Resource        `json:"found"`             // made by an earlier run of this migration, completed by this one
	Removed   []Resource        `json:"removed,omitempty"` // what this run made and took back after a failure
	Targets   []TargetState     `json:"targets,omitempty"` // target health at the end of the wait
}

// BalancerCreated is a balancer the migration made or completed.
type BalancerCreated struct {
	Name    string `json:"name"`
	Type    string `json:"type"`
	ARN     string `json:"arn"`
	DNSName string `json:"dns_name"`
}

// Resource is one ELBv2 resource: a load-balancer, target-group or listener.
type Resource struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	ARN  string `json:"arn"`
}

// TargetState is a target's health in one target group.
type TargetState struct {
	TargetGroup string `json:"target_group"`
	Target      string `json:"target"`
	Port        int    `json:"port"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
}

// Resource kinds.
const (
	kindBalancer = "load-balancer"
	kindGroup    = "target-group"
	kindListener = "listener"
)

// Apply makes what the plan describes, and never changes the Classic balancer. It finds what an
// earlier run of the same migration made (by name, confirmed by the TagMigratedFrom tag) and
// completes it; a resource with a planned name that a migration of this balancer did not make
// is ErrTaken, and left alone. If a step fails, everything this run made is removed, the
// last first, and everything earlier runs made stays. With Wait, it then waits for the targets
// to be healthy; a wait that ends without them keeps what was made (run Apply again to wait
// again).
func (m *Migrator) Apply(ctx context.Context, p *Plan, opts ApplyOptions) (*Result, error) {
	if !p.Ready {
		var why []string
		for _, s := range p.Blocked() {
			why = append(why, s.Setting+": "+s.Reason)
		}
		return nil, fmt.Errorf("migrate %s: %w: %s", p.Source, ErrBlocked, strings.Join(why, "; "))
	}
	r := &run{m: m, plan: p, res: &Result{Source: p.Source, Made: []Resource{}, Found: []Resource{}}}
	for i := range p.Balancers {
		if err := r.balancer(ctx, &p.Balancers[i]); err != nil {
			return r.res, r.rollback(ctx, fmt.Errorf("migrate %s: %w", p.Source, err))
		}
	}
	if opts.Wait {
		if err := m.waitHealthy(ctx, r, opts); err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

// run is one Apply: what it made, and how to take each back.
type run struct {
	m    *Migrator
	plan *Plan
	res  *Result
	undo []undoStep
}

type undoStep struct {
	res  Resource // zero for a change that is not a creation
	back func(context.Context) error
}

// made records a resource this run created, and how to delete it.
func (r *run) made(kind, name, arn string, back func(context.Context) error) {
	res := Resource{Kind: kind, Name: name, ARN: arn}
	r.res.Made = append(r.res.Made, res)
	r.undo = append(r.undo, undoStep{res: res, back: back})
}

// changed records a change to something an earlier run made, and how to revert it.
func (r *run) changed(back func(context.Context) error) {
	r.undo = append(r.undo, undoStep{back: back})
}

// mayHaveMade records a create that failed without the service's answer: it may have made the
// resource all the same, so the undo looks for it by what is known of it.
func (r *run) mayHaveMade(err error, back func(context.Context) error) {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		r.undo = append(r.undo, undoStep{back: back})
	}
}

// rollback takes back, the last first, everything this run made or changed. It runs on
// awsclient.UndoContext, so an interrupted run still cleans up, within a bound.
func (r *run) rollback(ctx context.Context, err error) error {
	uctx, cancel := awsclient.UndoContext(ctx)
	defer cancel()
	errs := []error{err}
	for i := len(r.undo) - 1; i >= 0; i-- {
		u := r.undo[i]
		if uerr := u.back(uctx); uerr != nil {
			errs = append(errs, fmt.Errorf("could not take back %s %s: %w", u.res.Kind, u.res.Name, uerr))
		} else if u.res.Kind != "" {
			r.res.Removed = append(r.res.Removed, u.res)
		}
	}
	r.res.Made, r.res.Balancers = []Resource{}, nil
	return errors.Join(errs...)
}
