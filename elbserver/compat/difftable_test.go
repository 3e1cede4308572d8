package compat

import (
	"regexp"
	"strings"
	"testing"
)

// differenceTable is a table of intended differences of one API, its patterns compiled.
type differenceTable struct {
	entries []intended
	res     [][4]*regexp.Regexp
}

func newDifferenceTable(entries []intended) differenceTable {
	tb := differenceTable{entries: entries, res: make([][4]*regexp.Regexp, len(entries))}
	for i, e := range entries {
		tb.res[i] = [4]*regexp.Regexp{globRE(e.Action), globRE(e.Field), globRE(e.Moto), globRE(e.Ours)}
	}
	return tb
}

// globRE compiles a pattern where "*" matches any run of characters.
func globRE(p string) *regexp.Regexp {
	return regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, ".*") + "$")
}

// match returns the index of the first entry covering d, or -1.
func (tb differenceTable) match(d difference) int {
	for i, re := range tb.res {
		if re[0].MatchString(d.Action) && re[1].MatchString(d.Field) && re[2].MatchString(d.Moto) && re[3].MatchString(d.Ours) {
			return i
		}
	}
	return -1
}

// markdown renders the entries as a table of DIFFERENCES.md.
func (tb differenceTable) markdown() string {
	var b strings.Builder
	b.WriteString("| Action | Field | moto | lbcloud | AWS documentation |\n| --- | --- | --- | --- | --- |\n")
	esc := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, e := range tb.entries {
		b.WriteString("| " + esc(e.Action) + " | `" + esc(e.Field) + "` | " + esc(e.MotoDoes) + " | " + esc(e.WeDo) + " | " + e.Doc + " |\n")
	}
	return b.String()
}

// checkDocs fails t on each entry that an AWS documentation page does not justify.
func (tb differenceTable) checkDocs(t *testing.T) {
	t.Helper()
	for _, e := range tb.entries {
		if !strings.HasPrefix(e.Doc, "https://docs.aws.amazon.com/") {
			t.Errorf("%s %s: the justification must be an AWS documentation page, got %q", e.Action, e.Field, e.Doc)
		}
	}
}

// tally is one differential run against a table: which entries matched a difference.
type tally struct {
	tb   differenceTable
	used []bool
}

func (tb differenceTable) tally() *tally { return &tally{tb: tb, used: make([]bool, len(tb.entries))} }

// note fails t on each of ds that the table does not list.
func (ty *tally) note(t *testing.T, ds []difference) {
	t.Helper()
	for _, d := range ds {
		j := ty.tb.match(d)
		if j < 0 {
			t.Errorf("unlisted difference: %s", d)
			continue
		}
		ty.used[j] = true
	}
}

// done fails t, when every difference was listed, on each entry that matched none.
func (ty *tally) done(t *testing.T) {
	t.Helper()
	if t.Failed() {
		return
	}
	for j, u := range ty.used {
		if !u {
			e := ty.tb.entries[j]
			t.Errorf("intended difference %s %s no longer occurs; remove it from the table", e.Action, e.Field)
		}
	}
}
