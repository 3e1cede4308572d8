package dataplane

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/textproto"
	"sync"
	"sync/atomic"
	"time"
)

// inlineTransport sends the common request, a GET or HEAD without a body or an upgrade, to a
// plain-HTTP target in the handler's own goroutine: Request.Write on a kept-alive connection,
// then http.ReadResponse, and the connection goes back to the pool when the answer's body is
// done. http.Transport passes every request between the handler, a writer and a reader
// goroutine, and those handoffs cost a proxied request more CPU than its HTTP work does. Any
// other request (a body, an upgrade) goes to http.Transport, which writes a body while it
// reads an early answer and hands over an upgraded connection.
type inlineTransport struct {
	fallback *http.Transport
	dial     func(ctx context.Context) (net.Conn, error)
	idleTime time.Duration // an idle connection older than this is closed

	mu     sync.Mutex
	idle   []*inlineConn // most recently used last
	reaper *time.Timer   // armed while idle connections wait
	closed bool
}

// maxInlineIdle bounds the kept-alive connections of one target, as the Transport's
// MaxIdleConnsPerHost does.
const maxInlineIdle = 1024

// max1xx bounds the informational answers before the final one, as http.Transport does.
const max1xx = 5

type inlineConn struct {
	c      net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	used   time.Time
	broken atomic.Bool // closed by a cancelled request; never pooled
}

func (t *inlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if (req.Method != http.MethodGet && req.Method != http.MethodHead) || req.Body != nil || req.Header["Upgrade"] != nil {
		return t.fallback.RoundTrip(req)
	}
	for {
		pc, reused, err := t.get(req.Context())
		if err != nil {
			return nil, err
		}
		resp, err := t.exchange(pc, req)
		if err == nil {
			return resp, nil
		}
		pc.c.Close()
		// A kept-alive connection the target closed meanwhile: the request never reached it,
		// so it goes again, as http.Transport retries it.
		if !reused || !errors.Is(err, errStaleConn) || req.Context().Err() != nil {
			return nil, err
		}
	}
}

var errStaleConn = errors.New("kept-alive connection closed by the target")

// exchange writes req on pc and reads the answer's head. The connection closes when the
// request's context ends before the answer's body is done.
func (t *inlineTransport) exchange(pc *inlineConn, req *http.Request) (*http.Response, error) {
	stop := context.AfterFunc(req.Context(), func() {
		pc.broken.Store(true)
		pc.c.Close()
	})
	// Until the answer's first byte, a failure means the target never took the request.
	err := req.Write(pc.bw)
	if err == nil {
		err = pc.bw.Flush()
	}
	if err == nil {
		_, err = pc.br.Peek(1)
	}
	if err != nil {
		stop()
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		return nil, fmt.Errorf("%w: %w", errStaleConn, err)
	}
	resp, err := readResponse(pc.br, req)
	if err != nil {
		stop()
		return nil, err
	}
	resp.Body = &inlineBody{src: resp.Body, pc: pc, t: t, stop: stop,
		keep: !resp.Close && !req.Close}
	return resp, nil
}

// readResponse reads the final answer, passing informational ones to the request's trace (the
// reverse proxy forwards them to the client).
func readResponse(br *bufio.Reader, req *http.Request) (*http.Response, error) {
	trace := httptrace.ContextClientTrace(req.Context())
	for range max1xx + 1 {
		resp, err := http.ReadResponse(br, req)
		if err != nil {
			return nil, err
		}
		switch {
		case resp.StatusCode == http.StatusSwitchingProtocols:
			return nil, errors.New("target switched protocols without an upgrade request")
		case resp.StatusCode >= 100 && resp.StatusCode < 200:
			if trace != nil && trace.Got1xxResponse != nil {
				if err := trace.Got1xxResponse(resp.StatusCode, textproto.MIMEHeader(resp.Header)); err != nil {
					return nil, err
				}
			}
			continue
		}
		return resp, nil
	}
	return nil, errors.New("target sent too many informational answers")
}

// get returns a kept-alive connection, or a new one (reused false).
func (t *inlineTransport) get(ctx context.Context) (pc *inlineConn, reused bool, err error) {
	now := time.Now()
	t.mu.Lock()
	for len(t.idle) > 0 {
		pc = t.idle[len(t.idle)-1]
		t.idle = t.idle[:len(t.idle)-1]
		if now.Sub(pc.used) < t.idleTime {
			t.mu.Unlock()
			return pc, true, nil
		}
		pc.c.Close()
	}
	t.mu.Unlock()
	c, err := t.dial(ctx)
	if err != nil {
		return nil, false, err
	}
	return &inlineConn{c: c, br: bufio.NewReaderSize(c, 16<<10), bw: bufio.NewWriterSize(c, 16<<10)}, false, nil
}

// put returns a connection whose answer was read to the end to the pool.
func (t *inlineTransport) put(pc *inlineConn) {
	pc.used = time.Now()
	t.mu.Lock()
	if t.closed || len(t.idle) >= maxInlineIdle || pc.broken.Load() {
		t.mu.Unlock()
		pc.c.Close()
		return
	}
	t.idle = append(t.idle, pc)
	if t.reaper == nil {
		t.reaper = time.AfterFunc(t.idleTime, t.reap)
	}
	t.mu.Unlock()
}

// reap closes the connections idle for longer than the idle timeout, and comes back while
// others wait.
func (t *inlineTransport) reap() {
	now := time.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, pc := range t.idle {
		if now.Sub(pc.used) >= t.idleTime {
			pc.c.Close()
			continue
		}
		t.idle[n] = pc
		n++
	}
	clear(t.idle[n:])
	t.idle = t.idle[:n]
	t.reaper = nil
	if n > 0 && !t.closed {
		t.reaper = time.AfterFunc(t.idleTime-now.Sub(t.idle[0].used), t.reap)
	}
}

// CloseIdleConnections closes the idle connections of both transports; busy ones close when
// their answer is done.
func (t *inlineTransport) CloseIdleConnections() {
	t.mu.Lock()
	t.closed = true
	for _, pc := range t.idle {
		pc.c.Close()
	}
	t.idle = nil
	if t.reaper != nil {
		t.reaper.Stop()
		t.reaper = nil
	}
	t.mu.Unlock()
	t.fallback.CloseIdleConnections()
}

// inlineBody is an answer's body: read to its end, it returns the connection to the pool;
// closed before, it closes the connection (never draining what the target still sends).
type inlineBody struct {
	src  io.ReadCloser
	pc   *inlineConn
	t    *inlineTransport
	stop func() bool
	keep bool
	done bool
}

func (b *inlineBody) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.src.Read(p)
	if err == io.EOF {
		b.finish(b.keep && b.pc.br.Buffered() == 0)
	} else if err != nil {
		b.finish(false)
	}
	return n, err
}

func (b *inlineBody) Close() error {
	if !b.done {
		b.finish(false)
	}
	return nil
}

func (b *inlineBody) finish(reuse bool) {
	b.done = true
	if b.stop() && reuse {
		b.t.put(b.pc)
		return
	}
	b.pc.c.Close()
}
