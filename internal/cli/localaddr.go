package cli

import (
	"context"
	"fmt"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
	"github.com/lbcloud/lbcloud/loadbalancer"
)

// localView is a balancer with the loopback address where a running 'lbctl serve' accepts each
// listener's connections: local_address in JSON and YAML, local= in the table.
type localView struct {
	*loadbalancer.LoadBalancer
	Listeners []localListener `json:"listeners,omitempty"`
}

type localListener struct {
	loadbalancer.Listener
	LocalAddress string `json:"local_address,omitempty"`
}

// localTypes are the balancer types localaddr names, by API.
var localTypes = map[string]string{apiClassic: "classic", apiALB: "application", apiNLB: "network"}

// withLocalAddresses asks the endpoint lbctl talks to (--endpoint URL, or a running serve the
// local target found) where its data plane serves the balancer's listeners. Other endpoints
// (AWS, moto, a serve without a data plane, the in-process one) have no such addresses: the
// balancer is shown without them.
func (a *app) withLocalAddresses(ctx context.Context, s *session, lb *loadbalancer.LoadBalancer) (localView, map[int]string) {
	v := localView{LoadBalancer: lb}
	addrs := map[int]string{}
	if s.endpoint != "" && s.local == nil {
		ls, err := localaddr.Fetch(ctx, s.cfg, s.endpoint)
		if err != nil && a.debug {
			fmt.Fprintf(a.errOut, "lbctl: no local listener addresses: %v\n", err)
		}
		for _, l := range ls {
			if l.Type == localTypes[s.api] && l.LoadBalancerName == lb.Name {
				addrs[l.Port] = l.LocalAddress
			}
		}
	}
	for _, l := range lb.Listeners {
		v.Listeners = append(v.Listeners, localListener{Listener: l, LocalAddress: addrs[l.Port]})
	}
	return v, addrs
}
