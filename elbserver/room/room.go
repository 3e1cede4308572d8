// Package room is the contract between the endpoint (package elbserver) and the rooms that
// serve its APIs: what a room is given (Env) and what it declares (Room): the service it
// answers in the SigV4 scope, its account limits, and either a Query API or a raw HTTP
// handler.
package room

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Env is what the endpoint gives every room. Rooms keep it and use nothing global. Store and
// Limits are set once every room has declared itself, before the first request: a room's
// constructor must not use them.
type Env struct {
	Store  *store.Store
	Strict bool // only existing instances, subnets, security groups and certificates are accepted
	Now    func() time.Time
	Log    *slog.Logger
	Limits *Limits
}

// Room declares one API. Exactly one of Query and Raw is set.
type Room struct {
	// Service is the signing name clients put in the SigV4 scope ("elasticloadbalancing",
	// "ec2", "iam", "acm", "s3"). Query rooms may share one, told apart by Version.
	Service string
	// Limits are the account limits the room enforces, with AWS's defaults, as
	// DescribeAccountLimits names them; `lbctl serve --limit NAME=N` overrides them.
	Limits []Limit
	// Views are the room's derived views (store.View), rebuilt when the endpoint opens the
	// store if their version changed.
	Views []View
	Query *query.API
	Raw   Raw
}

// View is a derived view as the endpoint sees it.
type View interface {
	Sync(*store.Store) error
}

// Raw is a room with its own protocol (REST-XML, JSON): it reads the request as it likes.
type Raw interface {
	// Serve answers one authenticated request. An error is written with WriteError, as are
	// faults and refusals the endpoint decides before calling Serve.
	Serve(w http.ResponseWriter, r *Request) error
	// WriteError writes e in the protocol's error form.
	WriteError(w http.ResponseWriter, requestID string, e *query.Error)
}

// Request is one authenticated request to a raw room. The body was read, within the
// endpoint's bound, before the signature was checked: it is in Body, not in Request.Body,
// decoded when S3's client sent it aws-chunked (see sigv4auth.Verifier.VerifyPayload).
type Request struct {
	*http.Request
	Body      []byte
	Account   string
	Region    string
	RequestID string
}

// Limit is an account limit and its AWS default.
type Limit struct {
	Name    string
	Default int
}

// Limits are the account limits of every room, after overrides. Read-only once serving.
type Limits struct{ m map[string]int }

// ErrUnknownLimit is matched (errors.Is) by the error for an override no room declares.
var ErrUnknownLimit = errors.New("unknown limit")

// NewLimits collects the rooms' declared limits and applies overrides, refusing a name no room
// declares (a mistyped --limit would otherwise be ignored without a word).
func NewLimits(declared []Limit, overrides map[string]int) (*Limits, error) {
	l := &Limits{m: make(map[string]int, len(declared))}
	for _, d := range declared {
		l.m[d.Name] = d.Default
	}
	for name, n := range overrides {
		if _, ok := l.m[name]; !ok {
			known := slices.Sorted(maps.Keys(l.m))
			return nil, fmt.Errorf("elbserver: %w %q (known: %s)", ErrUnknownLimit, name, strings.Join(known, ", "))
		}
		l.m[name] = n
	}
	return l, nil
}

// Get returns the named limit; 0 for a name no room declared.
func (l *Limits) Get(name string) int { return l.m[name] }
