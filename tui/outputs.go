package tui

import (
	"maps"
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
	// bars is the scale of each bar chart, by its key: wide enough for this
	// run, the pins and every earlier drawing of the cell (keepScales), so
	// a bar's length compares run to run.
	bars map[string]plot.BarScale
	// scrub is 1 + the step a scrubbed cell shows on its paths, or the
	// pixel of its convolution's map (0: none).
	scrub int
}

// keepScales returns a with the scales of its bar charts widened to cover
// its result, its pins and the scales of prev, the cell's previous drawing.
func (a outputSpec) keepScales(prev outputSpec) outputSpec {
	bars := make(map[string]plot.BarScale, len(prev.bars))
	maps.Copy(bars, prev.bars)
	add := func(r *experiment.Result) {
		if r == nil {
			return
		}
		for _, b := range r.Bars {
			bars[b.Key] = bars[b.Key].Union(plot.ScaleOf(b))
		}
	}
	add(a.result)
	for _, p := range a.pins {
		add(p.result)
	}
	a.bars = bars
	return a
}

func (a outputSpec) same(b outputSpec) bool {
	if a.result != b.result || a.width != b.width || a.height != b.height || a.lang != b.lang || len(a.pins) != len(b.pins) || a.scrub != b.scrub {
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
	theme.Words = plot.WordsIn(spec.lang)
	d := drawing{spec: spec, st: st, theme: theme, w: spec.width}
	var parts []string
	for _, out := range r.Select(spec.show) {
		parts = append(parts, drawers[out.Kind](d, out))
	}
	return strings.Join(parts, "\n\n")
}

// drawing is what every drawer needs.
type drawing struct {
	spec  outputSpec
	st    *Styles
	theme plot.Theme
	w     int
}

// drawers draw each kind of output in the notebook, one entry per kind;
// pinned runs join the drawing of their own output.
var drawers = map[experiment.OutputKind]func(drawing, experiment.Output) string{
	experiment.KindScalar: func(d drawing, out experiment.Output) string {
		return scalarTable(out.Scalars, d.spec.pins, d.w, d.st, T(d.spec.lang, "now"))
	},
	experiment.KindNote: func(d drawing, out experiment.Output) string {
		notes := make([]string, len(out.Notes))
		for i, n := range out.Notes {
			notes[i] = d.st.Subtle.Render(report.Wrap("• "+n, d.w))
		}
		return strings.Join(notes, "\n\n")
	},
	experiment.KindChart: func(d drawing, out experiment.Output) string {
		c := *out.Chart
		c.Series = withPins(d.spec, c.Series,
			func(r *experiment.Result) []experiment.Series {
				pc, _ := r.Chart(c.Key)
				// A pinned run shows its lines, not the raw values under them.
				return slices.DeleteFunc(slices.Clone(pc.Series), func(s experiment.Series) bool { return s.Faint })
			},
			func(s experiment.Series, label string) experiment.Series { s.Name = pinName(s.Name, label); return s })
		return plot.LineChart(c, d.w, max(8, min(16, d.spec.height/3)), d.theme)
	},
	experiment.KindSurface: func(d drawing, out experiment.Output) string {
		sf := *out.Surface
		sf.Paths = withPins(d.spec, sf.Paths,
			func(r *experiment.Result) []experiment.Path { ps, _ := r.Surface(sf.Key); return ps.Paths },
			func(p experiment.Path, label string) experiment.Path { p.Name = pinName(p.Name, label); return p })
		th := d.theme
		th.Step = d.spec.scrub - 1
		return plot.Surface(sf, d.w, max(8, min(22, d.w/4)), th)
	},
	experiment.KindBars: func(d drawing, out experiment.Output) string {
		b := *out.Bars
		b.Groups = withPins(d.spec, b.Groups,
			func(r *experiment.Result) []experiment.BarGroup { pb, _ := r.BarChart(b.Key); return pb.Groups },
			func(g experiment.BarGroup, label string) experiment.BarGroup {
				g.Name = pinName(g.Name, label)
				return g
			})
		return plot.BarsOn(b, d.spec.bars[b.Key], d.w, d.theme)
	},
	experiment.KindTable: func(d drawing, out experiment.Output) string {
		return clip(report.Table(*out.Table, report.Options{Width: d.w}), d.w)
	},
	experiment.KindImage: func(d drawing, out experiment.Output) string {
		// A convolution's map is drawn beside its input; scrubbing walks
		// its pixels (row-major) and writes the one reached out as a sum.
		p := -1
		if out.Image.Window != nil && d.spec.scrub > 0 {
			p = d.spec.scrub - 1
		}
		return plot.ImageWith(*out.Image, out.Input, p, d.w, d.theme, report.WordsIn(d.spec.lang))
	},
}

// withPins returns own followed by the same output's items (series, paths,
// bar groups) of every pinned run, each renamed with its pin's label; own
// itself is not modified.
func withPins[I any](spec outputSpec, own []I, items func(*experiment.Result) []I, rename func(I, string) I) []I {
	out := slices.Clone(own)
	for _, p := range spec.pins {
		for _, it := range items(locale.Result(spec.lang, p.result)) {
			out = append(out, rename(it, p.label))
		}
	}
	return out
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
		cols[0] = append(cols[0], experiment.Number(s.Value))
		for k, p := range pins {
			v := "--"
			if ps, ok := p.result.Scalar(s.Key); ok {
				v = experiment.Number(ps.Value)
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
