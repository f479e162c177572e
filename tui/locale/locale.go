package locale

import (
	"slices"

	"github.com/nnlab/nnlab/core/experiment"
)

// Text returns s in lang: its translation when the catalog of lang has an
// entry for it, s itself otherwise (always for "en").
func Text(lang, s string) string {
	return get(lang).text(s)
}

// Result returns r with its words in lang: scalar labels and units, chart
// titles and axis labels, surface titles, bar-chart titles, table titles and
// column names, image titles and channel names, and notes; series, path and bar-group names only where the
// catalog has an exact entry for them (most are optimizer names, which stay).
// Keys, numbers, table cells and bar labels are data and are not translated.
//
// The result is a deep copy and r is never modified, except that the opaque
// JSON payload is shared. For "en" and languages without a catalog, Result
// returns r itself.
func Result(lang string, r *experiment.Result) *experiment.Result {
	c := get(lang)
	if c == nil || r == nil {
		return r
	}
	out := &experiment.Result{Experiment: r.Experiment, JSON: r.JSON}
	for _, k := range experiment.OutputKinds() {
		translators[k](c, r, out)
	}
	return out
}

// translators copy one kind of output of r into out with its words in c's
// language, one entry per kind.
var translators = map[experiment.OutputKind]func(c *catalog, r, out *experiment.Result){
	experiment.KindScalar: func(c *catalog, r, out *experiment.Result) {
		if r.Scalars == nil {
			return
		}
		out.Scalars = make([]experiment.Scalar, len(r.Scalars))
		for i, s := range r.Scalars {
			s.Label, s.Unit = c.text(s.Label), c.text(s.Unit)
			out.Scalars[i] = s
		}
	},
	experiment.KindChart: func(c *catalog, r, out *experiment.Result) {
		if r.Charts == nil {
			return
		}
		out.Charts = make([]experiment.Chart, len(r.Charts))
		for i, ch := range r.Charts {
			ch.Title, ch.XLabel, ch.YLabel = c.text(ch.Title), c.text(ch.XLabel), c.text(ch.YLabel)
			ch.Series = cloneSeries(c, ch.Series)
			ch.Refs = slices.Clone(ch.Refs)
			if ch.Marks != nil {
				marks := make([]experiment.Mark, len(ch.Marks))
				for j, m := range ch.Marks {
					m.Label = c.text(m.Label)
					marks[j] = m
				}
				ch.Marks = marks
			}
			if ch.YWindow != nil {
				w := *ch.YWindow
				ch.YWindow = &w
			}
			out.Charts[i] = ch
		}
	},
	experiment.KindSurface: func(c *catalog, r, out *experiment.Result) {
		if r.Surfaces == nil {
			return
		}
		out.Surfaces = make([]experiment.Surface, len(r.Surfaces))
		for i, s := range r.Surfaces {
			s.Title = c.text(s.Title)
			s.Z, s.Minima = slices.Clone(s.Z), slices.Clone(s.Minima)
			if s.Paths != nil {
				paths := make([]experiment.Path, len(s.Paths))
				for j, p := range s.Paths {
					paths[j] = experiment.Path{Name: c.name(p.Name), Points: slices.Clone(p.Points), Loss: slices.Clone(p.Loss), Velocity: slices.Clone(p.Velocity)}
				}
				s.Paths = paths
			}
			out.Surfaces[i] = s
		}
	},
	experiment.KindBars: func(c *catalog, r, out *experiment.Result) {
		if r.Bars == nil {
			return
		}
		out.Bars = make([]experiment.BarChart, len(r.Bars))
		for i, b := range r.Bars {
			b.Title = c.text(b.Title)
			b.Labels = slices.Clone(b.Labels)
			if b.Groups != nil {
				groups := make([]experiment.BarGroup, len(b.Groups))
				for j, g := range b.Groups {
					groups[j] = experiment.BarGroup{Name: c.name(g.Name), Values: slices.Clone(g.Values)}
				}
				b.Groups = groups
			}
			out.Bars[i] = b
		}
	},
	experiment.KindTable: func(c *catalog, r, out *experiment.Result) {
		if r.Tables == nil {
			return
		}
		out.Tables = make([]experiment.Table, len(r.Tables))
		for i, t := range r.Tables {
			t.Title = c.text(t.Title)
			if t.Columns != nil {
				cols := make([]experiment.Column, len(t.Columns))
				for j, col := range t.Columns {
					col.Name = c.text(col.Name)
					cols[j] = col
				}
				t.Columns = cols
			}
			t.Rows, t.Footer = cloneRows(c, t.Rows), cloneRows(c, t.Footer)
			out.Tables[i] = t
		}
	},
	experiment.KindImage: func(c *catalog, r, out *experiment.Result) {
		if r.Images == nil {
			return
		}
		out.Images = make([]experiment.Image, len(r.Images))
		for i, m := range r.Images {
			m.Title = c.text(m.Title)
			m.Channels = slices.Clone(m.Channels)
			for j, ch := range m.Channels {
				m.Channels[j] = c.text(ch)
			}
			m.Data = slices.Clone(m.Data)
			if m.Window != nil {
				w := *m.Window
				w.Kernel = slices.Clone(w.Kernel)
				m.Window = &w
			}
			out.Images[i] = m
		}
	},
	experiment.KindNote: func(c *catalog, r, out *experiment.Result) {
		if r.Notes == nil {
			return
		}
		out.Notes = make([]string, len(r.Notes))
		for i, n := range r.Notes {
			out.Notes[i] = c.text(n)
		}
	},
}

// Param returns p with its Help in lang. The slices of p (choices, aliases, a
// list default) are shared with p; p itself is a value and is not modified.
func Param(lang string, p experiment.Param) experiment.Param {
	p.Help = Text(lang, p.Help)
	return p
}

func cloneSeries(c *catalog, ss []experiment.Series) []experiment.Series {
	if ss == nil {
		return nil
	}
	out := make([]experiment.Series, len(ss))
	for i, s := range ss {
		out[i] = experiment.Series{Name: c.name(s.Name), X: slices.Clone(s.X), Y: slices.Clone(s.Y), Faint: s.Faint}
	}
	return out
}

// cloneRows copies rows and their cell slices, translating text cells as
// names (see catalog.name); cells are immutable values (string, int64,
// float64 or nil).
func cloneRows(c *catalog, rows []experiment.Row) []experiment.Row {
	if rows == nil {
		return nil
	}
	out := make([]experiment.Row, len(rows))
	for i, r := range rows {
		cells := slices.Clone(r.Cells)
		for j, cell := range cells {
			if str, ok := cell.(string); ok {
				cells[j] = c.name(str)
			}
		}
		out[i] = experiment.Row{Depth: r.Depth, Cells: cells}
	}
	return out
}
