package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	var v versionJSON
	okJSON(t, &v, "version")
	if v.Go != runtime.Version() || v.Platform != runtime.GOOS+"/"+runtime.GOARCH || v.Version == "" {
		t.Errorf("version = %+v", v)
	}
	// --version prints the same, on one line.
	out := ok(t, "--version")
	if !strings.HasPrefix(out, "lbctl "+v.Version+" ") || !strings.HasSuffix(out, " "+v.Go+" "+v.Platform+"\n") {
		t.Errorf("--version = %q", out)
	}
	fails(t, ExitUsage, "version", "extra")
}

func TestVersionOfBuildInfo(t *testing.T) {
	info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/lbcloud/lbcloud", Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.time", Value: "2026-05-01T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	v := versionOf(info, true)
	if v.Version != "v1.4.0" || v.Commit != "0123456789abcdef0123456789abcdef01234567" || v.CommitTime != "2026-05-01T10:00:00Z" || !v.Modified {
		t.Errorf("versionOf = %+v", v)
	}
	want := "lbctl v1.4.0 commit 0123456789abcdef0123456789abcdef01234567 (modified) " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH
	if v.String() != want {
		t.Errorf("String() = %q, want %q", v, want)
	}
	if s := versionOf(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true).String(); !strings.Contains(s, "(devel) (commit unknown") {
		t.Errorf("without VCS information: %q", s)
	}
	if v := versionOf(nil, false); v.Version != "unknown" {
		t.Errorf("without build information: %+v", v)
	}
}
