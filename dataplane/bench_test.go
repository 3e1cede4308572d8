package dataplane

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"

	"github.com/lbcloud/lbcloud/dataplane/dptest"
)

// BenchmarkHTTP measures requests through one HTTP listener to two backends, against the same
// requests sent to a backend directly; the difference is the proxy's cost per request.
//
//	go test -run '^$' -bench BenchmarkHTTP -benchmem ./dataplane
func BenchmarkHTTP(b *testing.B) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok") })
	b1, b2 := httptest.NewServer(ok), httptest.NewServer(ok)
	defer b1.Close()
	defer b2.Close()
	e := New(Options{})
	defer e.Close()
	cfg := albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, HealthCheck: HealthCheck{Disabled: true},
		Targets: []Target{{ID: "1", Addr: dptest.HostOf(b1)}, {ID: "2", Addr: dptest.HostOf(b2)}}})
	if err := e.Apply(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, addr string }{{"direct", dptest.HostOf(b1)}, {"proxied", e.LocalAddr("alb", 80)}} {
		b.Run(c.name, func(b *testing.B) {
			tr := &http.Transport{MaxIdleConnsPerHost: 256}
			defer tr.CloseIdleConnections()
			client := &http.Client{Transport: tr}
			url := "http://" + c.addr + "/"
			b.ReportAllocs()
			b.SetParallelism(8)
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					resp, err := client.Get(url)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
		})
	}
}

// BenchmarkTCP measures 1 KiB request/response round trips over open connections through a TCP
// listener, against the same round trips to the backend directly.
//
//	go test -run '^$' -bench BenchmarkTCP -benchmem ./dataplane
func BenchmarkTCP(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
	e := New(Options{})
	defer e.Close()
	cfg := Config{Balancers: []Balancer{{Key: "nlb", Kind: KindNetwork, Listeners: []Listener{{Port: 9000, Protocol: TCP, Rules: forwardTo("tg")}}}},
		TargetGroups: []TargetGroup{{Key: "tg", Protocol: TCP, HealthCheck: HealthCheck{Disabled: true},
			Targets: []Target{{ID: "1", Addr: ln.Addr().String()}}}}}
	if err := e.Apply(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct{ name, addr string }{{"direct", ln.Addr().String()}, {"proxied", e.LocalAddr("nlb", 9000)}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(2 << 10)
			b.SetParallelism(4)
			b.RunParallel(func(pb *testing.PB) {
				conn, err := net.Dial("tcp", c.addr)
				if err != nil {
					b.Error(err)
					return
				}
				defer conn.Close()
				msg, buf := make([]byte, 1<<10), make([]byte, 1<<10)
				for pb.Next() {
					if _, err := conn.Write(msg); err != nil {
						b.Error(err)
						return
					}
					if _, err := io.ReadFull(conn, buf); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}

// BenchmarkListenerMemory measures what 1,000 Classic HTTP listeners (one balancer each, no
// instances) cost the engine: live heap and goroutine stacks after Apply, per listener.
//
//	go test -run '^$' -bench BenchmarkListenerMemory -benchtime 1x ./dataplane
func BenchmarkListenerMemory(b *testing.B) {
	const n = 1000
	var cfg Config
	for i := range n {
		k := "lb" + strconv.Itoa(i)
		cfg.Balancers = append(cfg.Balancers, Balancer{Key: k, Kind: KindClassic, DNSName: k + ".elb.test",
			Listeners: []Listener{{Port: 80, Protocol: HTTP, Rules: forwardTo(k)}}})
		cfg.TargetGroups = append(cfg.TargetGroups, TargetGroup{Key: k, Protocol: HTTP, HealthCheck: HealthCheck{Disabled: true}})
	}
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e := New(Options{})
		if err := e.Apply(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		if got := len(e.Listeners()); got != n {
			b.Fatalf("%d listeners, want %d", got, n)
		}
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1024/n, "heap-KiB/listener")
		b.ReportMetric(float64(after.StackInuse-before.StackInuse)/1024/n, "stack-KiB/listener")
		e.Close()
	}
}
