// Package dptest holds the back ends the data plane's tests proxy to, shared by the tests of
// dataplane, dataplane/storesync and migrate. Every back end listens on 127.0.0.1 and stops
// when the test ends.
package dptest

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// Seen is what an echo back end reports of a request.
type Seen struct {
	Backend string
	Method  string
	Host    string
	Path    string
	Query   string
	Header  http.Header
}

// EchoHandler answers every request with what it saw as JSON (a Seen) and names itself in
// X-Backend; it reads the request's body to the end first.
func EchoHandler(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend", name)
		_ = json.NewEncoder(w).Encode(Seen{Backend: name, Method: r.Method, Host: r.Host, Path: r.URL.Path,
			Query: r.URL.RawQuery, Header: r.Header})
	}
}

// Echo is an HTTP back end running EchoHandler(name).
func Echo(t testing.TB, name string) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(EchoHandler(name))
	t.Cleanup(s.Close)
	return s
}

// Decode reads an echo back end's answer, failing the test when body is not one.
func Decode(t testing.TB, body string) Seen {
	t.Helper()
	var s Seen
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatalf("not an echo answer: %q: %v", body, err)
	}
	return s
}

// HostOf is a test server's host:port.
func HostOf(s *httptest.Server) string { return s.Listener.Addr().String() }

// TCP is a TCP back end that runs serve for each connection and closes the connection after.
// At the end of the test it stops accepting and waits for every serve to return.
func TCP(t testing.TB, serve func(net.Conn)) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				serve(c)
			})
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln
}
