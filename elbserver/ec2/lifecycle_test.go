package ec2_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/lbcloud/lbcloud/elbserver"
	ec2room "github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func TestTerminateInstances(t *testing.T) {
	clk := &clock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
	c, srv := ec2Client(t, elbserver.Options{Now: clk.Now})
	insts := run(t, c, "", 2, "Name", "web")
	ids := instanceIDs(insts)
	ip := aws.ToString(insts[0].PrivateIpAddress)

	out, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids[:1]})
	sdkcheck.NoErr(t, err)
	if ch := out.TerminatingInstances; len(ch) != 1 || ch[0].CurrentState.Name != types.InstanceStateNameShuttingDown || ch[0].PreviousState.Name != types.InstanceStateNameRunning {
		t.Fatalf("terminate reply %+v", ch)
	}
	sdkcheck.NoErr(t, ec2.NewInstanceTerminatedWaiter(c).Wait(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids[:1]}, 5*time.Second))
	gone := described(t, c, &ec2.DescribeInstancesInput{InstanceIds: ids[:1]})[0]
	if gone.State.Name != types.InstanceStateNameTerminated || gone.PrivateIpAddress != nil || gone.SubnetId != nil || gone.StateReason == nil ||
		aws.ToString(gone.StateReason.Code) != "Client.UserInitiatedShutdown" || len(gone.Tags) != 1 {
		t.Fatalf("terminated instance %+v", gone)
	}
	// Its address is free: no longer found by it, and given again.
	if got := described(t, c, &ec2.DescribeInstancesInput{Filters: []types.Filter{filter("private-ip-address", ip)}}); len(got) != 0 {
		t.Fatalf("a terminated instance still holds %s: %+v", ip, got)
	}
	again, err := c.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1), PrivateIpAddress: aws.String(ip)})
	sdkcheck.NoErr(t, err)
	// The data plane no longer sees it.
	var live bool
	sdkcheck.NoErr(t, srv.Endpoint.Store().View("000000000000", "us-east-1", func(p *store.Part) error {
		live = store.Instances.Has(p, ids[0])
		return nil
	}))
	if live {
		t.Fatal("a terminated instance is still live in the store")
	}

	out, err = c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids})
	sdkcheck.NoErr(t, err)
	states := map[string]types.InstanceStateName{}
	for _, ch := range out.TerminatingInstances {
		states[aws.ToString(ch.InstanceId)] = ch.PreviousState.Name
	}
	if states[ids[0]] != types.InstanceStateNameTerminated || states[ids[1]] != types.InstanceStateNameRunning {
		t.Fatalf("terminating again %+v", out.TerminatingInstances)
	}
	_, err = c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-0123456789abcdef0", "i-0123456789abcdef1"}})
	sdkcheck.WantCode(t, err, "InvalidInstanceID.NotFound")
	if !strings.Contains(err.Error(), "i-0123456789abcdef0, i-0123456789abcdef1") {
		t.Errorf("the error names one of two unknown instances: %v", err)
	}
	_, err = c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{"i-xyz"}})
	sdkcheck.WantCode(t, err, "InvalidInstanceID.Malformed")

	// An hour later they are forgotten, with their tags; the next launch removes them.
	clk.Add(61 * time.Minute)
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{InstanceIds: ids[:1]})
	sdkcheck.WantCode(t, err, "InvalidInstanceID.NotFound")
	if got := instanceIDs(described(t, c, &ec2.DescribeInstancesInput{})); !slices.Equal(got, instanceIDs(again.Instances)) {
		t.Fatalf("after an hour: %v", got)
	}
	tags, err := c.DescribeTags(ctx, &ec2.DescribeTagsInput{Filters: []types.Filter{filter("resource-type", "instance")}})
	sdkcheck.NoErr(t, err)
	if len(tags.Tags) != 0 {
		t.Fatalf("forgotten instances' tags: %+v", tags.Tags)
	}
	run(t, c, "", 1)
	var kept int
	sdkcheck.NoErr(t, srv.Endpoint.Store().View("000000000000", "us-east-1", func(p *store.Part) error {
		var err error
		kept, err = store.TerminatedInstances.Count(p)
		return err
	}))
	if kept != 0 {
		t.Fatalf("%d forgotten instances are still stored", kept)
	}
}

func TestDescribeInstancesPages(t *testing.T) {
	c, _ := ec2Client(t, elbserver.Options{})
	var want []string
	for range 4 {
		want = append(want, instanceIDs(run(t, c, "", 3))...)
	}
	var pages []int
	var got []string
	p := ec2.NewDescribeInstancesPaginator(c, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		sdkcheck.NoErr(t, err)
		n := 0
		for _, r := range page.Reservations {
			n += len(r.Instances)
			got = append(got, instanceIDs(r.Instances)...)
		}
		pages = append(pages, n)
	}
	if !slices.Equal(pages, []int{5, 5, 2}) || !slices.Equal(got, want) {
		t.Fatalf("pages %v, instances %v, want %v in launch order", pages, got, want)
	}
	_, err := c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(5), InstanceIds: want[:1]})
	sdkcheck.WantCode(t, err, "InvalidParameterCombination")
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1001)})
	sdkcheck.WantCode(t, err, "InvalidParameterValue")
	_, err = c.DescribeInstances(ctx, &ec2.DescribeInstancesInput{NextToken: aws.String("%%%")})
	sdkcheck.WantCode(t, err, "InvalidPaginationToken")
}

// A launch retried with its client token answers with the first launch, launching nothing.
func TestRunInstancesClientToken(t *testing.T) {
	c, _ := ec2Client(t, elbserver.Options{})
	in := &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"), MinCount: aws.Int32(2), MaxCount: aws.Int32(2), ClientToken: aws.String("launch-1")}
	first, err := c.RunInstances(ctx, in)
	sdkcheck.NoErr(t, err)
	second, err := c.RunInstances(ctx, in)
	sdkcheck.NoErr(t, err)
	if aws.ToString(first.ReservationId) != aws.ToString(second.ReservationId) || !slices.Equal(instanceIDs(first.Instances), instanceIDs(second.Instances)) {
		t.Fatalf("retried launch: %v then %v", instanceIDs(first.Instances), instanceIDs(second.Instances))
	}
	if got := described(t, c, &ec2.DescribeInstancesInput{}); len(got) != 2 {
		t.Fatalf("%d instances after a retried launch of 2", len(got))
	}
}

// An instance declared again after its termination is live again, and described once.
func TestDeclaredAgainAfterTermination(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	inst := elbserver.Instance{ID: "i-0000000a", PrivateIP: "172.31.0.200"}
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", inst))
	_, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{inst.ID}})
	sdkcheck.NoErr(t, err)
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", inst))
	got := described(t, c, &ec2.DescribeInstancesInput{})
	if len(got) != 1 || got[0].State.Name != types.InstanceStateNameRunning {
		t.Fatalf("declared again: %+v", got)
	}
}

// LookupInstance gives other rooms a live instance placed as DescribeInstances places it.
func TestLookupInstance(t *testing.T) {
	c, srv := ec2Client(t, elbserver.Options{})
	dv := srv.Endpoint.DefaultVPC("", "")
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-0000000a", AvailabilityZone: "us-east-1c"}))
	launched := instanceIDs(run(t, c, "", 1))[0]
	_, err := c.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: []string{launched}})
	sdkcheck.NoErr(t, err)
	sdkcheck.NoErr(t, srv.Endpoint.Store().View("000000000000", "us-east-1", func(p *store.Part) error {
		i, err := ec2room.LookupInstance(p, "i-0000000a")
		if err != nil || i == nil || i.VPCID != dv.ID || i.SubnetID != dv.Subnet("us-east-1c") || i.AvailabilityZone != "us-east-1c" {
			t.Errorf("declared instance %+v, %v", i, err)
		}
		if i, err := ec2room.LookupInstance(p, launched); i != nil || err != nil {
			t.Errorf("terminated instance %+v, %v", i, err)
		}
		return nil
	}))
}
