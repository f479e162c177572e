package plot

import (
	"math"
	"strconv"
	"strings"

	"github.com/NimbleMarkets/ntcharts/canvas"
	"github.com/NimbleMarkets/ntcharts/canvas/graph"
	"github.com/NimbleMarkets/ntcharts/linechart"
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
	return report.Number(v)
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
	xLabel := func(_ int, v float64) string {
		if whole {
			return report.Number(math.Round(v))
		}
		return sx.label(v)
	}
	lc := linechart.New(w, h, sx.lo, sx.hi, sy.lo, sy.hi,
		linechart.WithXYSteps(max(w/8, 6), max(h/3, 2)),
		linechart.WithStyles(t.Axis, t.Label, t.SeriesStyle(0)),
		linechart.WithXLabelFormatter(xLabel),
		linechart.WithYLabelFormatter(func(_ int, v float64) string { return sy.short(v) }),
	)
	lc.DrawXYAxisAndLabel()
	gw, gh := lc.GraphWidth(), lc.GraphHeight()
	if gw < 1 || gh < 1 {
		return Legend(names, w, t)
	}
	origin := canvas.Point{X: lc.Origin().X + 1, Y: 0}
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
						lc.Canvas.SetRune(origin.Add(canvas.Point{X: x, Y: y}), report.Markers[i%len(report.Markers)])
					}
				}
			}
			continue
		}
		graph.DrawBraillePatterns(&lc.Canvas, origin, g.BraillePatterns(), t.SeriesStyle(i))
	}
	title := c.Title
	if c.LogY {
		title += " · " + t.Words.Log
	}
	axis := ""
	if c.XLabel != "" { // the x axis's name, under its right end
		axis = "\n" + t.Label.Render(report.Pad(ansi.Truncate(c.XLabel, w, "…"), w, true))
	}
	return t.Label.Render(title) + "\n" + lc.View() + axis + "\n" + Legend(names, w, t)
}
