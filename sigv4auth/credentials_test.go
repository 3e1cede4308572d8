package sigv4auth

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

const (
	fileSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRET"
	fileToken  = "FwoGZXIvYXdzEXAMPLEzzTOKEN"
)

func writeCreds(t *testing.T, content string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "credentials")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil { // WriteFile's mode is subject to umask
		t.Fatal(err)
	}
	return p
}

func TestLoadCredentialsFile(t *testing.T) {
	p := writeCreds(t, `# lbcloud endpoint credentials
# ACCESS_KEY_ID SECRET_ACCESS_KEY ACCOUNT_ID

AKIAEXAMPLE0000001	`+fileSecret+`	123456789012
   # indented comment
  test   test   000000000000  
ASIAEXAMPLE0000002 `+fileSecret+` 123456789012 `+fileToken+`
`, 0o600)
	got, err := LoadCredentialsFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []Credential{
		{AccessKeyID: "AKIAEXAMPLE0000001", SecretAccessKey: fileSecret, AccountID: "123456789012"},
		DefaultCredential,
		{AccessKeyID: "ASIAEXAMPLE0000002", SecretAccessKey: fileSecret, AccountID: "123456789012", SessionToken: fileToken},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestLoadCredentialsFileRejects(t *testing.T) {
	good := "AKIAEXAMPLE0000001 " + fileSecret + " 123456789012\n"
	cases := []struct {
		name    string
		content string
		mode    os.FileMode
		want    string // substring of the error
	}{
		{"group readable", good, 0o640, "group or others"},
		{"world readable", good, 0o604, "group or others"},
		{"group writable", good, 0o620, "chmod 600"},
		{"short account", "AKID1 " + fileSecret + " 12345678901\n", 0o600, "line 1: account ID must be exactly 12 digits"},
		{"non-digit account", "# c\nAKID1 " + fileSecret + " 12345678901x\n", 0o600, "line 2: account ID"},
		{"duplicate key", good + "\n" + "AKIAEXAMPLE0000001 other 210987654321\n", 0o600, "line 3: duplicate access key ID AKIAEXAMPLE0000001 (first on line 1)"},
		{"two fields", "AKID1 " + fileSecret + "\n", 0o600, "line 1: want 3 or 4 fields"},
		{"five fields", "AKID1 " + fileSecret + " 123456789012 token extra\n", 0o600, "got 5"},
		{"trailing comment is not a comment", good + "AKID2 " + fileSecret + " 123456789012 # note\n", 0o600, "line 2: want 3 or 4 fields"},
		{"bad access key", "AKID/1 " + fileSecret + " 123456789012\n", 0o600, "line 1: access key ID"},
		{"only comments", "# nothing here\n\n", 0o600, "no credentials"},
		{"empty", "", 0o600, "no credentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && tc.mode != 0o600 {
				t.Skip("Windows has no group/other mode bits")
			}
			creds, err := LoadCredentialsFile(writeCreds(t, tc.content, tc.mode))
			if err == nil {
				t.Fatalf("accepted: %v", creds)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q lacks %q", err, tc.want)
			}
			if strings.Contains(err.Error(), fileSecret) {
				t.Fatalf("error %q leaks the secret", err)
			}
		})
	}
}

func TestLoadCredentialsFileMissingAndDirectory(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadCredentialsFile(filepath.Join(dir, "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadCredentialsFile(dir); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("directory: %v", err)
	}
}

func TestCredentialNeverPrintsSecret(t *testing.T) {
	c := Credential{AccessKeyID: "AKIAEXAMPLE0000001", SecretAccessKey: fileSecret, AccountID: "123456789012", SessionToken: fileToken}
	if got := c.String(); got != "AKIAEXAMPLE0000001 (account 123456789012)" {
		t.Fatalf("String() = %q", got)
	}
	if got := DefaultCredential.String(); got != "test (account 000000000000)" {
		t.Fatalf("String() = %q", got)
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("loaded", "cred", c)
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", c),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"[]%v": fmt.Sprintf("%v", []Credential{c}),
		"slog": logged.String(),
	}
	//lint:ignore S1025 the %s verb itself is what is checked
	outputs["%s"] = fmt.Sprintf("%s", c)
	for verb, out := range outputs {
		if strings.Contains(out, fileSecret) || strings.Contains(out, fileToken) {
			t.Errorf("%s prints the secret or the session token: %s", verb, out)
		}
		if !strings.Contains(out, "AKIAEXAMPLE0000001") {
			t.Errorf("%s lost the access key ID: %s", verb, out)
		}
	}
}
