package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// Each reason a state file is refused gets the hint that fits it, through the real command:
// a damaged file is not "in use", and a newer one is not damaged.
func TestStateErrorsGetTheirOwnHint(t *testing.T) {
	state := localEnv(t)
	if err := os.MkdirAll(filepath.Dir(state), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(state, bytes.Repeat([]byte("not a database "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	r := fails(t, ExitFailed, "balancers", "list")
	if !strings.Contains(r.stderr, "not an lbcloud state file") ||
		!strings.Contains(r.stderr, "hint: the file is left as it was; 'lbctl state check --state "+state+"' lists what is damaged") ||
		strings.Contains(r.stderr, "in use") {
		t.Errorf("damaged state file:\n%s", r.stderr)
	}

	if err := os.Remove(state); err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(state, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("meta"))
		if err != nil {
			return err
		}
		return b.Put([]byte("format"), []byte("99"))
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	r = fails(t, ExitFailed, "balancers", "list")
	if !strings.Contains(r.stderr, "newer than supported") || !strings.Contains(r.stderr, "hint: a newer lbctl wrote this state file") {
		t.Errorf("newer state file:\n%s", r.stderr)
	}
}

// A full disk and a file this user may not open cannot be made in a test run as root on a
// normal file system; the errors the operating system gives for them are.
func TestStateErrorHintsForTheOperatingSystem(t *testing.T) {
	const path = "/var/lib/lbcloud/state.db"
	for _, tc := range []struct {
		err  error
		hint string
	}{
		{&fs.PathError{Op: "write", Path: path, Err: syscall.ENOSPC}, "hint: the disk holding " + path + " is full; free some space and retry"},
		{&fs.PathError{Op: "open", Path: path, Err: syscall.EACCES}, "hint: this user may not read or write " + path},
	} {
		var out bytes.Buffer
		reportError(&out, "lbctl", &runError{err: &stateError{path: path, err: fmt.Errorf("elbserver: open state file %s: %w", path, tc.err)}})
		if !strings.Contains(out.String(), tc.hint) || strings.Contains(out.String(), "in use") {
			t.Errorf("%v:\n%s", tc.err, out.String())
		}
	}
}

// 'lbctl state check' names each damaged record and exits 1; a sound file exits 0. A command
// meeting the damage says where to look.
func TestStateCheck(t *testing.T) {
	state := localEnv(t)
	ok(t, "balancers", "create", "web", "--port", "80", "--protocol", "http")
	ok(t, "balancers", "create", "api", "--port", "80", "--protocol", "http")
	var report stateReportJSON
	okJSON(t, &report, "state", "check")
	if report.Path != state || report.Records < 4 || len(report.Damaged) != 0 {
		t.Fatalf("sound file: %+v", report)
	}

	db, err := bolt.Open(state, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx *bolt.Tx) error { // one byte of web's record changed, as on a failing disk
		b := tx.Bucket([]byte("data")).Bucket([]byte("000000000000")).Bucket([]byte("us-east-1")).Bucket([]byte("lb"))
		v := append([]byte(nil), b.Get([]byte("web"))...)
		v[bytes.Index(v, []byte("web"))] ^= 0x20
		return b.Put([]byte("web"), v)
	})
	if err := errors.Join(err, db.Close()); err != nil {
		t.Fatal(err)
	}
	r := fails(t, ExitFailed, "state", "check", "--state", state)
	if !strings.Contains(r.stdout, "Damaged          lb/web of account 000000000000 in us-east-1: checksum mismatch") ||
		!strings.Contains(r.stderr, "lbctl: 1 damaged records in "+state) {
		t.Errorf("damaged file:\nstdout: %s\nstderr: %s", r.stdout, r.stderr)
	}
	r = fails(t, ExitFailed, "health-check", "web", "--target", "TCP:81")
	if !strings.Contains(r.stderr, "lb/web") || !strings.Contains(r.stderr, "hint: run 'lbctl state check'") {
		t.Errorf("command on a damaged record:\n%s", r.stderr)
	}
	fails(t, ExitUsage, "state", "check", "extra")
}
