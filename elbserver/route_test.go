package elbserver

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/room"
	"github.com/lbcloud/lbcloud/elbserver/store"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// rawEcho is a raw room in the manner of S3: REST paths, its own error form.
type rawEcho struct{ got *room.Request }

func (e *rawEcho) Serve(w http.ResponseWriter, r *room.Request) error {
	e.got = r
	if r.URL.Path == "/bucket/missing" {
		return query.Errorf(http.StatusNotFound, "NoSuchKey", "The specified key does not exist.")
	}
	w.WriteHeader(http.StatusCreated)
	_, _ = w.Write([]byte("stored " + r.Method + " " + r.URL.Path))
	return nil
}

func (e *rawEcho) WriteError(w http.ResponseWriter, reqID string, ae *query.Error) {
	w.WriteHeader(ae.Status)
	_, _ = w.Write([]byte("<Error><Code>" + ae.Code + "</Code><RequestId>" + reqID + "</RequestId></Error>"))
}

// testServer is the endpoint with its own rooms and extra ones.
func testServer(t *testing.T, extra ...room.Room) *Server {
	t.Helper()
	s := &Server{defaultAccount: "000000000000", log: slog.New(slog.DiscardHandler)}
	env := &room.Env{Now: time.Now, Log: s.log}
	if err := s.mount(env, append(s.build(env), extra...), nil, []sigv4auth.Credential{sigv4auth.DefaultCredential}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open("")
	if err != nil {
		t.Fatal(err)
	}
	s.st, env.Store = st, st
	t.Cleanup(func() { s.Close() })
	return s
}

func signed(t *testing.T, method, path, service, secret, body string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "http://endpoint.local"+path, strings.NewReader(body))
	if service != "s3" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	}
	sum := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: "test", SecretAccessKey: secret},
		r, hex.EncodeToString(sum[:]), service, "eu-west-1", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func serve(s *Server, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// A second Query API on Classic's service is reached by its Version; Classic still by its own.
func TestQueryRoomsShareAServiceByVersion(t *testing.T) {
	type pong struct{ Pong string }
	next := room.Room{Service: "elasticloadbalancing", Limits: []room.Limit{{Name: "next-things", Default: 7}}, Query: &query.API{
		Version: "2099-01-01", Namespace: "urn:next", Actions: map[string]query.Handler{
			"Ping": func(c *query.Call) (any, error) { return pong{c.Account + "/" + c.Region + "/" + c.Params["Say"]}, nil },
		},
	}}
	s := testServer(t, next)
	w := serve(s, signed(t, "POST", "/", "elasticloadbalancing", "test", "Version=2099-01-01&Action=Ping&Say=hi"))
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `<PingResponse xmlns="urn:next"><PingResult><Pong>000000000000/eu-west-1/hi</Pong></PingResult><ResponseMetadata><RequestId>`) {
		t.Fatalf("next API: %d %s", w.Code, w.Body)
	}
	w = serve(s, signed(t, "POST", "/", "elasticloadbalancing", "test", "Version=2012-06-01&Action=DescribeAccountLimits"))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "<Name>classic-load-balancers</Name>") {
		t.Fatalf("Classic beside it: %d %s", w.Code, w.Body)
	}
	// Each version has its own actions.
	w = serve(s, signed(t, "POST", "/", "elasticloadbalancing", "test", "Version=2012-06-01&Action=Ping"))
	if w.Code != 400 || !strings.Contains(w.Body.String(), "<Code>InvalidAction</Code>") {
		t.Fatalf("Ping on Classic: %d %s", w.Code, w.Body)
	}
	if s.fallback.Version != "2012-06-01" {
		t.Fatalf("fallback API %+v", s.fallback)
	}
}

// A raw room gets its REST requests whole, with the caller, and writes refusals its own way,
// the signature check's included. (Its service is not s3, which the S3 room holds.)
func TestRawRoom(t *testing.T) {
	echo := &rawEcho{}
	s := testServer(t, room.Room{Service: "rawecho", Raw: echo})
	w := serve(s, signed(t, "PUT", "/bucket/ca.pem", "rawecho", "test", "-----BEGIN CERTIFICATE-----"))
	if w.Code != http.StatusCreated || w.Body.String() != "stored PUT /bucket/ca.pem" {
		t.Fatalf("put: %d %s", w.Code, w.Body)
	}
	if g := echo.got; string(g.Body) != "-----BEGIN CERTIFICATE-----" || g.Account != "000000000000" || g.Region != "eu-west-1" || g.RequestID != w.Header().Get("x-amzn-RequestId") {
		t.Fatalf("room saw %+v", g)
	}
	w = serve(s, signed(t, "GET", "/bucket/missing", "rawecho", "test", ""))
	if w.Code != 404 || !strings.HasPrefix(w.Body.String(), "<Error><Code>NoSuchKey</Code>") {
		t.Fatalf("room error: %d %s", w.Code, w.Body)
	}
	w = serve(s, signed(t, "DELETE", "/bucket/ca.pem", "rawecho", "wrong-secret", ""))
	if w.Code != 403 || !strings.HasPrefix(w.Body.String(), "<Error><Code>SignatureDoesNotMatch</Code>") {
		t.Fatalf("bad signature: %d %s", w.Code, w.Body)
	}
}

func TestRoutesRefuseAmbiguousRooms(t *testing.T) {
	api := func(v string) *query.API { return &query.API{Version: v} }
	for name, rooms := range map[string][]room.Room{
		"neither kind":         {{Service: "x"}},
		"both kinds":           {{Service: "x", Query: api("1"), Raw: &rawEcho{}}},
		"version twice":        {{Service: "x", Query: api("1")}, {Service: "x", Query: api("1")}},
		"raw after query":      {{Service: "x", Query: api("1")}, {Service: "x", Raw: &rawEcho{}}},
		"query after raw":      {{Service: "x", Raw: &rawEcho{}}, {Service: "x", Query: api("1")}},
		"two raw on a service": {{Service: "x", Raw: &rawEcho{}}, {Service: "x", Raw: &rawEcho{}}},
	} {
		if _, err := routes(rooms); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
