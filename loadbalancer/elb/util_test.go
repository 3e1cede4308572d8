package elb_test

import (
	"slices"
	"strings"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
)

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
