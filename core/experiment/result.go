package experiment

// Result is the neutral outcome of a run. Views choose how to draw each part;
// nothing here is formatted for a terminal. Keys are stable identifiers that
// lessons and exercise goals refer to (e.g. "adam.final_loss").
type Result struct {
	Experiment string     `json:"experiment"`
	Scalars    []Scalar   `json:"scalars,omitempty"`
	Charts     []Chart    `json:"charts,omitempty"`
	Surfaces   []Surface  `json:"surfaces,omitempty"`
	Bars       []BarChart `json:"bars,omitempty"`
	Tables     []Table    `json:"tables,omitempty"`
	Notes      []string   `json:"notes,omitempty"`
	// JSON is the experiment's stable machine-readable payload, printed by
	// `nnlab run … --json`. Its shape is documented per experiment.
	JSON any `json:"-"`
}

// Scalar is one named number. Unit is a short unit ("params", "MACs", "steps",
// "" for none).
type Scalar struct {
	Key   string  `json:"key"`
	Label string  `json:"label"`
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
}

// Chart is a line chart of one or more series sharing axes.
type Chart struct {
	Key    string   `json:"key"`
	Title  string   `json:"title"`
	XLabel string   `json:"x_label,omitempty"`
	YLabel string   `json:"y_label,omitempty"`
	LogY   bool     `json:"log_y,omitempty"`
	Series []Series `json:"series"`
	// Refs are y values drawn as faint horizontal lines, e.g. a rate of 1,
	// below which a run converges.
	Refs []float64 `json:"refs,omitempty"`
}

// Series is one line. When X is nil the points are at x = 0, 1, 2, ….
type Series struct {
	Name string    `json:"name"`
	X    []float64 `json:"x,omitempty"`
	Y    []float64 `json:"y"`
}

// Surface is a scalar field sampled on a regular grid over
// [XMin, XMax] × [YMin, YMax], with paths drawn over it.
// Z has NY rows of NX values; row 0 is at YMin, column 0 at XMin.
type Surface struct {
	Key    string       `json:"key"`
	Title  string       `json:"title"`
	XMin   float64      `json:"x_min"`
	XMax   float64      `json:"x_max"`
	YMin   float64      `json:"y_min"`
	YMax   float64      `json:"y_max"`
	NX     int          `json:"nx"`
	NY     int          `json:"ny"`
	Z      []float64    `json:"z"`
	Minima [][2]float64 `json:"minima,omitempty"`
	Paths  []Path       `json:"paths,omitempty"`
}

// At returns the sample at column i, row j.
func (s Surface) At(i, j int) float64 { return s.Z[j*s.NX+i] }

// Path is a sequence of points, e.g. an optimizer's trajectory. Loss and
// Velocity, when set, hold the value and the momentum buffer at each point,
// for a view that walks the path step by step.
type Path struct {
	Name     string       `json:"name"`
	Points   [][2]float64 `json:"points"`
	Loss     []float64    `json:"loss,omitempty"`
	Velocity [][2]float64 `json:"velocity,omitempty"`
}

// BarChart shows, for each label, one bar per group
// (e.g. labels = layers, groups = "plain" and "residual").
type BarChart struct {
	Key    string     `json:"key"`
	Title  string     `json:"title"`
	LogY   bool       `json:"log_y,omitempty"`
	Labels []string   `json:"labels"`
	Groups []BarGroup `json:"groups"`
}

// BarGroup is one value per label.
type BarGroup struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Align of a table column.
type Align int

const (
	Left Align = iota
	Right
)

// Column of a table. Numeric columns hold int64 or float64 cells and are
// right-aligned by views; views group int64 digits.
type Column struct {
	Name  string `json:"name"`
	Align Align  `json:"align"`
}

// Table is rows of cells; Depth indents the first cell (tree tables such as
// an architecture summary). Cells are string, int64 or float64; nil prints
// as "--".
type Table struct {
	Key     string   `json:"key"`
	Title   string   `json:"title"`
	Columns []Column `json:"columns"`
	Rows    []Row    `json:"rows"`
	Footer  []Row    `json:"footer,omitempty"` // totals, shown below a rule
}

// Row of a table.
type Row struct {
	Depth int   `json:"depth,omitempty"`
	Cells []any `json:"cells"`
}

// Scalar returns the scalar with the given key.
func (r *Result) Scalar(key string) (Scalar, bool) {
	for _, s := range r.Scalars {
		if s.Key == key {
			return s, true
		}
	}
	return Scalar{}, false
}

// AddScalar appends a scalar.
func (r *Result) AddScalar(key, label string, value float64, unit string) {
	r.Scalars = append(r.Scalars, Scalar{Key: key, Label: label, Value: value, Unit: unit})
}
