package tui

import (
	"slices"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/locale"
	"github.com/nnlab/nnlab/tui/plot"
	"github.com/nnlab/nnlab/tui/report"
)

// pin is an earlier run kept on the charts for comparison.
type pin struct {
	values experiment.Values // what it ran with
	result *experiment.Result
	label  string // set when drawing: how it differs from the current run
}

// outputSpec is everything drawing a cell's outputs depends on; it is
// compared to decide whether a drawing is still current.
type outputSpec struct {
	result *experiment.Result
	pins   []pin
	show   []string
	width  int
	height int    // the terminal's, to size charts
	lang   string // labels are translated into it
}

func (a outputSpec) same(b outputSpec) bool {
	if a.result != b.result || a.width != b.width || a.height != b.height || a.lang != b.lang || len(a.pins) != len(b.pins) {
		return false
	}
	for i := range a.pins {
		if a.pins[i].result != b.pins[i].result {
			return false
		}
	}
	return true
}

// drawOutputs renders the outputs a cell shows, in its order (everything,
// in a fixed order, when show is empty). It takes milliseconds: call it from
// a tea.Cmd.
func drawOutputs(spec outputSpec, st *Styles) string {
	if spec.result == nil {
		return ""
	}
	r := locale.Result(spec.lang, spec.result)
	theme := st.Plot
	theme.Words = plot.Words{Log: T(spec.lang, "log_scale"), Minimum: T(spec.lang, "minimum"), Start: T(spec.lang, "start"), Low: T(spec.lang, "low"), High: T(spec.lang, "high")}
	w := spec.width
	chartH := max(8, min(16, spec.height/3))
	surfH := max(8, min(22, w/4))
	show := spec.show
	if len(show) == 0 {
		show = allKeys(r)
	}
	var parts []string
	var scalars []experiment.Scalar
	flush := func() {
		if len(scalars) > 0 {
			parts = append(parts, scalarTable(scalars, spec.pins, w, st, T(spec.lang, "now")))
			scalars = nil
		}
	}
	for _, k := range show {
		if k == "scalars" {
			scalars = append(scalars, r.Scalars...)
			continue
		}
		if k == "notes" {
			flush()
			for _, n := range r.Notes {
				parts = append(parts, st.Subtle.Render(report.Wrap("• "+n, w)))
			}
			continue
		}
		if s, ok := r.Scalar(k); ok {
			scalars = append(scalars, s)
			continue
		}
		flush()
		if c, ok := findChart(r, k); ok {
			for _, p := range spec.pins {
				if pc, ok := findChart(locale.Result(spec.lang, p.result), k); ok {
					for _, s := range pc.Series {
						s.Name = pinName(s.Name, p.label)
						c.Series = append(c.Series, s)
					}
				}
			}
			parts = append(parts, plot.LineChart(c, w, chartH, theme))
		} else if s, ok := findSurface(r, k); ok {
			for _, p := range spec.pins {
				if ps, ok := findSurface(locale.Result(spec.lang, p.result), k); ok {
					for _, path := range ps.Paths {
						path.Name = pinName(path.Name, p.label)
						s.Paths = append(s.Paths, path)
					}
				}
			}
			parts = append(parts, plot.Surface(s, w, surfH, theme))
		} else if b, ok := findBars(r, k); ok {
			for _, p := range spec.pins {
				if pb, ok := findBars(locale.Result(spec.lang, p.result), k); ok {
					for _, g := range pb.Groups {
						g.Name = pinName(g.Name, p.label)
						b.Groups = append(b.Groups, g)
					}
				}
			}
			parts = append(parts, plot.Bars(b, w, theme))
		} else if t, ok := findTable(r, k); ok {
			tt := report.Table(t, report.Options{Width: w})
			parts = append(parts, clip(tt, w))
		}
	}
	flush()
	return strings.Join(parts, "\n\n")
}

func pinName(name string, label string) string { return name + " · " + label }

// clip cuts lines wider than w (wide tables) so the layout holds.
func clip(s string, w int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if report.Width(l) > w {
			lines[i] = truncate(l, w)
		}
	}
	return strings.Join(lines, "\n")
}

// scalarTable lines up labels, values and units in w columns; a label too
// long for its line is wrapped onto the lines below it. Pinned runs add a
// column each, headed by their label, so numbers compare side by side.
func scalarTable(ss []experiment.Scalar, pins []pin, w int, st *Styles, nowWord string) string {
	cols := make([][]string, 1+len(pins)) // cols[0] is the current run
	widths := make([]int, len(cols))
	for _, s := range ss {
		cols[0] = append(cols[0], report.Number(s.Value))
		for k, p := range pins {
			v := "--"
			if ps, ok := p.result.Scalar(s.Key); ok {
				v = report.Number(ps.Value)
			}
			cols[k+1] = append(cols[k+1], v)
		}
	}
	var head []string
	if len(pins) > 0 {
		head = append(head, "")
		for _, p := range pins {
			name, _, _ := strings.Cut(p.label, ":")
			head = append(head, name)
		}
	}
	lw, uw, vw := 0, 0, 0
	for _, s := range ss {
		lw = max(lw, report.Width(s.Label))
		uw = max(uw, report.Width(s.Unit))
	}
	for k, col := range cols {
		for _, v := range col {
			widths[k] = max(widths[k], report.Width(v))
		}
		if k > 0 {
			widths[k] = max(widths[k], report.Width(head[k]))
		} else if len(pins) > 0 {
			widths[0] = max(widths[0], report.Width(nowWord))
		}
		vw += widths[k] + 2
	}
	lw = max(8, min(lw, w-vw-uw-1))
	var b strings.Builder
	if len(pins) > 0 {
		b.WriteString(strings.Repeat(" ", lw))
		b.WriteString(st.Subtle.Render(report.Pad(nowWord, widths[0]+2, true)))
		for k := 1; k < len(cols); k++ {
			b.WriteString(st.Subtle.Render(report.Pad(head[k], widths[k]+2, true)))
		}
		b.WriteByte('\n')
	}
	for i, s := range ss {
		if i > 0 {
			b.WriteByte('\n')
		}
		label := strings.Split(report.Wrap(s.Label, lw), "\n")
		for _, l := range label[:len(label)-1] {
			b.WriteString(st.Subtle.Render(l) + "\n")
		}
		b.WriteString(st.Subtle.Render(report.Pad(label[len(label)-1], lw, false)))
		b.WriteString("  " + st.Accent.Render(report.Pad(cols[0][i], widths[0], true)))
		for k := 1; k < len(cols); k++ {
			b.WriteString("  " + st.Subtle.Render(report.Pad(cols[k][i], widths[k], true)))
		}
		if s.Unit != "" {
			b.WriteString(" " + st.Subtle.Render(s.Unit))
		}
	}
	return b.String()
}

// allKeys is the default order of outputs when a cell names none.
func allKeys(r *experiment.Result) []string {
	keys := []string{"scalars"}
	for _, t := range r.Tables {
		keys = append(keys, t.Key)
	}
	for _, s := range r.Surfaces {
		keys = append(keys, s.Key)
	}
	for _, c := range r.Charts {
		keys = append(keys, c.Key)
	}
	for _, b := range r.Bars {
		keys = append(keys, b.Key)
	}
	return append(keys, "notes")
}

func findChart(r *experiment.Result, k string) (experiment.Chart, bool) {
	i := slices.IndexFunc(r.Charts, func(c experiment.Chart) bool { return c.Key == k })
	if i < 0 {
		return experiment.Chart{}, false
	}
	c := r.Charts[i]
	c.Series = slices.Clone(c.Series)
	return c, true
}

func findSurface(r *experiment.Result, k string) (experiment.Surface, bool) {
	i := slices.IndexFunc(r.Surfaces, func(s experiment.Surface) bool { return s.Key == k })
	if i < 0 {
		return experiment.Surface{}, false
	}
	s := r.Surfaces[i]
	s.Paths = slices.Clone(s.Paths)
	return s, true
}

func findBars(r *experiment.Result, k string) (experiment.BarChart, bool) {
	i := slices.IndexFunc(r.Bars, func(b experiment.BarChart) bool { return b.Key == k })
	if i < 0 {
		return experiment.BarChart{}, false
	}
	b := r.Bars[i]
	b.Groups = slices.Clone(b.Groups)
	return b, true
}

func findTable(r *experiment.Result, k string) (experiment.Table, bool) {
	i := slices.IndexFunc(r.Tables, func(t experiment.Table) bool { return t.Key == k })
	if i < 0 {
		return experiment.Table{}, false
	}
	return r.Tables[i], true
}
