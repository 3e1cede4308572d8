package migrate

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lbcloud/lbcloud/dataplane/localaddr"
)

// TrafficCheck is one Classic listener and its migrated listener, each sent the same requests.
type TrafficCheck struct {
	Listener string   `json:"listener"` // the Classic listener, "HTTP:80 -> HTTP:8080"
	Classic  []string `json:"classic"`  // the distinct answers through the Classic balancer
	Migrated []string `json:"migrated"` // the distinct answers through the new one
	Sticky   bool     `json:"sticky"`   // the plan keeps cookie stickiness: each client keeps one answer
	// ProxyHeader is the PROXY header back ends get, before and after ("v1 -> v2"), when
	// Classic sent one: answers cannot show it, so back ends must be ready for the new one.
	ProxyHeader string `json:"proxy_header,omitempty"`
	OK          bool   `json:"ok"`
	Note        string `json:"note,omitempty"`
}

// maxAnswer bounds what Verify reads of an answer: answers are told apart by what it reads.
// maxShown is how much of a body a summary shows.
const (
	maxAnswer = 64 << 10
	maxShown  = 40
)

// verifyTraffic sends the same requests through each Classic listener and the listener that
// carries it, over the local addresses an lbcloud endpoint's data plane serves them on.
func (m *Migrator) verifyTraffic(ctx context.Context, r *Report, p *Plan, opts VerifyOptions) error {
	ls, err := localaddr.Fetch(ctx, m.cfg, opts.Endpoint)
	if err != nil {
		// Another emulator or AWS: there are no local addresses to send requests to.
		r.TrafficSkipped = "the endpoint serves no local addresses: " + err.Error()
		return nil
	}
	addr := map[string]string{} // "balancer:port" -> local address
	for _, l := range ls {
		addr[l.LoadBalancerName+":"+strconv.Itoa(l.Port)] = l.LocalAddress
	}
	n, path := opts.Requests, opts.Path
	if n <= 0 {
		n = 8
	}
	if path == "" {
		path = "/"
	}
	proxied := proxyPorts(p)
	for _, b := range p.Balancers {
		for _, l := range b.Listeners {
			tc := TrafficCheck{Listener: l.From}
			tg := b.group(l.TargetGroup)
			tc.Sticky = tg != nil && tg.Attributes["stickiness.enabled"] == "true"
			if tg != nil && proxied[tg.Port] {
				tc.ProxyHeader = "v1 -> none"
				if tg.Attributes["proxy_protocol_v2.enabled"] == "true" {
					tc.ProxyHeader = "v1 -> v2"
				}
			}
			from, to := addr[p.Source+":"+strconv.Itoa(l.Port)], addr[b.Name+":"+strconv.Itoa(l.Port)]
			if from == "" || to == "" {
				tc.Note = "the data plane serves no local address for one of the two listeners"
				r.Traffic = append(r.Traffic, tc)
				continue
			}
			tls := strings.HasPrefix(l.From, protoHTTPS) || strings.HasPrefix(l.From, protoSSL)
			var classicSticky, migratedSticky bool
			tc.Classic, classicSticky, err = answers(ctx, from, tls, path, n)
			if err == nil {
				tc.Migrated, migratedSticky, err = answers(ctx, to, tls, path, n)
			}
			switch {
			case err != nil:
				tc.Note = err.Error()
			case !slices.Equal(tc.Classic, tc.Migrated) && !tc.Sticky:
				tc.Note = "the two balancers give different answers"
			case tc.Sticky && !(classicSticky && migratedSticky):
				tc.Note = fmt.Sprintf("stickiness: one answer through the Classic balancer %t, through the new one %t", classicSticky, migratedSticky)
			default:
				tc.OK = true
			}
			r.Traffic = append(r.Traffic, tc)
		}
	}
	return nil
}

// answers sends n requests for path to addr with one client keeping cookies, and returns the
// distinct answers (status and body), sorted, and whether every answer was the same. A sticky
// balancer gives a client one answer; its answers are then those of a fresh client each time,
// so that both balancers' back ends are seen.
func answers(ctx context.Context, addr string, useTLS bool, path string, n int) ([]string, bool, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, false, err
	}
	scheme := "http"
	if useTLS {
		scheme = "https"
	}
	transport := &http.Transport{
		// The local address is the balancer's own loopback socket: its certificate names the
		// balancer, not 127.0.0.1, and what is compared is the answers, not the certificate.
		TLSClientConfig:   &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // see above
		DisableKeepAlives: true,
		DialContext:       (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
	}
	defer transport.CloseIdleConnections()
	sticky := &http.Client{Transport: transport, Jar: jar, Timeout: 10 * time.Second}
	fresh := &http.Client{Transport: transport, Timeout: 10 * time.Second}
	var seen, stuck []string
	for i := range 2 * n {
		c := sticky
		if i >= n {
			c = fresh
		}
		a, err := get(ctx, c, scheme+"://"+addr+path)
		if err != nil {
			return nil, false, err
		}
		if i < n {
			stuck = append(stuck, a)
		}
		if !slices.Contains(seen, a) {
			seen = append(seen, a)
		}
	}
	slices.Sort(seen)
	return seen, len(slices.Compact(stuck)) == 1, nil
}

func get(ctx context.Context, c *http.Client, url string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return "", err
	}
	return strconv.Itoa(resp.StatusCode) + " " + summary(body), nil
}

// summary tells answers apart and keeps them short: a short one-line body as it is (without
// surrounding space), a longer one by its start, length and digest.
func summary(body []byte) string {
	text := strings.Join(strings.Fields(string(body)), " ")
	if trimmed := strings.TrimSpace(string(body)); len(trimmed) <= maxShown && !strings.ContainsAny(trimmed, "\r\n") {
		return trimmed
	}
	sum := sha256.Sum256(body)
	return fmt.Sprintf("%.*s... (%d bytes, sha256 %x)", maxShown, text, len(body), sum[:4])
}

// proxyPorts are the back-end ports to which Classic sent PROXY headers, as the plan says.
func proxyPorts(p *Plan) map[int]bool {
	out := map[int]bool{}
	for _, s := range p.Settings {
		if port, ok := strings.CutPrefix(s.Setting, proxySetting); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(port, ")"))
			out[n] = true
		}
	}
	return out
}
