package cli

import (
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// While 'lbctl serve' holds a state file, the other commands reach the state through it. It
// writes a discovery file beside the state holding its URL, when plain commands can use it:
// listening on loopback with the default credentials (the ones local commands sign with).
// The file is removed when serve stops; one left by a serve that was killed names a port
// nobody answers on and is ignored.

// discoveryPath is the discovery file of the state file at statePath.
func discoveryPath(statePath string) string { return statePath + ".serve" }

// announce writes the discovery file of statePath, atomically and private (0600), and returns
// its removal.
func announce(statePath, endpointURL string) (func(), error) {
	path := discoveryPath(statePath)
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("write the discovery file: %w", err)
	}
	_, werr := tmp.WriteString(endpointURL + "\n")
	if err := tmp.Close(); werr == nil {
		werr = err
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return nil, fmt.Errorf("write the discovery file: %w", werr)
	}
	return func() { os.Remove(path) }, nil
}

// discover returns the URL of the serve that announced itself beside statePath, if one
// answers there.
func discover(statePath string) (string, bool) {
	b, err := os.ReadFile(discoveryPath(statePath))
	if err != nil {
		return "", false
	}
	endpointURL := strings.TrimSpace(string(b))
	u, err := url.Parse(endpointURL)
	if err != nil || u.Scheme != "http" || !isLoopback(u.Hostname()) {
		return "", false
	}
	c, err := net.DialTimeout("tcp", u.Host, 500*time.Millisecond)
	if err != nil {
		return "", false // stale: left by a serve that did not stop cleanly
	}
	c.Close()
	return endpointURL, true
}
