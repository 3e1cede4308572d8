package store

import (
	"errors"
	"fmt"
)

// Why Open or Check refused a state file, matched with errors.Is; the file is left as found.
var (
	ErrInUse    = errors.New("state file in use by another process")
	ErrUnusable = errors.New("state file damaged or not a state file")
	ErrNewer    = errors.New("state file written by a newer version")
	ErrExposed  = errors.New("state file writable by group or others")
)

// refusal is a refused state file: its message, and the reason errors.Is finds (with the
// error behind it, when there is one: %w in the format).
type refusal struct {
	reason, cause error
	msg           string
}

func (e *refusal) Error() string   { return e.msg }
func (e *refusal) Unwrap() []error { return []error{e.reason, e.cause} }

func refused(reason error, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &refusal{reason: reason, cause: errors.Unwrap(err), msg: err.Error()}
}
