package dptest

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"testing"

	proxyproto "github.com/pires/go-proxyproto"
)

// ProxyEcho is a TCP back end that reads a PROXY protocol header with go-proxyproto (an
// independent parser), answers one line naming it ("v1 PROXY SRC DST", "v2 LOCAL ...") or
// "no header: ERROR", then echoes what follows.
func ProxyEcho(t testing.TB) net.Listener {
	t.Helper()
	return TCP(t, func(c net.Conn) {
		br := bufio.NewReader(c)
		h, err := proxyproto.Read(br)
		if err != nil {
			fmt.Fprintf(c, "no header: %v\n", err)
			return
		}
		cmd := "LOCAL"
		if h.Command.IsProxy() {
			cmd = "PROXY"
		}
		fmt.Fprintf(c, "v%d %s %s %s\n", h.Version, cmd, h.SourceAddr, h.DestinationAddr)
		_, _ = io.Copy(c, br)
	})
}

// ProxyAware is an HTTP back end that takes a PROXY header when one comes: it names itself in
// X-Backend and in its body, and reports the header in X-Proxy ("v1 SRC DST", "-" when none
// came), so a test sees what each connection started with. It returns its host:port.
func ProxyAware(t testing.TB, name string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	type connKey struct{}
	srv := &http.Server{
		ConnContext: func(ctx context.Context, c net.Conn) context.Context { return context.WithValue(ctx, connKey{}, c) },
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			head := "-"
			if h := r.Context().Value(connKey{}).(*proxyproto.Conn).ProxyHeader(); h != nil {
				head = fmt.Sprintf("v%d %s %s", h.Version, h.SourceAddr, h.DestinationAddr)
			}
			w.Header().Set("X-Backend", name)
			w.Header().Set("X-Proxy", head)
			fmt.Fprint(w, name)
		}),
	}
	pl := &proxyproto.Listener{Listener: ln, ConnPolicy: func(proxyproto.ConnPolicyOptions) (proxyproto.Policy, error) { return proxyproto.USE, nil }}
	go func() { _ = srv.Serve(pl) }()
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}
