package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Health check defaults, AWS's for ELBv2 target groups.
const (
	defaultInterval           = 30 * time.Second
	defaultTimeout            = 5 * time.Second
	defaultHealthyThreshold   = 5
	defaultUnhealthyThreshold = 2
	maxProbeBody              = 64 << 10
)

// withDefaults fills the zero fields of a health check for a group of the given protocol.
func (hc HealthCheck) withDefaults(groupProto Protocol) HealthCheck {
	if hc.Protocol == "" {
		switch groupProto {
		case HTTP, HTTPS:
			hc.Protocol = groupProto
		case TLS, SSL:
			hc.Protocol = SSL
		default:
			hc.Protocol = TCP
		}
	}
	if hc.Path == "" {
		hc.Path = "/"
	}
	if hc.Matcher == "" {
		hc.Matcher = "200"
	}
	if hc.Interval <= 0 {
		hc.Interval = defaultInterval
	}
	if hc.Timeout <= 0 {
		hc.Timeout = defaultTimeout
	}
	if hc.HealthyThreshold <= 0 {
		hc.HealthyThreshold = defaultHealthyThreshold
	}
	if hc.UnhealthyThreshold <= 0 {
		hc.UnhealthyThreshold = defaultUnhealthyThreshold
	}
	return hc
}

// runChecks probes one target until its checks are stopped. Settings are re-read every round, so
// an Apply that changes them takes effect at the next probe.
func (g *group) runChecks(ctx context.Context, t *target, gen int) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		s := g.settings.Load()
		hc := s.check
		g.mu.Lock()
		addr := t.addr
		if t.checkAddr != "" {
			addr, hc.Port = t.checkAddr, "traffic-port"
		}
		g.mu.Unlock()
		res := g.e.probe(ctx, addr, s.ProxyProtocol, hc, s.codes)
		if ctx.Err() != nil {
			return
		}
		g.observe(t, gen, res, hc)
		timer.Reset(hc.Interval)
	}
}

// probe runs one health check against addr; an HTTP check succeeds with a code in codes.
func (e *Engine) probe(ctx context.Context, addr string, pp ProxyProtocol, hc HealthCheck, codes [][2]int) probeResult {
	host, port, _ := net.SplitHostPort(addr)
	if hc.Port != "" && hc.Port != "traffic-port" {
		port = hc.Port
	}
	addr = net.JoinHostPort(host, port)
	ctx, cancel := context.WithTimeout(ctx, hc.Timeout)
	defer cancel()
	switch hc.Protocol {
	case HTTP, HTTPS:
		return e.probeHTTP(ctx, addr, pp, hc, codes)
	case SSL, TLS:
		conn, err := e.dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			return failed(err)
		}
		defer conn.Close()
		tc := tls.Client(conn, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // AWS does not verify targets either
		return failed(tc.HandshakeContext(ctx))
	default:
		conn, err := e.dialer.DialContext(ctx, "tcp", addr)
		if err != nil {
			return failed(err)
		}
		conn.Close()
		return probeResult{ok: true}
	}
}

// failed classifies a probe error; nil is a success.
func failed(err error) probeResult {
	if err == nil {
		return probeResult{ok: true}
	}
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		return probeResult{kind: failTimeout}
	}
	return probeResult{kind: failConnect}
}

func (e *Engine) probeHTTP(ctx context.Context, addr string, pp ProxyProtocol, hc HealthCheck, codes [][2]int) probeResult {
	scheme := "http"
	if hc.Protocol == HTTPS {
		scheme = "https"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, scheme+"://"+addr+hc.Path, nil)
	if err != nil {
		return probeResult{kind: failConnect}
	}
	req.Header.Set("User-Agent", "ELB-HealthChecker/2.0")
	resp, err := e.probeClients[proxyIndex(pp)].Do(req)
	if err != nil {
		return failed(err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, maxProbeBody)); err != nil {
		return failed(err)
	}
	if !codeMatches(codes, resp.StatusCode) {
		return probeResult{kind: failCode, code: resp.StatusCode}
	}
	return probeResult{ok: true}
}

// newProbeClient builds the health check client: no connection reuse (each check dials, as the
// checks on AWS do), no redirects followed, and the PROXY protocol header a backend expecting it
// needs before anything else (a LOCAL header: the check is the balancer's own connection).
func (e *Engine) newProbeClient(pp ProxyProtocol) *http.Client {
	tr := &http.Transport{
		DisableKeepAlives:      true,
		TLSClientConfig:        &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // as AWS: targets are not verified
		MaxResponseHeaderBytes: maxHeaderBytes,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := e.dialer.DialContext(ctx, network, addr)
			if err != nil || pp == ProxyNone {
				return c, err
			}
			if err := writeLocalProxyHeader(c, pp); err != nil {
				c.Close()
				return nil, err
			}
			return c, nil
		},
	}
	return &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

func proxyIndex(pp ProxyProtocol) int {
	switch pp {
	case ProxyV1:
		return 1
	case ProxyV2:
		return 2
	}
	return 0
}

// codeMatches reports whether code is in a matcher's ranges (parseMatcher's).
func codeMatches(ranges [][2]int, code int) bool {
	for _, r := range ranges {
		if r[0] <= code && code <= r[1] {
			return true
		}
	}
	return false
}

// parseMatcher reads a matcher's codes and ranges, all within 200-599.
func parseMatcher(m string) ([][2]int, error) {
	var out [][2]int
	for _, part := range strings.Split(m, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(part), "-")
		a, err := strconv.Atoi(lo)
		b := a
		if err == nil && isRange {
			b, err = strconv.Atoi(hi)
		}
		if err != nil || a < 200 || b > 599 || a > b {
			return nil, fmt.Errorf("health check matcher %q: %q is not a code or range of codes in 200-599", m, part)
		}
		out = append(out, [2]int{a, b})
	}
	return out, nil
}
