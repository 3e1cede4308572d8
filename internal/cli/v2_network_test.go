package cli

import (
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2sdk "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

// v2Network declares three subnets of one VPC in three zones and two of its security groups.
func v2Network(t *testing.T, ts *elbtest.Server) {
	t.Helper()
	for _, sub := range []elbserver.Subnet{{ID: "subnet-0000000a", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1a"},
		{ID: "subnet-0000000b", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1b"},
		{ID: "subnet-0000000c", VPCID: "vpc-0000000a", AvailabilityZone: "us-east-1c"}} {
		if err := ts.Endpoint.DeclareSubnet("", ts.Region, sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, sg := range []string{"sg-0000000a", "sg-0000000b"} {
		if err := ts.Endpoint.DeclareSecurityGroup("", ts.Region, sg, "vpc-0000000a"); err != nil {
			t.Fatal(err)
		}
	}
}

// describeLB is the balancer as the endpoint's DescribeLoadBalancers answers it.
func describeLB(t *testing.T, ts *elbtest.Server, name string) (arn string, lb elbv2sdk.DescribeLoadBalancersOutput) {
	t.Helper()
	out, err := sdk(ts).DescribeLoadBalancers(context.Background(), &elbv2sdk.DescribeLoadBalancersInput{Names: []string{name}})
	if err != nil || len(out.LoadBalancers) != 1 {
		t.Fatalf("DescribeLoadBalancers %s: %v", name, err)
	}
	return aws.ToString(out.LoadBalancers[0].LoadBalancerArn), *out
}

// Subnets, security groups, IP address type, IPAM pool and capacity of an ALB, each changed by
// its command and read back through the SDK; the address type, groups and subnets through
// awscli too.
func TestV2SubnetsGroupsAddressingCapacity(t *testing.T) {
	ts, ep := v2Endpoint(t)
	v2Network(t, ts)
	alb := args(ep, "--api", "alb")
	ok(t, args(alb, "balancers", "create", "web", "--port", "80", "--protocol", "http",
		"--subnet", "subnet-0000000a", "--subnet", "subnet-0000000b", "--security-group", "sg-0000000a")...)

	// Completion: the balancer, then what it may become.
	complete := args([]string{"__complete"}, alb...)
	if got := completedCommands(ok(t, args(complete, "capacity", "set", "")...)); !slices.Equal(got, []string{"web"}) {
		t.Errorf("completion of capacity set NAME: %v", got)
	}
	if got := completedCommands(ok(t, args(complete, "ip-address-type", "set", "web", "")...)); !slices.Equal(got, ipAddressTypes[apiALB]) {
		t.Errorf("completion of ip-address-type set web TYPE: %v", got)
	}

	var subnets listResult
	okJSON(t, &subnets, args(alb, "subnets", "set", "web", "subnet-0000000b", "subnet-0000000c")...)
	if subnets.LoadBalancer != "web" || !slices.Equal(subnets.Items, []string{"subnet-0000000b", "subnet-0000000c"}) {
		t.Errorf("subnets set = %+v", subnets)
	}
	var got loadbalancer.LoadBalancer
	okJSON(t, &got, args(alb, "balancers", "get", "web")...)
	if !slices.Equal(got.Subnets, []string{"subnet-0000000b", "subnet-0000000c"}) || !slices.Equal(got.Zones, []string{"us-east-1b", "us-east-1c"}) {
		t.Errorf("balancers get after subnets set: subnets %v, zones %v", got.Subnets, got.Zones)
	}

	if out := ok(t, args(alb, "security-groups", "apply", "web", "sg-0000000b", "sg-0000000a")...); !strings.Contains(out, "SECURITY GROUP") ||
		!strings.Contains(out, "sg-0000000b") {
		t.Errorf("security-groups apply table:\n%s", out)
	}

	var addr addressingJSON
	okJSON(t, &addr, args(alb, "ip-address-type", "set", "web", "dualstack")...)
	if addr != (addressingJSON{LoadBalancer: "web", IPAddressType: "dualstack"}) {
		t.Errorf("ip-address-type set = %+v", addr)
	}
	okJSON(t, &addr, args(alb, "ip-pools", "set", "web", "ipam-pool-0123456789abcdef0")...)
	if addr.IPv4IPAMPool != "ipam-pool-0123456789abcdef0" {
		t.Errorf("ip-pools set = %+v", addr)
	}
	_, desc := describeLB(t, ts, "web")
	lb := desc.LoadBalancers[0]
	if lb.IpamPools == nil || aws.ToString(lb.IpamPools.Ipv4IpamPoolId) != "ipam-pool-0123456789abcdef0" || lb.IpAddressType != "dualstack" ||
		!slices.Equal(lb.SecurityGroups, []string{"sg-0000000b", "sg-0000000a"}) {
		t.Errorf("DescribeLoadBalancers: pools %+v, type %s, groups %v", lb.IpamPools, lb.IpAddressType, lb.SecurityGroups)
	}
	addr = addressingJSON{}
	okJSON(t, &addr, args(alb, "ip-pools", "remove", "web")...)
	if addr != (addressingJSON{LoadBalancer: "web"}) {
		t.Errorf("ip-pools remove = %+v", addr)
	}
	if _, desc = describeLB(t, ts, "web"); desc.LoadBalancers[0].IpamPools != nil {
		t.Errorf("IPAM pool after remove: %+v", desc.LoadBalancers[0].IpamPools)
	}

	// awscli, an independent client, sees what the commands set.
	cli := testenv.RequireAWSCLI(t)
	out, err := exec.Command(cli, "--endpoint-url", ts.URL, "--region", ts.Region, "elbv2", "describe-load-balancers", "--names", "web",
		"--query", "LoadBalancers[0].{type:IpAddressType,groups:SecurityGroups,subnets:AvailabilityZones[].SubnetId}", "--output", "json").CombinedOutput()
	var seen struct {
		Type    string   `json:"type"`
		Groups  []string `json:"groups"`
		Subnets []string `json:"subnets"`
	}
	if err != nil || json.Unmarshal(out, &seen) != nil {
		t.Fatalf("aws elbv2 describe-load-balancers: %v\n%s", err, out)
	}
	slices.Sort(seen.Subnets)
	if seen.Type != "dualstack" || !slices.Equal(seen.Groups, []string{"sg-0000000b", "sg-0000000a"}) ||
		!slices.Equal(seen.Subnets, []string{"subnet-0000000b", "subnet-0000000c"}) {
		t.Errorf("awscli sees %+v", seen)
	}

	var capacity capacityJSON
	okJSON(t, &capacity, args(alb, "capacity", "get", "web")...)
	if capacity.LoadBalancer != "web" || capacity.MinimumUnits != 0 {
		t.Errorf("capacity get before any reservation = %+v", capacity)
	}
	okJSON(t, &capacity, args(alb, "capacity", "set", "web", "150")...)
	if capacity.MinimumUnits != 150 || len(capacity.Zones) != 2 {
		t.Errorf("capacity set = %+v", capacity)
	}
	arn, _ := describeLB(t, ts, "web")
	reservation, err := sdk(ts).DescribeCapacityReservation(context.Background(), &elbv2sdk.DescribeCapacityReservationInput{LoadBalancerArn: aws.String(arn)})
	if err != nil || reservation.MinimumLoadBalancerCapacity == nil || aws.ToInt32(reservation.MinimumLoadBalancerCapacity.CapacityUnits) != 150 {
		t.Errorf("DescribeCapacityReservation after set: %v %+v", err, reservation)
	}
	if table := ok(t, args(alb, "capacity", "get", "web")...); !strings.Contains(table, "us-east-1b") || !strings.Contains(table, "150") {
		t.Errorf("capacity get table:\n%s", table)
	}
	okJSON(t, &capacity, args(alb, "capacity", "reset", "web")...)
	if capacity.MinimumUnits != 0 {
		t.Errorf("capacity reset = %+v", capacity)
	}
	// The endpoint's refusal is an operation failure (exit 1) with its code.
	r := fails(t, ExitFailed, args(alb, "capacity", "set", "web", "1")...)
	if !strings.Contains(r.stderr, "CapacityUnitsLimitExceeded") {
		t.Errorf("capacity set below the minimum: %s", r.stderr)
	}
}

// An NLB's subnets and the security group flag only an NLB has.
func TestV2NLBSubnetsAndGroups(t *testing.T) {
	ts, ep := v2Endpoint(t)
	v2Network(t, ts)
	nlb := args(ep, "--api", "nlb")
	ok(t, args(nlb, "balancers", "create", "tcp", "--port", "25", "--protocol", "tcp",
		"--subnet", "subnet-0000000a", "--security-group", "sg-0000000a")...)
	var subnets listResult
	okJSON(t, &subnets, args(nlb, "subnets", "set", "tcp", "subnet-0000000a", "subnet-0000000c")...)
	if !slices.Equal(subnets.Items, []string{"subnet-0000000a", "subnet-0000000c"}) {
		t.Errorf("subnets set = %+v", subnets)
	}
	var groups listResult
	okJSON(t, &groups, args(nlb, "security-groups", "apply", "tcp", "sg-0000000b", "--enforce-private-link", "off")...)
	if !slices.Equal(groups.Items, []string{"sg-0000000b"}) {
		t.Errorf("security-groups apply = %+v", groups)
	}
	_, desc := describeLB(t, ts, "tcp")
	if v := aws.ToString(desc.LoadBalancers[0].EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic); v != "off" {
		t.Errorf("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic = %q", v)
	}
	var addr addressingJSON
	okJSON(t, &addr, args(nlb, "ip-address-type", "set", "tcp", "dualstack")...)
	if addr.IPAddressType != "dualstack" {
		t.Errorf("ip-address-type set = %+v", addr)
	}
}

func TestV2NetworkUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--api", "nlb", "ip-address-type", "set", "web", "dualstack-without-public-ipv4"}, `TYPE must be ipv4 or dualstack for Network Load Balancers, not "dualstack-without-public-ipv4"`},
		{[]string{"--api", "alb", "ip-address-type", "set", "web", "ipv6"}, `TYPE must be ipv4, dualstack or dualstack-without-public-ipv4`},
		{[]string{"--api", "alb", "ip-address-type", "set", "web"}, "wrong number of arguments"},
		{[]string{"--api", "alb", "ip-pools", "set", "web", "pool-1"}, `POOL must be an IPAM pool id (ipam-pool-...), not "pool-1"`},
		{[]string{"--api", "nlb", "ip-pools", "set", "web", "ipam-pool-1"}, "'lbctl ip-pools' is for Application Load Balancers (--api alb) only, not --api nlb"},
		{[]string{"--api", "alb", "capacity", "set", "web", "0"}, `UNITS must be a positive number of capacity units, not "0"`},
		{[]string{"--api", "alb", "capacity", "set", "web", "many"}, `UNITS must be a positive number`},
		{[]string{"capacity", "get", "web"}, "'lbctl capacity' is for Application Load Balancers (--api alb) and Network Load Balancers (--api nlb) only, not --api classic"},
		{[]string{"--api", "alb", "subnets", "attach", "web", "subnet-1"}, "'lbctl subnets attach' is for Classic ELB (--api classic) only, not --api alb; an ELBv2 balancer's subnets are replaced: 'subnets set NAME SUBNET...'"},
		{[]string{"subnets", "set", "web", "subnet-1"}, "'lbctl subnets set' is for Application Load Balancers (--api alb) and Network Load Balancers (--api nlb) only, not --api classic"},
		{[]string{"--api", "alb", "security-groups", "apply", "web", "sg-1", "--enforce-private-link", "on"}, "--enforce-private-link is not for Application Load Balancers (--api alb)"},
		{[]string{"--api", "nlb", "security-groups", "apply", "web", "sg-1", "--enforce-private-link", "yes"}, `--enforce-private-link must be on or off, not "yes"`},
		{[]string{"--api", "alb", "trust-stores", "ca-bundle", "ts", "--file", "/no/such/dir/ca.pem"}, "--file /no/such/dir/ca.pem: its directory does not exist"},
		{[]string{"--api", "alb", "trust-stores", "ca-bundle", "ts", "--file", ""}, "--file must name a file"},
		{[]string{"--api", "alb", "trust-stores", "revocations", "content", "ts", "0"}, `revocation id "0" must be a positive number`},
		{[]string{"--api", "nlb", "trust-stores", "policy", "ts"}, "mutual TLS is an ALB's"},
	} {
		t.Run(strings.Join(tc.args, "_"), func(t *testing.T) { isUsageError(t, tc.want, tc.args...) })
	}
}
