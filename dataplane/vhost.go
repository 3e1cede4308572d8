package dataplane

import (
	"net"
	"net/http"
	"strconv"
	"strings"
)

// VirtualHosts returns a handler that serves requests addressed to a balancer by name: a request
// whose Host is a balancer's DNS name (optionally with :PORT, 80 when absent) goes through that
// balancer's HTTP listener on that port, exactly as if it had arrived on the listener's own
// socket. Any other request goes to next (a 404 when next is nil). Only plain HTTP listeners are
// reachable this way: HTTPS needs its own TLS handshake.
func (e *Engine) VirtualHosts(next http.Handler) http.Handler {
	if next == nil {
		next = http.NotFoundHandler()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l := e.lookupHost(r.Host); l != nil {
			l.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (e *Engine) lookupHost(hostport string) *portListener {
	host, port := hostport, 80
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		n, err := strconv.Atoi(p)
		if err != nil {
			return nil
		}
		host, port = h, n
	}
	if host == "" || strings.ContainsAny(host, "/ ") {
		return nil
	}
	if v, ok := e.vhosts.Load(vhostKey(host, port)); ok {
		return v.(*portListener)
	}
	return nil
}
