package dataplane

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"sync"
	"time"
)

const (
	maxHeaderBytes = 64 << 10 // request and response headers, as ALB's limit
	copyBufferSize = 32 << 10
	flushInterval  = 100 * time.Millisecond // the most a slow back end's bytes wait in the proxy
)

// bufPool lends the copy buffers of the HTTP and stream proxies.
var bufPool = sync.Pool{New: func() any { b := make([]byte, copyBufferSize); return &b }}

type proxyBuffers struct{}

func (proxyBuffers) Get() []byte  { return *bufPool.Get().(*[]byte) }
func (proxyBuffers) Put(b []byte) { bufPool.Put(&b) }

// httpBackend is one target's HTTP client side: net/http's Transport tuned for a single host
// and the reverse proxy over it. It is built on first use and rebuilt when the group's protocol or
// timeouts change.
type httpBackend struct {
	transport *http.Transport
	proxy     *httputil.ReverseProxy
}

func (t *target) httpBackend() *httpBackend {
	if b := t.backend.Load(); b != nil {
		return b
	}
	b := t.newHTTPBackend(t.g.settings.Load())
	if t.backend.CompareAndSwap(nil, b) {
		return b
	}
	b.transport.CloseIdleConnections()
	return t.backend.Load()
}

func (t *target) newHTTPBackend(s *groupSettings) *httpBackend {
	scheme := "http"
	if s.Protocol == HTTPS || s.Protocol == TLS || s.Protocol == SSL {
		scheme = "https"
	}
	idle, pp := s.idle, s.ProxyProtocol
	// As on AWS, target certificates are not verified.
	tlsConf := &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"http/1.1"}} //nolint:gosec
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := t.g.e.dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if pp != ProxyNone {
				if err := writeDialProxyHeader(ctx, c, pp); err != nil {
					c.Close()
					return nil, err
				}
			}
			return newTrackedConn(c, &t.conns, idle), nil
		},
		// A PROXY header names one client: each request gets a connection of its own.
		DisableKeepAlives:      pp != ProxyNone,
		TLSClientConfig:        tlsConf,
		TLSHandshakeTimeout:    t.g.e.opts.ConnectTimeout,
		MaxIdleConns:           1024,
		MaxIdleConnsPerHost:    1024,
		IdleConnTimeout:        idle,
		ResponseHeaderTimeout:  idle,
		MaxResponseHeaderBytes: maxHeaderBytes,
		DisableCompression:     true,
		WriteBufferSize:        16 << 10,
		ReadBufferSize:         16 << 10,
	}
	addr := t.addr
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.Out.URL.Scheme = scheme
			pr.Out.URL.Host = addr
			// The handler put the values on the inbound request.
			pr.Out.Header["X-Forwarded-Proto"] = pr.In.Header["X-Forwarded-Proto"]
			pr.Out.Header["X-Forwarded-For"] = pr.In.Header["X-Forwarded-For"]
		},
		Transport:  tr,
		BufferPool: proxyBuffers{},
		// Streamed answers (no Content-Length, or server-sent events) are written through at once
		// by ReverseProxy itself. Others are flushed at most this late: a negative interval would
		// start a timer that fires at once, flushing the headers alone, which costs every small
		// answer a second write to the client and a goroutine.
		FlushInterval:  flushInterval,
		ModifyResponse: t.modifyResponse,
		ErrorHandler:   t.g.proxyError,
		ErrorLog:       discardLog, // a client or target leaving mid-body is routine, not news
	}
	return &httpBackend{transport: tr, proxy: rp}
}

// modifyResponse issues the stickiness cookie that follows an application cookie.
func (t *target) modifyResponse(resp *http.Response) error {
	st := t.g.settings.Load().Stickiness
	if st.Type != StickyAppCookie && st.Type != StickyClassicApp {
		return nil
	}
	for _, c := range resp.Cookies() {
		if c.Name == st.CookieName {
			resp.Header.Add("Set-Cookie", stickyCookie(st, t.token))
			break
		}
	}
	return nil
}

// proxyError answers for a backend that failed: 504 when it did not answer in time, 502 when it
// refused, reset or sent something that is not HTTP.
func (g *group) proxyError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(r.Context().Err(), context.Canceled) {
		return // the client left; nobody reads an answer
	}
	status := http.StatusBadGateway
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		status = http.StatusGatewayTimeout
	}
	writeELBError(w, g.settings.Load().kind, status)
}

// writeELBError answers the way the balancer itself does: an ALB-style HTML page, or the empty
// body Classic sends.
func writeELBError(w http.ResponseWriter, kind Kind, status int) {
	h := w.Header()
	for k := range h {
		delete(h, k) // drop stickiness cookies set before forwarding
	}
	if kind == KindClassic {
		h.Set("Content-Length", "0")
		w.WriteHeader(status)
		return
	}
	text := http.StatusText(status)
	body := "<html>\r\n<head><title>" + strconv.Itoa(status) + " " + text + "</title></head>\r\n<body>\r\n<center><h1>" +
		strconv.Itoa(status) + " " + text + "</h1></center>\r\n</body>\r\n</html>\r\n"
	h.Set("Server", "awselb/2.0")
	h.Set("Content-Type", "text/html")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
