package elbserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServeOptions bounds what clients may hold of a served endpoint; a zero field takes its
// default. The defaults suit an endpoint facing clients it does not trust: each bound keeps
// a stalled or idle client from holding memory, descriptors or the way in for others.
type ServeOptions struct {
	// MaxConns bounds open connections (default 1024). A connection past it closes the one
	// idle the longest, or waits for one to close: idle clients never lock others out.
	MaxConns int
	// ReadHeaderTimeout bounds reading a request's headers (default 10 s).
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading a whole request, headers and body (default 30 s: a 1 MiB
	// body at 35 KiB/s).
	ReadTimeout time.Duration
	// WriteTimeout bounds answering a request, from the end of its headers (default 2 min).
	WriteTimeout time.Duration
	// IdleTimeout closes a kept-alive connection with no request for this long (default 60 s).
	IdleTimeout time.Duration
	// DrainTimeout is how long requests in flight may finish once ctx ends (default 10 s).
	DrainTimeout time.Duration
	// Handler answers the requests instead of the Server itself: the data plane puts itself in
	// front of the APIs this way, under the same bounds on clients. Nil means the Server.
	Handler http.Handler
}

// Defaults of ServeOptions.
const (
	DefaultMaxConns          = 1024
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 2 * time.Minute
	DefaultIdleTimeout       = 60 * time.Second
	DefaultDrainTimeout      = 10 * time.Second

	// maxHeaderBytes bounds a request's headers: signed AWS requests carry a few KiB.
	maxHeaderBytes = 64 << 10
)

func (o ServeOptions) withDefaults() ServeOptions {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.MaxConns <= 0 {
		o.MaxConns = DefaultMaxConns
	}
	def(&o.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&o.ReadTimeout, DefaultReadTimeout)
	def(&o.WriteTimeout, DefaultWriteTimeout)
	def(&o.IdleTimeout, DefaultIdleTimeout)
	def(&o.DrainTimeout, DefaultDrainTimeout)
	return o
}

// ErrDrainTimeout is matched (errors.Is) by Serve's error when requests still in flight
// DrainTimeout after ctx ended were cut off. The state is consistent all the same.
var ErrDrainTimeout = errors.New("requests still in flight when the drain period ended were cut off")

// Serve answers HTTP requests on ln, within opts' bounds, until ctx ends; then it stops
// accepting, lets requests in flight finish for up to DrainTimeout and closes what remains.
// It returns nil after a clean stop. It does not close the Server: its state stays open.
// This is the one place the endpoint's HTTP settings live; 'lbctl serve', lbctl's in-process
// endpoint and elbtest all serve through it.
func (s *Server) Serve(ctx context.Context, ln net.Listener, opts ServeOptions) error {
	opts = opts.withDefaults()
	lim := newConnLimit(opts.MaxConns)
	if opts.Handler == nil {
		opts.Handler = s
	}
	hs := &http.Server{
		Handler:           opts.Handler,
		ReadHeaderTimeout: opts.ReadHeaderTimeout,
		ReadTimeout:       opts.ReadTimeout,
		WriteTimeout:      opts.WriteTimeout,
		IdleTimeout:       opts.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ConnState:         lim.track,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(&limitListener{Listener: ln, lim: lim}) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	dctx, cancel := context.WithTimeout(context.Background(), opts.DrainTimeout)
	defer cancel()
	err := hs.Shutdown(dctx)
	if errors.Is(err, context.DeadlineExceeded) {
		open := lim.count()
		err = errors.Join(fmt.Errorf("elbserver: %w: %d connections after %s", ErrDrainTimeout, open, opts.DrainTimeout), hs.Close())
	}
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
