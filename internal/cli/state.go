package cli

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/lbcloud/lbcloud/elbserver"
)

// stateReportJSON is the stable output form of a state check.
type stateReportJSON struct {
	Path       string          `json:"path"`
	Format     int             `json:"format"`
	Partitions int             `json:"partitions"`
	Records    int             `json:"records"`
	Unchecked  bool            `json:"unchecked,omitempty"`
	Damaged    []damagedRecord `json:"damaged"`
}

type damagedRecord struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Bucket  string `json:"bucket"`
	Key     string `json:"key"`
	Problem string `json:"problem"`
}

func (a *app) stateCommand() *cobra.Command {
	var path string
	check := &cobra.Command{
		Use:   "check [--state PATH]",
		Short: "Check every record of a state file against its checksum, changing nothing",
		Long: `Read the state file without changing it and check every stored record against its
checksum. Exit 0 when all are sound; 1 when some are damaged (each is named: account,
region, record) or when the file cannot be used at all. A damaged balancer can be deleted
through the endpoint; the others are served as usual.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if path == "" {
				p, err := statePath()
				if err != nil {
					return &runError{err: err}
				}
				path = p
			}
			return wrapRun(a.checkState(path))
		},
	}
	check.Flags().StringVar(&path, "state", "", "state file (default: the local provider's state file)")
	return group("state", "Inspect the local endpoint's state file", check)
}

func (a *app) checkState(path string) error {
	report, err := elbserver.CheckState(path)
	if err != nil {
		return &stateError{path: path, err: err}
	}
	out := stateReportJSON{Path: report.Path, Format: report.Format, Partitions: report.Partitions,
		Records: report.Records, Unchecked: report.Unchecked, Damaged: []damagedRecord{}}
	for _, d := range report.Damaged {
		out.Damaged = append(out.Damaged, damagedRecord(d))
	}
	err = a.render(out, func() table {
		t := table{}
		t.add("State file", out.Path)
		t.add("Format", strconv.Itoa(out.Format))
		t.add("Partitions", strconv.Itoa(out.Partitions))
		t.add("Records checked", strconv.Itoa(out.Records))
		if out.Unchecked {
			t.add("Note", "older format without checksums: they are added when the file is next opened for use")
		}
		for _, d := range report.Damaged {
			t.add("Damaged", d.String())
		}
		return t
	})
	if err == nil && !report.OK() {
		err = fmt.Errorf("%d damaged records in %s", len(report.Damaged), path)
	}
	return err
}
