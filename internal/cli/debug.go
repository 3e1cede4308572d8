package cli

import (
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"

	"github.com/aws/smithy-go/logging"
)

// redactingLogger prints the SDK's request/response trace for --debug with every credential
// removed: the access key in the credential scope, the signature, and session tokens, in both
// the header and the presigned query-string forms.
type redactingLogger struct {
	mu sync.Mutex
	w  io.Writer
}

var _ logging.Logger = (*redactingLogger)(nil)

var redactions = []struct {
	re   *regexp.Regexp
	with string
}{
	// Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/..., Signature=hex, and the
	// presigned X-Amz-Credential=AKID%2F20240101%2F...&X-Amz-Signature=hex.
	{regexp.MustCompile(`(?i)(Credential=)[^/%,\s&]+`), "${1}REDACTED"},
	{regexp.MustCompile(`(?i)(Signature=)[^,\s&]+`), "${1}REDACTED"},
	{regexp.MustCompile(`(?i)(X-Amz-Security-Token=)[^&\s]+`), "${1}REDACTED"},
	{regexp.MustCompile(`(?im)^(X-Amz-Security-Token:[ \t]*).*$`), "${1}REDACTED"},
}

// redact removes credentials from one chunk of trace text.
func redact(s string) string {
	for _, r := range redactions {
		s = r.re.ReplaceAllString(s, r.with)
	}
	return s
}

func (l *redactingLogger) Logf(c logging.Classification, format string, v ...any) {
	msg := redact(fmt.Sprintf(format, v...))
	msg = strings.ReplaceAll(msg, "\r\n", "\n")
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "lbctl %s: %s\n", strings.ToLower(string(c)), strings.TrimRight(msg, "\n"))
}
