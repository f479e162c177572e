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
	Images     []Image    `json:"images,omitempty"`
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
	// Marks are named reference lines: a level the text talks about (a
	// floor at √β) or the x values where something changes (critical
	// damping).
	Marks []Mark `json:"marks,omitempty"`
	// YWindow, when set, is the range of y values the chart shows, [lo, hi]:
	// the region the text is about. Values outside it are cut at the edge
	// (and marked so) instead of stretching the axis.
	YWindow *[2]float64 `json:"y_window,omitempty"`
}

// Mark is a named reference line of a chart: horizontal at y = At when X
// is false, vertical at x = At when it is true.
type Mark struct {
	Label string  `json:"label"`
	At    float64 `json:"at"`
	X     bool    `json:"x,omitempty"`
}

// Series is one line. When X is nil the points are at x = 0, 1, 2, ….
type Series struct {
	Name string    `json:"name"`
	X    []float64 `json:"x,omitempty"`
	Y    []float64 `json:"y"`
	// Faint marks the raw values that another series smooths (a loss per
	// batch under its moving average): drawn in a muted colour under the
	// other series.
	Faint bool `json:"faint,omitempty"`
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

// Image is a grid of values to show as pixels: one or more channels of
// H×W values each, row-major, channel after channel (a feature map, a
// stack of them, or an input image). Min and Max span the values for the
// colour key; a Signed image's colours diverge around zero (as an edge
// detector's output does), an unsigned one's run from Min to Max.
type Image struct {
	Key      string    `json:"key"`
	Title    string    `json:"title"`
	W        int       `json:"w"`
	H        int       `json:"h"`
	Channels []string  `json:"channels"` // one name a channel
	Data     []float64 `json:"data"`     // len(Channels)·H·W values
	Min      float64   `json:"min"`
	Max      float64   `json:"max"`
	Signed   bool      `json:"signed,omitempty"`
	// Window, when set, is the window of the input each output pixel was
	// computed from (a convolution's scrubber walks it): see Window.
	Window *Window `json:"window,omitempty"`
}

// At returns the value of channel c at row y, column x.
func (m Image) At(c, y, x int) float64 { return m.Data[(c*m.H+y)*m.W+x] }

// Window describes how output pixel (i, j) of an image came from an input
// image (the result's image with key Input): a K×K kernel of weights
// Kernel (row-major) over input rows i·Stride − Pad + p·Dilation and
// columns j·Stride − Pad + q·Dilation (outside the input: 0), the sum of the
// K·K products plus Bias.
type Window struct {
	Input    string    `json:"input"`
	K        int       `json:"k"`
	Kernel   []float64 `json:"kernel"`
	Stride   int       `json:"stride"`
	Pad      int       `json:"pad"`
	Dilation int       `json:"dilation"`
	Bias     float64   `json:"bias,omitempty"`
}

// Tap is one term of an output pixel's sum: the input pixel at (Y, X)
// (In is 0 when it lies in the padding, Inside false) times the kernel's
// weight W at (P, Q).
type Tap struct {
	P, Q   int
	Y, X   int
	Inside bool
	In, W  float64
	Prod   float64
}

// Taps returns the K·K terms of output pixel (i, j) of channel 0 and their
// sum (plus the bias), read from in, the input image (channel 0), in the
// kernel's row-major order and summed in that order.
func (w *Window) Taps(in Image, i, j int) ([]Tap, float64) {
	taps := make([]Tap, 0, w.K*w.K)
	sum := 0.0
	for p := 0; p < w.K; p++ {
		for q := 0; q < w.K; q++ {
			y, x := i*w.Stride-w.Pad+p*w.Dilation, j*w.Stride-w.Pad+q*w.Dilation
			t := Tap{P: p, Q: q, Y: y, X: x, W: w.Kernel[p*w.K+q]}
			if y >= 0 && y < in.H && x >= 0 && x < in.W {
				t.Inside, t.In = true, in.At(0, y, x)
			}
			t.Prod = t.In * t.W
			sum += t.Prod
			taps = append(taps, t)
		}
	}
	return taps, sum + w.Bias
}

// Image returns the image with the given key.
func (r *Result) Image(key string) (Image, bool) {
	for _, m := range r.Images {
		if m.Key == key {
			return m, true
		}
	}
	return Image{}, false
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
