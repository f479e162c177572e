package report

import (
	"strings"
	"testing"

	"github.com/nnlab/nnlab/core/experiment"
)

// TestTreeEndsBranches: a table's tree ends each branch with └─ and draws
// no │ under a branch that has ended, as torchinfo does.
func TestTreeEndsBranches(t *testing.T) {
	tb := experiment.Table{
		Columns: []experiment.Column{{Name: "Layer"}},
		Rows: []experiment.Row{
			{Cells: []any{"Net"}},
			{Depth: 1, Cells: []any{"a"}},
			{Depth: 2, Cells: []any{"a1"}},
			{Depth: 2, Cells: []any{"a2"}},
			{Depth: 1, Cells: []any{"b"}},
			{Depth: 2, Cells: []any{"b1"}},
		},
	}
	want := strings.Join([]string{"Layer", "───────", "Net", "├─a", "│  ├─a1", "│  └─a2", "└─b", "   └─b1"}, "\n")
	var got []string
	for _, l := range strings.Split(Table(tb, Options{Width: 40}), "\n") {
		got = append(got, strings.TrimRight(l, " "))
	}
	if g := strings.TrimSpace(strings.Join(got, "\n")); g != want {
		t.Errorf("tree:\n%s\nwant:\n%s", g, want)
	}
}
