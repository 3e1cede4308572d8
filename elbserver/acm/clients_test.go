package acm_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

type certSet struct {
	dir                            string
	web, rsa, rsa2, expired, other certtest.Server
}

func (c certSet) all() []certtest.Server {
	return []certtest.Server{c.web, c.rsa, c.rsa2, c.expired, c.other}
}

// certificates writes the test's certificates into a directory, named as the scripts expect.
func certificates(t *testing.T) certSet {
	c := certSet{dir: t.TempDir(),
		web:     certtest.NewServer(t, certtest.Options{CommonName: "www.example.test", DNSNames: []string{"www.example.test", "static.example.test"}}),
		rsa:     certtest.NewServer(t, certtest.Options{CommonName: "api.example.test", Key: certtest.RSA2048}),
		rsa2:    certtest.NewServer(t, certtest.Options{CommonName: "www2.example.test", Key: certtest.RSA2048}),
		expired: certtest.NewServer(t, certtest.Options{NotAfter: time.Now().Add(-30 * time.Minute).Truncate(time.Second)}),
		other:   certtest.NewServer(t, certtest.Options{}),
	}
	for name, s := range map[string]certtest.Server{"web": c.web, "rsa": c.rsa, "rsa2": c.rsa2, "expired": c.expired} {
		s.WriteFiles(t, c.dir, name)
	}
	sdkcheck.NoErr(t, os.WriteFile(filepath.Join(c.dir, "other.key"), c.other.Key, 0o600))
	return c
}

// TestBoto3 drives every served operation and error through boto3. No response or log line
// carries a private key.
func TestBoto3(t *testing.T) {
	t.Parallel()
	e := sdkcheck.StartTLS(t, elbserver.Options{Limits: map[string]int{"acm-certificates": 3}})
	c := certificates(t)
	env := e.Env(t, "CERTS="+c.dir, "NOT_AFTER="+strconv.FormatInt(c.web.Leaf.NotAfter.Unix(), 10))
	out := sdkcheck.Script(t, env, filepath.Join("testdata", "boto3_acm.py"))
	want := map[string][3]any{
		"reimport with tags": {"ValidationException", 400.0, ""},
		"reimport missing":   {"ResourceNotFoundException", 400.0, ""},
		"malformed":          {"ValidationException", 400.0, ""},
		"key mismatch":       {"ValidationException", 400.0, ""},
		"wrong chain":        {"ValidationException", 400.0, ""},
		"quota":              {"LimitExceededException", 400.0, ""},
		"reserved tag":       {"InvalidTagException", 400.0, ""},
		"describe missing":   {"ResourceNotFoundException", 400.0, ""},
		"delete missing":     {"ResourceNotFoundException", 400.0, ""},
		"not an acm arn":     {"InvalidArnException", 400.0, ""},
		"another region":     {"ResourceNotFoundException", 400.0, ""},
		"wrong secret":       {"InvalidSignatureException", 400.0, ""},
		"unknown key":        {"UnrecognizedClientException", 400.0, ""},
	}
	out.Check(t, want)
	e.NoKey(t, c.all()...)
	certtest.NoKey(t, "boto3's findings", fmt.Sprint(out), c.all()...)
	if !strings.Contains(e.Log.String(), "status=200") {
		t.Error("the debug log saw no request: the search above proves nothing")
	}
}
