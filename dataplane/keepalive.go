package dataplane

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

const maxIdlePerTarget = 256

// keepAlivePool is the RoundTripper of one target. A request without a body (most requests)
// is written and its response read by the calling goroutine over a kept-alive connection, with
// net/http's own Request.Write and ReadResponse; this saves http.Transport's two goroutine
// hand-offs per request, which cost a large share of the proxy's CPU time on loopback. Requests
// with a body or asking for a protocol upgrade go to the full http.Transport, which handles
// concurrent body writing, 100-continue and upgrades.
type keepAlivePool struct {
	full *http.Transport
	dial func(ctx context.Context) (net.Conn, error)
	idle time.Duration

	mu     sync.Mutex
	conns  []*poolConn
	closed bool
}

type poolConn struct {
	net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	lastUsed time.Time
}

func (p *keepAlivePool) RoundTrip(req *http.Request) (*http.Response, error) {
	if (req.Body != nil && req.Body != http.NoBody) || req.ContentLength != 0 || req.Header.Get("Upgrade") != "" {
		return p.full.RoundTrip(req)
	}
	for attempt := 0; ; attempt++ {
		pc, reused, err := p.get(req.Context())
		if err != nil {
			return nil, err
		}
		resp, err := p.exchange(pc, req)
		if err == nil {
			return resp, nil
		}
		// A kept-alive connection the backend closed meanwhile fails at once; a request that
		// is safe to repeat then goes again on a new connection, as http.Transport does.
		if !reused || attempt > 0 || !replayable(req) || !staleConnError(err) {
			return nil, err
		}
	}
}

// exchange sends req on pc and reads the response head. The response body returns pc to the
// pool once read to its end.
func (p *keepAlivePool) exchange(pc *poolConn, req *http.Request) (*http.Response, error) {
	stop := context.AfterFunc(req.Context(), func() { pc.Close() }) // client gone: abandon
	fail := func(err error) (*http.Response, error) {
		stop()
		pc.Close()
		return nil, err
	}
	if err := req.Write(pc.bw); err != nil {
		return fail(err)
	}
	if err := pc.bw.Flush(); err != nil {
		return fail(err)
	}
	var resp *http.Response
	for {
		var err error
		if resp, err = http.ReadResponse(pc.br, req); err != nil {
			return fail(err)
		}
		if resp.StatusCode >= 200 || resp.StatusCode == http.StatusSwitchingProtocols {
			break
		}
		resp.Body.Close() // an interim 1xx answer: the real one follows
	}
	reuse := !resp.Close && !req.Close && resp.StatusCode != http.StatusSwitchingProtocols
	if resp.Body == http.NoBody {
		p.release(pc, stop, reuse)
		return resp, nil
	}
	resp.Body = &pooledBody{ReadCloser: resp.Body, p: p, pc: pc, stop: stop, reuse: reuse}
	return resp, nil
}

func replayable(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

func staleConnError(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// get takes an idle connection, or dials a new one.
func (p *keepAlivePool) get(ctx context.Context) (*poolConn, bool, error) {
	now := time.Now()
	p.mu.Lock()
	for len(p.conns) > 0 {
		pc := p.conns[len(p.conns)-1]
		p.conns = p.conns[:len(p.conns)-1]
		if now.Sub(pc.lastUsed) < p.idle {
			p.mu.Unlock()
			return pc, true, nil
		}
		pc.Close() // idle too long: the backend may be closing it
	}
	p.mu.Unlock()
	c, err := p.dial(ctx)
	if err != nil {
		return nil, false, err
	}
	return &poolConn{Conn: c, br: bufio.NewReaderSize(c, 16<<10), bw: bufio.NewWriterSize(c, 16<<10)}, false, nil
}

// release returns a connection whose response is complete to the pool, or closes it.
func (p *keepAlivePool) release(pc *poolConn, stop func() bool, reuse bool) {
	if !stop() || !reuse {
		pc.Close()
		return
	}
	pc.lastUsed = time.Now()
	p.mu.Lock()
	if p.closed || len(p.conns) >= maxIdlePerTarget {
		p.mu.Unlock()
		pc.Close()
		return
	}
	p.conns = append(p.conns, pc)
	p.mu.Unlock()
}

// CloseIdleConnections closes the idle connections of both paths.
func (p *keepAlivePool) CloseIdleConnections() {
	p.mu.Lock()
	conns := p.conns
	p.conns = nil
	p.mu.Unlock()
	for _, pc := range conns {
		pc.Close()
	}
	p.full.CloseIdleConnections()
}

// pooledBody hands the connection back when the body has been read to its end; a body closed
// early closes its connection, whose remaining bytes nobody will read.
type pooledBody struct {
	io.ReadCloser
	p     *keepAlivePool
	pc    *poolConn
	stop  func() bool
	reuse bool
	done  bool
}

func (b *pooledBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		b.p.release(b.pc, b.stop, b.reuse)
	}
	return n, err
}

func (b *pooledBody) Close() error {
	if !b.done {
		b.done = true
		b.stop()
		b.pc.Close()
	}
	return nil
}
