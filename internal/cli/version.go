package cli

import (
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// versionJSON is the stable output form of 'lbctl version': what the binary was built from,
// as the Go toolchain recorded it.
type versionJSON struct {
	Version    string `json:"version"` // the module's, "(devel)" for a build from a checkout
	Commit     string `json:"commit,omitempty"`
	CommitTime string `json:"commit_time,omitempty"`
	Modified   bool   `json:"modified,omitempty"` // built from a tree with uncommitted changes
	Go         string `json:"go"`
	Platform   string `json:"platform"`
}

func buildVersion() versionJSON { return versionOf(debug.ReadBuildInfo()) }

// versionOf reads the build information the toolchain put in the binary. A build outside a
// repository, or with -buildvcs=false, records no commit.
func versionOf(info *debug.BuildInfo, ok bool) versionJSON {
	v := versionJSON{Version: "unknown", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if !ok {
		return v
	}
	v.Version = info.Main.Version
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.time":
			v.CommitTime = s.Value
		case "vcs.modified":
			v.Modified = s.Value == "true"
		}
	}
	return v
}

// String is the one-line form, as 'lbctl --version' prints it.
func (v versionJSON) String() string {
	parts := []string{"lbctl", v.Version}
	switch {
	case v.Commit == "":
		parts = append(parts, "(commit unknown: built without VCS information)")
	case v.Modified:
		parts = append(parts, "commit "+v.Commit+" (modified)")
	default:
		parts = append(parts, "commit "+v.Commit)
	}
	return strings.Join(append(parts, v.Go, v.Platform), " ")
}

func (a *app) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Show lbctl's version, commit and Go version",
		Args:  noArgs,
		RunE: func(*cobra.Command, []string) error {
			v := buildVersion()
			return wrapRun(a.render(v, func() table {
				t := table{}
				t.add("Version", v.Version)
				t.add("Commit", v.Commit)
				if v.Modified {
					t.add("Modified", "yes: built from a tree with uncommitted changes")
				}
				t.add("Commit time", v.CommitTime)
				t.add("Go", v.Go)
				t.add("Platform", v.Platform)
				return t
			}))
		},
	}
}
