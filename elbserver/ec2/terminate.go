package ec2

import (
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

type xmlStateChange struct {
	InstanceID string   `xml:"instanceId"`
	Current    xmlState `xml:"currentState"`
	Previous   xmlState `xml:"previousState"`
}

type terminateResult struct {
	Changes []xmlStateChange `xml:"instancesSet>item"`
}

// terminateInstances terminates at once: the reply says shutting-down, as EC2's does, and
// every later describe says terminated, for an hour, after which the instance is forgotten.
// A terminated instance no longer satisfies strict mode nor holds its address.
func (r *Room) terminateInstances(c *query.Call) (any, error) {
	want, err := ids(c.Params, "InstanceId", InstanceIDRE, "InvalidInstanceID.Malformed")
	if err != nil {
		return nil, err
	}
	if len(want) == 0 {
		return nil, query.Missing("InstanceId")
	}
	var res terminateResult
	return &res, r.env.Store.Update(c.Account, c.Region, func(p *store.Part) error {
		now := r.env.Now()
		if err := forgetTerminated(p, now); err != nil {
			return err
		}
		res.Changes = res.Changes[:0]
		var missing []string
		for _, id := range want {
			i, err := findInstance(p, id, now)
			if err != nil {
				return err
			}
			switch {
			case i == nil:
				missing = append(missing, id)
			case i.terminated:
				res.Changes = append(res.Changes, xmlStateChange{InstanceID: id, Current: stateTerminated, Previous: stateTerminated})
			default:
				i.Terminated = now
				if err := store.TerminatedInstances.Put(p, id, &i.Instance); err != nil {
					return err
				}
				if _, err := store.Instances.Delete(p, id); err != nil {
					return err
				}
				res.Changes = append(res.Changes, xmlStateChange{InstanceID: id, Current: stateShuttingDown, Previous: stateRunning})
			}
		}
		switch len(missing) {
		case 0:
			return nil
		case 1:
			return notFound(missing[0])
		}
		return fail("InvalidInstanceID.NotFound", "The instance IDs '%s' do not exist", strings.Join(missing, ", "))
	})
}
