// Command dpbackend is the back end of the data-plane benchmark: an HTTP server that answers
// every request with a short body, and a TCP server that sends as many bytes as a client asks
// for. It runs in a process of its own so that its CPU is not the proxy's, and listens on
// loopback only. It prints its addresses on one line, then serves until killed.
//
//	dpbackend   # prints "http=127.0.0.1:PORT tcp=127.0.0.1:PORT"
//
// HTTP: every answer is "ok ADDR", ADDR the server's own, so a client sees which back end answered.
// TCP: the client sends an 8-byte big-endian count; the server writes that many bytes and closes.
// A connection that sends nothing (a health check) is simply closed.
package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"
)

// maxTransfer bounds what one client may ask for.
const maxTransfer = 64 << 30

func main() {
	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	fmt.Printf("http=%s tcp=%s\n", hl.Addr(), tl.Addr())
	go serveTCP(tl)
	body := []byte("ok " + hl.Addr().String() + "\n")
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	fail(srv.Serve(hl))
}

func serveTCP(ln net.Listener) {
	chunk := make([]byte, 256<<10)
	for {
		c, err := ln.Accept()
		if err != nil {
			fail(err)
		}
		go func() {
			defer c.Close()
			_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
			var hdr [8]byte
			if _, err := io.ReadFull(c, hdr[:]); err != nil {
				return
			}
			n := binary.BigEndian.Uint64(hdr[:])
			if n > maxTransfer {
				return
			}
			_ = c.SetWriteDeadline(time.Now().Add(2 * time.Minute))
			for n > 0 {
				k := min(n, uint64(len(chunk)))
				if _, err := c.Write(chunk[:k]); err != nil {
					return
				}
				n -= k
			}
		}()
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "dpbackend:", err)
	os.Exit(1)
}
