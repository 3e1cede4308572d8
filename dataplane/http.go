package dataplane

import (
	"crypto/tls"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// httpServer is the http.Server of an HTTP or HTTPS listener's current settings.
type httpServer struct {
	key string
	srv *http.Server
	ln  *chanListener
}

func newHTTPServer(l *portListener, st *listenerState) *httpServer {
	s := &httpServer{key: serverKey(st),
		ln: &chanListener{addr: l.ln.Addr(), conns: make(chan net.Conn), done: make(chan struct{})}}
	s.srv = &http.Server{
		Handler:           l,
		ReadHeaderTimeout: st.idle,
		IdleTimeout:       st.idle,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          discardLog,
	}
	serve := func() { _ = s.srv.Serve(s.ln) }
	if st.proto == HTTPS {
		s.srv.TLSConfig = &tls.Config{GetConfigForClient: l.tlsFor}
		serve = func() { _ = s.srv.ServeTLS(s.ln, "", "") }
	}
	l.e.goTracked(serve)
	return s
}

// ServeHTTP routes one request through the listener's rules.
func (l *portListener) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := l.state.Load()
	if !st.isHTTP() {
		http.Error(w, "listener is not HTTP", http.StatusMisdirectedRequest)
		return
	}
	client := clientAddr(r.RemoteAddr)
	var rt *route
	for _, x := range st.routes {
		if x.matches(r, client) {
			rt = x
			break
		}
	}
	if err := rt.applyTransforms(r); err != nil {
		writeELBError(w, st.kind, http.StatusInternalServerError)
		return
	}
	switch {
	case rt.redirect != nil:
		w.Header().Set("Location", redirectLocation(rt.redirect, r, st.proto, st.port))
		w.Header().Set("Server", "awselb/2.0")
		code := http.StatusMovedPermanently
		if rt.redirect.StatusCode == "HTTP_302" {
			code = http.StatusFound
		}
		w.WriteHeader(code)
	case rt.fixed != nil:
		h := w.Header()
		h.Set("Content-Type", rt.fixed.contentType)
		h.Set("Server", "awselb/2.0")
		h.Set("Content-Length", strconv.Itoa(len(rt.fixed.body)))
		w.WriteHeader(rt.fixed.status)
		_, _ = io.WriteString(w, rt.fixed.body)
	default:
		l.forward(w, r, st, rt.forward, client)
	}
}

func (l *portListener) forward(w http.ResponseWriter, r *http.Request, st *listenerState, fw *forwardAction, client netip.Addr) {
	g := pickGroup(w, r, fw)
	t := g.pickHTTP(w, r, st.crossZone)
	if t == nil {
		writeELBError(w, st.kind, http.StatusServiceUnavailable)
		return
	}
	// The proxy drops the client's X-Forwarded-For and -Proto from the outbound request; its
	// Rewrite takes these values from the inbound one.
	h := r.Header
	h["X-Forwarded-For"] = []string{appendForwardedFor(h["X-Forwarded-For"], client)}
	h["X-Forwarded-Proto"] = st.protoHdr
	h["X-Forwarded-Port"] = st.portHdr
	if st.kind != KindClassic && len(h["X-Amzn-Trace-Id"]) == 0 {
		h["X-Amzn-Trace-Id"] = []string{newTraceID()}
	}
	if r.Body != nil && r.Body != http.NoBody {
		// A client that stops sending its body is dropped after the idle timeout.
		r.Body = &idleBody{ReadCloser: r.Body, rc: http.NewResponseController(w), idle: st.idle}
	}
	if t.g.settings.Load().ProxyProtocol != ProxyNone {
		r = withProxyEnds(r, st.port)
	}
	t.inflight.Add(1)
	defer t.inflight.Add(-1)
	t.httpBackend().proxy.ServeHTTP(w, r)
}

type idleBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	idle time.Duration
}

func (b *idleBody) Read(p []byte) (int, error) {
	_ = b.rc.SetReadDeadline(time.Now().Add(b.idle))
	return b.ReadCloser.Read(p)
}

// newTraceID makes an X-Amzn-Trace-Id root: version 1, the epoch seconds in hex, 96 random bits.
func newTraceID() string {
	var buf [48]byte
	b := append(buf[:0], "Root=1-"...)
	b = strconv.AppendUint(b, uint64(time.Now().Unix()), 16)
	b = append(b, '-')
	// Trace ids need to be unique, not secret: the runtime's fast generator will do.
	var rnd [12]byte
	binary.LittleEndian.PutUint64(rnd[:8], rand.Uint64())
	binary.LittleEndian.PutUint32(rnd[8:], rand.Uint32())
	b = hex.AppendEncode(b, rnd[:])
	return string(b)
}

// appendForwardedFor appends the client address to the X-Forwarded-For the client sent, as
// ELB's default append mode does.
func appendForwardedFor(prior []string, client netip.Addr) string {
	if len(prior) > 0 {
		return strings.Join(prior, ", ") + ", " + client.String()
	}
	return client.String()
}

func clientAddr(remote string) netip.Addr {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}
