package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync/atomic"
	"time"
)

// serveStream proxies one TCP, SSL or TLS connection: terminate TLS if the listener does, pick a
// target, connect (PROXY header first, then TLS if the group wants it) and copy bytes both ways
// until both sides finish or the connection stays idle for the idle timeout.
func (l *portListener) serveStream(c net.Conn, st *listenerState) {
	l.clients.add(c)
	defer func() {
		l.clients.remove(c)
		c.Close()
	}()
	ctx, cancel := context.WithTimeout(l.e.ctx, l.e.opts.ConnectTimeout)
	defer cancel()
	if st.tls != nil {
		tc := tls.Server(c, st.tls)
		if err := tc.HandshakeContext(ctx); err != nil {
			return
		}
		c = tc
	}
	t := st.defaultForward().draw().pickFlow(clientAddr(c.RemoteAddr().String()), st.crossZone)
	if t == nil {
		return // no target: the client sees its connection closed, as with an ELB
	}
	t.streams.Add(1)
	defer t.streams.Add(-1)
	bc, err := l.dialTarget(ctx, t, c, st)
	if err != nil {
		return
	}
	defer bc.Close()
	pipe(c, bc, st.idle)
}

// dialTarget opens the back-end connection of a stream, tracked on the target for draining.
func (l *portListener) dialTarget(ctx context.Context, t *target, client net.Conn, st *listenerState) (net.Conn, error) {
	raw, err := l.e.dialer.DialContext(ctx, "tcp", t.addr)
	if err != nil {
		return nil, err
	}
	var bc net.Conn = newTrackedConn(raw, &t.conns, 0)
	s := t.g.settings.Load()
	if s.ProxyProtocol != ProxyNone {
		// The destination is the balancer's listener as configured, as a client addressed it.
		local := client.LocalAddr().(*net.TCPAddr)
		dst := &net.TCPAddr{IP: local.IP, Port: st.port}
		if err := writeProxyHeader(bc, s.ProxyProtocol, client.RemoteAddr(), dst); err != nil {
			bc.Close()
			return nil, err
		}
	}
	if s.Protocol == TLS || s.Protocol == SSL || s.Protocol == HTTPS {
		tc := tls.Client(bc, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // as AWS: targets are not verified
		if err := tc.HandshakeContext(ctx); err != nil {
			bc.Close()
			return nil, err
		}
		bc = tc
	}
	return bc, nil
}

// pipe copies both ways. A side that ends sends a FIN to the other (half close); an error
// closes both; silence in both directions for idle closes both.
func pipe(a, b net.Conn, idle time.Duration) {
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	done := make(chan struct{})
	go func() {
		defer close(done)
		copyIdle(b, a, idle, &last)
	}()
	copyIdle(a, b, idle, &last)
	<-done
}

// copyIdle copies src to dst until src ends, then half-closes dst; on an error both close.
// Deadlines are moved at most every idle/8, so most reads and writes touch no timer.
func copyIdle(dst, src net.Conn, idle time.Duration, last *atomic.Int64) {
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	var readMark, writeMark int64
	step := int64(idle / 8)
	for {
		now := time.Now()
		if n := now.UnixNano(); n-readMark > step {
			readMark = n
			_ = src.SetReadDeadline(now.Add(idle))
		}
		n, err := src.Read(buf)
		if n > 0 {
			now = time.Now()
			last.Store(now.UnixNano())
			if now.UnixNano()-writeMark > step {
				writeMark = now.UnixNano()
				_ = dst.SetWriteDeadline(now.Add(idle))
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				src.Close()
				dst.Close()
				return
			}
		}
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() && time.Since(time.Unix(0, last.Load())) < idle {
			readMark = 0 // the other direction is active: not idle
			continue
		}
		if errors.Is(err, io.EOF) && closeWrite(dst) == nil {
			return
		}
		src.Close()
		dst.Close()
		return
	}
}

// closeWrite half-closes a connection when its type allows.
func closeWrite(c net.Conn) error {
	if tc, ok := c.(*trackedConn); ok {
		c = tc.Conn
	}
	if cw, ok := c.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.New("no half close")
}
