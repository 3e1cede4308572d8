package dataplane

import (
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

const (
	maxUDPFlows = 4096
	maxDatagram = 64 << 10
)

// udpRelay serves a UDP listener: each client address is a flow with its own connected socket to
// the target chosen for it, so replies find their way back; a flow idle for the listener's
// timeout ends.
type udpRelay struct {
	l     *portListener
	pc    *net.UDPConn
	mu    sync.Mutex
	flows map[netip.AddrPort]*udpFlow
}

type udpFlow struct {
	client  netip.AddrPort
	backend net.Conn
	last    atomic.Int64
}

func newUDPRelay(l *portListener, pc *net.UDPConn) *udpRelay {
	return &udpRelay{l: l, pc: pc, flows: map[netip.AddrPort]*udpFlow{}}
}

func (u *udpRelay) close() {
	u.pc.Close()
	u.closeFlows()
}

// run reads datagrams from clients and forwards each to its flow's target.
func (u *udpRelay) run() {
	buf := make([]byte, maxDatagram)
	for {
		n, from, err := u.pc.ReadFromUDPAddrPort(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue // ICMP errors and the like concern one datagram only
		}
		f := u.flow(from)
		if f == nil {
			continue // no target, or too many flows: drop, as a full balancer would
		}
		f.last.Store(time.Now().UnixNano())
		_, _ = f.backend.Write(buf[:n])
	}
}

// flow returns the client's flow, opening it on its first datagram.
func (u *udpRelay) flow(client netip.AddrPort) *udpFlow {
	u.mu.Lock()
	defer u.mu.Unlock()
	if f := u.flows[client]; f != nil {
		return f
	}
	if len(u.flows) >= maxUDPFlows || u.l.closed.Load() {
		return nil
	}
	st := u.l.state.Load()
	t := st.defaultForward().draw().pickFlow(client.Addr().Unmap(), st.crossZone)
	if t == nil {
		return nil
	}
	raw, err := u.l.e.dialer.Dial("udp", t.addr)
	if err != nil {
		return nil
	}
	f := &udpFlow{client: client, backend: newTrackedConn(raw, &t.conns, 0)}
	f.last.Store(time.Now().UnixNano())
	u.flows[client] = f
	t.streams.Add(1)
	u.l.e.goTracked(func() {
		u.replies(f, st.idle)
		t.streams.Add(-1)
	})
	return f
}

// replies relays the target's datagrams back to the client until the flow idles out or closes.
func (u *udpRelay) replies(f *udpFlow, idle time.Duration) {
	defer func() {
		u.mu.Lock()
		delete(u.flows, f.client)
		u.mu.Unlock()
		f.backend.Close()
	}()
	buf := make([]byte, maxDatagram)
	for {
		_ = f.backend.SetReadDeadline(time.Unix(0, f.last.Load()).Add(idle))
		n, err := f.backend.Read(buf)
		if n > 0 {
			f.last.Store(time.Now().UnixNano())
			if _, werr := u.pc.WriteToUDPAddrPort(buf[:n], f.client); werr != nil && errors.Is(werr, net.ErrClosed) {
				return
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, net.ErrClosed):
			return
		case time.Since(time.Unix(0, f.last.Load())) >= idle:
			return
		}
		// A deadline passed while the client spoke meanwhile, or a datagram was refused (ICMP):
		// neither ends the flow.
	}
}

// closeFlows ends every flow (the listener closed).
func (u *udpRelay) closeFlows() {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, f := range u.flows {
		f.backend.Close()
	}
}
