package dataplane

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/netip"

	proxyproto "github.com/pires/go-proxyproto"
)

// writeProxyHeader sends a PROXY protocol header naming the client (src) and the balancer's
// listener (dst) as the first bytes of a back-end connection.
func writeProxyHeader(w io.Writer, pp ProxyProtocol, src, dst net.Addr) error {
	_, err := proxyproto.HeaderProxyFromAddrs(proxyVersion(pp), src, dst).WriteTo(w)
	return err
}

// writeLocalProxyHeader sends the header of a connection the balancer makes on its own behalf
// (a health check): LOCAL in version 2, UNKNOWN in version 1.
func writeLocalProxyHeader(w io.Writer, pp ProxyProtocol) error {
	h := &proxyproto.Header{Version: proxyVersion(pp), Command: proxyproto.LOCAL,
		TransportProtocol: proxyproto.UNSPEC}
	_, err := h.WriteTo(w)
	return err
}

func proxyVersion(pp ProxyProtocol) byte {
	if pp == ProxyV2 {
		return 2
	}
	return 1
}

// proxyEnds are what the PROXY header of an HTTP request's back-end connection names: the client
// and the listener as the client addressed it. They travel in the request's context to the
// transport's dial, which writes the header.
type proxyEnds struct{ src, dst net.Addr }

type proxyEndsKey struct{}

func withProxyEnds(r *http.Request, port int) *http.Request {
	client, err := netip.ParseAddrPort(r.RemoteAddr)
	local, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if err != nil || !ok {
		return r
	}
	ends := proxyEnds{src: net.TCPAddrFromAddrPort(client), dst: &net.TCPAddr{IP: local.IP, Port: port}}
	return r.WithContext(context.WithValue(r.Context(), proxyEndsKey{}, ends))
}

// writeDialProxyHeader starts a back-end connection dialled for an HTTP request with the
// request's PROXY header, or a LOCAL one when the request carried no addresses.
func writeDialProxyHeader(ctx context.Context, w io.Writer, pp ProxyProtocol) error {
	if ends, ok := ctx.Value(proxyEndsKey{}).(proxyEnds); ok {
		return writeProxyHeader(w, pp, ends.src, ends.dst)
	}
	return writeLocalProxyHeader(w, pp)
}
