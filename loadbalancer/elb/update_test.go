package elb

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/internal/awsclient"
	"github.com/lbcloud/lbcloud/internal/awsclient/awstest"
	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

// A port change that cannot remove the old listener must not leave the new one behind.
func TestUpdateBalancerUndoesTheNewListenerWhenTheOldStays(t *testing.T) {
	f := awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		switch action {
		case "DescribeLoadBalancers":
			return 200, awstest.QueryOK(elbNS, action, "<LoadBalancerDescriptions><member><LoadBalancerName>web</LoadBalancerName>"+
				"<ListenerDescriptions><member><Listener><Protocol>HTTP</Protocol><LoadBalancerPort>80</LoadBalancerPort>"+
				"<InstanceProtocol>HTTP</InstanceProtocol><InstancePort>8080</InstancePort></Listener></member>"+
				"</ListenerDescriptions></member></LoadBalancerDescriptions>")
		case "DeleteLoadBalancerListeners":
			if form.Get("LoadBalancerPorts.member.1") == "80" {
				return 403, awstest.QueryError(elbNS, "AccessDenied", "not allowed to delete listeners on port 80")
			}
		}
		return 200, awstest.QueryOK(elbNS, action, "")
	})
	_, err := fakeClient(t, f, 1).Service().UpdateBalancer(shortCtx(t), "web", driver.UpdateRequest{Port: 8000})
	if !errors.Is(err, driver.ErrDenied) {
		t.Fatalf("err = %v, want the refusal to delete the old listener", err)
	}
	if got := f.Last("CreateLoadBalancerListeners").Get("Listeners.member.1.LoadBalancerPort"); got != "8000" {
		t.Fatalf("created listener on port %q, want 8000", got)
	}
	if n := f.Count("DeleteLoadBalancerListeners"); n != 2 {
		t.Fatalf("DeleteLoadBalancerListeners calls = %d, want the refused one and the undo", n)
	}
	if got := f.Last("DeleteLoadBalancerListeners").Get("LoadBalancerPorts.member.1"); got != "8000" {
		t.Errorf("undo deleted port %q, want the new listener's 8000", got)
	}
}

// An undo runs after the caller's deadline, but not for ever: an endpoint that never answers
// the undo leaves the call failing within the undo timeout.
func TestUndoIsBounded(t *testing.T) {
	defer func(d time.Duration) { awsclient.UndoTimeout = d }(awsclient.UndoTimeout)
	awsclient.UndoTimeout = 200 * time.Millisecond
	release := make(chan struct{})
	f := awstest.NewFake(t, func(action string, form url.Values) (int, string) {
		switch action {
		case "DescribeLoadBalancers":
			return 400, awstest.QueryError(elbNS, "LoadBalancerNotFound", "no such balancer")
		case "RegisterInstancesWithLoadBalancer":
			return 400, awstest.QueryError(elbNS, "InvalidInstance", "no such instance")
		case "DeleteLoadBalancer":
			select {
			case <-release:
			case <-time.After(time.Minute):
			}
		}
		return 200, awstest.QueryOK(elbNS, action, "")
	})
	t.Cleanup(func() { close(release) }) // before the server's own cleanup
	svc := fakeClient(t, f, 1).Service()
	start := time.Now()
	_, err := svc.CreateBalancer(shortCtx(t), driver.CreateRequest{Name: "web", Port: 80, Protocol: driver.HTTP,
		Zones: []string{"eu-west-1a"}, Members: []driver.Member{{ID: "i-1"}}})
	if !errors.Is(err, driver.ErrNotFound) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the registration's error joined with the undo's timeout", err)
	}
	if el := time.Since(start); el > 10*time.Second {
		t.Errorf("the undo ran %v, past its bound", el)
	}
	if f.Count("DeleteLoadBalancer") != 1 {
		t.Errorf("DeleteLoadBalancer calls = %d, want the one undo", f.Count("DeleteLoadBalancer"))
	}
}
