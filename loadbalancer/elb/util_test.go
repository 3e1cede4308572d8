package elb_test

import (
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

func memberIDs(ms []driver.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ID)
	}
	slices.Sort(out)
	return out
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

func findListener(lb *driver.LoadBalancer, port int) *driver.Listener {
	for i := range lb.Listeners {
		if lb.Listeners[i].Port == port {
			return &lb.Listeners[i]
		}
	}
	return nil
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
