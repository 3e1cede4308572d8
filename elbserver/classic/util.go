package classic

import (
	"slices"
	"strconv"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

func itoa(n int) string { return strconv.Itoa(n) }

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// dedupe removes repeated values, keeping the first occurrence order.
func dedupe(in []string) []string {
	var out []string
	for _, v := range in {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = dedupe(a), dedupe(b)
	if len(a) != len(b) {
		return false
	}
	for _, v := range a {
		if !slices.Contains(b, v) {
			return false
		}
	}
	return true
}

// nameAndPort reads the balancer name and the port parameter that several listener and
// back-end actions take together.
func nameAndPort(p query.Params, portParam string) (string, int, error) {
	name, err := p.Required("LoadBalancerName")
	if err != nil {
		return "", 0, err
	}
	port, err := p.IntReq(portParam, 1, 65535)
	if err != nil {
		return "", 0, err
	}
	return name, port, nil
}

// Accessors of the stored records.

func policyNamed(lb *store.ClassicBalancer, name string) (store.ClassicPolicy, bool) {
	return lb.Policy(name)
}

func policyAttr(p store.ClassicPolicy, name string) string { return p.Attr(name) }

func listenerOn(lb *store.ClassicBalancer, port int) *store.ClassicListener {
	for i := range lb.Listeners {
		if lb.Listeners[i].LoadBalancerPort == port {
			return &lb.Listeners[i]
		}
	}
	return nil
}

func hasInstance(lb *store.ClassicBalancer, id string) bool {
	return slices.Contains(lb.Instances, id)
}

// sameListener compares listener settings, ignoring attached policies.
func sameListener(l, o store.ClassicListener) bool {
	return l.Protocol == o.Protocol && l.LoadBalancerPort == o.LoadBalancerPort &&
		l.InstanceProtocol == o.InstanceProtocol && l.InstancePort == o.InstancePort &&
		l.SSLCertificateID == o.SSLCertificateID
}
