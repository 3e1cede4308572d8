package elbserver

import (
	"slices"
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
func instanceIDs(p params, required bool) ([]string, error) {
	n, present, err := p.members("Instances")
	if err != nil {
		return nil, err
	}
	if !present {
		if required {
			return nil, errMissing("Instances")
		}
		return nil, nil
	}
	out := make([]string, 0, n)
	for i := 1; i <= n; i++ {
		id, err := p.required(member("Instances", i) + ".InstanceId")
		if err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return dedupe(out), nil
}

// checkInstance accepts well-formed instance ids, and in strict mode only
// declared ones; a declared instance must sit in the balancer's VPC.
func (s *Server) checkInstance(p *part, lb *lbRecord, id string) error {
	if !instanceRE.MatchString(id) {
		return errInvalidInstance("Could not find EC2 instance %s.", id)
	}
	var inst Instance
	ok, err := p.getJSON(bucketInst, id, &inst)
	if err != nil {
		return err
	}
	if !ok {
		if s.strict {
			return errInvalidInstance("Could not find EC2 instance %s.", id)
		}
		return nil
	}
	if s.strict && lb.VPCID != "" && inst.VPCID != "" && inst.VPCID != lb.VPCID {
		return errInvalidInstance("EC2 instance %s is not in the same VPC as load balancer %s.", id, lb.Name)
	}
	return nil
}

func (s *Server) registerInstances(c *call) (any, error) {
	name, ids, err := nameAndInstances(c.p)
	if err != nil {
		return nil, err
	}
	var res instancesResult
	err = s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		for _, id := range ids {
			if err := s.checkInstance(p, lb, id); err != nil {
				return err
			}
			if !lb.hasInstance(id) {
				lb.Instances = append(lb.Instances, id)
			}
		}
		if len(lb.Instances) > s.limits[limitInstances] {
			return errConfig("A load balancer can have at most %d registered instances", s.limits[limitInstances])
		}
		res = instanceList(lb.Instances)
		return nil
	})
	return res, err
}

func (s *Server) deregisterInstances(c *call) (any, error) {
	name, ids, err := nameAndInstances(c.p)
	if err != nil {
		return nil, err
	}
	var res instancesResult
	err = s.st.updateLB(c.account, c.region, name, func(p *part, lb *lbRecord) error {
		for _, id := range ids {
			// Removing an instance that is not registered has no effect, but
			// an instance that does not exist at all is refused.
			if !lb.hasInstance(id) {
				if err := s.checkInstance(p, lb, id); err != nil {
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

func (s *Server) describeInstanceHealth(c *call) (any, error) {
	name, err := c.p.required("LoadBalancerName")
	if err != nil {
		return nil, err
	}
	ids, err := instanceIDs(c.p, false)
	if err != nil {
		return nil, err
	}
	var res instanceHealthResult
	res.InstanceStates.Members = []xmlInstanceState{}
	err = s.st.view(c.account, c.region, func(p *part) error {
		lb, err := p.mustLB(name)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			ids = lb.Instances
		}
		for _, id := range ids {
			if !lb.hasInstance(id) {
				return errInvalidInstance("Could not find EC2 instance %s registered with load balancer %s.", id, name)
			}
			st := healthRec{State: "InService", ReasonCode: "N/A", Description: "N/A"}
			if h, ok := lb.Health[id]; ok {
				st = h
			}
			res.InstanceStates.Members = append(res.InstanceStates.Members, xmlInstanceState{id, st.State, st.ReasonCode, st.Description})
		}
		return nil
	})
	return res, err
}

// nameAndInstances reads what Register and Deregister both take: a balancer and instance IDs.
func nameAndInstances(p params) (string, []string, error) {
	name, err := p.required("LoadBalancerName")
	if err != nil {
		return "", nil, err
	}
	ids, err := instanceIDs(p, true)
	if err != nil {
		return "", nil, err
	}
	return name, ids, nil
}
