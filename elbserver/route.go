package elbserver

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
)

// service is what answers one signing name: one or more Query APIs told apart by Version, or
// one raw room.
type service struct {
	name  string
	query map[string]*query.API // by Version
	first *query.API            // writes refusals before the version is known
	raw   room.Raw
}

// routes indexes the rooms by service and version, refusing a room that declares neither or
// both kinds, a version twice, or a raw room sharing its service.
func routes(rooms []room.Room) (map[string]*service, error) {
	out := map[string]*service{}
	for _, r := range rooms {
		if (r.Query == nil) == (r.Raw == nil) {
			return nil, fmt.Errorf("elbserver: room of service %s must declare exactly one of a Query API and a raw handler", r.Service)
		}
		svc := out[r.Service]
		if svc == nil {
			svc = &service{name: r.Service, query: map[string]*query.API{}}
			out[r.Service] = svc
		}
		if r.Raw != nil || svc.raw != nil {
			if svc.raw != nil || len(svc.query) > 0 {
				return nil, fmt.Errorf("elbserver: service %s has a raw room, which cannot share it", r.Service)
			}
			svc.raw = r.Raw
			continue
		}
		if _, dup := svc.query[r.Query.Version]; dup {
			return nil, fmt.Errorf("elbserver: service %s declares version %s twice", r.Service, r.Query.Version)
		}
		svc.query[r.Query.Version] = r.Query
		if svc.first == nil {
			svc.first = r.Query
		}
	}
	return out, nil
}

// scopeService is the service named in the request's SigV4 credential scope, read before the
// signature is checked and only to choose the protocol a refusal is written in. A request
// signed with Signature Version 2 is S3's, the one API that ever took it, so that S3 refuses
// it in its own words.
func scopeService(r *http.Request) string {
	var cred string
	if a := r.Header.Get("Authorization"); a != "" {
		if strings.HasPrefix(a, "AWS ") {
			return "s3"
		}
		_, rest, _ := strings.Cut(a, "Credential=")
		cred, _, _ = strings.Cut(rest, ",")
	} else if strings.Contains(r.URL.RawQuery, "X-Amz-Credential") {
		cred = r.URL.Query().Get("X-Amz-Credential")
	} else if strings.Contains(r.URL.RawQuery, "AWSAccessKeyId=") {
		return "s3"
	}
	// ACCESS_KEY_ID/DATE/REGION/SERVICE/aws4_request
	rest := strings.TrimSpace(cred)
	for range 3 {
		if _, rest, _ = strings.Cut(rest, "/"); rest == "" {
			return ""
		}
	}
	service, _, _ := strings.Cut(rest, "/")
	return service
}

// apiFor is the Query API whose envelope a refusal of an unverified request is written in:
// the one its Version names (of its scope's service first: an unsigned request has none),
// else its service's first, else the fallback. The Version says which API's client sent it.
func (s *Server) apiFor(svc *service, version string) *query.API {
	if svc != nil && svc.query[version] != nil {
		return svc.query[version]
	}
	for _, other := range s.services {
		if api := other.query[version]; api != nil {
			return api
		}
	}
	if svc != nil && svc.first != nil {
		return svc.first
	}
	return s.fallback
}

// queryPath reports whether a Query request may be sent to path: "/" or "/VERSION/".
func (s *Server) queryPath(path string) bool {
	if path == "/" {
		return true
	}
	v, ok := strings.CutPrefix(path, "/")
	if v, ok = strings.CutSuffix(v, "/"); !ok {
		return false
	}
	for _, svc := range s.services {
		if svc.query[v] != nil {
			return true
		}
	}
	return false
}
