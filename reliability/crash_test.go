package reliability

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer/driver"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// child is an endpoint process on a state file.
type child struct {
	cmd *exec.Cmd
	url string
}

func startChild(t *testing.T, state string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childStateEnv+"="+state)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(out).ReadString('\n')
		line <- s
	}()
	select {
	case s := <-line:
		url, ok := strings.CutPrefix(strings.TrimSpace(s), "LISTEN ")
		if !ok {
			t.Fatalf("child did not start: %q", s)
		}
		return &child{cmd: cmd, url: url}
	case <-time.After(20 * time.Second):
		t.Fatal("child did not announce its address within 20s")
	}
	return nil
}

func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

// crashLedger is what writers were told: acknowledged writes must survive; attempted but
// unacknowledged ones may or may not, but never in part.
type crashLedger struct {
	mu        sync.Mutex
	created   map[string]bool              // acknowledged CreateLoadBalancer
	attempted map[string]bool              // CreateLoadBalancer sent, outcome unknown
	tags      map[string]map[string]string // acknowledged AddTags
	listeners map[string]map[int]bool      // acknowledged CreateLoadBalancerListeners
}

const createTags = 3

// createReq is a balancer created with two listeners and three tags in one action, so a
// partial create would show as a balancer missing some of them.
func createReq(name string) driver.CreateRequest {
	req := httpListenerReq(name, 80)
	req.Tags = map[string]string{}
	for i := range createTags {
		req.Tags[fmt.Sprintf("c%d", i)] = name
	}
	return req
}

// write loops on unique writes until the endpoint dies or ctx ends.
func (l *crashLedger) write(ctx context.Context, d *elb.Client, prefix string) {
	for i := 0; i < 1000 && ctx.Err() == nil; i++ {
		name := fmt.Sprintf("%s-%03d", prefix, i)
		l.mu.Lock()
		l.attempted[name] = true
		l.mu.Unlock()
		if _, err := d.Service().CreateBalancer(ctx, createReq(name)); err != nil {
			return
		}
		l.mu.Lock()
		l.created[name] = true
		l.mu.Unlock()
		if err := d.AddTags(ctx, []string{name}, map[string]string{"later": "v-" + name}); err != nil {
			return
		}
		l.mu.Lock()
		l.tags[name] = map[string]string{"later": "v-" + name}
		l.mu.Unlock()
		spec := elb.ListenerSpec{LoadBalancerPort: 81, InstancePort: 81, Protocol: driver.TCP}
		if err := d.CreateBalancerListeners(ctx, name, []elb.ListenerSpec{spec}); err != nil {
			return
		}
		l.mu.Lock()
		l.listeners[name] = map[int]bool{81: true}
		l.mu.Unlock()
	}
}

// verify checks the restarted endpoint against the ledger.
func (l *crashLedger) verify(t *testing.T, d *elb.Client) (present int) {
	t.Helper()
	ctx := testCtx(t, 60*time.Second)
	lbs, err := d.Service().ListBalancers(ctx, driver.ListOptions{IncludeTags: true})
	if err != nil {
		t.Fatalf("list after restart: %v", err)
	}
	got := map[string]*driver.LoadBalancer{}
	for _, lb := range lbs {
		got[lb.Name] = lb
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for name := range l.created {
		if got[name] == nil {
			t.Errorf("acknowledged create of %s lost", name)
		}
	}
	for name, lb := range got {
		if !l.attempted[name] {
			t.Errorf("balancer %s was never asked for", name)
			continue
		}
		ports := map[int]bool{}
		for _, ls := range lb.Listeners {
			ports[ls.Port] = true
		}
		n := 0
		for k, v := range lb.Tags {
			if strings.HasPrefix(k, "c") && v == name {
				n++
			}
		}
		if !ports[80] || n != createTags {
			t.Errorf("%s is half-created: listeners %v, tags %v", name, lb.Listeners, lb.Tags)
		}
		for k, v := range l.tags[name] {
			if lb.Tags[k] != v {
				t.Errorf("acknowledged tag %s=%s of %s lost: %v", k, v, name, lb.Tags)
			}
		}
		for p := range l.listeners[name] {
			if !ports[p] {
				t.Errorf("acknowledged listener %d of %s lost: %v", p, name, lb.Listeners)
			}
		}
	}
	// What survived unacknowledged may now count as acknowledged, for later rounds.
	for name := range got {
		l.created[name] = true
	}
	return len(got)
}

// TestCrashSafety: an endpoint process killed with SIGKILL at random moments under write
// load keeps every acknowledged write and shows no half-applied one, over 20 restarts.
func TestCrashSafety(t *testing.T) {
	isolate(t)
	const rounds, writers = 20, 4
	state := filepath.Join(t.TempDir(), "state.db")
	l := &crashLedger{created: map[string]bool{}, attempted: map[string]bool{},
		tags: map[string]map[string]string{}, listeners: map[string]map[int]bool{}}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	start := time.Now()
	acked := 0
	for round := range rounds {
		c := startChild(t, state)
		d := openClient(t, c.url, sigv4auth.DefaultCredential, 1)
		// Reads may retry; only the writes below must not, so that an acknowledgement
		// means the one request that carried them.
		present := l.verify(t, openClient(t, c.url, sigv4auth.DefaultCredential, 3))
		if t.Failed() {
			t.Fatalf("round %d: state after restart is wrong", round)
		}
		before := len(l.created)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				l.write(ctx, d, fmt.Sprintf("r%02dw%d", round, w))
			}()
		}
		time.Sleep(time.Duration(50+rng.IntN(350)) * time.Millisecond)
		c.kill(t)
		cancel()
		wg.Wait()
		l.mu.Lock()
		acked += len(l.created) - before
		l.mu.Unlock()
		t.Logf("round %d: %d balancers present after restart, %d more acknowledged before the kill", round, present, len(l.created)-before)
	}
	c := startChild(t, state)
	final := l.verify(t, openClient(t, c.url, sigv4auth.DefaultCredential, 3))
	c.kill(t)
	t.Logf("%d kill rounds in %v: %d creates acknowledged, %d balancers at the end", rounds, time.Since(start).Round(time.Millisecond), acked, final)
	if acked < rounds {
		t.Fatalf("only %d writes acknowledged in %d rounds: the load did not run", acked, rounds)
	}
}
