package elbserver_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/elbtest"
	"github.com/lbcloud/lbcloud/elbserver/faults"
	"github.com/lbcloud/lbcloud/elbserver/internal/sdkcheck"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

func TestPanicBecomesInternalFailure(t *testing.T) {
	var logs testenv.Buffer
	c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Now:    func() time.Time { panic("clock exploded") },
	}))
	_, err := c.CreateLoadBalancer(context.Background(), &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("boom"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}})
	sdkcheck.WantCode(t, err, "InternalFailure")
	if !strings.Contains(logs.String(), "clock exploded") || !strings.Contains(logs.String(), "request_id=") {
		t.Fatalf("panic not logged with a request id: %s", logs.String())
	}
	// The server keeps serving afterwards.
	_, err = c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
	sdkcheck.NoErr(t, err)
}

func TestRequestLogFollowsLevel(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo} {
		var logs testenv.Buffer
		cred := sigv4auth.Credential{AccessKeyID: "AKIDLOGCHECK", SecretAccessKey: "s3cr3t-LOGCHECK", AccountID: "111122223333"}
		c, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Credentials: []sigv4auth.Credential{cred},
			Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: level}))}))
		_, err := c.DescribeLoadBalancers(context.Background(), &elb.DescribeLoadBalancersInput{})
		sdkcheck.NoErr(t, err)
		got := logs.String()
		if level == slog.LevelInfo {
			if got != "" {
				t.Fatalf("info level logged a request: %s", got)
			}
			continue
		}
		if !strings.Contains(got, "msg=\"elbserver: request\"") || !strings.Contains(got, "action=DescribeLoadBalancers") ||
			!strings.Contains(got, "status=200") || !strings.Contains(got, "account=111122223333") {
			t.Fatalf("debug level: request line missing or incomplete: %s", got)
		}
		if strings.Contains(got, cred.SecretAccessKey) || strings.Contains(got, "Signature") {
			t.Fatalf("request line carries credentials: %s", got)
		}
	}
}

func TestFaultInjection(t *testing.T) {
	ctx := context.Background()
	inj, err := faults.New(faults.Options{ErrorRate: 1, Seed: 7})
	sdkcheck.NoErr(t, err)
	c, srv := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Faults: inj}))
	_, err = c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("never"), Listeners: []types.Listener{sdkcheck.HTTPListener(80, 80)}})
	var status int
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) {
		t.Fatalf("want an HTTP error, got %v", err)
	}
	status = re.HTTPStatusCode()
	if status != http.StatusServiceUnavailable && status != http.StatusInternalServerError {
		t.Fatalf("status %d", status)
	}
	// Nothing was created: the fault struck before any state change.
	sdkcheck.NoErr(t, srv.Endpoint.DeclareInstance("", "", elbserver.Instance{ID: "i-12345678"}))
	if err := srv.Endpoint.SetInstanceHealth("", "", "never", "i-12345678", "InService", "", ""); err == nil || !strings.Contains(err.Error(), "no load balancer") {
		t.Fatalf("balancer exists after an injected fault: %v", err)
	}

	thr, err := faults.New(faults.Options{ThrottleRPS: 0.001, ThrottleBurst: 1})
	sdkcheck.NoErr(t, err)
	c2, _ := sdkcheck.Client(t, elbtest.WithOptions(elbserver.Options{Faults: thr}))
	_, err = c2.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	sdkcheck.NoErr(t, err)
	_, err = c2.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{})
	sdkcheck.WantCode(t, err, "Throttling")
}

func TestProtocolErrors(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	cases := []struct {
		name   string
		form   url.Values
		status int
		code   string
	}{
		{"unknown action", sdkcheck.ELBForm("FlyToTheMoon"), 400, "InvalidAction"},
		{"unserved version", url.Values{"Action": {"DescribeLoadBalancers"}, "Version": {"2011-01-01"}}, 400, "InvalidAction"},
		{"missing version", url.Values{"Action": {"DescribeLoadBalancers"}}, 400, "MissingParameter"},
		{"missing action", url.Values{"Version": {"2012-06-01"}}, 400, "MissingAction"},
		{"missing name", sdkcheck.ELBForm("DescribeLoadBalancerAttributes"), 400, "MissingParameter"},
		{"zero index", sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.0", "a"), 400, "ValidationError"},
		{"leading zero index", sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.01", "a"), 400, "ValidationError"},
		{"gap in indices", sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.1", "a", "LoadBalancerNames.member.3", "b"), 400, "ValidationError"},
		{"huge index", sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.99999999999", "a"), 400, "ValidationError"},
		{"non-numeric index", sdkcheck.ELBForm("DescribeLoadBalancers", "LoadBalancerNames.member.x", "a"), 400, "ValidationError"},
		{"page size", sdkcheck.ELBForm("DescribeLoadBalancers", "PageSize", "401"), 400, "ValidationError"},
		{"bad marker", sdkcheck.ELBForm("DescribeLoadBalancers", "Marker", "!!!"), 400, "ValidationError"},
		{"ec2 action on elb", sdkcheck.ELBForm("DescribeInstances"), 400, "InvalidAction"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, id := sdkcheck.RawCall(t, srv, "elasticloadbalancing", tc.form)
			if status != tc.status || !strings.Contains(body, "<Code>"+tc.code+"</Code>") || !strings.Contains(body, id) {
				t.Fatalf("status %d body %s", status, body)
			}
		})
	}
}

func TestAuthenticationAndLimits(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	resp, err := http.PostForm(srv.URL+"/", sdkcheck.ELBForm("DescribeLoadBalancers"))
	sdkcheck.NoErr(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(b), "MissingAuthenticationToken") || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("unsigned request: %d %s", resp.StatusCode, b)
	}

	// A wrong secret is refused and the secret never appears in the answer.
	bad := *srv
	bad.SecretAccessKey = "not-the-secret-xyz"
	status, body, _ := sdkcheck.RawCall(t, &bad, "elasticloadbalancing", sdkcheck.ELBForm("DescribeLoadBalancers"))
	if status != 403 || !strings.Contains(body, "SignatureDoesNotMatch") || strings.Contains(body, "not-the-secret-xyz") {
		t.Fatalf("bad signature: %d %s", status, body)
	}

	// Over 1 MiB, a signed body is too large; an unsigned one is refused before it is read.
	big := sdkcheck.ELBForm("DescribeLoadBalancers", "Padding", strings.Repeat("x", 2<<20))
	if status, body, _ := sdkcheck.RawCall(t, srv, "elasticloadbalancing", big); status != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized signed body: %d %s", status, body)
	}
	resp, err = http.Post(srv.URL+"/", "application/x-www-form-urlencoded", strings.NewReader(big.Encode()))
	sdkcheck.NoErr(t, err)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(b), "MissingAuthenticationToken") {
		t.Fatalf("oversized unsigned body: %d %s", resp.StatusCode, b)
	}

	many := sdkcheck.ELBForm("DescribeLoadBalancers")
	for i := range 5000 {
		many.Set("P"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+strconv.Itoa(i), "1")
	}
	status, body, _ = sdkcheck.RawCall(t, srv, "elasticloadbalancing", many)
	if status != 400 || !strings.Contains(body, "ValidationError") {
		t.Fatalf("too many parameters: %d %s", status, body)
	}
}

func TestPresignedGet(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	q := sdkcheck.ELBForm("DescribeAccountLimits")
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/?"+q.Encode(), nil)
	sdkcheck.NoErr(t, err)
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, emptySHA, "elasticloadbalancing", srv.Region, time.Now())
	sdkcheck.NoErr(t, err)
	resp, err := http.Get(signed)
	sdkcheck.NoErr(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "<Name>classic-load-balancers</Name><Max>20</Max>") {
		t.Fatalf("presigned GET: %d %s", resp.StatusCode, b)
	}
}

// A presigned POST carries parameters both in its signed URL and in its body: the endpoint
// reads them together while the signature covers the URL's alone.
func TestPresignedPostWithFormBody(t *testing.T) {
	srv := elbtest.NewServer()
	defer srv.Close()
	body := "Action=DescribeAccountLimits"
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/?Version=2012-06-01&PageSize=1", strings.NewReader(body))
	sdkcheck.NoErr(t, err)
	creds := aws.Credentials{AccessKeyID: srv.AccessKeyID, SecretAccessKey: srv.SecretAccessKey}
	sum := sha256.Sum256([]byte(body))
	signed, _, err := v4.NewSigner().PresignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "elasticloadbalancing", srv.Region, time.Now())
	sdkcheck.NoErr(t, err)
	for range 2 { // the second finds nothing of the first left behind
		resp, err := http.Post(signed, "application/x-www-form-urlencoded", strings.NewReader(body))
		sdkcheck.NoErr(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The body's Action and the URL's PageSize=1 both apply: one limit and a marker.
		if resp.StatusCode != 200 || strings.Count(string(b), "<Name>") != 1 || !strings.Contains(string(b), "<NextMarker>") {
			t.Fatalf("presigned POST: %d %s", resp.StatusCode, b)
		}
	}
}

// A limit no room declares is refused by name, with the names that exist, before the state
// file is touched: a mistyped --limit would otherwise be ignored.
func TestUnknownLimitRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.db")
	_, err := elbserver.New(elbserver.Options{StatePath: path, Limits: map[string]int{"classic-load-balancer": 5}})
	if !errors.Is(err, elbserver.ErrUnknownLimit) || !strings.Contains(err.Error(), `"classic-load-balancer"`) || !strings.Contains(err.Error(), "classic-load-balancers") {
		t.Fatalf("unknown limit: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the refused options created the state file: %v", err)
	}
}
