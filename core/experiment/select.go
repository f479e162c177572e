package experiment

// OutputKind is a kind of output: scalar, table, surface, chart, bar chart,
// image, note.
type OutputKind int

const (
	KindScalar OutputKind = iota
	KindTable
	KindSurface
	KindChart
	KindBars
	KindImage
	KindNote
)

// kinds declares each output kind once, in the order a result is shown when
// a cell names nothing: its name and its key walk (every key of that kind
// in r, in order). Select, the default show, OutputKeys and the key
// uniqueness test all go through it; a new kind is a new entry here, a
// field of Result and Output, and a renderer per view.
var kinds = []struct {
	kind OutputKind
	name string
	keys func(r *Result) []string
}{
	{KindScalar, "scalar", func(r *Result) []string { return keysOf(r.Scalars, func(s Scalar) string { return s.Key }) }},
	{KindTable, "table", func(r *Result) []string { return keysOf(r.Tables, func(t Table) string { return t.Key }) }},
	{KindSurface, "surface", func(r *Result) []string { return keysOf(r.Surfaces, func(s Surface) string { return s.Key }) }},
	{KindChart, "chart", func(r *Result) []string { return keysOf(r.Charts, func(c Chart) string { return c.Key }) }},
	{KindBars, "bar chart", func(r *Result) []string { return keysOf(r.Bars, func(b BarChart) string { return b.Key }) }},
	{KindImage, "image", func(r *Result) []string { return keysOf(r.Images, func(m Image) string { return m.Key }) }},
	{KindNote, "notes", func(r *Result) []string { return []string{"notes"} }},
}

func keysOf[T any](items []T, key func(T) string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = key(it)
	}
	return out
}

func (k OutputKind) String() string { return kinds[k].name }

// OutputKinds lists every kind of output, in the order a result is shown.
func OutputKinds() []OutputKind {
	out := make([]OutputKind, len(kinds))
	for i, k := range kinds {
		out[i] = k.kind
	}
	return out
}

// OutputKey is one output of a result, named by its key.
type OutputKey struct {
	Kind OutputKind
	Key  string
}

// Keys lists every output of r by kind, in the kinds' order (notes once,
// under the key "notes").
func (r *Result) Keys() []OutputKey {
	var out []OutputKey
	for _, k := range kinds {
		for _, key := range k.keys(r) {
			out = append(out, OutputKey{k.kind, key})
		}
	}
	return out
}

// OutputKeys lists what a cell's show may name for r: every output's key,
// then "scalars" and "notes".
func (r *Result) OutputKeys() []string {
	var out []string
	for _, k := range r.Keys() {
		if k.Kind != KindNote {
			out = append(out, k.Key)
		}
	}
	return append(out, "scalars", "notes")
}

// Output is one part of a result that a view draws: a run of scalars, or
// one chart, surface, bar chart, table or image, or the notes. Kind says which
// field is set.
type Output struct {
	Kind    OutputKind
	Scalars []Scalar
	Chart   *Chart
	Surface *Surface
	Bars    *BarChart
	Table   *Table
	Image   *Image
	Notes   []string
	// Input is, for an image with a Window, the image it was computed from
	// (the result's image named by Window.Input), so that a view can show
	// a pixel's window beside it.
	Input *Image
}

// output is the output named key, if r has one (scalars excepted: they
// gather into runs).
func (r *Result) output(k OutputKey) Output {
	o := Output{Kind: k.Kind}
	switch k.Kind {
	case KindTable:
		t, _ := r.Table(k.Key)
		o.Table = &t
	case KindSurface:
		s, _ := r.Surface(k.Key)
		o.Surface = &s
	case KindChart:
		c, _ := r.Chart(k.Key)
		o.Chart = &c
	case KindBars:
		b, _ := r.BarChart(k.Key)
		o.Bars = &b
	case KindImage:
		m, _ := r.Image(k.Key)
		o.Image = &m
		if m.Window != nil {
			if in, ok := r.Image(m.Window.Input); ok {
				o.Input = &in
			}
		}
	case KindNote:
		o.Notes = r.Notes
	}
	return o
}

// Select resolves a cell's show list into the outputs to draw, in its order:
// a scalar key, or "scalars" for all of them, joins the run of scalars before
// it; a chart, surface, bar-chart or table key names that output; "notes"
// the notes. Keys the result lacks are skipped. An empty show means
// everything, in the kinds' order: scalars, tables, surfaces, charts, bars,
// images, notes.
func (r *Result) Select(show []string) []Output {
	all := r.Keys()
	if len(show) == 0 {
		show = []string{"scalars"}
		for _, k := range all {
			if k.Kind != KindScalar {
				show = append(show, k.Key)
			}
		}
	}
	byKey := map[string]OutputKey{}
	for _, k := range all {
		if _, dup := byKey[k.Key]; !dup {
			byKey[k.Key] = k
		}
	}
	var out []Output
	var run []Scalar
	flush := func() {
		if len(run) > 0 {
			out = append(out, Output{Kind: KindScalar, Scalars: run})
			run = nil
		}
	}
	for _, key := range show {
		if key == "scalars" {
			run = append(run, r.Scalars...)
			continue
		}
		k, ok := byKey[key]
		switch {
		case !ok:
			continue
		case k.Kind == KindScalar:
			s, _ := r.Scalar(key)
			run = append(run, s)
			continue
		}
		flush()
		if k.Kind != KindNote || len(r.Notes) > 0 {
			out = append(out, r.output(k))
		}
	}
	flush()
	return out
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
