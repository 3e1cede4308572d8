package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// waitFor describes one --wait: of the members (or targets) of name, until each is goal.
type waitFor struct {
	name, noun, goal string // "web", "members", "InService"
	total            int
	// poll reads the current state once and returns what is not yet at the goal, each as
	// "ID STATE (REASON)".
	poll func(ctx context.Context) (pending []string, err error)
}

// wait polls w every pollInterval until nothing is pending, showing progress on a terminal.
// On timeout or interrupt the error says what was still pending and why.
func (a *app) wait(ctx context.Context, w waitFor) error {
	var progress io.Writer
	if isTerminal(a.errOut) {
		progress = a.errOut
	}
	start := time.Now()
	var pending []string
	for {
		p, err := w.poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return waitError(ctx, w, start, pending)
			}
			return err
		}
		pending = p
		if progress != nil {
			fmt.Fprintf(progress, "\rwaiting for %s: %d/%d %s %s (%s)   ", w.name,
				w.total-len(pending), w.total, w.noun, w.goal, time.Since(start).Round(time.Second))
		}
		if len(pending) == 0 {
			if progress != nil {
				fmt.Fprintln(progress)
			}
			return nil
		}
		t := time.NewTimer(a.pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			if progress != nil {
				fmt.Fprintln(progress)
			}
			return waitError(ctx, w, start, pending)
		case <-t.C:
		}
	}
}

// pendingString is one pending item as waitError lists it.
func pendingString(id, state, reason string) string {
	if reason != "" {
		return id + " " + state + " (" + reason + ")"
	}
	return id + " " + state
}

func waitError(ctx context.Context, w waitFor, start time.Time, pending []string) error {
	parts := append([]string(nil), pending...)
	sort.Strings(parts)
	still := "still pending: " + strings.Join(parts, "; ")
	if len(parts) == 0 {
		still = "no answer from the endpoint yet"
	}
	elapsed := time.Since(start).Round(100 * time.Millisecond)
	what := fmt.Sprintf("the %s of %s to be %s", w.noun, w.name, w.goal)
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &timeoutError{msg: fmt.Sprintf("timed out after %s waiting for %s; %s", elapsed, what, still)}
	}
	return fmt.Errorf("interrupted after %s waiting for %s; %s", elapsed, what, still)
}

// timeoutError is a wait that ran out of --timeout; it matches context.DeadlineExceeded.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string        { return e.msg }
func (e *timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }
