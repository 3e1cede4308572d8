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

	"github.com/lbcloud/lbcloud/tutorial"
)

// TestPrintedCallsCompile: the calls Run prints (and 'lbctl demo' shows) are real Go. They
// are put, in order, into a program that the go tool builds inside this module.
func TestPrintedCallsCompile(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not in PATH")
	}
	env, _ := newEnv(t, true)
	env.Cleanup = true
	var out bytes.Buffer
	if err := tutorial.Run(context.Background(), &out, env); err != nil {
		t.Fatalf("Run: %v\n%s", err, out.String())
	}
	var calls []string
	for _, line := range strings.Split(out.String(), "\n") {
		if line != "" && !strings.HasPrefix(line, "== ") && !strings.HasPrefix(line, "-> ") && !strings.HasPrefix(line, "note: ") {
			calls = append(calls, "\t"+line)
		}
	}
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
	// The program lives in the module only through an overlay, so the tree is not touched.
	tmp := t.TempDir()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(tmp, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(wd, "printedcalls", "main.go"): file}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tmp, "overlay.json"), overlay, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "build", "-overlay", filepath.Join(tmp, "overlay.json"), "-o", filepath.Join(tmp, "printed"), "./printedcalls")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the printed calls do not compile: %v\n%s\n%s", err, b, src)
	}
}
