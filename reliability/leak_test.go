package reliability

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lbcloud/lbcloud/elbserver"
	"github.com/lbcloud/lbcloud/elbserver/faults"
	"github.com/lbcloud/lbcloud/internal/cli"
	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
	"github.com/lbcloud/lbcloud/sigv4auth"
)

// sigRecorder collects every SigV4 signature it sees, on either side of the wire.
type sigRecorder struct {
	mu   sync.Mutex
	sigs map[string]bool
	next http.RoundTripper
}

func (s *sigRecorder) note(r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sig := signatureOf(r); sig != "" {
		s.sigs[sig] = true
	}
	if sig := r.URL.Query().Get("X-Amz-Signature"); sig != "" {
		s.sigs[sig] = true
	}
}

func (s *sigRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	s.note(r)
	return s.next.RoundTrip(r)
}

func (s *sigRecorder) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.note(r)
		h.ServeHTTP(w, r)
	})
}

func (s *sigRecorder) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.sigs))
	for k := range s.sigs {
		out = append(out, k)
	}
	return out
}

// TestNoSecretInOutput runs a scenario through the driver and the CLI (--debug, table and
// JSON output, failing commands), against an endpoint logging at debug level and injecting
// retryable faults, then searches every log line, error string and output byte for the
// secret key and for each request signature seen on the wire.
func TestNoSecretInOutput(t *testing.T) {
	isolate(t)
	var raw [20]byte
	_, _ = rand.Read(raw[:])
	secret := "Sk" + hex.EncodeToString(raw[:])
	cred := sigv4auth.Credential{AccessKeyID: "AKIDLEAKCHECK", SecretAccessKey: secret, AccountID: "333333333333"}
	_, creds := writeCredentials(t, cred)

	rec := &sigRecorder{sigs: map[string]bool{}, next: http.DefaultTransport}
	var serverLog testenv.Buffer
	inj, err := faults.New(faults.Options{ErrorRate: 0.1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	ep := serve(t, elbserver.Options{
		Credentials: creds, Faults: inj,
		Logger: slog.New(slog.NewTextHandler(&serverLog, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, rec.handler)

	var texts []string // every error string the scenario produced
	note := func(err error) {
		if err != nil {
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		}
	}
	ctx := testCtx(t, 90*time.Second)
	d := openClient(t, ep.URL, cred, 10, elb.WithHTTPClient(&http.Client{Transport: rec}))
	req := httpListenerReq("leak", 80)
	req.Tags = map[string]string{"team": "core"}
	_, err = d.Service().CreateBalancer(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	note(d.CreateBalancerPolicy(ctx, "leak", "pp", "ProxyProtocolPolicyType", map[string]string{"ProxyProtocol": "true"}))
	_, err = d.Service().CreateBalancer(ctx, httpListenerReq("leak", 81))
	note(err)
	_, err = d.Service().GetBalancer(ctx, "missing")
	note(err)
	note(d.AddTags(ctx, []string{"leak"}, map[string]string{"bad<key>": "v"}))
	wrong := openClient(t, ep.URL, sigv4auth.Credential{AccessKeyID: cred.AccessKeyID, SecretAccessKey: secret + "x"}, 1,
		elb.WithHTTPClient(&http.Client{Transport: rec}))
	_, err = wrong.Service().GetBalancer(ctx, "leak")
	note(err)
	if len(texts) < 4*3 {
		t.Fatalf("the scenario produced %d error strings, want the 4 expected failures", len(texts)/3)
	}
	texts = append(texts, fmt.Sprintf("%v %+v %#v", cred, cred, creds))

	t.Setenv("AWS_ACCESS_KEY_ID", cred.AccessKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	var cliOut, cliErr testenv.Buffer
	run := func(want int, args ...string) {
		full := append([]string{"--endpoint", ep.URL, "--debug", "--timeout", "30s"}, args...)
		if code := cli.Main(ctx, full, &cliOut, &cliErr); code != want {
			t.Errorf("lbctl %s: exit %d, want %d", strings.Join(args, " "), code, want)
		}
	}
	run(0, "balancers", "list")
	run(0, "balancers", "create", "cli", "--port", "80", "--protocol", "http", "--zone", "us-east-1a", "--tag", "k=v")
	run(0, "-o", "json", "balancers", "get", "cli")
	run(0, "tags", "add", "cli", "--tag", "env=prod")
	run(0, "-o", "yaml", "tags", "list", "cli", "leak")
	run(0, "policies", "list", "leak")
	run(1, "balancers", "get", "missing")
	run(1, "policies", "create", "leak", "pp", "--type", "ProxyProtocolPolicyType", "--attr", "ProxyProtocol=true")
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret+"x")
	run(1, "balancers", "list")

	sigs := rec.all()
	st := inj.Stats()
	t.Logf("signatures seen %d, server log %d bytes, CLI output %d+%d bytes, injected faults %d",
		len(sigs), len(serverLog.String()), len(cliOut.String()), len(cliErr.String()), st.Failed)
	if len(sigs) < 15 {
		t.Fatalf("only %d signatures recorded; the recorder is not seeing the traffic", len(sigs))
	}
	// The debug trace must really be there, or searching it proves nothing.
	if !strings.Contains(cliErr.String(), "Action=CreateLoadBalancer") || !strings.Contains(cliErr.String(), "Signature=REDACTED") {
		t.Fatalf("--debug printed no request trace:\n%s", cliErr.String())
	}
	if !strings.Contains(serverLog.String(), "action=CreateLoadBalancer") {
		t.Fatalf("the endpoint logged no requests:\n%s", serverLog.String())
	}
	sources := map[string]string{
		"endpoint log": serverLog.String(),
		"CLI stdout":   cliOut.String(),
		"CLI stderr":   cliErr.String(),
		"errors":       strings.Join(texts, "\n"),
	}
	for name, text := range sources {
		if strings.Contains(text, secret) {
			t.Errorf("%s contains the secret key", name)
		}
		for _, sig := range sigs {
			if strings.Contains(text, sig) {
				t.Errorf("%s contains a request signature", name)
				break
			}
		}
	}
}
