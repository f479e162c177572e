package plot

import (
	"math"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/nnlab/nnlab/core/experiment"
	"github.com/nnlab/nnlab/tui/report"
)

// span is a finite range of values, optionally in log10.
type span struct {
	lo, hi float64
	log    bool
}

func newSpan(log bool) span { return span{lo: math.Inf(1), hi: math.Inf(-1), log: log} }

// add widens the span by v and returns v transformed (and whether it is drawable).
func (s *span) add(v float64) (float64, bool) {
	v, ok := s.tr(v)
	if ok {
		s.lo, s.hi = math.Min(s.lo, v), math.Max(s.hi, v)
	}
	return v, ok
}

func (s span) tr(v float64) (float64, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) || (s.log && v <= 0) {
		return 0, false
	}
	if s.log {
		v = math.Log10(v)
	}
	return v, true
}

func (s *span) settle() {
	if s.lo > s.hi {
		s.lo, s.hi = 0, 1
	}
	if s.lo == s.hi {
		s.lo, s.hi = s.lo-0.5, s.hi+0.5
	}
}

// short prints an axis label in at most about seven columns: 1e-06, 0.044, 12.
func (s span) short(v float64) string {
	if s.log {
		v = math.Pow(10, v)
	}
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 1e5 || a < 1e-3:
		return strconv.FormatFloat(v, 'e', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 2, 64)
}

func (s span) label(v float64) string {
	if s.log {
		v = math.Pow(10, v)
	}
	return experiment.Number(v)
}

// Legend lists the series names in their styles, wrapped to w columns.
func Legend(names []string, w int, t Theme) string {
	var lines []string
	line, lw := "", 0
	for i, n := range names {
		mark := "━━"
		if t.Plain {
			mark = string(report.Markers[i%len(report.Markers)])
		}
		item := t.SeriesStyle(i).Render(mark) + " " + n
		iw := lipgloss.Width(item)
		if lw > 0 && lw+3+iw > w {
			lines, line, lw = append(lines, line), "", 0
		}
		if lw > 0 {
			line, lw = line+"   ", lw+3
		}
		line, lw = line+item, lw+iw
	}
	return report.Wrap(strings.Join(append(lines, line), "\n"), w)
}

// LineChart draws the chart's series as braille lines in a w×h box (axes and
// labels included), with the legend below (it adds lines to the height).
func LineChart(c experiment.Chart, w, h int, t Theme) string {
	w, h = max(w, 20), max(h, 5)
	sx, sy := newSpan(false), newSpan(c.LogY)
	type pt struct {
		x, y float64
		ok   bool
	}
	series := make([][]pt, len(c.Series))
	names := make([]string, len(c.Series))
	for i, s := range c.Series {
		names[i] = s.Name
		series[i] = make([]pt, len(s.Y))
		for k, v := range s.Y {
			x := float64(k)
			if s.X != nil && k < len(s.X) {
				x = s.X[k]
			}
			xv, okx := sx.add(x)
			yv, oky := sy.add(v)
			series[i][k] = pt{xv, yv, okx && oky}
		}
	}
	sx.settle()
	sy.settle()
	if sy.log && sy.hi-sy.lo >= 1 {
		// Whole decades at the ends, so the axis reads 1e-06 … 1.
		sy.lo, sy.hi = math.Floor(sy.lo), math.Ceil(sy.hi)
	}
	whole := true
	for _, s := range c.Series {
		for k := range s.Y {
			if s.X != nil && k < len(s.X) && s.X[k] != math.Trunc(s.X[k]) {
				whole = false
			}
		}
	}
	// Round ticks: decades on a log axis, 1-2-5 steps on a linear one.
	yt := ticks(sy.lo, sy.hi, sy.log, max(2, min(5, h/3)))
	ylab := make([]string, len(yt))
	lw := 0
	for k, v := range yt {
		ylab[k] = sy.short(v)
		lw = max(lw, lipgloss.Width(ylab[k]))
	}
	gw, gh := w-lw-1, h-2 // label column and axis; axis line and x labels
	if gw < 4 || gh < 2 {
		return Legend(names, w, t)
	}
	cv := canvas.New(gw, gh)
	for i := len(series) - 1; i >= 0; i-- { // the first series ends on top
		g := graph.NewBrailleGrid(gw, gh, sx.lo, sx.hi, sy.lo, sy.hi)
		var prev *canvas.Point
		for _, p := range series[i] {
			if !p.ok {
				prev = nil
				continue
			}
			q := g.GridPoint(canvas.Float64Point{X: p.x, Y: p.y})
			if prev == nil {
				g.Set(q)
			} else {
				for _, r := range graph.GetLinePoints(*prev, q) {
					g.Set(r)
				}
			}
			prev = &q
		}
		if t.Plain { // braille lines look alike without colour: use markers
			for y, row := range g.BraillePatterns() {
				for x, r := range row {
					if r != 0x2800 {
						cv.SetRune(canvas.Point{X: x, Y: y}, report.Markers[i%len(report.Markers)])
					}
				}
			}
			continue
		}
		graph.DrawBraillePatterns(&cv, canvas.Point{}, g.BraillePatterns(), t.SeriesStyle(i))
	}
	for _, ref := range c.Refs { // faint lines where the data leaves room
		if v, ok := sy.tr(ref); ok && v >= sy.lo && v <= sy.hi {
			r := int(math.Round((sy.hi - v) / (sy.hi - sy.lo) * float64(gh-1)))
			for x := range gw {
				if p := (canvas.Point{X: x, Y: r}); cv.Cell(p).Rune == 0 {
					cv.SetCell(p, canvas.NewCellWithStyle('┈', t.Axis))
				}
			}
		}
	}
	// The y labels sit on the rows their values fall on.
	rowLabel := make([]string, gh)
	for k, v := range yt {
		r := int(math.Round((sy.hi - v) / (sy.hi - sy.lo) * float64(gh-1)))
		if r >= 0 && r < gh && rowLabel[r] == "" {
			rowLabel[r] = ylab[k]
		}
	}
	var b strings.Builder
	title := c.Title
	if c.LogY {
		title += " · " + t.Words.Log
	}
	b.WriteString(t.Label.Render(title))
	for r, line := range strings.Split(cv.View(), "\n") {
		b.WriteString("\n" + t.Label.Render(report.Pad(rowLabel[r], lw, true)) + t.Axis.Render("│") + line)
	}
	b.WriteString("\n" + strings.Repeat(" ", lw) + t.Axis.Render("└"+strings.Repeat("─", gw)))
	// x labels at round values, left to right, never overlapping.
	xl := []rune(strings.Repeat(" ", w))
	end := -1
	for _, v := range ticks(sx.lo, sx.hi, false, max(2, gw/12)) {
		text := sx.label(v)
		if whole {
			text = experiment.Number(math.Round(v))
		}
		col := lw + 1 + int(math.Round((v-sx.lo)/(sx.hi-sx.lo)*float64(gw-1)))
		start := min(col-len([]rune(text))/2, w-len([]rune(text)))
		start = max(start, lw+1)
		if start <= end+1 {
			continue
		}
		copy(xl[start:], []rune(text))
		end = start + len([]rune(text)) - 1
	}
	b.WriteString("\n" + t.Label.Render(strings.TrimRight(string(xl), " ")))
	if c.XLabel != "" { // the x axis's name, under its right end
		b.WriteString("\n" + t.Label.Render(report.Pad(ansi.Truncate(c.XLabel, w, "…"), w, true)))
	}
	return b.String() + "\n" + Legend(names, w, t)
}

// ticks returns round values within [lo, hi] for an axis, about n of them:
// whole decades (lo and hi are log10 values) on a log axis, else multiples
// of 1, 2 or 5 × 10ᵏ.
func ticks(lo, hi float64, log bool, n int) []float64 {
	var out []float64
	if log {
		a, b := math.Ceil(lo-1e-9), math.Floor(hi+1e-9)
		step := math.Max(1, math.Ceil((b-a)/float64(n)))
		for v := a; v <= b+1e-9; v += step {
			out = append(out, v)
		}
		if len(out) > 0 {
			return out
		}
	}
	span := hi - lo
	if !(span > 0) {
		return []float64{lo}
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		out = append(out, math.Round(v/step)*step)
	}
	return out
}

// shades stand in for colours on a plain terminal, low to high.
var shades = []rune(" .,:;-=~") // none of them is a path marker

// Surface draws the field as a heat map in a w×h box (one character per
// cell, banded by rank of log(z − z_min) like contour lines) with each path as
// a braille line in its series colour and each minimum as ✕, legend below.
func Surface(s experiment.Surface, w, h int, t Theme) string {
	w, h = max(w, 10), max(h, 4)
	if s.NX < 2 || s.NY < 2 || len(s.Z) != s.NX*s.NY {
		return s.Title
	}
	cv := canvas.New(w, h)
	// Paths first: the heat colour is then set as each cell's background,
	// keeping the path's foreground.
	names := make([]string, len(s.Paths))
	for i := len(s.Paths) - 1; i >= 0; i-- {
		p := s.Paths[i]
		names[i] = p.Name
		g := graph.NewBrailleGrid(w, h, s.XMin, s.XMax, s.YMin, s.YMax)
		var prev *canvas.Point
		for _, xy := range p.Points {
			if xy[0] < s.XMin || xy[0] > s.XMax || xy[1] < s.YMin || xy[1] > s.YMax {
				prev = nil // leaves the window: break the line
				continue
			}
			q := g.GridPoint(canvas.Float64Point{X: xy[0], Y: xy[1]})
			if prev == nil {
				g.Set(q)
			} else {
				for _, r := range graph.GetLinePoints(*prev, q) {
					g.Set(r)
				}
			}
			prev = &q
		}
		style := t.SeriesStyle(i)
		if t.Plain {
			// Braille cells of different paths look alike without colour:
			// mark each path with its own character instead.
			for y, row := range g.BraillePatterns() {
				for x, r := range row {
					if r != 0x2800 {
						cv.SetRune(canvas.Point{X: x, Y: y}, report.Markers[i%len(report.Markers)])
					}
				}
			}
			continue
		}
		graph.DrawBraillePatterns(&cv, canvas.Point{}, g.BraillePatterns(), style)
	}
	mark := func(p [2]float64, r rune, st lipgloss.Style) {
		if p[0] < s.XMin || p[0] > s.XMax || p[1] < s.YMin || p[1] > s.YMax {
			return
		}
		x := int(math.Round((p[0] - s.XMin) / (s.XMax - s.XMin) * float64(w-1)))
		y := int(math.Round((s.YMax - p[1]) / (s.YMax - s.YMin) * float64(h-1)))
		cv.SetCell(canvas.Point{X: x, Y: y}, canvas.NewCellWithStyle(r, st))
	}
	// Where the paths start (they share it in most runs), then the minima.
	for i := len(s.Paths) - 1; i >= 0; i-- {
		if pts := s.Paths[i].Points; len(pts) > 0 {
			mark(pts[0], '●', t.SeriesStyle(i))
		}
	}
	for _, m := range s.Minima {
		mark(m, '✕', t.Min)
	}
	// Heat: rank each cell's level into len(Heat) bands.
	zmin := math.Inf(1)
	for _, z := range s.Z {
		zmin = math.Min(zmin, z)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	level := func(z float64) float64 { return math.Log1p(math.Max(0, z-zmin)) }
	for _, z := range s.Z {
		lo, hi = math.Min(lo, level(z)), math.Max(hi, level(z))
	}
	bands := len(t.Heat)
	if t.Plain {
		bands = len(shades)
	}
	for y := range h {
		sj := int(math.Round(float64(h-1-y) / float64(h-1) * float64(s.NY-1)))
		for x := range w {
			si := int(math.Round(float64(x) / float64(w-1) * float64(s.NX-1)))
			f := 0.0
			if hi > lo {
				f = (level(s.At(si, sj)) - lo) / (hi - lo)
			}
			b := min(bands-1, int(math.Sqrt(f)*float64(bands)))
			p := canvas.Point{X: x, Y: y}
			if t.Plain {
				if cv.Cell(p).Rune == 0 {
					cv.SetRune(p, shades[b])
				}
				continue
			}
			st := cv.GetCellStyle(p)
			base := t.R.NewStyle()
			if st != nil {
				base = *st
			}
			cv.SetCellStyle(p, base.Background(t.Heat[b]))
		}
	}
	key := ""
	if !t.Plain { // what the colours mean: a strip from low to high
		var strip strings.Builder
		for _, c := range t.Heat {
			strip.WriteString(t.R.NewStyle().Background(c).Render("  "))
		}
		key = "\n" + t.Label.Render(t.Words.Low+" ") + strip.String() + t.Label.Render(" "+t.Words.High)
	}
	axis := t.Label.Render(report.Wrap(experiment.Number(s.XMin)+" ≤ x ≤ "+experiment.Number(s.XMax)+", "+
		experiment.Number(s.YMin)+" ≤ y ≤ "+experiment.Number(s.YMax)+" · ● "+t.Words.Start+" · ✕ "+t.Words.Minimum, w))
	return t.Label.Render(s.Title) + "\n" + cv.View() + "\n" + axis + key + "\n" + Legend(names, w, t)
}

// Bars draws a horizontal bar chart w columns wide: for each label one bar per
// group in the group's colour, the value at the end. LogY bars grow with log10.
func Bars(c experiment.BarChart, w int, t Theme) string {
	labelW, groupW := 0, 0
	for _, l := range c.Labels {
		labelW = max(labelW, lipgloss.Width(l))
	}
	// A log axis makes 0.05 against 0.18 look like 1 against 18: keep it
	// only where the values span two decades or more.
	var vals [][]float64
	for _, g := range c.Groups {
		vals = append(vals, g.Values)
	}
	logY := c.LogY && report.SpansDecades(vals, 2)
	sp := newSpan(logY)
	valueW := 0
	for _, g := range c.Groups {
		groupW = max(groupW, lipgloss.Width(g.Name))
		for _, v := range g.Values {
			sp.add(v)
			valueW = max(valueW, lipgloss.Width(experiment.Number(v)))
		}
	}
	if len(c.Groups) < 2 {
		groupW = 0
	}
	sp.settle()
	if !logY {
		sp.lo = math.Min(0, sp.lo)
	} else {
		sp.lo -= (sp.hi - sp.lo) * 0.05 // the smallest value still gets a sliver
	}
	barW := max(w-labelW-groupW-valueW-3, 4)
	var b strings.Builder
	title := c.Title
	if logY {
		title += " · " + t.Words.Log
	}
	b.WriteString(t.Label.Render(title))
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
			n := 0
			if tv, ok := sp.tr(v); ok {
				n = int(math.Round((tv - sp.lo) / (sp.hi - sp.lo) * float64(barW)))
				n = max(0, min(barW, n))
			}
			b.WriteString("\n" + report.Pad(name, labelW, false) + " ")
			if groupW > 0 {
				b.WriteString(report.Pad(g.Name, groupW, false) + " ")
			}
			bar := strings.Repeat("█", n)
			if t.Plain {
				bar = strings.Repeat(string(report.Markers[gi%len(report.Markers)]), n)
			}
			b.WriteString(t.SeriesStyle(gi).Render(bar) + " " + experiment.Number(v))
		}
	}
	return b.String()
}
