package iam_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/iam"
	"github.com/lbcloud/lbcloud/elbserver/internal/certtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// newRoom builds the room alone over an in-memory store, with inUse as its hook.
func newRoom(t *testing.T, inUse func(account, region, arn string) ([]string, error)) (map[string]query.Handler, *store.Store) {
	t.Helper()
	st, err := store.Open("")
	sdkcheck.NoErr(t, err)
	t.Cleanup(func() { st.Close() })
	env := &room.Env{Store: st, Now: time.Now}
	decl := iam.New(env, inUse).Room()
	env.Limits, err = room.NewLimits(decl.Limits, nil) // as the endpoint does, once rooms have declared theirs
	sdkcheck.NoErr(t, err)
	return decl.Query.Actions, st
}

func call(actions map[string]query.Handler, action string, params query.Params) (any, error) {
	return actions[action](&query.Call{Ctx: context.Background(), Params: params, Account: "123456789012", Region: "eu-west-1"})
}

// A certificate a listener names cannot be deleted (DeleteConflict, naming the users); the
// hook is asked with the certificate's ARN and "" for the region, since IAM's are global. Once
// nothing uses it, it goes, and a listener's lookup finds it no more.
func TestDeleteConflict(t *testing.T) {
	web := certtest.NewServer(t, certtest.Options{})
	var users []string
	var asked []string
	actions, st := newRoom(t, func(account, region, arn string) ([]string, error) {
		asked = append(asked, account+"|"+region+"|"+arn)
		return users, nil
	})
	_, err := call(actions, "UploadServerCertificate", query.Params{"ServerCertificateName": "web", "CertificateBody": string(web.Cert),
		"PrivateKey": string(web.Key), "CertificateChain": string(web.Chain), "Path": "/edge/"})
	sdkcheck.NoErr(t, err)
	const arn = "arn:aws:iam::123456789012:server-certificate/edge/web"

	// The lookup the listeners and the data plane use: from any region's partition.
	sdkcheck.NoErr(t, st.View("123456789012", "ap-south-1", func(p *store.Part) error {
		c, err := store.LookupCertificate(p, arn)
		if err != nil || c == nil || c.Body != string(web.Cert) || string(c.PrivateKey) != string(web.Key) || c.Chain != string(web.Chain) {
			t.Fatalf("lookup: %+v, %v", c, err)
		}
		for _, other := range []string{"arn:aws:iam::123456789012:server-certificate/web", "arn:aws:iam::999999999999:server-certificate/edge/web"} {
			if c, err := store.LookupCertificate(p, other); c != nil || err != nil {
				t.Fatalf("lookup of %s: %+v, %v", other, c, err)
			}
		}
		return nil
	}))

	users = []string{"arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2"}
	_, err = call(actions, "DeleteServerCertificate", query.Params{"ServerCertificateName": "web"})
	var qe *query.Error
	if !errors.As(err, &qe) || qe.Code != "DeleteConflict" || qe.Status != 409 || !strings.Contains(qe.Message, users[0]) {
		t.Fatalf("delete in use: %v", err)
	}
	if len(asked) != 1 || asked[0] != "123456789012||"+arn {
		t.Fatalf("hook asked %q", asked)
	}
	users = nil
	_, err = call(actions, "DeleteServerCertificate", query.Params{"ServerCertificateName": "web"})
	sdkcheck.NoErr(t, err)
	sdkcheck.NoErr(t, st.View("123456789012", "eu-west-1", func(p *store.Part) error {
		if c, err := store.LookupCertificate(p, arn); c != nil || err != nil {
			t.Fatalf("deleted certificate found: %+v, %v", c, err)
		}
		return nil
	}))
}

// TestAWSCLI drives the room with `aws iam`.
func TestAWSCLI(t *testing.T) {
	t.Parallel()
	e := sdkcheck.StartTLS(t, elbserver.Options{})
	dir, web, rsa, other := certificates(t)
	res := e.AWS(t, e.Env(t), dir,
		[]string{"iam", "upload-server-certificate", "--server-certificate-name", "cli", "--path", "/cli/", "--certificate-body", "file://web.crt",
			"--certificate-chain", "file://web.chain", "--private-key", "file://web.key", "--tags", "Key=env,Value=test"},
		[]string{"iam", "get-server-certificate", "--server-certificate-name", "cli"},
		[]string{"iam", "list-server-certificates", "--path-prefix", "/cli/"},
		[]string{"iam", "upload-server-certificate", "--server-certificate-name", "cli", "--certificate-body", "file://rsa.crt", "--private-key", "file://rsa.key"},
		[]string{"iam", "upload-server-certificate", "--server-certificate-name", "x", "--certificate-body", "file://rsa.crt", "--private-key", "file://other.key"},
		[]string{"iam", "delete-server-certificate", "--server-certificate-name", "cli"},
		[]string{"iam", "get-server-certificate", "--server-certificate-name", "cli"},
	)
	for i, want := range []string{`"Arn": "arn:aws:iam::000000000000:server-certificate/cli/cli"`, `"CertificateChain": "-----BEGIN CERTIFICATE-----`,
		`"ServerCertificateName": "cli"`, "EntityAlreadyExists", "KeyPairMismatch", "", "NoSuchEntity"} {
		if got := res[i].Stdout + res[i].Stderr; !strings.Contains(got, want) || (res[i].RC == 0) != (i < 3 || i == 5) {
			t.Errorf("command %d: rc %d, want %q in:\n%s", i, res[i].RC, want, got)
		}
		certtest.NoKey(t, "aws output", res[i].Stdout+res[i].Stderr, web, rsa, other)
	}
}
