package elbserver_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
)

// answerWait bounds every wait for the endpoint in these tests: far above a normal answer,
// far below the timeouts a stuck endpoint would otherwise wait for.
const answerWait = 10 * time.Second

func dial(t *testing.T, srv *elbtest.Server) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// signedHead is the request line and headers of a signed Classic ELB POST carrying body.
func signedHead(t *testing.T, srv *elbtest.Server, body string) []byte {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "elasticloadbalancing", srv.Region, time.Now()); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", req.URL.Host, len(body))
	if err := req.Header.Write(&b); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

// bigForm is a DescribeLoadBalancers form of about n bytes.
func bigForm(n int) string {
	return "Action=DescribeAccountLimits&Version=2012-06-01&Pad=" + strings.Repeat("x", n-60)
}

func readAnswer(t *testing.T, c net.Conn) (*http.Response, string) {
	t.Helper()
	if err := c.SetReadDeadline(time.Now().Add(answerWait)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// A request without a signature, or signed with a key the endpoint does not know, is refused
// as soon as its headers are in: the endpoint neither waits for nor holds its body.
func TestUnauthenticatedBodyIsRefusedUnread(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	unsigned := dial(t, srv)
	fmt.Fprintf(unsigned, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\nAction=")
	if resp, body := readAnswer(t, unsigned); resp.StatusCode != 403 || !strings.Contains(body, "<Code>MissingAuthenticationToken</Code>") {
		t.Errorf("unsigned: %d %s", resp.StatusCode, body)
	}
	stranger := *srv
	stranger.AccessKeyID = "AKIDSTRANGER"
	unknown := dial(t, srv)
	head := signedHead(t, &stranger, bigForm(1<<20-100))
	if _, err := unknown.Write(head); err != nil {
		t.Fatal(err)
	}
	if resp, body := readAnswer(t, unknown); resp.StatusCode != 403 || !strings.Contains(body, "<Code>InvalidClientTokenId</Code>") {
		t.Errorf("unknown key: %d %s", resp.StatusCode, body)
	}
}

// A signed body that stops arriving is cut off at the read timeout, and meanwhile the large
// bodies being received share one memory budget: past it, a large body is answered 503
// (retried by clients) rather than given more memory, while small requests go on.
func TestStalledBodiesAreBounded(t *testing.T) {
	srv := elbtest.NewServer(
		elbtest.WithOptions(elbserver.Options{BodyMemory: 2 << 20}),
		elbtest.WithServeOptions(elbserver.ServeOptions{ReadTimeout: 2 * time.Second}))
	defer srv.Close()
	var stalled []net.Conn
	for range 2 {
		c := dial(t, srv)
		body := bigForm(1<<20 - 100)
		if _, err := c.Write(append(signedHead(t, srv, body), body[:100]...)); err != nil {
			t.Fatal(err)
		}
		stalled = append(stalled, c)
	}
	time.Sleep(100 * time.Millisecond) // both reach the budget before the others
	status, body, _ := sdkcheck.RawCall(t, srv, "elasticloadbalancing", sdkcheck.ELBForm("DescribeAccountLimits", "Pad", strings.Repeat("y", 100<<10)))
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "<Code>ServiceUnavailable</Code>") {
		t.Errorf("large body while the budget is held: %d %s", status, body)
	}
	if status, body, _ := sdkcheck.RawCall(t, srv, "elasticloadbalancing", sdkcheck.ELBForm("DescribeAccountLimits")); status != 200 {
		t.Errorf("small request while the budget is held: %d %s", status, body)
	}
	// The stalled bodies are cut off; the budget is free again.
	for _, c := range stalled {
		if err := c.SetReadDeadline(time.Now().Add(answerWait)); err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, c); err != nil {
			t.Errorf("stalled connection not closed by the endpoint: %v", err)
		}
	}
	if status, body, _ := sdkcheck.RawCall(t, srv, "elasticloadbalancing", sdkcheck.ELBForm("DescribeAccountLimits")); status != 200 {
		t.Errorf("after the stalled bodies: %d %s", status, body)
	}
}

// Past MaxConns, a new client closes the connection idle the longest instead of waiting
// behind it: kept-alive connections, however many, never keep a signed request out.
func TestIdleConnectionsCannotLockOthersOut(t *testing.T) {
	const max = 16
	srv := elbtest.NewServer(elbtest.WithServeOptions(elbserver.ServeOptions{MaxConns: max, IdleTimeout: time.Hour}))
	defer srv.Close()
	var idle []net.Conn
	for range max {
		c := dial(t, srv)
		fmt.Fprintf(c, "GET /?Action=DescribeAccountLimits&Version=2012-06-01 HTTP/1.1\r\nHost: x\r\n\r\n")
		// The answer is read without closing: the connection stays open and idle.
		if err := c.SetReadDeadline(time.Now().Add(answerWait)); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		idle = append(idle, c)
		if len(idle) == 1 {
			// The server marks a connection idle just after the client has its answer; a
			// pause makes the first one the idle-longest, whatever the scheduler does next.
			time.Sleep(100 * time.Millisecond)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), answerWait)
	defer cancel()
	cfg := srv.AWSConfig()
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{}} // a connection of its own
	cfg.RetryMaxAttempts = 1
	if _, err := elb.NewFromConfig(cfg).DescribeAccountLimits(ctx, &elb.DescribeAccountLimitsInput{}); err != nil {
		t.Fatalf("signed request with %d idle connections open: %v", max, err)
	}
	// The first idle connection was the one closed.
	if err := idle[0].SetReadDeadline(time.Now().Add(answerWait)); err != nil {
		t.Fatal(err)
	}
	if n, err := idle[0].Read(make([]byte, 1)); n != 0 || !errors.Is(err, io.EOF) {
		t.Errorf("oldest idle connection: read %d, %v; want it closed", n, err)
	}
}

// Serve stops on its context: requests in flight finish, and one still stalled when the
// drain period ends is cut off and reported.
func TestServeDrainsThenCutsOff(t *testing.T) {
	ep, err := elbserver.New(elbserver.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- ep.Serve(ctx, ln, elbserver.ServeOptions{DrainTimeout: 200 * time.Millisecond, ReadTimeout: time.Hour})
	}()
	srv := &elbtest.Server{URL: "http://" + ln.Addr().String(), Region: "us-east-1", AccessKeyID: "test", SecretAccessKey: "test"}
	c := dial(t, srv)
	body := bigForm(4096)
	if _, err := c.Write(append(signedHead(t, srv, body), body[:10]...)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	stop()
	select {
	case err := <-done:
		if !errors.Is(err, elbserver.ErrDrainTimeout) || !strings.Contains(err.Error(), "1 connections") {
			t.Errorf("Serve after a stalled drain: %v", err)
		}
	case <-time.After(answerWait):
		t.Fatal("Serve did not return after its drain period")
	}
}
