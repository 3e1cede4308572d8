package elbserver

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// connLimit keeps at most max connections open. A connection accepted past the bound closes
// the connection idle the longest (a kept-alive client loses nothing but a reconnect), or,
// when every connection is busy, waits for one to close: busy ones are bounded in time by
// the server's read and write timeouts.
type connLimit struct {
	max int

	mu     sync.Mutex
	cond   *sync.Cond
	open   int
	idle   map[*limitedConn]time.Time // since when
	closed bool
}

func newConnLimit(max int) *connLimit {
	l := &connLimit{max: max, idle: map[*limitedConn]time.Time{}}
	l.cond = sync.NewCond(&l.mu)
	return l
}

// admit counts a new connection in, closing idle ones or waiting as needed; false means the
// listener closed meanwhile.
func (l *connLimit) admit() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.open >= l.max {
		if l.closed {
			return false
		}
		if victim := l.oldestIdle(); victim != nil {
			delete(l.idle, victim)
			// Close takes the lock to count the connection out.
			l.mu.Unlock()
			victim.Close()
			l.mu.Lock()
			continue
		}
		l.cond.Wait()
	}
	l.open++
	return true
}

func (l *connLimit) oldestIdle() *limitedConn {
	var oldest *limitedConn
	var since time.Time
	for c, t := range l.idle {
		if oldest == nil || t.Before(since) {
			oldest, since = c, t
		}
	}
	return oldest
}

// track is the http.Server's ConnState hook: it knows which connections are idle.
func (l *connLimit) track(c net.Conn, state http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if state == http.StateIdle && !lc.gone {
		l.idle[lc] = time.Now()
	} else {
		delete(l.idle, lc)
	}
}

func (l *connLimit) release(c *limitedConn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c.gone = true
	delete(l.idle, c)
	l.open--
	l.cond.Signal()
}

func (l *connLimit) shut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.cond.Broadcast()
}

func (l *connLimit) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.open
}

// limitListener admits each accepted connection through its connLimit.
type limitListener struct {
	net.Listener
	lim *connLimit
}

func (ln *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := ln.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if ln.lim.admit() {
			return &limitedConn{Conn: c, lim: ln.lim}, nil
		}
		c.Close()
	}
}

func (ln *limitListener) Close() error {
	ln.lim.shut()
	return ln.Listener.Close()
}

// limitedConn counts itself out of its connLimit once, when first closed.
type limitedConn struct {
	net.Conn
	lim  *connLimit
	once sync.Once
	gone bool // guarded by lim.mu
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.lim.release(c) })
	return err
}
