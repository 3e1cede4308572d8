package ec2_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
)

// cliStep is one AWS CLI command line; fail names the error it must end with, "" for success.
type cliStep struct {
	Name string   `json:"name"`
	Args []string `json:"args"`
	fail string
}

type cliResult struct {
	Name   string `json:"name"`
	RC     int    `json:"rc"`
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
}

// runCLI runs steps through the AWS CLI against srv, checks each succeeded or failed as it
// must, and returns their results by name.
func runCLI(t *testing.T, srv *elbtest.Server, steps []cliStep) map[string]cliResult {
	t.Helper()
	testenv.RequireAWSCLI(t)
	py := testenv.RequirePython(t, "awscli")
	file := filepath.Join(t.TempDir(), "steps.json")
	raw, err := json.Marshal(steps)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, filepath.Join("testdata", "awscli_batch.py"), file, srv.URL)
	cmd.Env = testenv.ChildEnv(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("awscli_batch.py: %v\n%s", err, stderrOf(err))
	}
	var results []cliResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("awscli_batch.py printed %q: %v", out, err)
	}
	byName := map[string]cliResult{}
	for i, r := range results {
		byName[r.Name] = r
		want := steps[i].fail
		switch {
		case want == "" && r.RC != 0:
			t.Errorf("aws %s: exit %d\n%s", strings.Join(steps[i].Args, " "), r.RC, r.Stderr)
		case want != "" && (r.RC == 0 || !strings.Contains(r.Stderr, "An error occurred ("+want+")")):
			t.Errorf("aws %s: exit %d, want error %s\n%s", strings.Join(steps[i].Args, " "), r.RC, want, r.Stderr)
		}
	}
	return byName
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

func words(r cliResult) []string { return strings.Fields(r.Stdout) }

// With the AWS CLI alone: a VPC, subnets in two zones, a group and instances, then a Classic
// balancer over them in strict mode; paging, filters and errors on the way.
func TestAWSCLIBuildsANetworkForClassic(t *testing.T) {
	t.Parallel()
	srv := elbtest.NewServer(elbtest.WithOptions(elbserver.Options{Strict: true}))
	t.Cleanup(srv.Close)
	text := []string{"--output", "text"}
	step := func(name string, args ...string) cliStep { return cliStep{Name: name, Args: args} }
	failing := func(code, name string, args ...string) cliStep { return cliStep{Name: name, Args: args, fail: code} }
	r := runCLI(t, srv, []cliStep{
		step("vpc", append([]string{"ec2", "create-vpc", "--cidr-block", "10.20.0.0/16", "--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=cli}]", "--query", "Vpc.VpcId"}, text...)...),
		step("subnetA", append([]string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.20.1.0/24", "--availability-zone", "us-east-1a", "--query", "Subnet.SubnetId"}, text...)...),
		step("subnetB", append([]string{"ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.20.2.0/24", "--availability-zone-id", "use1-az2", "--query", "Subnet.SubnetId"}, text...)...),
		step("sg", append([]string{"ec2", "create-security-group", "--group-name", "web", "--description", "web servers", "--vpc-id", "{vpc}", "--query", "GroupId"}, text...)...),
		step("run", append([]string{"ec2", "run-instances", "--image-id", "ami-12345678", "--count", "3", "--instance-type", "t3.micro", "--subnet-id", "{subnetA}",
			"--security-group-ids", "{sg}", "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=web},{Key=lbcloud:address,Value=127.0.0.1:8080}]",
			"--query", "Instances[].InstanceId"}, text...)...),
		step("wait", "ec2", "wait", "instance-running", "--instance-ids", "{run}"),
		step("describe", "ec2", "describe-instances", "--filters", "Name=tag:Name,Values=web", "Name=instance-state-name,Values=running", "Name=vpc-id,Values={vpc}"),
		step("byIP", append([]string{"ec2", "describe-instances", "--filters", "Name=private-ip-address,Values=10.20.1.5", "--query", "Reservations[].Instances[].InstanceId"}, text...)...),
		step("subnetsFirst", "ec2", "describe-subnets", "--page-size", "5", "--max-items", "7"),
		step("subnetsRest", "ec2", "describe-subnets", "--page-size", "5", "--max-items", "7", "--starting-token", "{subnetsFirst.NextToken}"),
		step("vpcs", "ec2", "describe-vpcs", "--filters", "Name=isDefault,Values=false"),
		step("groups", append([]string{"ec2", "describe-security-groups", "--filters", "Name=vpc-id,Values={vpc}", "--query", "SecurityGroups[].GroupName"}, text...)...),
		step("zones", append([]string{"ec2", "describe-availability-zones", "--filters", "Name=state,Values=available", "--query", "AvailabilityZones[].ZoneId"}, text...)...),
		step("tags", "ec2", "describe-tags", "--filters", "Name=resource-type,Values=instance", "Name=key,Values=lbcloud:address"),
		step("elb", "elb", "create-load-balancer", "--load-balancer-name", "cli", "--listeners", "Protocol=HTTP,LoadBalancerPort=80,InstanceProtocol=HTTP,InstancePort=8080",
			"--subnets", "{subnetA}", "{subnetB}", "--security-groups", "{sg}"),
		step("register", "elb", "register-instances-with-load-balancer", "--load-balancer-name", "cli", "--instances", "{run}"),
		step("lb", "elb", "describe-load-balancers", "--load-balancer-names", "cli"),
		failing("SubnetNotFound", "elbUnknownSubnet", "elb", "create-load-balancer", "--load-balancer-name", "x", "--listeners",
			"Protocol=HTTP,LoadBalancerPort=80,InstancePort=8080", "--subnets", "subnet-0123456789abcdef0"),
		failing("InvalidSubnet.Conflict", "conflict", "ec2", "create-subnet", "--vpc-id", "{vpc}", "--cidr-block", "10.20.1.128/25"),
		failing("InvalidIPAddress.InUse", "inUse", "ec2", "run-instances", "--image-id", "ami-12345678", "--count", "1", "--subnet-id", "{subnetA}", "--private-ip-address", "10.20.1.4"),
		failing("DependencyViolation", "groupInUse", "ec2", "delete-security-group", "--group-id", "{sg}"),
		failing("InvalidParameterValue", "remoteAddress", "ec2", "create-tags", "--resources", "{vpc}", "--tags", "Key=lbcloud:address,Value=192.0.2.1"),
		failing("InvalidVpcID.NotFound", "noVPC", "ec2", "describe-vpcs", "--vpc-ids", "vpc-0123456789abcdef0"),
		step("terminate", append([]string{"ec2", "terminate-instances", "--instance-ids", "{run}", "--query", "TerminatingInstances[].CurrentState.Name"}, text...)...),
		step("waitTerminated", "ec2", "wait", "instance-terminated", "--instance-ids", "{run}"),
		failing("InvalidInstance", "registerTerminated", "elb", "register-instances-with-load-balancer", "--load-balancer-name", "cli", "--instances", "{run}"),
	})
	if t.Failed() {
		return
	}
	vpc, subnetA, subnetB, sg, ids := r["vpc"].Stdout, r["subnetA"].Stdout, r["subnetB"].Stdout, r["sg"].Stdout, words(r["run"])
	vpc, subnetA, subnetB, sg = strings.TrimSpace(vpc), strings.TrimSpace(subnetA), strings.TrimSpace(subnetB), strings.TrimSpace(sg)
	if len(ids) != 3 {
		t.Fatalf("run-instances printed %q", r["run"].Stdout)
	}

	var described struct {
		Reservations []struct {
			Instances []struct {
				InstanceId, PrivateIpAddress, SubnetId, VpcId string
				State                                         struct{ Name string }
				SecurityGroups                                []struct{ GroupId, GroupName string }
			}
		}
	}
	decode(t, r["describe"], &described)
	var ips []string
	for _, res := range described.Reservations {
		for _, i := range res.Instances {
			ips = append(ips, i.PrivateIpAddress)
			if i.State.Name != "running" || i.SubnetId != subnetA || i.VpcId != vpc || len(i.SecurityGroups) != 1 || i.SecurityGroups[0].GroupName != "web" {
				t.Errorf("instance %+v", i)
			}
		}
	}
	if !slices.Equal(ips, []string{"10.20.1.4", "10.20.1.5", "10.20.1.6"}) {
		t.Errorf("addresses %v", ips)
	}
	if got := words(r["byIP"]); len(got) != 1 || got[0] != ids[1] {
		t.Errorf("by private-ip-address: %v, want %s", got, ids[1])
	}

	// Eight subnets (six default ones), five a page: the CLI follows NextToken.
	var first, rest struct {
		Subnets   []struct{ SubnetId string }
		NextToken string
	}
	decode(t, r["subnetsFirst"], &first)
	decode(t, r["subnetsRest"], &rest)
	seen := map[string]bool{}
	for _, s := range append(first.Subnets, rest.Subnets...) {
		seen[s.SubnetId] = true
	}
	if len(first.Subnets) != 7 || first.NextToken == "" || len(rest.Subnets) != 1 || rest.NextToken != "" || len(seen) != 8 || !seen[subnetA] || !seen[subnetB] {
		t.Errorf("subnets in pages: %d (token %q) then %d (token %q), %d distinct", len(first.Subnets), first.NextToken, len(rest.Subnets), rest.NextToken, len(seen))
	}

	var vpcs struct {
		Vpcs []struct {
			VpcId, CidrBlock string
			IsDefault        bool
			Tags             []struct{ Key, Value string }
		}
	}
	decode(t, r["vpcs"], &vpcs)
	if len(vpcs.Vpcs) != 1 || vpcs.Vpcs[0].VpcId != vpc || vpcs.Vpcs[0].CidrBlock != "10.20.0.0/16" || vpcs.Vpcs[0].IsDefault || len(vpcs.Vpcs[0].Tags) != 1 {
		t.Errorf("VPCs %+v", vpcs)
	}
	if got := words(r["groups"]); !sameSet(got, []string{"default", "web"}) {
		t.Errorf("the VPC's groups %v", got)
	}
	if got := words(r["zones"]); len(got) != 6 || got[0] != "use1-az1" {
		t.Errorf("zones %v", got)
	}
	var tags struct {
		Tags []struct{ ResourceId, Value string }
	}
	decode(t, r["tags"], &tags)
	if len(tags.Tags) != 3 || tags.Tags[0].Value != "127.0.0.1:8080" {
		t.Errorf("address tags %+v", tags)
	}

	var lb struct {
		LoadBalancerDescriptions []struct {
			VPCId                      string
			Subnets, AvailabilityZones []string
			SecurityGroups             []string
			Instances                  []struct{ InstanceId string }
			SourceSecurityGroup        struct{ GroupName string }
		}
	}
	decode(t, r["lb"], &lb)
	d := lb.LoadBalancerDescriptions[0]
	if d.VPCId != vpc || !sameSet(d.Subnets, []string{subnetA, subnetB}) || !sameSet(d.AvailabilityZones, []string{"us-east-1a", "us-east-1b"}) ||
		!slices.Equal(d.SecurityGroups, []string{sg}) || len(d.Instances) != 3 || d.SourceSecurityGroup.GroupName != "web" {
		t.Errorf("balancer %+v", d)
	}
	if got := words(r["terminate"]); !slices.Equal(got, []string{"shutting-down", "shutting-down", "shutting-down"}) {
		t.Errorf("terminate-instances printed %v", got)
	}
}

func decode(t *testing.T, r cliResult, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Stdout), v); err != nil {
		t.Fatalf("%s printed %q: %v", r.Name, r.Stdout, err)
	}
}
