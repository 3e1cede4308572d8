package dataplane

import (
	"io"
	"net/http"
	"testing"
	"time"
)

// TestALBPassesOnAPausedAnswer: a target that sends part of an answer of known length and then
// waits gets that part to the client while it waits; the balancer does not hold it until the end.
func TestALBPassesOnAPausedAnswer(t *testing.T) {
	release := make(chan struct{})
	released := make(chan bool, 1)
	be := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		_, _ = io.WriteString(w, "hello")
		http.NewResponseController(w).Flush()
		select {
		case <-release:
			released <- true
		case <-time.After(10 * time.Second): // the client never saw the first part
			released <- false
		}
		_, _ = io.WriteString(w, "world")
	})
	e, _ := newEngine(t, Options{})
	apply(t, e, albConfig(forwardTo("tg"), TargetGroup{Key: "tg", Protocol: HTTP, Targets: targetsOf(be)}))

	resp, err := http.Get("http://" + e.LocalAddr("alb", 80) + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	first := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, first); err != nil || string(first) != "hello" {
		t.Fatalf("first part: %q, %v", first, err)
	}
	close(release)
	if !<-released {
		t.Fatal("the first part reached the client only after the target went on")
	}
	if rest, err := io.ReadAll(resp.Body); err != nil || string(rest) != "world" {
		t.Fatalf("rest: %q, %v", rest, err)
	}
}
