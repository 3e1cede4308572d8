package iam_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// certificates writes the test's certificates into a directory: web (EC, with its chain), rsa
// (RSA 2048) and other.key.
func certificates(t *testing.T) (dir string, web, rsa, other certtest.Server) {
	dir = t.TempDir()
	web = certtest.NewServer(t, certtest.Options{CommonName: "www.example.test"})
	rsa = certtest.NewServer(t, certtest.Options{CommonName: "api.example.test", Key: certtest.RSA2048})
	other = certtest.NewServer(t, certtest.Options{})
	web.WriteFiles(t, dir, "web")
	rsa.WriteFiles(t, dir, "rsa")
	sdkcheck.NoErr(t, os.WriteFile(filepath.Join(dir, "other.key"), other.Key, 0o600))
	return dir, web, rsa, other
}

// TestBoto3 drives every served operation and error through boto3. No response or log line
// carries a private key, which the state file (owner-only) holds.
func TestBoto3(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "state.db")
	e := sdkcheck.StartTLS(t, elbserver.Options{StatePath: state, Limits: map[string]int{"iam-server-certificates": 2}})
	dir, web, rsa, other := certificates(t)
	env := e.Env(t, "CERTS="+dir, "EXPIRES="+strconv.FormatInt(web.Leaf.NotAfter.Unix(), 10))
	out := sdkcheck.Script(t, env, filepath.Join("testdata", "boto3_iam.py"))
	want := map[string][3]any{
		"already exists": {"EntityAlreadyExists", 409.0, ""},
		"quota":          {"LimitExceeded", 409.0, ""},
		"malformed body": {"MalformedCertificate", 400.0, ""},
		"malformed key":  {"MalformedCertificate", 400.0, ""},
		"key mismatch":   {"KeyPairMismatch", 400.0, ""},
		"wrong chain":    {"MalformedCertificate", 400.0, ""},
		"bad name":       {"ValidationError", 400.0, ""},
		"bad path":       {"ValidationError", 400.0, ""},
		"reserved tag":   {"InvalidInput", 400.0, ""},
		"get missing":    {"NoSuchEntity", 404.0, ""},
		"delete missing": {"NoSuchEntity", 404.0, ""},
		"wrong secret":   {"SignatureDoesNotMatch", 403.0, ""},
	}
	out.Check(t, want)
	e.NoKey(t, web, rsa, other)
	certtest.NoKey(t, "boto3's findings", fmt.Sprint(out), web, rsa, other)
	if !strings.Contains(e.Log.String(), "UploadServerCertificate") {
		t.Error("the debug log saw no upload: the search above proves nothing")
	}
	fi, err := os.Stat(state)
	sdkcheck.NoErr(t, err)
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v, want 0600", fi.Mode().Perm())
	}
}
