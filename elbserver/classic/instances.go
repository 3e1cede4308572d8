package classic

import (
	"slices"

	"github.com/lbcloud/lbcloud/elbserver/ec2"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type instancesResult struct {
	Instances struct {
		Members []xmlInstance `xml:"member"`
	} `xml:"Instances"`
}

func instanceList(ids []string) instancesResult {
	var r instancesResult
	r.Instances.Members = []xmlInstance{}
	for _, id := range ids {
		r.Instances.Members = append(r.Instances.Members, xmlInstance{id})
	}
	return r
}

// instanceIDs reads Instances.member.N.InstanceId.
func instanceIDs(p query.Params, required bool) ([]string, error) {
	n, present, err := p.Members("Instances")
	if err != nil {
		return nil, err
	}
	if !present {
		if required {
			return nil, query.Missing("Instances")
		}
		return nil, nil
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		id, err := p.Required(query.Member("Instances", i) + ".InstanceId")
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return dedupe(out), nil
}

// checkInstance accepts well-formed instance ids, and in strict mode only
// declared ones; a declared instance must sit in the balancer's VPC.
func (r *Room) checkInstance(p *store.Part, lb *store.ClassicBalancer, id string) error {
	if !ec2.InstanceIDRE.MatchString(id) {
		return errInvalidInstance("Could not find EC2 instance %s.", id)
	}
	inst, err := store.Instances.Get(p, id)
	if err != nil {
		return err
	}
	if inst == nil {
		if r.env.Strict {
			return errInvalidInstance("Could not find EC2 instance %s.", id)
		}
		return nil
	}
	if r.env.Strict && lb.VPCID != "" && inst.VPCID != "" && inst.VPCID != lb.VPCID {
		return errInvalidInstance("EC2 instance %s is not in the same VPC as load balancer %s.", id, lb.Name)
	}
	return nil
}

func (r *Room) registerInstances(c *query.Call) (any, error) {
	name, ids, err := nameAndInstances(c.Params)
	if err != nil {
		return nil, err
	}
	var res instancesResult
	err = r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		for _, id := range ids {
			if err := r.checkInstance(p, lb, id); err != nil {
				return err
			}
			if !hasInstance(lb, id) {
				lb.Instances = append(lb.Instances, id)
			}
		}
		if len(lb.Instances) > r.env.Limits.Get(limitInstances) {
			return errConfig("A load balancer can have at most %d registered instances", r.env.Limits.Get(limitInstances))
		}
		res = instanceList(lb.Instances)
		return nil
	})
	return res, err
}

func (r *Room) deregisterInstances(c *query.Call) (any, error) {
	name, ids, err := nameAndInstances(c.Params)
	if err != nil {
		return nil, err
	}
	var res instancesResult
	err = r.updateLB(c, name, func(p *store.Part, lb *store.ClassicBalancer) error {
		for _, id := range ids {
			// Removing an instance that is not registered has no effect, but
			// an instance that does not exist at all is refused.
			if !hasInstance(lb, id) {
				if err := r.checkInstance(p, lb, id); err != nil {
					return err
				}
			}
			delete(lb.Health, id)
		}
		lb.Instances = slices.DeleteFunc(lb.Instances, func(id string) bool { return slices.Contains(ids, id) })
		res = instanceList(lb.Instances)
		return nil
	})
	return res, err
}

type xmlInstanceState struct {
	InstanceID  string `xml:"InstanceId"`
	State       string `xml:"State"`
	ReasonCode  string `xml:"ReasonCode"`
	Description string `xml:"Description"`
}

type instanceHealthResult struct {
	InstanceStates struct {
		Members []xmlInstanceState `xml:"member"`
	} `xml:"InstanceStates"`
}

func (r *Room) describeInstanceHealth(c *query.Call) (any, error) {
	name, err := c.Params.Required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ids, err := instanceIDs(c.Params, false)
	if err != nil {
		return nil, err
	}
	var res instanceHealthResult
	res.InstanceStates.Members = []xmlInstanceState{}
	err = r.view(c, func(p *store.Part) error {
		lb, err := mustLB(p, name)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			ids = lb.Instances
		}
		for _, id := range ids {
			if !hasInstance(lb, id) {
				return errInvalidInstance("Could not find EC2 instance %s registered with load balancer %s.", id, name)
			}
			st, err := instanceHealth(p, lb, id)
			if err != nil {
				return err
			}
			res.InstanceStates.Members = append(res.InstanceStates.Members, xmlInstanceState{id, st.State, st.ReasonCode, st.Description})
		}
		return nil
	})
	return res, err
}

// instanceHealth is a registered instance's health: the state SetInstanceHealth set, else the
// data plane's latest (written since the balancer was created), else InService, as when no data
// plane runs and every instance is taken to answer.
func instanceHealth(p *store.Part, lb *store.ClassicBalancer, id string) (store.ClassicHealth, error) {
	if h, ok := lb.Health[id]; ok {
		return h, nil
	}
	probe, err := store.ClassicProbes.Get(p, store.ClassicProbeKey(lb.Name, id))
	if err != nil {
		return store.ClassicHealth{}, err
	}
	if probe != nil && !probe.Updated.Before(lb.Created) {
		return probe.ClassicHealth, nil
	}
	return store.ClassicHealth{State: "InService", ReasonCode: "N/A", Description: "N/A"}, nil
}

// nameAndInstances reads what Register and Deregister both take: a balancer and instance IDs.
func nameAndInstances(p query.Params) (string, []string, error) {
	name, err := p.Required("LoadBalancerName")
	if err != nil {
		return "", nil, err
	}
	ids, err := instanceIDs(p, true)
	if err != nil {
		return "", nil, err
	}
	return name, ids, nil
}
