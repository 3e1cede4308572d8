// Package classic is the endpoint's Classic Elastic Load Balancing room (Query API
// 2012-06-01): its 29 actions, their validation and their XML.
package classic

import (
	"fmt"
	"net/http"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	// APIVersion and Namespace of the Classic ELB Query API.
	APIVersion = "2012-06-01"
	Namespace  = "http://elasticloadbalancing.amazonaws.com/doc/2012-06-01/"
)

// Account limits, as DescribeAccountLimits names them.
const (
	limitLoadBalancers = "classic-load-balancers"
	limitListeners     = "classic-listeners"
	limitInstances     = "classic-registered-instances"
)

// limits are the room's account limits with AWS's defaults, in DescribeAccountLimits order.
var limits = []room.Limit{
	{Name: limitLoadBalancers, Default: 20},
	{Name: limitListeners, Default: 100},
	{Name: limitInstances, Default: 1000},
}

// Room is the Classic ELB room.
type Room struct {
	env *room.Env
	ec2 *ec2.Room
}

// New returns the Classic room over env, using the EC2 room to place balancers and check what
// they are given.
func New(env *room.Env, e *ec2.Room) *Room {
	return &Room{env: env, ec2: e}
}

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	return room.Room{
		Service: "elasticloadbalancing",
		Limits:  limits,
		Views:   []room.View{descriptions},
		Query: &query.API{
			Version:   APIVersion,
			Namespace: Namespace,
			Style:     query.StyleQuery,
			Actions: map[string]query.Handler{
				"AddTags":                                 r.addTags,
				"ApplySecurityGroupsToLoadBalancer":       r.applySecurityGroups,
				"AttachLoadBalancerToSubnets":             func(c *query.Call) (any, error) { return r.changeSubnets(c, true) },
				"ConfigureHealthCheck":                    r.configureHealthCheck,
				"CreateAppCookieStickinessPolicy":         r.createAppCookieStickinessPolicy,
				"CreateLBCookieStickinessPolicy":          r.createLBCookieStickinessPolicy,
				"CreateLoadBalancer":                      r.createLoadBalancer,
				"CreateLoadBalancerListeners":             r.createLoadBalancerListeners,
				"CreateLoadBalancerPolicy":                r.createLoadBalancerPolicy,
				"DeleteLoadBalancer":                      r.deleteLoadBalancer,
				"DeleteLoadBalancerListeners":             r.deleteLoadBalancerListeners,
				"DeleteLoadBalancerPolicy":                r.deleteLoadBalancerPolicy,
				"DeregisterInstancesFromLoadBalancer":     r.deregisterInstances,
				"DescribeAccountLimits":                   r.describeAccountLimits,
				"DescribeInstanceHealth":                  r.describeInstanceHealth,
				"DescribeLoadBalancerAttributes":          r.describeLoadBalancerAttributes,
				"DescribeLoadBalancerPolicies":            r.describeLoadBalancerPolicies,
				"DescribeLoadBalancerPolicyTypes":         r.describeLoadBalancerPolicyTypes,
				"DescribeLoadBalancers":                   r.describeLoadBalancers,
				"DescribeTags":                            r.describeTags,
				"DetachLoadBalancerFromSubnets":           func(c *query.Call) (any, error) { return r.changeSubnets(c, false) },
				"DisableAvailabilityZonesForLoadBalancer": func(c *query.Call) (any, error) { return r.changeZones(c, false) },
				"EnableAvailabilityZonesForLoadBalancer":  func(c *query.Call) (any, error) { return r.changeZones(c, true) },
				"ModifyLoadBalancerAttributes":            r.modifyLoadBalancerAttributes,
				"RegisterInstancesWithLoadBalancer":       r.registerInstances,
				"RemoveTags":                              r.removeTags,
				"SetLoadBalancerListenerSSLCertificate":   r.setLoadBalancerListenerSSLCertificate,
				"SetLoadBalancerPoliciesForBackendServer": r.setLoadBalancerPoliciesForBackendServer,
				"SetLoadBalancerPoliciesOfListener":       r.setLoadBalancerPoliciesOfListener,
			},
		},
	}
}

func (r *Room) view(c *query.Call, fn func(p *store.Part) error) error {
	return r.env.Store.View(c.Account, c.Region, fn)
}

func (r *Room) update(c *query.Call, fn func(p *store.Part) error) error {
	return r.env.Store.Update(c.Account, c.Region, fn)
}

// updateLB loads the named balancer in one write transaction, lets fn change it and stores
// it: the shape of most actions. A missing balancer is LoadBalancerNotFound.
func (r *Room) updateLB(c *query.Call, name string, fn func(p *store.Part, lb *store.ClassicBalancer) error) error {
	return r.update(c, func(p *store.Part) error {
		lb, err := mustLB(p, name)
		if err != nil {
			return err
		}
		if err := fn(p, lb); err != nil {
			return err
		}
		return descriptions.Put(p, lb.Name, lb)
	})
}

// mustLB loads a balancer or fails with LoadBalancerNotFound.
func mustLB(p *store.Part, name string) (*store.ClassicBalancer, error) {
	lb, err := store.ClassicBalancers.Get(p, name)
	if err == nil && lb == nil {
		err = errLBNotFound(name)
	}
	return lb, err
}

// SetInstanceHealth overrides the state DescribeInstanceHealth reports for a registered
// instance. state is InService, OutOfService or Unknown.
func (r *Room) SetInstanceHealth(account, region, lbName, instanceID, state, reasonCode, description string) error {
	switch state {
	case "InService", "OutOfService", "Unknown":
	default:
		return fmt.Errorf("elbserver: invalid instance state %q", state)
	}
	return r.env.Store.Update(account, region, func(p *store.Part) error {
		lb, err := store.ClassicBalancers.Get(p, lbName)
		if err != nil {
			return err
		}
		if lb == nil {
			return fmt.Errorf("elbserver: no load balancer %q in %s/%s", lbName, account, region)
		}
		if !hasInstance(lb, instanceID) {
			return fmt.Errorf("elbserver: instance %s is not registered with %s", instanceID, lbName)
		}
		if lb.Health == nil {
			lb.Health = map[string]store.ClassicHealth{}
		}
		lb.Health[instanceID] = store.ClassicHealth{State: state, ReasonCode: reasonCode, Description: description}
		return descriptions.Put(p, lb.Name, lb)
	})
}

// Errors of the 2012-06-01 model, with its codes and HTTP statuses.

func errLBNotFound(name string) *query.Error {
	return query.Errorf(http.StatusBadRequest, "LoadBalancerNotFound", "There is no ACTIVE Load Balancer named '%s'", name)
}

func errListenerNotFound(lb string, port int) *query.Error {
	return query.Errorf(http.StatusBadRequest, "ListenerNotFound", "There is no listener on port %d of load balancer %s", port, lb)
}

func errConfig(format string, args ...any) *query.Error {
	return query.Errorf(http.StatusConflict, "InvalidConfigurationRequest", format, args...)
}

func errPolicyNotFound(format string, args ...any) *query.Error {
	return query.Errorf(http.StatusBadRequest, "PolicyNotFound", format, args...)
}

func errInvalidInstance(format string, args ...any) *query.Error {
	return query.Errorf(http.StatusBadRequest, "InvalidInstance", format, args...)
}
