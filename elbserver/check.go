package elbserver

import "github.com/lbcloud/lbcloud/elbserver/store"

// CheckState reads the state file at path without changing it and reports every stored value
// that fails its checksum. The error is for a file that cannot be used at all (missing,
// corrupt, foreign, newer, in use).
func CheckState(path string) (store.Report, error) {
	return store.Check(path)
}

// Why New or CheckState refused a state file, matched with errors.Is; the file is left as
// found.
var (
	ErrStateInUse   = store.ErrInUse    // another process holds it
	ErrStateDamaged = store.ErrUnusable // corrupt, truncated, or not a state file
	ErrStateNewer   = store.ErrNewer    // written by a newer version
	ErrStateExposed = store.ErrExposed  // writable by group or others
)
