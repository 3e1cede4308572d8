package compat

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// cliCoverage holds the `aws elb` commands that succeeded.
var cliCoverage coverage

// awsRun is the AWS CLI aimed at an endpoint: the program, the endpoint's URL, the service's
// command (elb, elbv2) and the environment it runs in.
type awsRun struct {
	bin, url, service string
	env               []string
}

// exec runs `aws SERVICE ARGS...` against the endpoint, printing JSON.
func (r awsRun) exec(args []string) (stdout, stderr []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	full := append([]string{"--endpoint-url", r.url, "--output", "json", r.service}, args...)
	cmd := exec.CommandContext(ctx, r.bin, full...)
	cmd.Env = r.env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	return out.Bytes(), errb.Bytes(), err
}

// awsCLI runs `aws elb` against one in-process endpoint.
type awsCLI struct {
	awsRun
	t   *testing.T
	srv *elbtest.Server
}

// newCLI starts an endpoint for t and prepares an isolated AWS CLI
// environment aimed at it (see clientEnv).
func newCLI(t *testing.T, bin string, opts ...elbtest.Option) *awsCLI {
	t.Helper()
	srv := elbtest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return &awsCLI{awsRun: awsRun{bin: bin, url: srv.URL, service: "elb", env: clientEnv(t, srv)}, t: t, srv: srv}
}

// withKeys returns a CLI signing with other credentials, for the
// authentication cases.
func (c *awsCLI) withKeys(id, secret string) *awsCLI {
	cp := *c
	cp.env = append(append([]string(nil), c.env...), "AWS_ACCESS_KEY_ID="+id, "AWS_SECRET_ACCESS_KEY="+secret)
	return &cp
}

// run executes `aws elb COMMAND ARGS...`, requires success, records the
// command as covered and returns the parsed JSON output.
func (c *awsCLI) run(args ...string) doc {
	c.t.Helper()
	out, errb, err := c.exec(args)
	if err != nil {
		c.t.Fatalf("aws elb %s: %v\n%s", strings.Join(args, " "), err, errb)
	}
	cliCoverage.add(args[0])
	return parseDoc(c.t, out)
}

// fail executes a command that must fail with the given AWS error code, as
// the CLI prints it: "An error occurred (CODE) when calling ...".
func (c *awsCLI) fail(code string, args ...string) {
	c.t.Helper()
	_, errb, err := c.exec(args)
	if err == nil {
		c.t.Errorf("aws elb %s succeeded, want %s", strings.Join(args, " "), code)
		return
	}
	if !strings.Contains(string(errb), "An error occurred ("+code+")") {
		c.t.Errorf("aws elb %s: want error %s, got:\n%s", strings.Join(args, " "), code, errb)
	}
}

// TestAWSCLI drives every action of the model through the AWS CLI; the
// scenarios run in parallel since each call pays the CLI's start-up.
func TestAWSCLI(t *testing.T) {
	bin := testenv.RequireAWSCLI(t)
	ops := classicModel.read(t)
	scenarios := []struct {
		name string
		fn   func(*testing.T, string)
	}{
		{"balancers", cliBalancers},
		{"listeners", cliListeners},
		{"policies", cliPolicies},
		{"instances", cliInstances},
		{"attributes", cliAttributes},
		{"network", cliNetwork},
		{"tags", cliTags},
		{"auth", cliAuth},
	}
	var executed atomic.Int32
	t.Run("scenarios", func(t *testing.T) {
		for _, sc := range scenarios {
			t.Run(sc.name, func(t *testing.T) {
				t.Parallel()
				executed.Add(1)
				sc.fn(t, bin)
			})
		}
	})
	// Coverage is judged only when every scenario ran (-run may select a
	// subset) and passed.
	if t.Failed() || int(executed.Load()) != len(scenarios) {
		return
	}
	if missing := cliCoverage.missing(ops, func(_, cli string) string { return cli }); len(missing) > 0 {
		t.Errorf("actions never run successfully through the AWS CLI: %v", missing)
	}
}
