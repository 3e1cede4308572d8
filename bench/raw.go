package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// The Query API versions a RawClient speaks: both APIs share the endpoint URL and the SigV4
// service name, and the Version parameter tells them apart.
const (
	ClassicVersion = "2012-06-01"
	ELBv2Version   = "2015-12-01"
)

// RawClient sends signed ELB Query API requests (Classic or ELBv2) with as little
// client-side work as a real client can do: the form body is built by hand, signed with
// SigV4, and the answer is checked by substring instead of being decoded. The
// endpoint-versus-moto load uses it so that the figures measure the servers, not an SDK's
// middleware and XML decoding; it treats both servers exactly alike.
type RawClient struct {
	url     string // endpoint URL requests are posted to
	version string // the API version every request names
	region  string
	creds   aws.Credentials
	signer  *v4.Signer // one signer: it caches derived signing keys across requests
	hc      *http.Client
	bufs    sync.Pool // *bytes.Buffer for response bodies
	dials   atomic.Int64
}

// NewRawClient returns a client for API version (ClassicVersion or ELBv2Version) at
// endpoint, signing as accessKey/secret in region, that keeps up to conns connections alive
// (one per concurrent worker).
func NewRawClient(endpoint, version, region, accessKey, secret string, conns int) (*RawClient, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("bench: endpoint %q is not an http(s) URL", endpoint)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	c := &RawClient{
		url:     u.String(),
		version: version,
		region:  region,
		creds:   aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret},
		signer:  v4.NewSigner(),
		bufs:    sync.Pool{New: func() any { return new(bytes.Buffer) }},
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	dial := (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c.dials.Add(1)
		return dial(ctx, network, addr)
	}
	// Room for twice the workers: a connection dialled while all were briefly busy is kept
	// rather than closed, so the pool settles instead of churning.
	tr.MaxIdleConns = 2 * max(conns, 1)
	tr.MaxIdleConnsPerHost = 2 * max(conns, 1)
	// Bodies are a few kilobytes on loopback: gzip would only add CPU on both sides.
	tr.DisableCompression = true
	c.hc = &http.Client{Transport: tr, Timeout: time.Minute}
	return c, nil
}

// Dials is how many connections the client has opened so far: with keep-alive working it
// stays at about the number of concurrent workers however many requests are sent.
func (c *RawClient) Dials() int64 { return c.dials.Load() }

// Close drops the idle connections.
func (c *RawClient) Close() { c.hc.CloseIdleConnections() }

// Call posts action with the already form-encoded params ("" or "K=V&K=V...") and checks the
// answer: status 200, a body holding the <actionResponse element and, when want is not
// empty, the string want. It returns the response body's length.
func (c *RawClient) Call(ctx context.Context, action, params, want string) (int, error) {
	req, err := c.signed(ctx, action, params)
	if err != nil {
		return 0, err
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", action, err)
	}
	buf := c.bufs.Get().(*bytes.Buffer)
	defer c.bufs.Put(buf)
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, fmt.Errorf("%s: reading the answer: %w", action, err)
	}
	return buf.Len(), checkAnswer(action, resp.StatusCode, buf.Bytes(), want)
}

// signed builds the POST of action with the form-encoded params and signs it as of now.
func (c *RawClient) signed(ctx context.Context, action, params string) (*http.Request, error) {
	body := "Action=" + action + "&Version=" + c.version
	if params != "" {
		body += "&" + params
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	if err := c.signer.SignHTTP(ctx, c.creds, req, hex.EncodeToString(sum[:]), "elasticloadbalancing", c.region, time.Now()); err != nil {
		return nil, fmt.Errorf("%s: signing: %w", action, err)
	}
	return req, nil
}

// checkAnswer is Call's cheap validation of one answer. A failure names the status and the
// AWS error code only: the body of an error may quote the request.
func checkAnswer(action string, status int, body []byte, want string) error {
	if status != http.StatusOK {
		code := between(body, "<Code>", "</Code>")
		if code == "" {
			code = "no error code"
		}
		return fmt.Errorf("%s: HTTP %d (%s)", action, status, code)
	}
	if !bytes.Contains(body, []byte("<"+action+"Response")) {
		return fmt.Errorf("%s: HTTP 200 without a <%sResponse> element", action, action)
	}
	if want != "" && !bytes.Contains(body, []byte(want)) {
		return fmt.Errorf("%s: answer lacks %q", action, want)
	}
	return nil
}

// between returns the text of b between the first open and the next close, at most 64
// bytes of it, or "".
func between(b []byte, open, close string) string {
	_, rest, ok := bytes.Cut(b, []byte(open))
	if !ok {
		return ""
	}
	v, _, ok := bytes.Cut(rest, []byte(close))
	if !ok || len(v) > 64 {
		return ""
	}
	return string(v)
}

// form encodes key/value pairs in order as an application/x-www-form-urlencoded string.
// It panics on an odd count: the callers are fixed tables of the benchmark.
func form(kv ...string) string {
	if len(kv)%2 != 0 {
		panic(errors.New("bench: form needs key/value pairs"))
	}
	var b strings.Builder
	for i := 0; i < len(kv); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[i]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[i+1]))
	}
	return b.String()
}
