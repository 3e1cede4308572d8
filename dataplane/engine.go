package dataplane

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configure an Engine.
type Options struct {
	// OnHealth receives every change of a target's health, in order per target, from a single
	// goroutine of the engine; it may call the engine (even Apply).
	OnHealth func(HealthEvent)
	// BindListenerPorts makes each listener try 127.0.0.1:<its own port> first; when the OS refuses
	// (port taken, privileged) the listener takes an ephemeral port and ListenerInfo.Reason says why.
	// By default every listener takes an ephemeral loopback port.
	BindListenerPorts bool
	// ConnectTimeout bounds connecting to a target and the TLS handshake with it (default 10 s).
	ConnectTimeout time.Duration
	// ShutdownGrace is how long a removed HTTP listener lets requests in flight finish (default 5 s).
	ShutdownGrace time.Duration
	// Logf receives operational messages (listener fallbacks, accept errors); nil discards them.
	Logf func(format string, args ...any)
}

// Engine runs the data plane: listeners on loopback forwarding to target groups, with health checks.
// All methods are safe for concurrent use.
type Engine struct {
	opts         Options
	ctx          context.Context
	cancel       context.CancelFunc
	wg           sync.WaitGroup
	events       *eventQueue
	dialer       net.Dialer
	probeClients [3]*http.Client // by PROXY protocol version: none, v1, v2

	mu        sync.Mutex
	closed    bool
	groups    map[string]*group
	balancers map[string]map[int]*portListener // balancer key -> port -> listener
	vhosts    sync.Map                         // "dnsname:port" -> *portListener (HTTP only)
}

// ErrClosed is returned by Apply after Close.
var ErrClosed = errors.New("dataplane: engine closed")

// New starts an engine with no balancers.
func New(opts Options) *Engine {
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = 10 * time.Second
	}
	if opts.ShutdownGrace <= 0 {
		opts.ShutdownGrace = 5 * time.Second
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	e := &Engine{opts: opts, groups: map[string]*group{}, balancers: map[string]map[int]*portListener{},
		events: newEventQueue(opts.OnHealth)}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.dialer = net.Dialer{Timeout: opts.ConnectTimeout, KeepAlive: 30 * time.Second}
	for i, pp := range []ProxyProtocol{ProxyNone, ProxyV1, ProxyV2} {
		e.probeClients[i] = e.newProbeClient(pp)
	}
	return e
}

func (e *Engine) goTracked(fn func()) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		fn()
	}()
}

// Apply makes the engine serve cfg. The whole configuration is checked first: when anything is
// invalid (errors.Is ErrInvalidConfig, and ErrNonLoopbackTarget for a target off loopback)
// nothing changes. Then groups are updated in place (targets keep their health and connections),
// listeners whose socket family is unchanged are updated in place (their address and connections
// are kept), new ones open, and removed ones close. A listener that cannot open is reported in
// the returned error while the rest of cfg still takes effect.
func (e *Engine) Apply(ctx context.Context, cfg Config) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return ErrClosed
	}
	groups, states, err := e.compile(cfg)
	if err != nil {
		return err
	}
	e.applyGroups(cfg, groups, states)
	return e.applyListeners(cfg, states)
}

// compile checks cfg and compiles every listener, against existing groups or new, unstarted ones.
func (e *Engine) compile(cfg Config) (map[string]*group, map[string][]*listenerState, error) {
	var errs []error
	groups := make(map[string]*group, len(cfg.TargetGroups))
	for _, tg := range cfg.TargetGroups {
		if tg.Key == "" || groups[tg.Key] != nil {
			errs = append(errs, fmt.Errorf("target group key %q is empty or repeated", tg.Key))
			continue
		}
		if err := validateGroup(tg); err != nil {
			errs = append(errs, fmt.Errorf("target group %q: %w", tg.Key, err))
		}
		g := e.groups[tg.Key]
		if g == nil {
			g = newGroup(e, tg.Key)
		}
		groups[tg.Key] = g
	}
	states := map[string][]*listenerState{}
	for _, b := range cfg.Balancers {
		if _, dup := states[b.Key]; dup || b.Key == "" {
			errs = append(errs, fmt.Errorf("balancer key %q is empty or repeated", b.Key))
			continue
		}
		switch b.Kind {
		case KindClassic, KindApplication, KindNetwork, KindGateway:
		default:
			errs = append(errs, fmt.Errorf("balancer %q: kind %q is not classic, application, network or gateway", b.Key, b.Kind))
		}
		ports := map[int]bool{}
		states[b.Key] = nil
		for _, l := range b.Listeners {
			st, err := compileListener(b, l, groups)
			if err == nil && ports[l.Port] {
				err = fmt.Errorf("port used twice")
			}
			if err != nil {
				errs = append(errs, fmt.Errorf("balancer %q listener %d: %w", b.Key, l.Port, err))
				continue
			}
			ports[l.Port] = true
			states[b.Key] = append(states[b.Key], st)
		}
	}
	if len(errs) > 0 {
		return nil, nil, fmt.Errorf("%w: %w", ErrInvalidConfig, errors.Join(errs...))
	}
	return groups, states, nil
}

// applyGroups updates every group with its use: the kind and idle timeout of the first balancer
// forwarding to it.
func (e *Engine) applyGroups(cfg Config, groups map[string]*group, states map[string][]*listenerState) {
	type use struct {
		kind Kind
		idle time.Duration
		http bool
	}
	used := map[*group]use{}
	for _, b := range cfg.Balancers {
		for _, st := range states[b.Key] {
			for _, rt := range st.routes {
				if rt.forward == nil {
					continue
				}
				for _, wg := range rt.forward.groups {
					if _, ok := used[wg.g]; !ok {
						used[wg.g] = use{kind: b.Kind, idle: st.idle, http: st.isHTTP()}
					}
				}
			}
		}
	}
	for _, tg := range cfg.TargetGroups {
		g := groups[tg.Key]
		u, inUse := used[g]
		if !inUse {
			u.kind, u.idle = g.settings.Load().kind, defaultIdle
			if u.kind == "" {
				u.kind = KindApplication
			}
		}
		if u.kind == KindClassic && tg.Algorithm == "" {
			// Classic spreads HTTP requests by outstanding requests, TCP connections in turn.
			tg.Algorithm = RoundRobin
			if u.http {
				tg.Algorithm = LeastOutstandingRequests
			}
		}
		g.update(tg, u.kind, inUse, u.idle)
	}
	for key, g := range e.groups {
		if groups[key] != g {
			g.remove()
		}
	}
	e.groups = groups
}

const defaultIdle = 60 * time.Second

func (e *Engine) applyListeners(cfg Config, states map[string][]*listenerState) error {
	var errs []error
	next := map[string]map[int]*portListener{}
	for _, b := range cfg.Balancers {
		old := e.balancers[b.Key]
		cur := map[int]*portListener{}
		for _, st := range states[b.Key] {
			l := old[st.port]
			if l != nil && l.network == st.network() {
				l.update(st)
				cur[st.port] = l
				continue
			}
			if l != nil {
				l.close(true)
			}
			if st.network() == "" {
				continue // gateway balancers: nothing to listen on locally
			}
			l, err := e.openListener(st)
			if err != nil {
				errs = append(errs, fmt.Errorf("balancer %q listener %d: %w", b.Key, st.port, err))
				continue
			}
			cur[st.port] = l
		}
		for port, l := range old {
			if cur[port] != l {
				l.close(true)
			}
		}
		next[b.Key] = cur
	}
	for key, ls := range e.balancers {
		if _, ok := next[key]; !ok {
			for _, l := range ls {
				l.close(true)
			}
		}
	}
	e.balancers = next
	e.rebuildVhosts(cfg)
	return errors.Join(errs...)
}

func (e *Engine) rebuildVhosts(cfg Config) {
	e.vhosts.Clear()
	for _, b := range cfg.Balancers {
		if b.DNSName == "" {
			continue
		}
		for port, l := range e.balancers[b.Key] {
			if l.state.Load().proto == HTTP {
				e.vhosts.Store(vhostKey(b.DNSName, port), l)
			}
		}
	}
}

func vhostKey(host string, port int) string {
	return strings.ToLower(strings.TrimSuffix(host, ".")) + ":" + fmt.Sprint(port)
}

// Validate checks cfg as Apply does, without an engine and without changing anything: nil, or an
// error wrapping ErrInvalidConfig (and ErrNonLoopbackTarget for a target off loopback).
func Validate(cfg Config) error {
	_, _, err := (&Engine{}).compile(cfg)
	return err
}

// ListenerInfo describes one open listener.
type ListenerInfo struct {
	BalancerKey string
	Port        int      // the configured port
	Protocol    Protocol // the configured protocol
	Addr        string   // the loopback address it really listens on
	Reason      string   // why it is not on its own port, when BindListenerPorts was asked
}

// LocalAddr returns the loopback address ("127.0.0.1:NNNN") serving a balancer's listener port,
// or "" when there is none. A TCP_UDP listener serves TCP and UDP on the same address.
func (e *Engine) LocalAddr(balancerKey string, port int) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if l := e.balancers[balancerKey][port]; l != nil {
		return l.addr
	}
	return ""
}

// Listeners lists the open listeners, by balancer key and port.
func (e *Engine) Listeners() []ListenerInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []ListenerInfo
	for key, ls := range e.balancers {
		for port, l := range ls {
			out = append(out, ListenerInfo{BalancerKey: key, Port: port, Protocol: l.state.Load().proto,
				Addr: l.addr, Reason: l.reason})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].BalancerKey != out[j].BalancerKey {
			return out[i].BalancerKey < out[j].BalancerKey
		}
		return out[i].Port < out[j].Port
	})
	return out
}

// Close closes every listener and connection, stops the health checks and waits for all of the
// engine's goroutines; health events pending are delivered before it returns.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	for _, ls := range e.balancers {
		for _, l := range ls {
			l.close(false)
		}
	}
	e.balancers = nil
	e.vhosts.Clear()
	for _, g := range e.groups {
		g.remove()
	}
	e.groups = nil
	e.cancel()
	e.mu.Unlock()
	e.wg.Wait()
	for _, c := range e.probeClients {
		c.CloseIdleConnections()
	}
	e.events.close()
	return nil
}
