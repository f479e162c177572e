package experiment

// Output is one part of a result that a view draws: a run of scalars, or
// one chart, surface, bar chart or table, or the notes. Exactly one field is
// set.
type Output struct {
	Scalars []Scalar
	Chart   *Chart
	Surface *Surface
	Bars    *BarChart
	Table   *Table
	Notes   []string
}

// Select resolves a cell's show list into the outputs to draw, in its order:
// a scalar key, or "scalars" for all of them, joins the run of scalars before
// it; a chart, surface, bar-chart or table key names that output; "notes"
// the notes. Keys the result lacks are skipped. An empty show means
// everything: scalars, tables, surfaces, charts, bars, notes.
func (r *Result) Select(show []string) []Output {
	if len(show) == 0 {
		show = r.defaultShow()
	}
	var out []Output
	var run []Scalar
	flush := func() {
		if len(run) > 0 {
			out = append(out, Output{Scalars: run})
			run = nil
		}
	}
	for _, k := range show {
		if k == "scalars" {
			run = append(run, r.Scalars...)
			continue
		}
		if s, ok := r.Scalar(k); ok {
			run = append(run, s)
			continue
		}
		var o Output
		if k == "notes" {
			o.Notes = r.Notes
		} else if c, ok := r.Chart(k); ok {
			o.Chart = &c
		} else if s, ok := r.Surface(k); ok {
			o.Surface = &s
		} else if b, ok := r.BarChart(k); ok {
			o.Bars = &b
		} else if t, ok := r.Table(k); ok {
			o.Table = &t
		} else {
			continue
		}
		flush()
		if k != "notes" || len(r.Notes) > 0 {
			out = append(out, o)
		}
	}
	flush()
	return out
}

func (r *Result) defaultShow() []string {
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

// Chart returns the chart with the given key.
func (r *Result) Chart(key string) (Chart, bool) {
	for _, c := range r.Charts {
		if c.Key == key {
			return c, true
		}
	}
	return Chart{}, false
}

// Surface returns the surface with the given key.
func (r *Result) Surface(key string) (Surface, bool) {
	for _, s := range r.Surfaces {
		if s.Key == key {
			return s, true
		}
	}
	return Surface{}, false
}

// BarChart returns the bar chart with the given key.
func (r *Result) BarChart(key string) (BarChart, bool) {
	for _, b := range r.Bars {
		if b.Key == key {
			return b, true
		}
	}
	return BarChart{}, false
}

// Table returns the table with the given key.
func (r *Result) Table(key string) (Table, bool) {
	for _, t := range r.Tables {
		if t.Key == key {
			return t, true
		}
	}
	return Table{}, false
}
