package report

import (
	"fmt"
	"github.com/nnlab/nnlab/tui/locale"
	"math"
	"strings"

	"github.com/nnlab/nnlab/core/experiment"
)

// Options control the text layout.
type Options struct {
	Width       int  // total columns (default 80)
	ChartHeight int  // rows of a line chart's plot area (default 10)
	ShowKeys    bool // print each scalar's key, for authors of exercise goals
	Words       Words
}

// Words are the few words a report prints besides the data's own labels.
type Words struct {
	LogScale  string // after the title of a chart with a log axis
	Minimum   string // explains the X on a surface
	OffScale  string // a series cut at the top: name, where it leaves, peak
	Clipped   string // values above a chart's y window (the value) are cut
	OffWindow string // a path ending outside a surface: name, final x and y
	Low       string // the ends of a surface's shading key
	High      string
	// A convolution's pixel written out (TapsText): the input window's
	// rows and columns (four numbers), the kernel, the products, and the
	// sum (the pixel's row and column, then the value).
	Window, Kernel, Products, PixelSum string
}

// WordsIn is the report words in lang, from the message catalog.
func WordsIn(lang string) Words {
	return Words{LogScale: locale.Msg(lang, "report.log_scale"), Minimum: locale.Msg(lang, "report.minimum_mark"),
		OffScale: locale.Msg(lang, "chart.off_scale"), OffWindow: locale.Msg(lang, "chart.off_window"), Clipped: locale.Msg(lang, "chart.clipped"),
		Low: locale.Msg(lang, "chart.low"), High: locale.Msg(lang, "chart.high"),
		Window: locale.Msg(lang, "image.window"), Kernel: locale.Msg(lang, "image.kernel"),
		Products: locale.Msg(lang, "image.products"), PixelSum: locale.Msg(lang, "image.pixel_sum")}
}

func (o Options) words() Words {
	if o.Words == (Words{}) {
		return WordsIn("en")
	}
	return o.Words
}

func (o Options) width() int {
	if o.Width <= 0 {
		return 80
	}
	return max(o.Width, 30)
}

func (o Options) chartHeight() int {
	if o.ChartHeight <= 0 {
		return 10
	}
	return o.ChartHeight
}

// Markers tell series apart without colour, in legend order.
var Markers = []rune{'*', '+', 'o', 'x', '#', '@', '%', '&'}

// Text renders a whole result: scalars, tables, surfaces, charts, bars, notes.
func Text(r *experiment.Result, o Options) string { return Show(r, nil, o) + "\n" }

// Show renders the outputs a cell's show list names, in its order
// (everything when it is empty; see experiment.Result.Select).
func Show(r *experiment.Result, show []string, o Options) string {
	var parts []string
	for _, out := range r.Select(show) {
		parts = append(parts, renderers[out.Kind](out, o))
	}
	return strings.Join(parts, "\n\n")
}

// renderers draw each kind of output as text, one entry per kind.
var renderers = map[experiment.OutputKind]func(experiment.Output, Options) string{
	experiment.KindScalar:  func(out experiment.Output, o Options) string { return Scalars(out.Scalars, o) },
	experiment.KindTable:   func(out experiment.Output, o Options) string { return Table(*out.Table, o) },
	experiment.KindSurface: func(out experiment.Output, o Options) string { return Surface(*out.Surface, o) },
	experiment.KindChart:   func(out experiment.Output, o Options) string { return Chart(*out.Chart, o) },
	experiment.KindBars:    func(out experiment.Output, o Options) string { return Bars(*out.Bars, o) },
	experiment.KindImage:   func(out experiment.Output, o Options) string { return Image(*out.Image, o) },
	experiment.KindNote: func(out experiment.Output, o Options) string {
		notes := make([]string, len(out.Notes))
		for i, n := range out.Notes {
			notes[i] = Wrap("• "+n, o.width())
		}
		return strings.Join(notes, "\n")
	},
}

// Scalars renders label, value and unit (and the key with ShowKeys) aligned,
// one number to a row; a label too long for the width wraps onto lines of
// its own above its value.
func Scalars(ss []experiment.Scalar, o Options) string {
	vals := make([]string, len(ss))
	lw, vw, uw, kw := 0, 0, 0, 0
	for i, s := range ss {
		vals[i] = experiment.Number(s.Value)
		lw, vw, uw = max(lw, Width(s.Label)), max(vw, Width(vals[i])), max(uw, Width(s.Unit))
		if o.ShowKeys {
			kw = max(kw, Width(s.Key)+4)
		}
	}
	lw = min(lw, max(10, o.width()-vw-uw-kw-4))
	var b strings.Builder
	for i, s := range ss {
		label := strings.Split(Wrap(s.Label, lw), "\n")
		for _, l := range label[:len(label)-1] {
			b.WriteString(l + "\n")
		}
		row := Pad(label[len(label)-1], lw, false) + "  " + Pad(vals[i], vw, true)
		if uw > 0 {
			row += "  " + Pad(s.Unit, uw, false)
		}
		if o.ShowKeys {
			row += "  [" + s.Key + "]"
		}
		b.WriteString(strings.TrimRight(row, " ") + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// treePrefixes draws the tree of rows by their Depth: "├─" before a row
// that has a later sibling, "└─" before the last one, and under them "│  "
// where an ancestor's branch goes on, "   " where it has ended.
func treePrefixes(rows []experiment.Row) []string {
	out := make([]string, len(rows))
	// more reports whether a row at depth d follows i before the tree
	// climbs above d.
	more := func(i, d int) bool {
		for j := i + 1; j < len(rows); j++ {
			switch {
			case rows[j].Depth == d:
				return true
			case rows[j].Depth < d:
				return false
			}
		}
		return false
	}
	for i, r := range rows {
		if r.Depth <= 0 {
			continue
		}
		var b strings.Builder
		for d := 1; d < r.Depth; d++ {
			if more(i, d) {
				b.WriteString("│  ")
			} else {
				b.WriteString("   ")
			}
		}
		if more(i, r.Depth) {
			b.WriteString("├─")
		} else {
			b.WriteString("└─")
		}
		out[i] = b.String()
	}
	return out
}

// Table renders a table with aligned columns (display width, so Korean text
// lines up), a tree prefix for rows with Depth > 0, and a ruled footer.
func Table(t experiment.Table, o Options) string {
	n := len(t.Columns)
	text := func(r experiment.Row, prefix string) []string {
		out := make([]string, n)
		for i := range n {
			if i < len(r.Cells) {
				out[i] = Cell(r.Cells[i])
			}
		}
		if n > 0 {
			out[0] = prefix + out[0]
		}
		return out
	}
	header := make([]string, n)
	hasHeader := false
	for i, c := range t.Columns {
		header[i] = c.Name
		hasHeader = hasHeader || c.Name != ""
	}
	var body, foot [][]string
	rowPrefix, footPrefix := treePrefixes(t.Rows), treePrefixes(t.Footer)
	for i, r := range t.Rows {
		body = append(body, text(r, rowPrefix[i]))
	}
	for i, r := range t.Footer {
		foot = append(foot, text(r, footPrefix[i]))
	}
	widths := make([]int, n)
	for _, rows := range [][][]string{{header}, body, foot} {
		for _, r := range rows {
			for i, c := range r {
				widths[i] = max(widths[i], Width(c))
			}
		}
	}
	// Columns that do not fit the width go to panels below, each repeating
	// the first column, so no number is ever cut.
	var panels [][]int
	cur, used := []int{0}, widths[0]
	for i := 1; i < n; i++ {
		if len(cur) > 1 && used+2+widths[i] > o.width() {
			panels = append(panels, cur)
			cur, used = []int{0}, widths[0]
		}
		cur, used = append(cur, i), used+2+widths[i]
	}
	panels = append(panels, cur)
	var b strings.Builder
	if t.Title != "" {
		b.WriteString(Wrap(t.Title, o.width()) + "\n")
	}
	for pi, cols := range panels {
		if pi > 0 {
			b.WriteString("\n")
		}
		line := func(cells []string) string {
			var lb strings.Builder
			for k, i := range cols {
				if k > 0 {
					lb.WriteString("  ")
				}
				lb.WriteString(Pad(cells[i], widths[i], t.Columns[i].Align == experiment.Right))
			}
			return strings.TrimRight(lb.String(), " ")
		}
		total := 2 * (len(cols) - 1)
		for _, i := range cols {
			total += widths[i]
		}
		rule := strings.Repeat("─", min(total, o.width()))
		if hasHeader {
			b.WriteString(line(header) + "\n" + rule + "\n")
		}
		for _, r := range body {
			b.WriteString(line(r) + "\n")
		}
		if len(foot) > 0 {
			b.WriteString(rule + "\n")
			for _, r := range foot {
				b.WriteString(line(r) + "\n")
			}
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// axis maps values onto [0, n-1] cells, linearly or by log10.
type axis struct {
	lo, hi float64
	log    bool
	n      int
}

func newAxis(vals [][]float64, log bool, n int) axis {
	a := axis{lo: math.Inf(1), hi: math.Inf(-1), log: log, n: n}
	for _, vs := range vals {
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) || (log && v <= 0) {
				continue
			}
			if log {
				v = math.Log10(v)
			}
			a.lo, a.hi = math.Min(a.lo, v), math.Max(a.hi, v)
		}
	}
	if a.lo > a.hi { // nothing finite
		a.lo, a.hi = 0, 1
	}
	if a.hi == a.lo {
		a.lo, a.hi = a.lo-0.5, a.hi+0.5
	}
	return a
}

// tr returns v on the axis' scale (log10 on a log axis), and whether it can
// be drawn at all.
func (a axis) tr(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) || (a.log && v <= 0) {
		return 0, false
	}
	if a.log {
		v = math.Log10(v)
	}
	return v, true
}

// cell returns the cell index of v, or -1 when v cannot be drawn.
func (a axis) cell(v float64) int {
	if math.IsNaN(v) || math.IsInf(v, 0) || (a.log && v <= 0) {
		return -1
	}
	if a.log {
		v = math.Log10(v)
	}
	i := int(math.Round((v - a.lo) / (a.hi - a.lo) * float64(a.n-1)))
	return max(0, min(a.n-1, i))
}

func (a axis) value(i int) float64 {
	v := a.lo + (a.hi-a.lo)*float64(i)/float64(max(a.n-1, 1))
	if a.log {
		return math.Pow(10, v)
	}
	return v
}

type grid [][]rune

func newGrid(w, h int, fill rune) grid {
	g := make(grid, h)
	for j := range g {
		g[j] = []rune(strings.Repeat(string(fill), w))
	}
	return g
}

// line draws from (x0,y0) to (x1,y1) with Bresenham's algorithm.
func (g grid) line(x0, y0, x1, y1 int, r rune) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		g.set(x0, y0, r)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e // once per step: both tests use the error before either update
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func (g grid) set(x, y int, r rune) {
	if y >= 0 && y < len(g) && x >= 0 && x < len(g[y]) {
		g[y][x] = r
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// legendOf lists the series by marker, series i with marker slot[i] (a
// faint one, slot −1, with FaintMark; series i with marker i when slot
// is nil), wrapped to width between items where it can be.
func legendOf(names []string, slot []int, width int) string {
	var lines []string
	line := ""
	for i, n := range names {
		m := Markers[i%len(Markers)]
		if slot != nil && slot[i] < 0 {
			m = FaintMark
		} else if slot != nil {
			m = Markers[slot[i]%len(Markers)]
		}
		item := fmt.Sprintf("%c %s", m, n)
		if line != "" && Width(line)+3+Width(item) > width {
			lines, line = append(lines, line), ""
		}
		if line != "" {
			line += "   "
		}
		line += item
	}
	return Wrap(strings.Join(append(lines, line), "\n"), width)
}

// Chart renders a multi-series line chart with a y axis and a legend. The
// first series is drawn on top, and each series shows its marker every few
// columns, the series taking turns, so one hidden under another is still
// seen; faint series (raw values under their moving average) are drawn
// first, in dots. Series that diverge far above the others are cut at the
// top with an ↑ and a note; a chart with a y window shows that window and
// cuts whatever leaves it. Reference lines carry their value ("rate = 1"),
// named marks their name; vertical marks are dotted columns named below.
// The y axis is labelled at round values, all in one format.
func Chart(c experiment.Chart, o Options) string {
	const labelW = 10
	w := o.width() - labelW - 2
	h := o.chartHeight()
	var xs [][]float64
	names := make([]string, len(c.Series))
	slot := Slots(c.Series)
	bright := 0
	los, his := make([]float64, len(c.Series)), make([]float64, len(c.Series))
	for i, s := range c.Series {
		xs = append(xs, seriesX(s))
		names[i] = s.Name
		los[i], his[i] = drawableRange(s.Y, c.LogY)
		if slot[i] >= 0 {
			bright++
		}
	}
	tame := Tame(los, his, c.LogY)
	var ys [][]float64
	for i, s := range c.Series {
		if tame[i] {
			ys = append(ys, s.Y)
		}
	}
	ax, ay := newAxis(xs, false, w), newAxis(ys, c.LogY, h)
	for i := range los {
		if !math.IsNaN(los[i]) {
			ay.lo = math.Min(ay.lo, los[i])
		}
	}
	ay.lo, ay.hi = Settle(ay.lo, ay.hi, ay.log)
	window := false
	if c.YWindow != nil {
		lo, okl := ay.tr(c.YWindow[0])
		hi, okh := ay.tr(c.YWindow[1])
		if okl && okh && lo < hi {
			ay.lo, ay.hi, window = lo, hi, true
		}
	}
	g := newGrid(w, h, ' ')
	var notes []string
	clipped := false
	type mark struct{ x, y int }
	marks := make([][]mark, len(c.Series))
	var order []int // faint series first; of the others the first ends on top
	for _, faint := range []bool{true, false} {
		for i := len(c.Series) - 1; i >= 0; i-- {
			if (slot[i] < 0) == faint {
				order = append(order, i)
			}
		}
	}
	for _, si := range order {
		s := c.Series[si]
		m := FaintMark
		if slot[si] >= 0 {
			m = Markers[slot[si]%len(Markers)]
		}
		x := xs[si]
		px, py := -1, -1
		left := -1
		for k, v := range s.Y {
			tv, ok := ay.tr(v)
			cx := ax.cell(x[k])
			if cx >= 0 && (math.IsInf(v, 1) || ok && tv > ay.hi) { // above the scale
				clipped = true
				if left < 0 {
					left = k
				}
				if slot[si] < 0 {
					px = -1
					continue
				}
				if px >= 0 {
					g.line(px, py, cx, 0, m)
					g.set(cx, 0, '↑')
				} else if k == 0 {
					g.set(cx, 0, '↑')
				}
				px = -1
				continue
			}
			if !ok || tv < ay.lo-1e-9*math.Max(1, ay.hi-ay.lo) { // below a window: not drawn
				px = -1
				continue
			}
			cy := ay.cell(v)
			if cx < 0 || cy < 0 {
				px = -1
				continue
			}
			cy = h - 1 - cy
			if px >= 0 {
				g.line(px, py, cx, cy, m)
			} else {
				g.set(cx, cy, m)
			}
			if slot[si] >= 0 {
				marks[si] = append(marks[si], mark{cx, cy})
			}
			px, py = cx, cy
		}
		if left >= 0 && !window && slot[si] >= 0 && (!tame[si] || math.IsInf(s.Y[left], 1)) {
			peak := math.Inf(-1)
			for _, v := range s.Y {
				if !math.IsNaN(v) {
					peak = math.Max(peak, v)
				}
			}
			at := strings.TrimSpace(c.XLabel + " " + experiment.Number(x[left]))
			notes = append([]string{"↑ " + fmt.Sprintf(o.words().OffScale, s.Name, at, experiment.Number(peak))}, notes...)
		}
	}
	// Each series' marker on its own columns, over whatever hides it.
	for si := len(c.Series) - 1; si >= 0; si-- {
		for _, mk := range marks[si] {
			if MarkerColumn(mk.x, slot[si], bright) {
				g.set(mk.x, mk.y, Markers[slot[si]%len(Markers)])
			}
		}
	}
	if window && clipped {
		notes = append(notes, "↑ "+fmt.Sprintf(o.words().Clipped, experiment.Number(c.YWindow[1])))
	}
	for _, xm := range XMarks(c, ax.lo, ax.hi) { // dotted columns, named below
		for _, v := range xm.At {
			cx := ax.cell(v)
			for j := range g {
				if g[j][cx] == ' ' {
					g[j][cx] = '┊'
				}
			}
		}
		notes = append(notes, "┊ "+xm.Text)
	}
	for _, ref := range YRefs(c) { // dotted lines with their text, where the data leaves room
		tv, ok := ay.tr(ref.At)
		if !ok || !Inside(tv, ay.lo, ay.hi) {
			continue
		}
		cy := ay.cell(ref.At)
		row := g[h-1-cy]
		for i, r := range row {
			if r == ' ' || r == '┊' {
				row[i] = '┈'
			}
		}
		text := []rune(ref.Text)
		tw := Width(ref.Text)
		best := RefSpot(len(row), tw, func(i int) bool { return row[i] == '┈' })
		if best < 0 {
			notes = append(notes, "┈ "+ref.Text)
			continue
		}
		// Wide (Korean) letters take two columns: drop a dot for each.
		start := best - tw
		out := append([]rune{}, row[:start]...)
		out = append(out, text...)
		row = append(out, row[start+tw:]...)
		g[h-1-cy] = row
	}
	// The y labels: round values on the rows they fall on.
	yt := Ticks(ay.lo, ay.hi, ay.log, 3)
	vals := make([]float64, len(yt))
	for k, v := range yt {
		vals[k] = v
		if ay.log {
			vals[k] = math.Pow(10, v)
		}
	}
	rowLabel := make([]string, h)
	for k, l := range experiment.TickLabels(vals, ay.log) {
		j := h - 1 - int(math.Round((yt[k]-ay.lo)/(ay.hi-ay.lo)*float64(h-1)))
		if j >= 0 && j < h && rowLabel[j] == "" {
			rowLabel[j] = l
		}
	}
	var b strings.Builder
	title := c.Title
	if c.LogY {
		title += " (" + o.words().LogScale + ")"
	}
	b.WriteString(Wrap(title, o.width()) + "\n")
	for j, row := range g {
		b.WriteString(Pad(rowLabel[j], labelW, true) + " │" + strings.TrimRight(string(row), " ") + "\n")
	}
	b.WriteString(strings.Repeat(" ", labelW) + " └" + strings.Repeat("─", w) + "\n")
	lo, hi := experiment.Number(ax.value(0)), experiment.Number(ax.value(w-1))
	xlabel := c.XLabel
	gap := w - Width(lo) - Width(hi) - Width(xlabel)
	if gap < 2 {
		xlabel, gap = "", w-Width(lo)-Width(hi)
	}
	b.WriteString(strings.Repeat(" ", labelW+2) + lo + strings.Repeat(" ", max(gap/2, 1)) + xlabel + strings.Repeat(" ", max(gap-gap/2, 1)) + hi + "\n")
	for _, n := range notes {
		b.WriteString(Wrap(n, o.width()) + "\n")
	}
	b.WriteString(legendOf(names, slot, o.width()))
	return b.String()
}

// drawableRange is the lowest and highest value of ys that a chart can
// draw, on its scale (log10 on a log axis), NaN when there is none.
func drawableRange(ys []float64, log bool) (lo, hi float64) {
	a := axis{log: log}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range ys {
		if tv, ok := a.tr(v); ok {
			lo, hi = math.Min(lo, tv), math.Max(hi, tv)
		}
	}
	if lo > hi {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

func seriesX(s experiment.Series) []float64 {
	if s.X != nil {
		return s.X
	}
	x := make([]float64, len(s.Y))
	for i := range x {
		x[i] = float64(i)
	}
	return x
}

// Shades stand in for colours on a plain terminal, from low to high values
// of a surface; none of them is a path marker.
var Shades = []rune(" .,:;-=~")

// RefText labels a reference line at y = ref: "rate = 1" with the chart's
// y label, else the value alone.
func RefText(ref float64, yLabel string) string {
	if yLabel == "" {
		return experiment.Number(ref)
	}
	return yLabel + " = " + experiment.Number(ref)
}

// RefSpot is where a label tw columns wide goes on a reference line of n
// cells (isLine says which are still line): the cell just after the label
// at the right end of the last free stretch long enough for it and one free
// cell on each side, or -1 when there is none.
func RefSpot(n, tw int, isLine func(i int) bool) int {
	best, run := -1, 0
	for i := range n {
		if isLine(i) {
			run++
			if run >= tw+2 {
				best = i
			}
		} else {
			run = 0
		}
	}
	return best
}

// ShadeKey says what a surface's shades mean: "low [ .,:;-=~] high".
func ShadeKey(w Words) string {
	return w.Low + " [" + string(Shades) + "] " + w.High
}

// Surface renders a heat map of the field (light where low) with each path
// drawn in its marker, each minimum as X, and the key to its shades.
func Surface(s experiment.Surface, o Options) string {
	w := o.width() - 2
	h := max(8, min(24, w*int(math.Max(1, (s.YMax-s.YMin)))/int(math.Max(1, 2*(s.XMax-s.XMin)))))
	h = min(h, 20)
	if s.NX == 0 || s.NY == 0 || len(s.Z) != s.NX*s.NY {
		return s.Title
	}
	// Shade by rank of log(z − zmin): contour-like bands of equal area.
	zmin := math.Inf(1)
	for _, z := range s.Z {
		zmin = math.Min(zmin, z)
	}
	level := func(z float64) float64 { return math.Log1p(math.Max(0, z-zmin)) }
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, z := range s.Z {
		l := level(z)
		lo, hi = math.Min(lo, l), math.Max(hi, l)
	}
	g := newGrid(w, h, ' ')
	for j := range h {
		for i := range w {
			// Sample the nearest grid point; row 0 of the picture is YMax.
			si := int(math.Round(float64(i) / float64(w-1) * float64(s.NX-1)))
			sj := int(math.Round(float64(h-1-j) / float64(h-1) * float64(s.NY-1)))
			t := 0.0
			if hi > lo {
				t = (level(s.At(si, sj)) - lo) / (hi - lo)
			}
			g[j][i] = Shades[min(len(Shades)-1, int(math.Sqrt(t)*float64(len(Shades))))]
		}
	}
	toCell := func(p [2]float64) (int, int, bool) {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			return 0, 0, false
		}
		x := (p[0] - s.XMin) / (s.XMax - s.XMin) * float64(w-1)
		y := (s.YMax - p[1]) / (s.YMax - s.YMin) * float64(h-1)
		if x < -0.5 || y < -0.5 || x > float64(w)-0.5 || y > float64(h)-0.5 {
			return 0, 0, false
		}
		return int(math.Round(x)), int(math.Round(y)), true
	}
	for _, m := range s.Minima {
		if x, y, ok := toCell(m); ok {
			g.set(x, y, 'X')
		}
	}
	// Each path in its marker, cut where it leaves the window with an arrow
	// on the edge pointing the way it went.
	names := make([]string, len(s.Paths))
	var notes []string
	for pi, p := range s.Paths {
		names[pi] = p.Name
		m := Markers[pi%len(Markers)]
		for k, pt := range p.Points {
			if k == 0 {
				if x, y, ok := toCell(pt); ok {
					g.set(x, y, m)
				}
				continue
			}
			a := p.Points[k-1]
			t0, t1, ok := ClipSegment(a[0], a[1], pt[0], pt[1], s.XMin, s.XMax, s.YMin, s.YMax)
			if !ok || (t0 > 0 && t1 < 1) {
				continue // outside, or only passing through
			}
			dx, dy := pt[0]-a[0], pt[1]-a[1]
			x0, y0, _ := toCell([2]float64{a[0] + t0*dx, a[1] + t0*dy})
			x1, y1, _ := toCell([2]float64{a[0] + t1*dx, a[1] + t1*dy})
			g.line(x0, y0, x1, y1, m)
			if t1 < 1 {
				g.set(x1, y1, Arrow(dx, dy))
			}
		}
		if n := len(p.Points); n > 0 {
			if _, _, ok := toCell(p.Points[n-1]); !ok {
				end := p.Points[n-1]
				notes = append(notes, fmt.Sprintf(o.words().OffWindow, p.Name, experiment.Number(end[0]), experiment.Number(end[1])))
			}
		}
	}
	var b strings.Builder
	b.WriteString(Wrap(s.Title, o.width()) + "\n")
	b.WriteString("┌" + strings.Repeat("─", w) + "┐\n")
	for _, row := range g {
		b.WriteString("│" + string(row) + "│\n")
	}
	b.WriteString("└" + strings.Repeat("─", w) + "┘\n")
	b.WriteString(Wrap(fmt.Sprintf("x %s…%s, y %s…%s; %s", experiment.Number(s.XMin), experiment.Number(s.XMax), experiment.Number(s.YMin), experiment.Number(s.YMax), o.words().Minimum), o.width()) + "\n")
	b.WriteString(ShadeKey(o.words()) + "\n")
	for _, n := range notes {
		b.WriteString(Wrap(n, o.width()) + "\n")
	}
	b.WriteString(legendOf(names, nil, o.width()))
	return b.String()
}

// Bars renders a horizontal bar chart: for each label one bar per group.
func Bars(c experiment.BarChart, o Options) string {
	labelW, groupW := 0, 0
	for _, l := range c.Labels {
		labelW = max(labelW, Width(l))
	}
	for _, g := range c.Groups {
		groupW = max(groupW, Width(g.Name))
	}
	if len(c.Groups) < 2 {
		groupW = 0
	}
	const valueW = 10
	barW := max(o.width()-labelW-groupW-valueW-4, 5)
	var vals [][]float64
	for _, g := range c.Groups {
		vals = append(vals, g.Values)
	}
	logY := c.LogY && SpansDecades(vals, 2)
	a := newAxis(vals, logY, barW)
	if !logY {
		a.lo = math.Min(0, a.lo)
	}
	var b strings.Builder
	title := c.Title
	if logY {
		title += " (" + o.words().LogScale + ")"
	}
	b.WriteString(Wrap(title, o.width()) + "\n")
	for li, l := range c.Labels {
		for gi, g := range c.Groups {
			name := ""
			if gi == 0 {
				name = l
			}
			v := math.NaN()
			if li < len(g.Values) {
				v = g.Values[li]
			}
			n := a.cell(v) + 1
			bar := strings.Repeat("█", max(n, 0))
			row := Pad(name, labelW, false) + " "
			if groupW > 0 {
				row += Pad(g.Name, groupW, false) + " "
			}
			b.WriteString(row + bar + " " + experiment.Number(v) + "\n")
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// SpansDecades reports whether the positive finite values range over at
// least n powers of ten. Below that a log axis only exaggerates: bars show
// 0.05 against 0.18 as 1 against 18. Views draw such bars linearly.
func SpansDecades(vals [][]float64, n float64) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, vs := range vals {
		for _, v := range vs {
			if v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	return hi/lo >= math.Pow(10, n)
}
