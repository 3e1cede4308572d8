package storesync

import (
	"context"
	"net/http"
	"net/netip"
	"sort"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// LocalListeners lists where the listeners of one account and region are served, after a
// Refresh: a balancer created just before is in the list.
func (s *Sync) LocalListeners(ctx context.Context, account, region string) ([]localaddr.Listener, error) {
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	s.mu.Lock()
	meta := s.meta
	s.mu.Unlock()
	var out []localaddr.Listener
	for _, l := range s.engine.Listeners() {
		ref, ok := meta[l.BalancerKey]
		if !ok || ref.Account != account || ref.Region != region {
			continue
		}
		out = append(out, localaddr.Listener{LoadBalancerName: ref.Name, LoadBalancerArn: ref.ARN, Type: ref.Type,
			DNSName: ref.DNSName, Port: l.Port, Protocol: string(l.Protocol), LocalAddress: l.Addr, Reason: l.Reason})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].LoadBalancerName != out[j].LoadBalancerName {
			return out[i].LoadBalancerName < out[j].LoadBalancerName
		}
		return out[i].Port < out[j].Port
	})
	return out, nil
}

// Handler puts the data plane in front of the endpoint's handler: a loopback client's request
// addressed by Host to a balancer's DNS name goes to its HTTP listener on that port (80 by
// default), then localaddr's request (signed with one of creds, nil meaning the endpoint's
// default ones), then next. Clients off the machine (an endpoint listening beyond loopback) reach
// the APIs only, as they cannot reach the listeners' loopback sockets either.
func (s *Sync) Handler(creds []sigv4auth.Credential, next http.Handler) http.Handler {
	apis := localaddr.Handler(s, creds, next)
	hosts := s.engine.VirtualHosts(apis)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil && ap.Addr().Unmap().IsLoopback() {
			hosts.ServeHTTP(w, r)
			return
		}
		apis.ServeHTTP(w, r)
	})
}
