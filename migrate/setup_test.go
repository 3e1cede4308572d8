package migrate_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

// classic is a Classic balancer a case makes through the Classic API before migrating it.
type classic struct {
	listeners []string // "HTTPS:443>HTTP:8080"; HTTPS and SSL take the env's certificate
	subnets   int      // how many of the default subnets; 2 when zero
	check     string   // "HTTP:8080/health 10 5 3 4": target, interval, timeout, healthy, unhealthy
	lbSticky  map[int]time.Duration
	appSticky map[int]string
	proxy     []int          // back-end ports with a ProxyProtocol policy
	ssl       map[int]string // listener port -> reference security policy
	custom    map[int]string // listener port -> lowest protocol of a custom SSL policy ("TLSv1.1")
	auth      []int          // back-end ports with back-end authentication
	draining  *elb.ConnectionDraining
	idle      time.Duration
	crossZone *bool
	desync    string
	tags      map[string]string
	scheme    string
	unused    bool // an LB cookie policy enabled nowhere
}

// make creates the balancer name on e as c describes.
func (c classic) make(t *testing.T, e *env, name string) {
	t.Helper()
	ctx := context.Background()
	var specs []elb.ListenerSpec
	for _, l := range c.listeners {
		front, back, _ := strings.Cut(l, ">")
		fp, fport, _ := strings.Cut(front, ":")
		bp, bport, _ := strings.Cut(back, ":")
		s := elb.ListenerSpec{LoadBalancerPort: atoi(fport), InstancePort: atoi(bport),
			Protocol: loadbalancer.Protocol(strings.ToLower(fp)), InstanceProtocol: loadbalancer.Protocol(strings.ToLower(bp))}
		if fp == "HTTPS" || fp == "SSL" {
			s.CertificateID = e.cert
		}
		specs = append(specs, s)
	}
	n := c.subnets
	if n == 0 {
		n = 2
	}
	spec := elb.BalancerSpec{Name: name, Listeners: specs, Subnets: e.subnets[:n], Scheme: c.scheme, Tags: c.tags}
	_, err := e.classic.CreateBalancer(ctx, spec)
	must(t, err)
	if c.check != "" {
		f := strings.Fields(c.check)
		_, err := e.classic.ConfigureHealthCheck(ctx, name, loadbalancer.HealthCheck{Target: f[0],
			Interval: time.Duration(atoi(f[1])) * time.Second, Timeout: time.Duration(atoi(f[2])) * time.Second,
			HealthyThreshold: atoi(f[3]), UnhealthyThreshold: atoi(f[4])})
		must(t, err)
	}
	_, err = e.classic.RegisterInstances(ctx, name, e.instances...)
	must(t, err)
	listenerPolicies := map[int][]string{}
	for _, port := range slices.Sorted(maps.Keys(c.lbSticky)) {
		p := fmt.Sprintf("lb-sticky-%d", port)
		must(t, e.classic.CreateLBCookieStickinessPolicy(ctx, name, p, c.lbSticky[port]))
		listenerPolicies[port] = append(listenerPolicies[port], p)
	}
	for _, port := range slices.Sorted(maps.Keys(c.appSticky)) {
		p := fmt.Sprintf("app-sticky-%d", port)
		must(t, e.classic.CreateAppCookieStickinessPolicy(ctx, name, p, c.appSticky[port]))
		listenerPolicies[port] = append(listenerPolicies[port], p)
	}
	for _, port := range slices.Sorted(maps.Keys(c.ssl)) {
		p := fmt.Sprintf("ssl-%d", port)
		must(t, e.classic.CreateBalancerPolicy(ctx, name, p, "SSLNegotiationPolicyType", map[string]string{"Reference-Security-Policy": c.ssl[port]}))
		listenerPolicies[port] = append(listenerPolicies[port], p)
	}
	for _, port := range slices.Sorted(maps.Keys(c.custom)) {
		p := fmt.Sprintf("custom-%d", port)
		must(t, e.classic.CreateBalancerPolicy(ctx, name, p, "SSLNegotiationPolicyType",
			map[string]string{"Protocol-" + c.custom[port]: "true", "ECDHE-RSA-AES128-GCM-SHA256": "true"}))
		listenerPolicies[port] = append(listenerPolicies[port], p)
	}
	for _, port := range slices.Sorted(maps.Keys(listenerPolicies)) {
		must(t, e.classic.SetBalancerPoliciesOfListener(ctx, name, port, listenerPolicies[port]))
	}
	backendPolicies := map[int][]string{}
	if len(c.proxy) > 0 {
		must(t, e.classic.CreateBalancerPolicy(ctx, name, "EnableProxyProtocol", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"}))
		for _, port := range c.proxy {
			backendPolicies[port] = append(backendPolicies[port], "EnableProxyProtocol")
		}
	}
	if len(c.auth) > 0 {
		must(t, e.classic.CreateBalancerPolicy(ctx, name, "instance-key", "PublicKeyPolicyType", map[string]string{"PublicKey": publicKey(t)}))
		must(t, e.classic.CreateBalancerPolicy(ctx, name, "backend-auth", "BackendServerAuthenticationPolicyType", map[string]string{"PublicKeyPolicyName": "instance-key"}))
		for _, port := range c.auth {
			backendPolicies[port] = append(backendPolicies[port], "backend-auth")
		}
	}
	for _, port := range slices.Sorted(maps.Keys(backendPolicies)) {
		must(t, e.classic.SetBalancerPoliciesBackendServer(ctx, name, port, backendPolicies[port]))
	}
	if c.unused {
		must(t, e.classic.CreateLBCookieStickinessPolicy(ctx, name, "spare", time.Minute))
	}
	a := elb.Attributes{ConnectionDraining: c.draining, IdleTimeout: c.idle, CrossZone: c.crossZone}
	if c.desync != "" {
		a.Additional = map[string]string{"elb.http.desyncmitigationmode": c.desync}
	}
	if a.ConnectionDraining != nil || a.IdleTimeout > 0 || a.CrossZone != nil || a.Additional != nil {
		_, err := e.classic.ModifyAttributes(ctx, name, a)
		must(t, err)
	}
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		panic(err)
	}
	return n
}

// publicKey is an ECDSA public key in the base64 DER form PublicKeyPolicyType takes.
func publicKey(t *testing.T) string {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(t, err)
	der, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	must(t, err)
	return base64.StdEncoding.EncodeToString(der)
}
