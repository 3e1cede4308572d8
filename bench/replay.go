package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Prepared is one Query API request built and SigV4-signed once, kept as the bytes sent on
// the wire, with a string its answer must hold. A signature stays valid for 15 minutes either
// side of its date, and AWS accepts the same signed request again within that window, so a
// read load can replay prepared requests: the server still verifies every one, while the
// load generator no longer signs per request and costs little beside the server.
type Prepared struct {
	Action string
	Raw    []byte // the HTTP/1.1 request
	Want   string // "" when the <ActionResponse> element is all that is checked
}

// Prepare builds and signs action with the form-encoded params as Call would send it, dated
// now. want is what Check requires of the answer, as for Call.
func (c *RawClient) Prepare(ctx context.Context, action, params, want string) (Prepared, error) {
	req, err := c.signed(ctx, action, params)
	if err != nil {
		return Prepared{}, err
	}
	var raw bytes.Buffer
	if err := req.Write(&raw); err != nil {
		return Prepared{}, fmt.Errorf("%s: %w", action, err)
	}
	return Prepared{Action: action, Raw: raw.Bytes(), Want: want}, nil
}

// Check sends each prepared request once, exactly as a replay sends it, and checks its
// answer as Call does: a replay counts answers, it does not read them.
func (c *RawClient) Check(ctx context.Context, reqs []Prepared) error {
	u, err := url.Parse(c.url)
	if err != nil {
		return err
	}
	for _, p := range reqs {
		status, body, err := roundTrip(ctx, u.Host, p.Raw)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Action, err)
		}
		if err := checkAnswer(p.Action, status, body, p.Want); err != nil {
			return err
		}
	}
	return nil
}

// roundTrip writes raw to a fresh connection to addr and reads one answer (at most 1 MiB of
// it, within a minute).
func roundTrip(ctx context.Context, addr string, raw []byte) (int, []byte, error) {
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return 0, nil, err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(time.Minute)); err != nil {
		return 0, nil, err
	}
	if _, err := conn.Write(raw); err != nil {
		return 0, nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, body, err
}

// ReplayScript is the wrk script that sends reqs in turn, over and over: each of wrk's threads
// walks the list once per len(reqs) requests, its connections taking the next in turn.
func ReplayScript(reqs []Prepared) string {
	var b strings.Builder
	b.WriteString("-- Requests signed before the run, replayed in turn.\nlocal requests = {\n")
	for _, p := range reqs {
		b.WriteString(luaString(p.Raw))
		b.WriteString(",\n")
	}
	b.WriteString("}\nlocal n, i = #requests, 0\n\nfunction request()\n\ti = i % n + 1\n\treturn requests[i]\nend\n")
	return b.String()
}

// luaString quotes s as a Lua string literal; every byte but plain printable ASCII is a
// three-digit decimal escape, which no following digit can extend.
func luaString(s []byte) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c >= ' ' && c <= '~' && c != '"' && c != '\\' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "\\%03d", c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// Replay is what one wrk replay measured.
type Replay struct {
	WrkResult
	Total int64         // requests answered
	CPU   time.Duration // wrk's own user and system time
}

// RunReplay replays reqs against target (an http:// URL) with wrk (the binary at wrk): one
// thread, conns keep-alive connections, for d (whole seconds, at least one). A run with socket
// errors or an answer other than 2xx or 3xx is an error (ParseWrk).
func RunReplay(ctx context.Context, wrk, target string, reqs []Prepared, conns int, d time.Duration) (Replay, error) {
	if len(reqs) == 0 {
		return Replay{}, errors.New("bench: nothing to replay")
	}
	dir, err := os.MkdirTemp("", "replay")
	if err != nil {
		return Replay{}, err
	}
	// The script holds signed requests: only this user reads it, and it goes with the run.
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "replay.lua")
	if err := os.WriteFile(script, []byte(ReplayScript(reqs)), 0o600); err != nil {
		return Replay{}, err
	}
	secs := max(int(d.Seconds()), 1)
	var out, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, wrk, "-t1", "-c"+strconv.Itoa(conns), "-d"+strconv.Itoa(secs)+"s", "--latency", "-s", script, target)
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return Replay{}, fmt.Errorf("wrk: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	res, err := ParseWrk(out.String())
	if err != nil {
		return Replay{}, err
	}
	total, err := wrkTotal(out.String())
	if err != nil {
		return Replay{}, err
	}
	return Replay{WrkResult: res, Total: total, CPU: cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()}, nil
}

// wrkTotal reads the count of "  209412 requests in 10.00s, 28.16MB read" from wrk's output.
func wrkTotal(out string) (int64, error) {
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) > 3 && f[1] == "requests" && f[2] == "in" {
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, errors.New("wrk: no request count in the output")
}
