package reliability

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// writtenState returns the bytes of a closed, valid state file holding a few balancers.
func writtenState(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.db")
	srv, err := elbserver.New(elbserver.Options{StatePath: path})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	d := openClient(t, hs.URL, sigv4auth.DefaultCredential, 1)
	ctx := testCtx(t, 30*time.Second)
	for i := range 20 {
		if _, err := d.Service().CreateBalancer(ctx, createReq(fmt.Sprintf("keep-%02d", i))); err != nil {
			t.Fatal(err)
		}
	}
	hs.Close()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDamagedStateRefused: a truncated or garbage state file is refused with an error
// naming the file, and not one byte of it is changed.
func TestDamagedStateRefused(t *testing.T) {
	isolate(t)
	good := writtenState(t)
	if len(good) < 4*4096 {
		t.Fatalf("state file of %d bytes is too small to truncate meaningfully", len(good))
	}
	garbage := make([]byte, len(good))
	_, _ = rand.Read(garbage)
	// Random bytes behind a valid bbolt magic number get past the cheap header check.
	magic := bytes.Clone(garbage)
	binary.LittleEndian.PutUint32(magic[16:20], 0xED0CDAED)
	cases := map[string][]byte{
		"truncated to 100 bytes":    good[:100],
		"truncated to one page":     good[:4096],
		"truncated to two pages":    good[:2*4096],
		"truncated to half":         good[:len(good)/2],
		"garbage":                   garbage,
		"garbage with bbolt magic":  magic,
		"zeros":                     make([]byte, len(good)),
		"text":                      []byte(strings.Repeat("not a database\n", 100)),
		"valid head, garbage after": append(bytes.Clone(good[:2*4096]), garbage[2*4096:]...),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			srv, crash, err := newGuarded(path)
			if crash != "" {
				t.Fatalf("elbserver.New panicked on a damaged state file (%s): %s", name, crash)
			}
			if err == nil {
				srv.Close()
				t.Fatalf("a damaged state file (%s) was accepted", name)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("the error does not name the file: %v", err)
			}
			if after := mustRead(t, path); !bytes.Equal(after, content) {
				t.Errorf("the refused file was modified (%d bytes before, %d after)", len(content), len(after))
			}
		})
	}
}

// newGuarded calls elbserver.New, turning a panic (or a fault on the memory-mapped file)
// into a message, so that one damaged file cannot take the whole test binary down.
func newGuarded(path string) (srv *elbserver.Server, crash string, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if v := recover(); v != nil {
			crash = fmt.Sprint(v)
		}
	}()
	srv, err = elbserver.New(elbserver.Options{StatePath: path})
	return srv, "", err
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
