package elbv2

import (
	"context"
	"errors"

	"github.com/lbcloud/lbcloud/internal/awsclient"
)

// undoStack remembers how to take back each step of a change, so that a change failing
// half-way leaves nothing behind.
type undoStack []func(context.Context) error

func (u *undoStack) push(f func(context.Context) error) { *u = append(*u, f) }

// fail takes back every step, the last one first, and returns err joined with whatever the
// undoing met. It runs on awsclient.UndoContext: a cancelled call is still undone, but not
// for ever.
func (u undoStack) fail(ctx context.Context, err error) error {
	uctx, cancel := awsclient.UndoContext(ctx)
	defer cancel()
	errs := []error{err}
	for i := len(u) - 1; i >= 0; i-- {
		if uerr := u[i](uctx); uerr != nil {
			errs = append(errs, uerr)
		}
	}
	return errors.Join(errs...)
}
