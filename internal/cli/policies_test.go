package cli

import (
	"slices"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/loadbalancer"
)

func TestPolicies(t *testing.T) {
	_, ep := endpoint(t)
	ok(t, args(ep, "balancers", "create", "web", "--port", "80", "--protocol", "http")...)

	var created actionResult
	okJSON(t, &created, args(ep, "policies", "create", "web", "EnableProxyProtocol",
		"--type", "ProxyProtocolPolicyType", "--attr", "ProxyProtocol=true")...)
	if created.Policy != "EnableProxyProtocol" || created.Action != "created" {
		t.Errorf("create = %+v", created)
	}
	ok(t, args(ep, "policies", "sticky-lb", "web", "Sticky60", "--expiration", "60s")...)
	ok(t, args(ep, "policies", "sticky-app", "web", "AppSticky", "--cookie", "SESSION")...)

	var policies []policyJSON
	okJSON(t, &policies, args(ep, "policies", "list", "web")...)
	byName := map[string]policyJSON{}
	for _, p := range policies {
		byName[p.Name] = p
	}
	if p := byName["EnableProxyProtocol"]; p.Type != "ProxyProtocolPolicyType" || p.Attributes["ProxyProtocol"] != "true" {
		t.Errorf("EnableProxyProtocol = %+v", p)
	}
	if p := byName["Sticky60"]; p.Type != "LBCookieStickinessPolicyType" || p.Attributes["CookieExpirationPeriod"] != "60" {
		t.Errorf("Sticky60 = %+v", p)
	}
	if p := byName["AppSticky"]; p.Type != "AppCookieStickinessPolicyType" || p.Attributes["CookieName"] != "SESSION" {
		t.Errorf("AppSticky = %+v", p)
	}
	if out := ok(t, args(ep, "policies", "list", "web")...); !strings.Contains(out, "ProxyProtocol=true") {
		t.Errorf("policies list table:\n%s", out)
	}

	var types []policyTypeJSON
	okJSON(t, &types, args(ep, "policies", "types", "ProxyProtocolPolicyType")...)
	if len(types) != 1 || types[0].Name != "ProxyProtocolPolicyType" || len(types[0].Attributes) == 0 ||
		types[0].Attributes[0].Name != "ProxyProtocol" {
		t.Errorf("types = %+v", types)
	}
	if out := ok(t, args(ep, "policies", "types")...); !strings.Contains(out, "SSLNegotiationPolicyType") {
		t.Errorf("policies types table:\n%s", out)
	}

	// Set, then clear, the listener's and the backend's policies.
	ok(t, args(ep, "policies", "set-listener", "web", "80", "Sticky60")...)
	if l := listener(t, ep, "web", 80); !slices.Equal(l.Policies, []string{"Sticky60"}) {
		t.Errorf("listener policies = %v", l.Policies)
	}
	var cleared actionResult
	okJSON(t, &cleared, args(ep, "policies", "set-listener", "web", "80")...)
	if cleared.Action != "cleared policies" || cleared.Port != 80 {
		t.Errorf("clear = %+v", cleared)
	}
	if l := listener(t, ep, "web", 80); len(l.Policies) != 0 {
		t.Errorf("listener policies after clear = %v", l.Policies)
	}
	ok(t, args(ep, "policies", "set-backend", "web", "80", "EnableProxyProtocol")...)
	// A policy in use cannot be deleted; once cleared it can.
	r := fails(t, ExitFailed, args(ep, "policies", "delete", "web", "EnableProxyProtocol")...)
	if !strings.HasPrefix(r.stderr, "lbctl: InvalidConfigurationRequest: ") {
		t.Errorf("deleting a policy in use: %s", r.stderr)
	}
	ok(t, args(ep, "policies", "set-backend", "web", "80")...)
	ok(t, args(ep, "policies", "delete", "web", "EnableProxyProtocol")...)

	r = fails(t, ExitFailed, args(ep, "policies", "create", "web", "X", "--type", "NoSuchPolicyType")...)
	if !strings.Contains(r.stderr, "PolicyTypeNotFound") || !strings.Contains(r.stderr, "hint: run 'lbctl policies types'") {
		t.Errorf("unknown type: %s", r.stderr)
	}
}

func listener(t *testing.T, ep []string, name string, port int) loadbalancer.Listener {
	t.Helper()
	var lb loadbalancer.LoadBalancer
	okJSON(t, &lb, args(ep, "balancers", "get", name)...)
	for _, l := range lb.Listeners {
		if l.Port == port {
			return l
		}
	}
	t.Fatalf("%s has no listener on port %d: %+v", name, port, lb.Listeners)
	return loadbalancer.Listener{}
}

func TestAttributesSummary(t *testing.T) {
	if got := attributesSummary(map[string]string{"ProxyProtocol": "true"}); got != "ProxyProtocol=true" {
		t.Errorf("small policy: %q", got)
	}
	many := map[string]string{"A": "true", "B": "false", "C": "false", "D": "false", "E": "false", "F": "x"}
	if got := attributesSummary(many); got != "(4 false) A=true,F=x" {
		t.Errorf("large policy: %q", got)
	}
}
