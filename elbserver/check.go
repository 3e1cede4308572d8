package elbserver

import "github.com/lbcloud/lbcloud/elbserver/store"

// CheckState reads the state file at path without changing it and reports every stored value
// that fails its checksum. The error is for a file that cannot be used at all (missing,
// corrupt, foreign, newer, in use).
func CheckState(path string) (store.Report, error) {
	return store.Check(path)
}
