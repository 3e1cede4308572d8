package storesync_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
	"github.com/lbcloud/lbcloud/dataplane/storesync"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/elbv2"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// countingSource counts the data plane's writes to the store.
type countingSource struct {
	*store.Store
	updates atomic.Int64
}

func (c *countingSource) Update(account, region string, fn func(*store.Part) error) error {
	c.updates.Add(1)
	return c.Store.Update(account, region, fn)
}

// TestHealthWritesBatchedAndOnChange: forty instances coming into service, checked every 20 ms,
// cost a few writes, not one per check or per instance; steady health costs none.
func TestHealthWritesBatchedAndOnChange(t *testing.T) {
	srv := elbtest.NewServer()
	t.Cleanup(srv.Close)
	src := &countingSource{Store: srv.Endpoint.Store()}
	dp, err := storesync.Start(storesync.Options{Source: src, MaxCheckInterval: fastChecks,
		Attributes: storesync.Attributes{LoadBalancer: elbv2.LoadBalancerAttributes, TargetGroup: elbv2.TargetGroupAttributes,
			Listener: elbv2.ListenerAttributes}})
	must(t, err)
	t.Cleanup(func() { dp.Close() })
	e := &env{account: "000000000000", srv: srv, classic: elb.NewFromConfig(srv.AWSConfig()), ec2: ec2.NewFromConfig(srv.AWSConfig())}
	be := dptest.Echo(t, "be")
	out, err := e.ec2.RunInstances(context.Background(), &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"),
		MinCount: aws.Int32(40), MaxCount: aws.Int32(40)})
	must(t, err)
	var ids []string
	for _, in := range out.Instances {
		ids = append(ids, aws.ToString(in.InstanceId))
		must(t, srv.Endpoint.DeclareTags("", "", ids[len(ids)-1], map[string]string{"lbcloud:address": dptest.HostOf(be)}))
	}
	before := src.updates.Load()
	e.classicBalancer(t, "many", "TCP:80", []elbtypes.Listener{listener("TCP", 80, "TCP", 80)}, ids...)
	e.waitHealth(t, "many", "InService", ids...)
	time.Sleep(200 * time.Millisecond) // a flush in progress lands
	bringUp := src.updates.Load() - before
	// Each instance changes state twice (registering, then in service): 80 changes.
	if bringUp > 10 {
		t.Errorf("%d writes to bring 40 instances into service", bringUp)
	}
	steady := src.updates.Load()
	time.Sleep(500 * time.Millisecond) // about 25 checks of each instance
	if n := src.updates.Load() - steady; n != 0 {
		t.Errorf("%d writes while nothing changed", n)
	}
}
