package cli

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
)

// serve's banner names every API it serves, and its awscli example for elbv2 works as printed.
func TestServeBannerNamesEveryAPI(t *testing.T) {
	awsCLI := testenv.RequireAWSCLI(t)
	localEnv(t)
	url, out, stop := startServeOut(t, "--no-data-plane")
	banner := out.String()
	for _, want := range []string{"Classic ELB", "ELBv2", "ALB", "NLB", "EC2", "S3", "IAM", "ACM"} {
		if !strings.Contains(strings.SplitN(banner, "\n", 2)[0], want) {
			t.Errorf("the banner's first line does not name %s:\n%s", want, banner)
		}
	}
	var example string
	for _, line := range strings.Split(banner, "\n") {
		if strings.Contains(line, " elbv2 describe-load-balancers") {
			example = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "aws cli:"))
		}
	}
	fields := strings.Fields(example)
	if len(fields) < 4 || fields[2] != "aws" || !strings.Contains(example, "--endpoint-url "+url) {
		t.Fatalf("no elbv2 awscli example in the banner:\n%s", banner)
	}
	ok(t, "--endpoint", url, "--api", "nlb", "balancers", "create", "banner", "--port", "80", "--protocol", "tcp")
	cmd := exec.Command(awsCLI, append(fields[3:], "--query", "LoadBalancers[].LoadBalancerName", "--output", "text")...)
	cmd.Env = append(cmd.Environ(), fields[:2]...) // the keys the banner names
	got, err := cmd.CombinedOutput()
	if err != nil || strings.TrimSpace(string(got)) != "banner" {
		t.Errorf("%s: %v\n%s", example, err, got)
	}
	if code, stderr := stop(); code != ExitOK {
		t.Fatalf("serve: exit %d\n%s", code, stderr)
	}
}
