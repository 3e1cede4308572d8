package tutorial_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lbcloud/lbcloud/internal/testenv"
	"github.com/lbcloud/lbcloud/tutorial"
)

// TestPrintedCallsCompile: the calls Run prints (and 'lbctl demo' shows) are real Go. They
// are put, in order, into a program that the go tool builds.
func TestPrintedCallsCompile(t *testing.T) {
	env, _ := newEnv(t, true)
	env.Cleanup = true
	var out bytes.Buffer
	if err := tutorial.Run(context.Background(), &out, env); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	calls := printedCalls(out.String())
	if len(calls) < 15 {
		t.Fatalf("found %d calls in the output:\n%s", len(calls), out.String())
	}
	src := `package main

import (
	"context"
	"time"

	"github.com/lbcloud/lbcloud/loadbalancer"
	"github.com/lbcloud/lbcloud/loadbalancer/elb"
)

func main() {
	ctx := context.Background()
` + strings.Join(calls, "\n") + `
	_, _, _ = err, time.Second, loadbalancer.HTTP
}
`
	compiles(t, src)
}

// TestREADMELibraryExampleCompiles: the library example in README.md is real Go. Its
// statements go into a function given the names the README leaves to the reader (ctx, id,
// secret) and the imports its calls need beyond those it shows.
func TestREADMELibraryExampleCompiles(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start := strings.Index(text, "## Library usage")
	if start < 0 {
		t.Fatal("README.md has no library usage section")
	}
	block, ok := strings.CutPrefix(text[start:][strings.Index(text[start:], "```go\n"):], "```go\n")
	if !ok {
		t.Fatal("the library usage section has no Go block")
	}
	block = block[:strings.Index(block, "```")]
	imports, body, ok := strings.Cut(block, ")\n")
	if !ok || !strings.HasPrefix(imports, "import (") {
		t.Fatalf("the Go block does not start with its imports:\n%s", block)
	}
	src := "package main\n\n" + imports + `
	"context"
	"errors"
	"time"

	"github.com/aws/smithy-go"
)

func main() {
	ctx, id, secret := context.Background(), "", ""
` + body + `
	_, _, _, _, _, _ = lbs, lb, names, types, https, apiErr
}
`
	compiles(t, src)
}

// printedCalls are the lines of Run's output that are calls, indented as statements.
func printedCalls(out string) []string {
	var calls []string
	for _, line := range strings.Split(out, "\n") {
		if line != "" && !strings.HasPrefix(line, "== ") && !strings.HasPrefix(line, "-> ") && !strings.HasPrefix(line, "note: ") {
			calls = append(calls, "\t"+line)
		}
	}
	return calls
}

// compiles builds src as a main package of this module. The package exists only in an
// overlay, so the tree is not touched.
func compiles(t *testing.T, src string) {
	t.Helper()
	goTool := testenv.RequireGo(t)
	tmp := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(wd, "compilecheck", "main.go"): file}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "build", "-overlay", filepath.Join(tmp, "overlay.json"), "-o", filepath.Join(tmp, "bin"), "./compilecheck")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("does not compile: %v\n%s\n%s", err, b, src)
	}
}
