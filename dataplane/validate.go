package dataplane

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// ErrInvalidConfig wraps every reason Apply refuses a configuration; nothing changes then.
var ErrInvalidConfig = errors.New("dataplane: invalid configuration")

// ErrNonLoopbackTarget is wrapped by the error of a target whose address is not on loopback:
// the engine only ever connects to 127.0.0.0/8 and ::1.
var ErrNonLoopbackTarget = errors.New("target address is not a loopback address")

// listenerState is a compiled listener: what a connection or request on it needs, read lock-free.
type listenerState struct {
	balancer  string
	kind      Kind
	proto     Protocol
	port      int
	protoHdr  []string // X-Forwarded-Proto value
	portHdr   []string // X-Forwarded-Port value
	routes    []*route
	crossZone bool
	idle      time.Duration
	tls       *tls.Config // nil for plain listeners
}

func (s *listenerState) isHTTP() bool { return s.proto == HTTP || s.proto == HTTPS }

// network is the socket family a listener needs; a change of it means a new socket.
func (s *listenerState) network() string {
	switch s.proto {
	case UDP:
		return "udp"
	case TCPUDP:
		return "tcp+udp"
	case GENEVE:
		return ""
	}
	return "tcp"
}

// defaultForward is the forward action of a non-HTTP listener (its default rule's).
func (s *listenerState) defaultForward() *forwardAction { return s.routes[len(s.routes)-1].forward }

func validateTargetAddr(addr string) error {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		return fmt.Errorf("target address %q is not host:port with an IP: %w", addr, err)
	}
	if !ap.Addr().IsLoopback() {
		return fmt.Errorf("target address %q: %w", addr, ErrNonLoopbackTarget)
	}
	if ap.Port() == 0 {
		return fmt.Errorf("target address %q has port 0", addr)
	}
	return nil
}

func validateGroup(tg TargetGroup) error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	switch tg.Protocol {
	case HTTP, HTTPS, TCP, SSL, TLS, UDP, TCPUDP, GENEVE:
	default:
		add("protocol %q is not HTTP, HTTPS, TCP, SSL, TLS, UDP, TCP_UDP or GENEVE", tg.Protocol)
	}
	switch tg.Algorithm {
	case "", RoundRobin, LeastOutstandingRequests, WeightedRandom:
	default:
		add("algorithm %q is not round_robin, least_outstanding_requests or weighted_random", tg.Algorithm)
	}
	switch tg.Stickiness.Type {
	case "", StickyLBCookie, StickySourceIP, StickyClassicLB:
	case StickyAppCookie, StickyClassicApp:
		if tg.Stickiness.CookieName == "" {
			add("%s stickiness needs the application's cookie name", tg.Stickiness.Type)
		}
	default:
		add("stickiness type %q is unknown", tg.Stickiness.Type)
	}
	switch tg.ProxyProtocol {
	case ProxyNone, ProxyV1, ProxyV2:
	default:
		add("proxy protocol %q is not v1 or v2", tg.ProxyProtocol)
	}
	hc := tg.HealthCheck
	switch hc.Protocol {
	case "", HTTP, HTTPS, TCP, SSL, TLS:
	default:
		add("health check protocol %q is not HTTP, HTTPS, TCP, SSL or TLS", hc.Protocol)
	}
	if hc.Matcher != "" {
		if _, err := parseMatcher(hc.Matcher); err != nil {
			errs = append(errs, err)
		}
	}
	if p := hc.Port; p != "" && p != "traffic-port" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			add("health check port %q is not traffic-port or 1-65535", p)
		}
	}
	if hc.Path != "" && !strings.HasPrefix(hc.Path, "/") {
		add("health check path %q does not start with /", hc.Path)
	}
	seen := map[string]bool{}
	for _, t := range tg.Targets {
		if err := validateTargetAddr(t.Addr); err != nil {
			errs = append(errs, fmt.Errorf("target %q: %w", t.ID, err))
		}
		if t.CheckAddr != "" {
			if err := validateTargetAddr(t.CheckAddr); err != nil {
				errs = append(errs, fmt.Errorf("target %q health check: %w", t.ID, err))
			}
		}
		if seen[t.ID+"|"+t.Addr] {
			add("target %q at %s is registered twice", t.ID, t.Addr)
		}
		seen[t.ID+"|"+t.Addr] = true
	}
	return errors.Join(errs...)
}

// compileListener checks one listener and compiles its rules against the groups.
func compileListener(b Balancer, l Listener, groups map[string]*group) (*listenerState, error) {
	if l.Port < 1 || l.Port > 65535 {
		return nil, fmt.Errorf("port %d outside 1-65535", l.Port)
	}
	st := &listenerState{balancer: b.Key, kind: b.Kind, proto: l.Protocol, port: l.Port,
		crossZone: b.CrossZone, idle: idleTimeout(b, l)}
	st.protoHdr = []string{strings.ToLower(string(l.Protocol))}
	st.portHdr = []string{strconv.Itoa(l.Port)}
	switch l.Protocol {
	case HTTP, TCP, UDP, TCPUDP, GENEVE:
	case HTTPS, SSL, TLS:
		cfg, err := buildTLS(l, b.Kind)
		if err != nil {
			return nil, err
		}
		st.tls = cfg
	default:
		return nil, fmt.Errorf("protocol %q is not HTTP, HTTPS, TCP, SSL, TLS, UDP, TCP_UDP or GENEVE", l.Protocol)
	}
	routes, err := compileRules(l.Rules, groups)
	if err != nil {
		return nil, err
	}
	st.routes = routes
	if !st.isHTTP() {
		if len(routes) != 1 || routes[0].forward == nil {
			return nil, fmt.Errorf("%s listener needs exactly one rule, a default forward", l.Protocol)
		}
	}
	return st, nil
}

func idleTimeout(b Balancer, l Listener) time.Duration {
	switch {
	case l.IdleTimeout > 0:
		return l.IdleTimeout
	case l.Protocol == UDP:
		return 120 * time.Second
	case b.IdleTimeout > 0:
		return b.IdleTimeout
	case b.Kind == KindNetwork:
		return 350 * time.Second
	}
	return 60 * time.Second
}
