// Package localaddr is lbcloud's own request to a running endpoint: where its data plane accepts
// each listener's connections. The AWS APIs have no field for a listener's local address, so a
// running `lbctl serve` answers one small request beside them:
//
//	GET /_lbcloud/listeners
//
// signed with SigV4 for the service "lbcloud" and a region, by any of the endpoint's credentials.
// The answer is JSON, the listeners of the signer's account in the signed region:
//
//	{"Listeners": [{"LoadBalancerName": "web", "Type": "classic", "DNSName": "...",
//	  "Port": 80, "Protocol": "HTTP", "LocalAddress": "127.0.0.1:41234"}, ...]}
//
// ELBv2 listeners carry LoadBalancerArn too; Reason says why a listener is not on its own port
// when the endpoint was asked to bind listeners' ports. Errors are JSON {"Code", "Message"} with
// AWS's authentication codes (SignatureDoesNotMatch, ...) and statuses. Handler serves the
// request, Fetch makes it.
package localaddr

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// Path is where the request is served, reserved on the endpoint's address.
const Path = "/_lbcloud/listeners"

// Service is the SigV4 service name the request is signed for.
const Service = "lbcloud"

// maxBody bounds what the handler reads of a request and the client of an answer.
const (
	maxRequest  = 64 << 10
	maxResponse = 8 << 20
)

// Listener is one listener of a balancer and where the data plane serves it.
type Listener struct {
	LoadBalancerName string
	LoadBalancerArn  string `json:",omitempty"` // ELBv2 only
	Type             string // classic, application, network or gateway
	DNSName          string `json:",omitempty"`
	Port             int
	Protocol         string
	LocalAddress     string // host:port on loopback
	Reason           string `json:",omitempty"` // why it is not on its own port, when asked to be
}

// Response is the answer's body.
type Response struct {
	Listeners []Listener
}

// Lister lists the listeners of one account and region.
type Lister interface {
	LocalListeners(ctx context.Context, account, region string) ([]Listener, error)
}

// Error is a refused request: AWS's code, its message, the HTTP status and the request id.
type Error struct {
	Code, Message string
	Status        int
	RequestID     string
}

func (e *Error) Error() string {
	return "localaddr: " + e.Code + ": " + e.Message + " (status " + http.StatusText(e.Status) + ", request id " + e.RequestID + ")"
}

// Handler serves Path from lister, checking signatures against creds (nil: the default test
// credentials, as the endpoint), and passes every other request to next.
func Handler(lister Lister, creds []sigv4auth.Credential, next http.Handler) http.Handler {
	verifier := sigv4auth.NewVerifier(creds, Service)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != Path {
			next.ServeHTTP(w, r)
			return
		}
		reqID := query.NewRequestID()
		w.Header().Set("x-amzn-RequestId", reqID)
		w.Header().Set("Content-Type", "application/json")
		fail := func(status int, code, msg string) {
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(struct{ Code, Message string }{code, msg})
		}
		if r.Method != http.MethodGet {
			fail(http.StatusMethodNotAllowed, "MethodNotAllowed", "Only GET is served at "+Path)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
		if err != nil {
			fail(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large")
			return
		}
		who, err := verifier.Verify(r, body)
		var ae *sigv4auth.Error
		if errors.As(err, &ae) {
			fail(ae.Status, ae.Code, ae.Message)
			return
		}
		if err != nil {
			fail(http.StatusForbidden, sigv4auth.CodeSignatureDoesNotMatch, "The request signature could not be checked")
			return
		}
		ls, err := lister.LocalListeners(r.Context(), who.AccountID, who.Region)
		if err != nil {
			fail(http.StatusServiceUnavailable, "ServiceUnavailable", "The listeners cannot be listed: "+err.Error())
			return
		}
		if ls == nil {
			ls = []Listener{}
		}
		_ = json.NewEncoder(w).Encode(Response{Listeners: ls})
	})
}
