package dataplane

import (
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// connSet tracks open connections so that a draining target, a removed listener or Close can end
// them. Only opening and closing a connection touch its lock, never a read or write.
type connSet struct {
	mu    sync.Mutex
	conns map[net.Conn]struct{}
}

func (s *connSet) add(c net.Conn) {
	s.mu.Lock()
	if s.conns == nil {
		s.conns = make(map[net.Conn]struct{})
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
}

func (s *connSet) remove(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
}

// closeAll closes every tracked connection.
func (s *connSet) closeAll() {
	s.mu.Lock()
	conns := s.conns
	s.conns = nil
	s.mu.Unlock()
	for c := range conns {
		c.Close()
	}
}

// trackedConn is a back-end connection: it leaves its set when closed, and each read or write
// pushes its deadline idle into the future, so a backend that goes silent is dropped after idle.
// The deadline is refreshed at most every idle/8, keeping timer work off most calls.
type trackedConn struct {
	net.Conn
	set       *connSet
	idle      time.Duration
	readMark  atomic.Int64 // unix nanoseconds of the last read deadline refresh
	writeMark atomic.Int64
	once      sync.Once
}

func newTrackedConn(c net.Conn, set *connSet, idle time.Duration) *trackedConn {
	tc := &trackedConn{Conn: c, set: set, idle: idle}
	set.add(tc)
	return tc
}

func (c *trackedConn) Read(p []byte) (int, error) {
	c.refresh(&c.readMark, c.Conn.SetReadDeadline)
	return c.Conn.Read(p)
}

func (c *trackedConn) Write(p []byte) (int, error) {
	c.refresh(&c.writeMark, c.Conn.SetWriteDeadline)
	return c.Conn.Write(p)
}

func (c *trackedConn) refresh(mark *atomic.Int64, set func(time.Time) error) {
	if c.idle <= 0 {
		return
	}
	now := time.Now()
	if n := now.UnixNano(); n-mark.Load() > int64(c.idle/8) {
		mark.Store(n)
		set(now.Add(c.idle))
	}
}

func (c *trackedConn) Close() error {
	c.once.Do(func() { c.set.remove(c) })
	return c.Conn.Close()
}
