// Package iam is the endpoint's IAM room (Query API 2010-05-08): the server certificates
// that Classic and ELBv2 HTTPS and TLS listeners name. IAM is global: an account's
// certificates live in its store.IAMRegion partition whatever region a client signs for
// (clients sign IAM for us-east-1).
package iam

import (
	"crypto/rand"
	"net/http"
	"regexp"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/certs"
	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

const (
	// APIVersion and Namespace of the IAM Query API.
	APIVersion = "2010-05-08"
	Namespace  = "https://iam.amazonaws.com/doc/2010-05-08/"
)

// limitServerCertificates is IAM's quota of server certificates per account.
const limitServerCertificates = "iam-server-certificates"

// Room is the IAM room.
type Room struct {
	env   *room.Env
	inUse certs.InUse
}

// New returns the IAM room over env; inUse says which listeners use a certificate (nil:
// none ever does).
func New(env *room.Env, inUse certs.InUse) *Room {
	return &Room{env: env, inUse: inUse}
}

// Room declares the room to the endpoint.
func (r *Room) Room() room.Room {
	return room.Room{
		Service: "iam",
		Limits:  []room.Limit{{Name: limitServerCertificates, Default: 20}},
		Query: &query.API{
			Version:   APIVersion,
			Namespace: Namespace,
			Style:     query.StyleQuery,
			Actions: map[string]query.Handler{
				"UploadServerCertificate": r.uploadServerCertificate,
				"GetServerCertificate":    r.getServerCertificate,
				"ListServerCertificates":  r.listServerCertificates,
				"DeleteServerCertificate": r.deleteServerCertificate,
			},
		},
	}
}

func (r *Room) view(c *query.Call, fn func(p *store.Part) error) error {
	return r.env.Store.View(c.Account, store.IAMRegion, fn)
}

func (r *Room) update(c *query.Call, fn func(p *store.Part) error) error {
	return r.env.Store.Update(c.Account, store.IAMRegion, fn)
}

// The constraints of the 2010-05-08 model.
var (
	nameRE = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathRE = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
)

const (
	maxName  = 128
	maxPath  = 512
	maxPEM   = 16384
	maxChain = 2097152
)

// certificateName reads ServerCertificateName.
func certificateName(p query.Params) (string, error) {
	name, err := p.RequiredText("ServerCertificateName", maxName)
	if err == nil && !nameRE.MatchString(name) {
		err = query.Validation("1 validation error detected: Value '%s' at 'serverCertificateName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", name)
	}
	return name, err
}

// newID is a server certificate id: ASCA and 17 upper-case letters and digits, as IAM's.
func newID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[b[i]%32]
	}
	return "ASCA" + string(b)
}

// iamTime is how IAM's XML writes a time.
func iamTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Errors of the 2010-05-08 model, with its codes and HTTP statuses.

func errNoSuchEntity(name string) *query.Error {
	return query.Errorf(http.StatusNotFound, "NoSuchEntity", "The Server Certificate with name %s cannot be found.", name)
}

func errMalformed(msg string) *query.Error {
	return query.Errorf(http.StatusBadRequest, "MalformedCertificate", "%s", msg)
}

func errInvalidInput(msg string) *query.Error {
	return query.Errorf(http.StatusBadRequest, "InvalidInput", "%s", msg)
}
