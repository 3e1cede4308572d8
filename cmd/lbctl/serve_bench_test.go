package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

// Figures of 'lbctl serve' as a process, measured from outside it. LBCTL_BIN names another
// binary to measure (an older build, for a before-and-after figure); by default the
// benchmark builds this tree's.

// served is a running 'lbctl serve'.
type served struct {
	url string
	pid int
}

func startServed(b *testing.B, args ...string) served {
	b.Helper()
	bin := os.Getenv("LBCTL_BIN")
	if bin == "" {
		bin = build(b)
	}
	b.Setenv("XDG_STATE_HOME", b.TempDir())
	s := startServing(b, bin, append([]string{"--state", filepath.Join(b.TempDir(), "state.db")}, args...)...)
	return served{url: s.url, pid: s.cmd.Process.Pid}
}

// statusKiB reads a VmRSS-like field of /proc/PID/status, in KiB.
func (s served) statusKiB(b *testing.B, field string) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		b.Skipf("no /proc: %v", err)
	}
	m := regexp.MustCompile(`(?m)^` + field + `:\s+(\d+) kB`).FindSubmatch(raw)
	if m == nil {
		b.Fatalf("no %s in /proc/%d/status", field, s.pid)
	}
	n, _ := strconv.ParseFloat(string(m[1]), 64)
	return n
}

func (s served) fds(b *testing.B) int {
	entries, err := os.ReadDir(fmt.Sprintf("/proc/%d/fd", s.pid))
	if err != nil {
		b.Fatal(err)
	}
	return len(entries)
}

func (s served) client() *elb.Client {
	return elb.NewFromConfig(aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		HTTPClient:  &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}},
	}, func(o *elb.Options) { o.BaseEndpoint = aws.String(s.url) })
}

// BenchmarkServeUnderHostileClients holds connections open against 'lbctl serve' the way
// broken or hostile clients do, and reports what the server holds meanwhile and how long a
// signed request then takes: 3,000 connections idle after one request; 2,000 unsigned
// requests declaring a 1 MiB body and sending all but 1 KiB of it; 500 sending a body byte
// now and then; 100 signed 1 MiB bodies stalled 1 KiB short.
//
//	go test -run '^$' -bench BenchmarkServeUnderHostileClients -benchtime 1x ./cmd/lbctl
func BenchmarkServeUnderHostileClients(b *testing.B) {
	for range b.N {
		s := startServed(b)
		host := strings.TrimPrefix(s.url, "http://")
		baseRSS := s.statusKiB(b, "VmRSS")
		quiet := s.timeSigned(b)
		body := bytes.Repeat([]byte("x"), 1<<20)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var held []net.Conn
		hold := func(prefix []byte, bodyBytes int, trickle bool) {
			defer wg.Done()
			c, err := net.Dial("tcp", host)
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
			c.SetWriteDeadline(time.Now().Add(20 * time.Second))
			if _, err := c.Write(prefix); err != nil {
				return
			}
			if trickle {
				for range 3 {
					if _, err := c.Write([]byte("x")); err != nil {
						return
					}
					time.Sleep(time.Second)
				}
				return
			}
			c.Write(body[:bodyBytes])
		}
		unsigned := []byte("POST / HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1048576\r\n\r\n")
		idleReq := []byte("GET /?Action=DescribeAccountLimits&Version=2012-06-01 HTTP/1.1\r\nHost: " + host + "\r\n\r\n")
		for range 3000 {
			wg.Add(1)
			go hold(idleReq, 0, false)
		}
		for range 2000 {
			wg.Add(1)
			go hold(unsigned, 1<<20-1024, false)
		}
		for range 500 {
			wg.Add(1)
			go hold(unsigned, 0, true)
		}
		signedBody := "Action=DescribeAccountLimits&Version=2012-06-01&Pad=" + strings.Repeat("x", 1<<20-100)
		head := signedHead(b, host, signedBody)
		for range 100 {
			wg.Add(1)
			go hold(head, len(signedBody)-1024, false)
		}
		wg.Wait()
		time.Sleep(2 * time.Second) // let the server read what it will
		rss, hwm, fds := s.statusKiB(b, "VmRSS"), s.statusKiB(b, "VmHWM"), s.fds(b)

		signed := s.timeSigned(b)
		for _, c := range held {
			c.Close()
		}
		b.ReportMetric(baseRSS/1024, "base-rss-MiB")
		b.ReportMetric(rss/1024, "rss-MiB")
		b.ReportMetric(hwm/1024, "peak-rss-MiB")
		b.ReportMetric(float64(fds), "server-fds")
		b.ReportMetric(quiet, "quiet-request-ms")
		b.ReportMetric(signed, "signed-request-ms")
	}
}

// timeSigned times a signed DescribeAccountLimits on a new connection, in milliseconds.
func (s served) timeSigned(b *testing.B) float64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	if _, err := s.client().DescribeAccountLimits(ctx, &elb.DescribeAccountLimitsInput{}); err != nil {
		b.Errorf("signed request: %v", err)
	}
	return float64(time.Since(start).Microseconds()) / 1000
}

// signedRequest is a POST of body to the endpoint at host, signed with test/test.
func signedRequest(b testing.TB, host, body string) *http.Request {
	req, err := http.NewRequest(http.MethodPost, "http://"+host+"/", strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	sum := sha256.Sum256([]byte(body))
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "elasticloadbalancing", "us-east-1", time.Now()); err != nil {
		b.Fatal(err)
	}
	return req
}

// signedHead is the request line and headers of signedRequest, for a client that sends the
// body itself, or part of it.
func signedHead(b testing.TB, host, body string) []byte {
	req := signedRequest(b, host, body)
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", host, len(body))
	req.Header.Write(&buf)
	buf.WriteString("\r\n")
	return buf.Bytes()
}

// BenchmarkServeMemoryAfterBurst fills 'lbctl serve' with 2,000 balancers, runs a burst of
// 1,000 clients at once, each reading a full page of 400 descriptions (560 KiB) twice, then
// reports the server's resident memory before, at the burst's peak, and 10 s, 60 s and 180 s
// after it. LBCTL_SERVE_ARGS adds flags to serve, e.g. "--memory-limit off" for the figure without
// a limit.
//
//	go test -run '^$' -bench BenchmarkServeMemoryAfterBurst -benchtime 1x -timeout 30m ./cmd/lbctl
func BenchmarkServeMemoryAfterBurst(b *testing.B) {
	for range b.N {
		s := startServed(b, append([]string{"--limit", "classic-load-balancers=5000"}, strings.Fields(os.Getenv("LBCTL_SERVE_ARGS"))...)...)
		c := s.client()
		ctx := context.Background()
		sem := make(chan struct{}, 16)
		var wg sync.WaitGroup
		for i := range 2000 {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				_, err := c.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
					LoadBalancerName: aws.String(fmt.Sprintf("lb-%04d", i)), AvailabilityZones: []string{"us-east-1a"},
					Listeners: []types.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)}},
				})
				if err != nil {
					b.Error(err)
				}
			}()
		}
		wg.Wait()
		before := s.statusKiB(b, "VmRSS")
		host := strings.TrimPrefix(s.url, "http://")
		page := "Action=DescribeLoadBalancers&Version=2012-06-01&PageSize=400"
		start := make(chan struct{})
		for range 1000 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				hc := &http.Client{Transport: &http.Transport{}}
				<-start
				for range 2 {
					resp, err := hc.Do(signedRequest(b, host, page))
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			}()
		}
		close(start)
		wg.Wait()
		peak := s.statusKiB(b, "VmHWM")
		time.Sleep(10 * time.Second)
		after10 := s.statusKiB(b, "VmRSS")
		time.Sleep(50 * time.Second)
		after60 := s.statusKiB(b, "VmRSS")
		time.Sleep(2 * time.Minute) // past the runtime's forced collection
		after180 := s.statusKiB(b, "VmRSS")
		b.ReportMetric(before/1024, "before-MiB")
		b.ReportMetric(peak/1024, "peak-MiB")
		b.ReportMetric(after10/1024, "after-10s-MiB")
		b.ReportMetric(after60/1024, "after-60s-MiB")
		b.ReportMetric(after180/1024, "after-180s-MiB")
	}
}
