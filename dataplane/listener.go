package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// portListener is one balancer port: a loopback socket whose accept loop hands connections to
// the current HTTP server or to the stream proxy. The socket outlives configuration changes, so
// an update never changes the listener's address.
type portListener struct {
	e       *Engine
	network string // "tcp", "udp" or "tcp+udp"
	ln      net.Listener
	udp     *udpRelay
	addr    string
	reason  string
	state   atomic.Pointer[listenerState]
	srv     atomic.Pointer[httpServer]
	srvMu   sync.Mutex // serialises server replacement
	clients connSet    // stream-proxied client connections
	closed  atomic.Bool
}

// openListener binds a listener's socket(s) and starts serving st.
func (e *Engine) openListener(st *listenerState) (*portListener, error) {
	l := &portListener{e: e, network: st.network()}
	if err := l.bind(st.port); err != nil {
		return nil, err
	}
	l.state.Store(st)
	if l.ln != nil {
		e.goTracked(l.acceptLoop)
	}
	if l.udp != nil {
		e.goTracked(l.udp.run)
	}
	l.update(st)
	return l, nil
}

// bind takes the listener's own port when asked and allowed, an ephemeral one otherwise. A
// TCP_UDP listener gets the same port number for both, retrying with new ports if UDP's is taken.
func (l *portListener) bind(port int) error {
	var lastErr error
	for attempt := 0; attempt < 8; attempt++ {
		want := 0
		if l.e.opts.BindListenerPorts && attempt == 0 {
			want = port
		}
		err := l.bindOnce(want)
		if err == nil {
			if l.e.opts.BindListenerPorts && want == 0 && l.reason == "" {
				l.reason = lastErr.Error()
				l.e.opts.Logf("dataplane: port %d not available (%v); listening on %s", port, lastErr, l.addr)
			}
			return nil
		}
		lastErr = err
	}
	return lastErr
}

func (l *portListener) bindOnce(port int) error {
	hostport := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	if l.network != "udp" {
		ln, err := net.Listen("tcp", hostport)
		if err != nil {
			return err
		}
		l.ln, l.addr = ln, ln.Addr().String()
		hostport = l.addr
	}
	if l.network != "tcp" {
		pc, err := net.ListenPacket("udp", hostport)
		if err != nil {
			if l.ln != nil {
				l.ln.Close()
				l.ln = nil
			}
			return err
		}
		l.udp, l.addr = newUDPRelay(l, pc.(*net.UDPConn)), pc.LocalAddr().String()
	}
	return nil
}

// update switches the listener to a new compiled state. Requests and connections already
// accepted finish under the state they started with.
func (l *portListener) update(st *listenerState) {
	l.state.Store(st)
	if l.ln == nil {
		return
	}
	l.srvMu.Lock()
	defer l.srvMu.Unlock()
	cur := l.srv.Load()
	switch {
	case !st.isHTTP():
		if cur != nil {
			l.srv.Store(nil)
			cur.stop(l.e, true)
		}
	case cur == nil || cur.key != serverKey(st):
		next := newHTTPServer(l, st)
		l.srv.Store(next)
		if cur != nil {
			cur.stop(l.e, true)
		}
	}
}

func (l *portListener) acceptLoop() {
	for {
		c, err := l.ln.Accept()
		if err != nil {
			if l.closed.Load() || errors.Is(err, net.ErrClosed) {
				return
			}
			l.e.opts.Logf("dataplane: accept on %s: %v", l.addr, err)
			select {
			case <-time.After(10 * time.Millisecond): // out of descriptors: back off briefly
			case <-l.e.ctx.Done():
				return
			}
			continue
		}
		if st := l.state.Load(); st.isHTTP() {
			l.deliverHTTP(c)
		} else {
			l.e.goTracked(func() { l.serveStream(c, st) })
		}
	}
}

// deliverHTTP hands an accepted connection to the current HTTP server, following a replacement
// that happens meanwhile.
func (l *portListener) deliverHTTP(c net.Conn) {
	for {
		s := l.srv.Load()
		if s == nil || l.closed.Load() {
			c.Close()
			return
		}
		select {
		case s.ln.conns <- c:
			return
		case <-s.ln.done:
			if l.srv.Load() == s {
				c.Close()
				return
			}
		}
	}
}

// close stops the listener: the socket closes, HTTP requests in flight finish within the
// shutdown grace when graceful, and stream connections close with a FIN.
func (l *portListener) close(graceful bool) {
	if l.closed.Swap(true) {
		return
	}
	if l.ln != nil {
		l.ln.Close()
	}
	if l.udp != nil {
		l.udp.close()
	}
	l.srvMu.Lock()
	if s := l.srv.Swap(nil); s != nil {
		s.stop(l.e, graceful)
	}
	l.srvMu.Unlock()
	l.clients.closeAll()
}

// chanListener is the net.Listener an http.Server serves: connections come from the socket's
// accept loop. Closing it stops that server only, never the socket.
type chanListener struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func (c *chanListener) Accept() (net.Conn, error) {
	select {
	case conn := <-c.conns:
		return conn, nil
	case <-c.done:
		return nil, net.ErrClosed
	}
}

func (c *chanListener) Close() error {
	c.once.Do(func() { close(c.done) })
	return nil
}

func (c *chanListener) Addr() net.Addr { return c.addr }

// serverKey identifies the http.Server settings of a state: a change of any means a new server.
func serverKey(st *listenerState) string {
	return fmt.Sprint(st.proto, st.kind, st.idle)
}

var discardLog = log.New(io.Discard, "", 0)

// stop ends the server: at once, or letting requests in flight finish within the grace.
func (s *httpServer) stop(e *Engine, graceful bool) {
	s.ln.Close()
	if !graceful {
		s.srv.Close()
		return
	}
	e.goTracked(func() {
		ctx, cancel := context.WithTimeout(e.ctx, e.opts.ShutdownGrace)
		defer cancel()
		_ = s.srv.Shutdown(ctx)
		s.srv.Close()
	})
}

// tlsFor hands each TLS handshake the listener's current configuration, so certificate and
// policy changes apply to new connections without touching the socket.
func (l *portListener) tlsFor(*tls.ClientHelloInfo) (*tls.Config, error) {
	return l.state.Load().tls, nil
}
