package report

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/core/experiment"
)

func TestTableAlignsKorean(t *testing.T) {
	tb := experiment.Table{
		Columns: []experiment.Column{{Name: "층"}, {Name: "파라미터", Align: experiment.Right}},
		Rows: []experiment.Row{
			{Cells: []any{"합성곱", int64(9408)}},
			{Depth: 1, Cells: []any{"ReLU", nil}},
		},
		Footer: []experiment.Row{{Cells: []any{"합계", int64(11689512)}}},
	}
	out := Table(tb, Options{})
	lines := strings.Split(out, "\n")
	want := []string{
		"층        파라미터",
		"──────────────────",
		"합성곱       9,408",
		"└─ReLU          --", // the last branch ends with └─
		"──────────────────",
		"합계    11,689,512",
	}
	if len(lines) != len(want) {
		t.Fatalf("got\n%s", out)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d: got %q, want %q", i, lines[i], want[i])
		}
	}
	for _, l := range lines[2:] {
		if Width(l) != Width(lines[1]) && !strings.HasPrefix(l, "─") {
			t.Errorf("right column not aligned: %q is %d wide, rule %d", l, Width(l), Width(lines[1]))
		}
	}
}

func TestChartFitsWidth(t *testing.T) {
	y := make([]float64, 100)
	z := make([]float64, 100)
	for i := range y {
		y[i] = math.Exp(-float64(i) / 10)
		z[i] = math.Exp(-float64(i) / 30)
	}
	z[50] = math.NaN() // a gap, not a crash
	c := experiment.Chart{Title: "loss", LogY: true, XLabel: "step", Series: []experiment.Series{{Name: "sgd", Y: y}, {Name: "adam", Y: z}}}
	for _, w := range []int{40, 60, 100} {
		out := Chart(c, Options{Width: w})
		for _, l := range strings.Split(out, "\n") {
			if Width(l) > w {
				t.Errorf("width %d: line %q is %d wide", w, l, Width(l))
			}
		}
		if !strings.Contains(out, "* sgd") || !strings.Contains(out, "+ adam") || !strings.Contains(out, "(log scale)") {
			t.Errorf("legend or scale missing:\n%s", out)
		}
	}
	// The decaying series starts at the top-left and ends lower.
	out := Chart(c, Options{Width: 60, ChartHeight: 10})
	rows := strings.Split(out, "\n")[1:11]
	if !strings.Contains(rows[0], "│*") && !strings.Contains(rows[0], "│+") {
		t.Errorf("first point not top-left:\n%s", out)
	}
}

func TestSurfaceAndBars(t *testing.T) {
	nx, ny := 21, 11
	s := experiment.Surface{Title: "bowl", XMin: -1, XMax: 1, YMin: -1, YMax: 1, NX: nx, NY: ny, Minima: [][2]float64{{0, 0}}}
	for j := range ny {
		for i := range nx {
			x, y := -1+2*float64(i)/float64(nx-1), -1+2*float64(j)/float64(ny-1)
			s.Z = append(s.Z, x*x+y*y)
		}
	}
	s.Paths = []experiment.Path{{Name: "gd", Points: [][2]float64{{-1, 1}, {-0.5, 0.5}, {0.1, 0.1}}}}
	out := Surface(s, Options{Width: 50})
	if !strings.Contains(out, "X") || !strings.Contains(out, "* gd") {
		t.Errorf("minimum or path missing:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if Width(l) > 50 {
			t.Errorf("line %q too wide", l)
		}
	}
	b := Bars(experiment.BarChart{Title: "grad", LogY: true, Labels: []string{"L1", "L2"}, Groups: []experiment.BarGroup{{Name: "plain", Values: []float64{1e-8, 1}}, {Name: "residual", Values: []float64{0.5, 1}}}}, Options{Width: 60})
	lines := strings.Split(b, "\n")
	if len(lines) != 5 || strings.Count(lines[1], "█") >= strings.Count(lines[2], "█") {
		t.Errorf("bars wrong:\n%s", b)
	}
}

// Lines in every direction end (a Bresenham slip once looped forever).
func TestLineTerminates(t *testing.T) {
	g := newGrid(20, 10, ' ')
	for _, l := range [][4]int{{0, 0, 19, 9}, {19, 9, 0, 0}, {0, 9, 19, 0}, {5, 5, 5, 5}, {0, 0, 0, 9}, {0, 0, 19, 0}, {3, 1, 4, 9}, {18, 2, 1, 3}} {
		g.line(l[0], l[1], l[2], l[3], '*')
		if g[l[3]][l[2]] != '*' || g[l[1]][l[0]] != '*' {
			t.Errorf("line %v misses an end", l)
		}
	}
}

func TestFit(t *testing.T) {
	for _, tc := range []struct {
		in    string
		width int
		want  string
	}{
		{"short line", 20, "short line"},
		{"  a paragraph that is longer than the width", 20, "  a paragraph that\n  is longer than the\n  width"},
		{"  • a list item that wraps around", 16, "  • a list item\n    that wraps\n    around"},
		{"  12. numbered item that wraps", 16, "  12. numbered\n      item that\n      wraps"},
		{"  │ a quote that wraps around", 16, "  │ a quote that\n  │ wraps around"},
		{"  | a plain quote that wraps", 16, "  | a plain\n  | quote that\n  | wraps"},
		{"  논문은 대신 5×5 앞에 1×1 필터 16개를 두는데", 24, "  논문은 대신 5×5 앞에\n  1×1 필터 16개를 두는데"},
		{"  averyveryverylongwordwithoutspaces", 12, "  averyveryv\n  erylongwor\n  dwithoutsp\n  aces"},
	} {
		got := Fit(tc.in, tc.width)
		if got != tc.want {
			t.Errorf("Fit(%q, %d) =\n%s\nwant\n%s", tc.in, tc.width, got, tc.want)
		}
		for _, l := range strings.Split(got, "\n") {
			if Width(l) > tc.width {
				t.Errorf("line %q is %d wide, over %d", l, Width(l), tc.width)
			}
		}
	}
	// Styles survive and do not count.
	styled := "\x1b[1m  bold words that must wrap here\x1b[0m"
	got := Fit(styled, 14)
	if ansi.Strip(got) != "  bold words\n  that must\n  wrap here" {
		t.Errorf("styled: %q", ansi.Strip(got))
	}
}

func TestMendQuotes(t *testing.T) {
	in := "  | 데이터에 의해 경우,\n  Gradient가\n  | 잘못된 방향으로\n\n  text after\n  | quote\n  plain line"
	want := "  | 데이터에 의해 경우, Gradient가\n  | 잘못된 방향으로\n\n  text after\n  | quote\n  plain line"
	if got := MendQuotes(in); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A diagram in a code block is left alone, bars and all.
	diagram := "        |             |\n     1x1 conv      1x1 conv\n        |             |"
	if got := MendQuotes(diagram); got != diagram {
		t.Errorf("diagram changed:\n%s", got)
	}
}

// A table wider than the width is split into panels that each repeat the
// first column; no cell is cut.
func TestWideTableSplits(t *testing.T) {
	tb := experiment.Table{Columns: []experiment.Column{{Name: "row"}, {Name: "alpha", Align: experiment.Right}, {Name: "beta", Align: experiment.Right}, {Name: "gamma", Align: experiment.Right}}}
	tb.Rows = []experiment.Row{{Cells: []any{"3a", int64(159000000), int64(128000000), int64(1234567890)}}}
	out := Table(tb, Options{Width: 30})
	for _, l := range strings.Split(out, "\n") {
		if Width(l) > 30 {
			t.Errorf("line %q over 30", l)
		}
	}
	for _, want := range []string{"159,000,000", "128,000,000", "1,234,567,890"} {
		if !strings.Contains(out, want) {
			t.Errorf("%s missing:\n%s", want, out)
		}
	}
	if strings.Count(out, "3a") < 2 {
		t.Errorf("first column not repeated:\n%s", out)
	}
}

// Reflow joins what glamour wrapped twice and hangs list items' lines
// under their text; code, tables and quotes keep their shape.
func TestReflow(t *testing.T) {
	in := strings.Join([]string{
		"  In the steep y direction 1 − α·λmax",
		"  is",
		"  negative, so y flips sign.",
		"",
		"  • a list item whose text is long enough",
		"  to wrap",
		"",
		"    code  |  stays",
		"    as    |  it is",
		"",
		"  a     │ b",
		"  ──────┼──",
	}, "\n")
	want := strings.Join([]string{
		"  In the steep y direction 1 − α·λmax is",
		"  negative, so y flips sign.",
		"",
		"  • a list item whose text is long",
		"    enough to wrap",
		"",
		"    code  |  stays",
		"    as    |  it is",
		"",
		"  a     │ b",
		"  ──────┼──",
	}, "\n")
	if got := Reflow(in, 40); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReflowStyledIndent(t *testing.T) {
	in := "\x1b[38;5;252m  first line of a paragraph that\x1b[0m\n\x1b[38;5;252m  goes on\x1b[0m"
	got := ansi.Strip(Reflow(in, 60))
	if got != "  first line of a paragraph that goes on" {
		t.Errorf("got %q", got)
	}
}

// Every kind of output has a text renderer.
func TestEveryOutputKindRendered(t *testing.T) {
	for _, k := range experiment.OutputKinds() {
		if renderers[k] == nil {
			t.Errorf("no renderer for %s outputs", k)
		}
	}
}
