package dataplane

import (
	"io"
	"net"

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
