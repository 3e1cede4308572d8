package sigv4auth

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"strings"
)

// Credential is one access key the endpoint accepts and the account it
// belongs to. A SessionToken makes it temporary credentials: requests must
// then carry that token (X-Amz-Security-Token), and requests with long-term
// credentials must carry none.
type Credential struct{ AccessKeyID, SecretAccessKey, AccountID, SessionToken string }

// DefaultCredential is the well-known key pair local AWS emulators accept.
var DefaultCredential = Credential{AccessKeyID: "test", SecretAccessKey: "test", AccountID: "000000000000"}

// String identifies the credential without its secret, e.g.
// "test (account 000000000000)".
func (c Credential) String() string {
	return c.AccessKeyID + " (account " + c.AccountID + ")"
}

// GoString keeps %#v from printing the secret.
func (c Credential) GoString() string {
	token := ""
	if c.SessionToken != "" {
		token = "<redacted>"
	}
	return fmt.Sprintf("sigv4auth.Credential{AccessKeyID:%q, SecretAccessKey:\"<redacted>\", AccountID:%q, SessionToken:%q}", c.AccessKeyID, c.AccountID, token)
}

// LogValue keeps structured logs from printing the secret.
func (c Credential) LogValue() slog.Value { return slog.StringValue(c.String()) }

// validAccessKeyID limits IDs to characters that can never break the
// "ID/date/region/service/aws4_request" credential scope or a log line.
func validAccessKeyID(id string) bool {
	if len(id) == 0 || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func validAccountID(id string) bool {
	if len(id) != 12 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return false
		}
	}
	return true
}

// LoadCredentialsFile reads credentials in the format described in the
// package documentation. It refuses files readable or writable by group or
// others, malformed lines, bad account IDs, duplicate access key IDs and
// files without any credential.
func LoadCredentialsFile(path string) ([]Credential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("credentials file: %w", err)
	}
	defer f.Close()

	// Stat the open file, not the path, so the mode checked is the mode of
	// the bytes read.
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("credentials file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("credentials file %s: not a regular file", path)
	}
	// Windows does not express group/other access in the mode bits.
	if perm := st.Mode().Perm(); runtime.GOOS != "windows" && perm&0o077 != 0 {
		return nil, fmt.Errorf("credentials file %s: mode %#o lets group or others access secret keys; restrict it (chmod 600 %s)", path, perm, path)
	}

	var (
		creds []Credential
		seen  = map[string]int{}
		sc    = bufio.NewScanner(f)
		lineN int
	)
	for sc.Scan() {
		lineN++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 3 && len(fields) != 4 {
			return nil, fmt.Errorf("credentials file %s line %d: want 3 or 4 fields (ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID [SESSION_TOKEN]), got %d", path, lineN, len(fields))
		}
		c := Credential{AccessKeyID: fields[0], SecretAccessKey: fields[1], AccountID: fields[2]}
		if len(fields) == 4 {
			c.SessionToken = fields[3]
		}
		if !validAccessKeyID(c.AccessKeyID) {
			return nil, fmt.Errorf("credentials file %s line %d: access key ID must be 1-128 characters from [A-Za-z0-9_-]", path, lineN)
		}
		if !validAccountID(c.AccountID) {
			return nil, fmt.Errorf("credentials file %s line %d: account ID must be exactly 12 digits", path, lineN)
		}
		if first, dup := seen[c.AccessKeyID]; dup {
			return nil, fmt.Errorf("credentials file %s line %d: duplicate access key ID %s (first on line %d)", path, lineN, c.AccessKeyID, first)
		}
		seen[c.AccessKeyID] = lineN
		creds = append(creds, c)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, fmt.Errorf("credentials file %s line %d: line too long", path, lineN+1)
		}
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("credentials file %s: no credentials", path)
	}
	return creds, nil
}
